using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Centric.E2E.Tests.Infrastructure;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Platform.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// Two nodes on one database, Redis between them, nginx in front: what one person does on one node reaches the person
/// on the other live, pages work through the proxy, and scheduled work is done once.
/// </summary>
[Collection(SeveralNodesDefinition.Name)]
public class SeveralNodesTests(SeveralNodesFixture fixture)
{
    private const string Admin = "admin@centric.demo";
    private const string Agent = "agent@centric.demo";
    private const string DemoCustomer = "ana.silva@example.com";

    [SkippableFact]
    public async Task A_visitors_chat_on_one_node_reaches_agents_on_both_and_the_answer_comes_back_live()
    {
        fixture.Require();
        var tag = Guid.NewGuid().ToString("N")[..8];

        // The agent works on node B; the visitor's browser is pinned to node A.
        var agent = await fixture.StaffPageAsync(fixture.NodeB.BaseUrl, Admin);
        await agent.GotoAsync("console/inbox?view=open&channel=chat");
        var visitor = await fixture.NewPageAsync(fixture.NodeA.BaseUrl);
        await visitor.GotoAsync("shop");
        var navigations = 0;
        visitor.FrameNavigated += (_, frame) => { if (frame == visitor.MainFrame) navigations++; };

        await visitor.Locator("#chat-launcher").ClickAsync();
        await visitor.Locator("#chat-input").FillAsync($"Hello from node A {tag}");
        await visitor.Locator("#chat-send").ClickAsync();
        var thread = visitor.Locator("#chat-messages");
        await Expect(thread.Locator("li.customer").Filter(new() { HasText = tag })).ToHaveCountAsync(1);
        await Expect(thread.Locator("li.customer.pending")).ToHaveCountAsync(0);

        // The new chat appears in the inbox on node B without a reload; the agent opens it there.
        var row = agent.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Hello from node A {tag}" });
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(agent.Locator("#agent-chat-messages li").Filter(new() { HasText = tag })).ToHaveCountAsync(1);

        // A colleague opens the same ticket on node A: each sees the other, though neither node holds both connections.
        var colleague = await fixture.StaffPageAsync(fixture.NodeA.BaseUrl, Agent);
        await colleague.GotoAsync(new Uri(agent.Url).PathAndQuery.TrimStart('/'));
        await Expect(colleague.Locator("#agent-chat-messages li").Filter(new() { HasText = tag })).ToHaveCountAsync(1);
        await Expect(agent.Locator("#ticket-presence")).ToContainTextAsync("Demo Agent is also viewing");
        await Expect(colleague.Locator("#ticket-presence")).ToContainTextAsync("Demo Admin is also viewing");

        // Typing and the next message travel from node A to both agents, on node B and on node A.
        await visitor.Locator("#chat-input").PressSequentiallyAsync("Where is my parcel");
        await Expect(agent.Locator("#agent-chat-typing")).ToBeVisibleAsync();
        await visitor.Locator("#chat-send").ClickAsync();
        await Expect(agent.Locator("#agent-chat-messages li").Filter(new() { HasText = "Where is my parcel" })).ToHaveCountAsync(1);
        await Expect(colleague.Locator("#agent-chat-messages li").Filter(new() { HasText = "Where is my parcel" })).ToHaveCountAsync(1);

        // The answer written on node B reaches the visitor on node A, and so does the read receipt.
        await agent.Locator("#agent-chat-input").FillAsync($"Hi, it left the warehouse today {tag}");
        await agent.Locator("#agent-chat-send").ClickAsync();
        await Expect(thread.Locator("li.agent").Filter(new() { HasText = "it left the warehouse today" })).ToHaveCountAsync(1);
        await Expect(visitor.Locator("#chat-read")).ToHaveTextAsync("Seen");
        await Expect(colleague.Locator("#agent-chat-messages li").Filter(new() { HasText = "it left the warehouse today" })).ToHaveCountAsync(1);

        // The colleague leaves: the agent on node B no longer sees them.
        await colleague.Context.CloseAsync();
        await Expect(agent.Locator("#ticket-presence")).Not.ToContainTextAsync("Demo Agent");

        // All of it arrived over the live connections: the visitor's page was never reloaded.
        Assert.Equal(0, navigations);
        await visitor.Context.CloseAsync();
        await agent.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_order_page_on_one_node_and_through_nginx_follows_staff_and_the_carrier_on_the_other_node_live()
    {
        fixture.Require();
        var email = Accounts.NewEmail("e2e-nodes");

        // The customer pays on node A and stays on the order page there.
        var customer = await fixture.NewPageAsync(fixture.NodeA.BaseUrl);
        await Storefront.OpenProductAsync(customer, "cutting board", "cutting board");
        await Storefront.AddToCartAsync(customer);
        await Storefront.GoToCheckoutAsync(customer);
        await customer.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(customer, "Nadia Nodes");
        var order = await Storefront.PlaceOrderAsync(customer);
        await Storefront.SubmitCardAsync(customer, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(customer, order, email);
        var live = customer.Locator("#order-status");
        await Expect(live).ToHaveTextAsync("Paid");

        // The same order through nginx in a second browser: a Blazor page whose circuit runs over a WebSocket through the proxy.
        var proxied = await fixture.NewPageAsync(fixture.Proxy);
        var sockets = new ConcurrentQueue<IWebSocket>();
        var frames = 0;
        proxied.WebSocket += (_, socket) =>
        {
            sockets.Enqueue(socket);
            socket.FrameReceived += (_, _) => Interlocked.Increment(ref frames);
        };
        await proxied.GotoAsync(order.OrderPath);
        var proxiedLive = proxied.Locator("#order-status");
        await Expect(proxiedLive).ToHaveTextAsync("Paid");

        var navigations = 0;
        customer.FrameNavigated += (_, frame) => { if (frame == customer.MainFrame) navigations++; };
        proxied.FrameNavigated += (_, frame) => { if (frame == proxied.MainFrame) navigations++; };

        // Staff move the order on node B; both pages hear it.
        var admin = await fixture.StaffPageAsync(fixture.NodeB.BaseUrl, Admin);
        await admin.GotoAsync($"console/orders/{order.Number}");
        foreach (var step in new[] { "Picking", "Packed", "Shipped" })
        {
            await admin.Locator($"#to-{step}").ClickAsync();
            await Expect(admin.Locator("#order-status")).ToHaveTextAsync(step);
            await Expect(live).ToHaveTextAsync(step);
            await Expect(proxiedLive).ToHaveTextAsync(step);
        }
        var tracking = (await admin.Locator("p").Filter(new() { HasText = "Shipment" }).Locator("code").InnerTextAsync()).Trim();
        await admin.Context.CloseAsync();

        // The carrier's webhook lands on node B.
        Assert.True(await CarrierEventAsync(fixture.NodeB, tracking, "in_transit", "Parcel at the sorting centre"), "the carrier event was not applied");
        await Expect(customer.Locator("#tracking-events li[data-code='in_transit']")).ToContainTextAsync("Parcel at the sorting centre");
        await Expect(proxied.Locator("#tracking-events li[data-code='in_transit']")).ToContainTextAsync("Parcel at the sorting centre");
        Assert.True(await CarrierEventAsync(fixture.NodeB, tracking, "out_for_delivery", "With the driver today"), "the carrier event was not applied");
        await Expect(live).ToHaveTextAsync("Out for delivery");
        await Expect(proxiedLive).ToHaveTextAsync("Out for delivery");
        await Expect(customer.Locator("#tracking-events li")).ToHaveCountAsync(2);
        await Expect(proxied.Locator("#tracking-events li")).ToHaveCountAsync(2);

        // Neither page was reloaded, and the proxied one was updated over a WebSocket through nginx (not a fallback transport).
        Assert.Equal(0, navigations);
        var circuit = sockets.Where(s => s.Url.StartsWith($"ws://{fixture.Proxy.Authority}/_blazor", StringComparison.Ordinal)).ToList();
        Assert.True(circuit.Count > 0, "no WebSocket to /_blazor through nginx; sockets: " + string.Join(", ", sockets.Select(s => s.Url)));
        Assert.True(circuit.All(s => !s.IsClosed), "the circuit's WebSocket through nginx was closed");
        Assert.True(Volatile.Read(ref frames) > 0, "no frames came over the WebSocket through nginx");
        await customer.Context.CloseAsync();
        await proxied.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Renewals_and_reminders_that_fall_due_with_both_nodes_running_are_done_once()
    {
        fixture.Require();

        // The demo customer subscribes in the portal on node A.
        var page = await fixture.NewPageAsync(fixture.NodeA.BaseUrl);
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        await Storefront.OpenProductAsync(page, "shampoo", "shampoo");
        await page.Locator("#sub-name").FillAsync("Ana Silva");
        await page.Locator("#sub-line1").FillAsync("Rua Augusta 100");
        await page.Locator("#sub-city").FillAsync("Lisboa");
        await page.Locator("#sub-postal").FillAsync("1100-053");
        await page.Locator("#sub-card").FillAsync(Storefront.SuccessCard);
        await page.Locator("#subscribe").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your subscriptions" })).ToBeVisibleAsync();
        var sectionId = await page.Locator("section.card[id^='sub-']").First.GetAttributeAsync("id");
        var subscriptionId = Guid.Parse(sectionId!["sub-".Length..]);
        await page.Context.CloseAsync();

        // Time passes: it falls due, together with more of Ana's subscriptions, and others come within the reminder window.
        // Both nodes look every 200 ms, so they race for each of them.
        var arranged = DateTime.UtcNow;
        // Due two days ago: a renewal is known by its date, and the first delivery (charged today) has today's.
        var dueAt = DateTime.SpecifyKind(arranged.AddDays(-2), DateTimeKind.Utc);
        var soonAt = DateTime.SpecifyKind(arranged.AddDays(1), DateTimeKind.Utc);
        var due = new List<Guid> { subscriptionId };
        var soon = new List<Guid>();
        // The first delivery, charged when she subscribed, is a renewal order too, maybe placed within the last second: leave it out by id, not by time.
        List<Guid> placedBefore;
        await using (var db = fixture.Db())
        {
            placedBefore = await db.Orders.AsNoTracking().Where(o => o.IdempotencyKey != null && o.IdempotencyKey.StartsWith("renewal:")).Select(o => o.Id).ToListAsync();
            var original = await db.Set<Subscription>().SingleAsync(s => s.Id == subscriptionId);
            for (var i = 0; i < 24; i++)
            {
                var copy = Copy(original, i % 3 == 2 ? soonAt : dueAt);
                db.Add(copy);
                (i % 3 == 2 ? soon : due).Add(copy.Id);
            }
            original.NextRenewalAt = dueAt;
            await db.SaveChangesAsync();
            // Enough on the shelf that every renewal is paid (one that runs out of stock fails, and is retried later).
            await db.StockLevels.Where(l => l.VariantId == original.VariantId).ExecuteUpdateAsync(u => u.SetProperty(l => l.OnHand, l => l.OnHand + 100));
        }

        // Wait until every renewal has been attempted and every reminder sent, then a while longer for any second attempt.
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            await using var db = fixture.Db();
            var pending = await db.Set<Subscription>().CountAsync(s => (due.Contains(s.Id) && s.Status == SubscriptionStatus.Active && s.NextRenewalAt <= arranged)
                || (soon.Contains(s.Id) && s.RemindedFor != s.NextRenewalAt));
            if (pending == 0) break;
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"{pending} renewals or reminders still waiting after a minute\n{fixture.Logs()}");
            await Task.Delay(200);
        }
        await Task.Delay(TimeSpan.FromSeconds(3));

        await using (var db = fixture.Db())
        {
            // One renewal order per due subscription, placed since the arrangement, each charged once.
            var orders = await db.Orders.AsNoTracking().Where(o => !placedBefore.Contains(o.Id) && o.IdempotencyKey != null && o.IdempotencyKey.StartsWith("renewal:"))
                .Select(o => new { o.Id, o.IdempotencyKey }).ToListAsync();
            var orderIds = orders.Select(o => o.Id).ToList();
            var charges = await db.Payments.AsNoTracking().Where(p => orderIds.Contains(p.OrderId)).GroupBy(p => p.OrderId)
                .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            foreach (var id in due)
            {
                var mine = orders.Where(o => o.IdempotencyKey!.StartsWith($"renewal:{id:N}:", StringComparison.Ordinal)).ToList();
                Assert.True(mine.Count == 1, $"subscription {id} was renewed {mine.Count} times: {string.Join(", ", mine.Select(o => o.IdempotencyKey))}");
                Assert.Equal(1, charges.GetValueOrDefault(mine[0].Id));
            }
            Assert.DoesNotContain(orders, o => soon.Any(id => o.IdempotencyKey!.StartsWith($"renewal:{id:N}:", StringComparison.Ordinal)));

            // One reminder per subscription coming up.
            var soonIds = soon.Select(id => id.ToString()).ToList();
            var reminders = await db.Interactions.AsNoTracking().Where(i => i.Type == "subscription_renewal_due" && i.SourceId != null && soonIds.Contains(i.SourceId))
                .GroupBy(i => i.SourceId!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count);
            foreach (var id in soonIds) Assert.True(reminders.GetValueOrDefault(id) == 1, $"subscription {id} was reminded {reminders.GetValueOrDefault(id)} times");
        }

        // Ana sees it on node B: the subscription she took out now renews a period after the date it fell due.
        var portal = await fixture.NewPageAsync(fixture.NodeB.BaseUrl);
        await BrowserFixture.SignInAsync(portal, DemoCustomer, BrowserFixture.DemoPassword);
        await portal.GotoAsync("account/subscriptions");
        var section = portal.Locator($"section#{sectionId}");
        await Expect(section).ToContainTextAsync($"Next delivery charged on {dueAt.AddDays(30).ToString("d MMM yyyy", CultureInfo.InvariantCulture)}");
        await portal.Context.CloseAsync();
    }

    private static Subscription Copy(Subscription s, DateTime nextRenewalAt) => new()
    {
        ProfileId = s.ProfileId, Email = s.Email, VariantId = s.VariantId, Quantity = s.Quantity, IntervalDays = s.IntervalDays, PriceMinor = s.PriceMinor,
        Currency = s.Currency, Status = SubscriptionStatus.Active, NextRenewalAt = nextRenewalAt, PaymentToken = s.PaymentToken, CardBrand = s.CardBrand,
        CardLast4 = s.CardLast4, ShipName = s.ShipName, ShipLine1 = s.ShipLine1, ShipCity = s.ShipCity, ShipPostalCode = s.ShipPostalCode,
        ShipCountry = s.ShipCountry, CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt,
    };

    /// <summary>The carrier simulator posts a signed tracking event to one node; true when it was applied.</summary>
    private static async Task<bool> CarrierEventAsync(CentricNode node, string tracking, string code, string description)
    {
        using var client = new HttpClient { BaseAddress = node.BaseUrl };
        var body = JsonSerializer.Serialize(new
        {
            trackingNumber = tracking, eventId = Guid.NewGuid().ToString("N"), code, description, location = "Lisboa", occurredAt = DateTimeOffset.UtcNow,
        }, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/carriers/simulator/events") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Carrier-Signature", HmacSignature.Sign(SeveralNodesFixture.CarrierSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"the carrier event answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetBoolean();
    }
}
