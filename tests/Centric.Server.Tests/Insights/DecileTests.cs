using System.Net;
using System.Text.Json;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Costs;
using Centric.Server.Insights.Scores;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Insights;

/// <summary>
/// Value deciles, the REAP scorecard and the cost to serve against answers worked out by hand on a small shop of five
/// customers over three weeks, priced with a cost model an admin saves in the console.
/// </summary>
public abstract class DecileTests(string provider)
{
    private static DateTime Day(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    private sealed record Shop(Guid A, Guid B, Guid C, Guid D, Guid E, Guid F);

    [SkippableFact]
    public async Task Deciles_reap_and_cost_to_serve_match_the_hand_computed_figures()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var shop = await SeedAsync(app);
        await app.DispatchAsync("insights.kpi-rollups");
        await app.DispatchAsync("insights.kpi-rollups");   // nothing new: nothing counted twice
        await SaveCostModelAsync(app);
        await AssertHandComputedAsync(app, shop);
    }

    [SkippableFact]
    public async Task History_is_rolled_up_from_the_timeline_also_where_orders_were_counted_before_lines_and_costs_were_kept()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var shop = await SeedAsync(app);
        await app.DispatchAsync("insights.kpi-rollups");
        // As on a database rolled up before order lines and cost drivers were kept: the order facts are there, the rest is not.
        await app.WithDbAsync(async db => await db.CountedOrderLines.ExecuteDeleteAsync() + await db.CostDrivers.ExecuteDeleteAsync());
        Assert.True(await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpAsync(db, default)) >= 20);
        Assert.Equal(0, await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpAsync(db, default)));   // once
        await SaveCostModelAsync(app);
        await AssertHandComputedAsync(app, shop);
    }

    /// <summary>
    /// The range is 1–8 Nov; the previous range 25 Oct–1 Nov; the one before that 18–25 Oct. Categories in the catalogue: 5.
    /// </summary>
    private static async Task<Shop> SeedAsync(ManualClockApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
        foreach (var name in new[] { "bags", "shoes", "coats", "socks", "hats" }) db.Categories.Add(new Category { Slug = name, Name = name });
        Guid New() => directory.Create(ProfileKind.Known).Id;
        var shop = new Shop(New(), New(), New(), New(), New(), New());
        var (a, b, c, d, e, f) = (shop.A, shop.B, shop.C, shop.D, shop.E, shop.F);
        var products = new Dictionary<string, Guid>();
        Guid Order(Guid who, DateTime at, string channel, params (int Quantity, decimal Price, string Category)[] lines)
        {
            var id = Guid.NewGuid();
            log.Append(db, who, InteractionTypes.OrderPlaced, channel, new OrderPlacedProperties(id, "K-" + id.ToString("N")[..6], lines.Sum(l => l.Quantity * l.Price), "EUR",
                "standard", null, [.. lines.Select(l => new OrderedItem(products.TryGetValue(l.Category, out var p) ? p : products[l.Category] = Guid.NewGuid(), "SKU-" + l.Category,
                    l.Category, l.Quantity, l.Price))], [.. lines.Select(l => l.Category).Distinct()]), occurredAt: at);
            return id;
        }
        void Moved(Guid who, Guid order, string from, string to, DateTime at, decimal? total = null) =>
            log.Append(db, who, InteractionTypes.OrderStatusChanged, "web", new OrderStatusChangedProperties(order, "K", from, to, Total: total, Currency: total is null ? null : "EUR"), occurredAt: at);
        void Reply(Guid who, string channel, DateTime at, int? callSeconds = null, bool automated = false) =>
            log.Append(db, who, callSeconds is null ? InteractionTypes.TicketReplied : InteractionTypes.TicketCallLogged, channel,
                new TicketReplyProperties("T-1", Guid.NewGuid(), automated ? null : "agent", callSeconds, callSeconds is null ? null : "answered", automated), occurredAt: at);

        // A: a regular since 19 Oct. In the range: €100 of lines in two categories; paid €105 (delivery included), shipped;
        // an email reply, a five-minute call, an automated chat reply (no agent time). Before the range: an email reply.
        Order(a, Day(10, 19), "web", (1, 50m, "shoes"));
        Order(a, Day(10, 28), "web", (1, 100m, "bags"));
        Reply(a, "email", Day(10, 30));
        var aOrder = Order(a, Day(11, 3), "web", (1, 60m, "shoes"), (1, 40m, "bags"));
        Moved(a, aOrder, "Placed", "Paid", Day(11, 3, 13), 105m);
        Moved(a, aOrder, "Paid", "Shipped", Day(11, 4));
        Reply(a, "email", Day(11, 4, 14));
        Reply(a, "chat", Day(11, 4, 15), automated: true);
        Reply(a, "phone", Day(11, 5), callSeconds: 300);
        // B: since 20 Oct; ordered twice in the previous range (the second cancelled in this one), nothing since but two messages.
        Order(b, Day(10, 20), "web", (1, 10m, "socks"));
        Order(b, Day(10, 30), "web", (1, 150m, "coats"));
        var bSecond = Order(b, Day(10, 31), "web", (1, 20m, "socks"));
        Moved(b, bSecond, "Placed", "Cancelled", Day(11, 2));
        log.Append(db, b, InteractionTypes.MessageSent, "email", new MessageSentProperties("win_back", "marketing"), occurredAt: Day(11, 2, 13));
        log.Append(db, b, InteractionTypes.MessageSent, "in_app", new MessageSentProperties("win_back", "marketing"), occurredAt: Day(11, 2, 14));
        // C: new in the range; an app order paid €30 with a €10 refund and a return asked for; a web order cancelled.
        var cApp = Order(c, Day(11, 2), "app", (3, 10m, "socks"));
        Moved(c, cApp, "Placed", "Paid", Day(11, 2, 13), 30m);
        var cWeb = Order(c, Day(11, 5), "web", (1, 40m, "shoes"));
        Moved(c, cWeb, "Placed", "Cancelled", Day(11, 6));
        log.Append(db, c, InteractionTypes.ReturnRequested, "app", new ReturnRequestedProperties(Guid.NewGuid(), "RT-1", cApp, "K-c", "too_small", "Refund",
            [new ReturnedItem("SKU-socks", 1)], 10m, "EUR"), occurredAt: Day(11, 7));
        log.Append(db, c, InteractionTypes.RefundIssued, "app", new RefundIssuedProperties(cApp, "K-c", 10m, "EUR", "return"), occurredAt: Day(11, 7, 13));
        // D: new in the range with a €120 coat (paid €130 with delivery), shipped, and a €20 subscription renewal.
        var dOrder = Order(d, Day(11, 4), "web", (1, 120m, "coats"));
        Moved(d, dOrder, "Placed", "Paid", Day(11, 4, 13), 130m);
        Moved(d, dOrder, "Paid", "Shipped", Day(11, 5));
        log.Append(db, d, InteractionTypes.SubscriptionRenewed, "web", new SubscriptionRenewedProperties(Guid.NewGuid(), Guid.NewGuid(), "K-r", 20m, "EUR", null), occurredAt: Day(11, 6));
        // E: bought hats on 20 Oct, nothing in the previous range, back in this one.
        Order(e, Day(10, 20), "web", (1, 80m, "hats"));
        Order(e, Day(11, 6), "web", (1, 10m, "socks"));
        // F: never ordered; support lately (the customer 360's last 12 months) and a message long ago.
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Reply(f, "email", now.AddDays(-10));
        Reply(f, "phone", now.AddDays(-3), callSeconds: 120);
        log.Append(db, f, InteractionTypes.MessageSent, "email", new MessageSentProperties("hello", "service"), occurredAt: now.AddDays(-400));
        // Lifetime values as scored now: A 300, D 90; the others have none.
        db.ProfileInsights.Add(new ProfileInsight { ProfileId = a, Clv12m = 300, ScoredAt = now });
        db.ProfileInsights.Add(new ProfileInsight { ProfileId = d, Clv12m = 90, ScoredAt = now });
        await db.SaveChangesAsync();
        return shop;
    }

    /// <summary>An admin saves the business's figures on the console's Cost model page.</summary>
    private static async Task SaveCostModelAsync(ManualClockApp app)
    {
        using var admin = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: true);
        async Task<string> PostAsync(Dictionary<string, string> fields)
        {
            fields["_handler"] = "cost-model";
            fields["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(admin, "/console/insights/costs");
            var response = await admin.PostAsync("/console/insights/costs", new FormUrlEncodedContent(fields));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        }
        Dictionary<string, string> Model() => new()
        {
            ["support_minute"] = "1", ["support_minute--phone"] = "2", ["minutes_per_reply"] = "5", ["shipment"] = "4", ["return"] = "6",
            ["payment_percent"] = "2", ["payment_fixed"] = "0.30", ["message"] = "0.10", ["message--email"] = "0.01",
        };
        // Bad figures are refused with a word on what is wrong, and nothing is saved.
        var negative = Model();
        negative["shipment"] = "-1";
        Assert.Contains("Shipment: from 0 to", await PostAsync(negative), StringComparison.Ordinal);
        var badChannel = Model();
        badChannel["new-channel-message"] = "Bad Channel!";
        badChannel["new-amount-message"] = "1";
        Assert.Contains("a channel is lower-case letters", await PostAsync(badChannel), StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.CostRates.CountAsync()));

        Assert.Contains("Cost model saved.", await PostAsync(Model()), StringComparison.Ordinal);
        var saved = await app.WithDbAsync(db => db.CostRates.AsNoTracking().ToListAsync());
        Assert.Equal(9, saved.Count);   // exactly the figures given: the defaults' other channels (sms, push…) are gone
        Assert.Equal(2m, saved.Single(r => r.Item == CostItems.SupportMinute && r.Channel == "phone").Amount);
        Assert.Equal(1, await app.WithDbAsync(db => db.AuditEntries.CountAsync(x => x.Action == "insights.cost_model.saved")));
        using var analyst = await StaffSession.SignInAsync(app, Roles.Analyst, withMfa: true);
        Assert.True(StaffSession.Refused(await analyst.GetAsync("/console/insights/costs")), "only admins edit the cost model");
    }

    private static async Task AssertHandComputedAsync(ManualClockApp app, Shop shop)
    {
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        var report = await DecilesAsync(reader, "by=revenue&from=2026-11-01&to=2026-11-08");
        Assert.Equal(("2026-11-01", "2026-11-08", "revenue", "EUR"), (report.GetProperty("from").GetString(), report.GetProperty("to").GetString(),
            report.GetProperty("by").GetString(), report.GetProperty("currency").GetString()));
        var deciles = report.GetProperty("deciles");
        Assert.Equal(Enumerable.Range(1, 10), deciles.EnumerateArray().Select(x => x.GetProperty("decile").GetInt32()));

        // The customers: those who ordered in the range or the one before: A, B, C, D, E (F never ordered). By revenue over both
        // ranges: A 100 + 100 = 200, B 150 + 20 − 20 (cancelled) = 150, D 120, C 30 + 40 − 40 − 10 = 20, E 10. Five distinct
        // values: decile = 10 − ⌊10 · (customers below) / 5⌋, so E 10, C 8, D 6, B 4, A 2; deciles 1, 3, 5, 7, 9 are empty.
        // Revenue in the range: A 100, B 0 (−20 is never below 0), C 20, D 120, E 10; 250 in all.
        // Cost (5 min per reply, minute €1 or €2 on the phone, shipment €4, return €6, payment 2% + €0.30, message €0.10 or
        // €0.01 by email): A 5 + 10 + 0 + (0.30 + 2.10) + 4 = 21.40; B 0.01 + 0.10; C (0.30 + 0.60) + 6 = 6.90;
        // D (0.30 + 2.60) + 4 + (0.30 + 0.40) = 7.60; E 0. Catalogue: 5 categories; a cancelled order's lines do not count.
        AssertDecile(deciles, 2, 1, 100, 0.4, 300, retention: 1, efficiency: 0.214, acquisition: 0, penetration: 0.4, products: 2, cost: 21.4);
        AssertDecile(deciles, 4, 1, 0, 0, null, retention: 0, efficiency: null, acquisition: 0, penetration: 0, products: 0, cost: 0.11);
        AssertDecile(deciles, 6, 1, 120, 0.48, 90, retention: null, efficiency: 0.0633, acquisition: 1, penetration: 0.2, products: 1, cost: 7.6);
        AssertDecile(deciles, 8, 1, 20, 0.08, null, retention: null, efficiency: 0.345, acquisition: 1, penetration: 0.2, products: 1, cost: 6.9);
        AssertDecile(deciles, 10, 1, 10, 0.04, null, retention: 1, efficiency: 0, acquisition: 0, penetration: 0.2, products: 1, cost: 0);
        foreach (var empty in new[] { 1, 3, 5, 7, 9 })
            AssertDecile(deciles, empty, 0, 0, 0, null, retention: null, efficiency: null, acquisition: null, penetration: null, products: null, cost: 0);

        // The range before (25 Oct–1 Nov; its customers ordered 18 Oct–1 Nov): A 150 (100 in it), B 180 (170 in it; the
        // cancellation is recorded later), E 80 (none in it): E 10, A 7, B 4. Nobody new; E not retained. A's email reply: 5.
        var previous = report.GetProperty("previous");
        Assert.Equal(("2026-10-25", "2026-11-01"), (previous.GetProperty("from").GetString(), previous.GetProperty("to").GetString()));
        var before = previous.GetProperty("deciles");
        AssertDecile(before, 4, 1, 170, 0.6296, null, retention: 1, efficiency: 0, acquisition: 0, penetration: 0.2, products: 1, cost: 0);
        AssertDecile(before, 7, 1, 100, 0.3704, 300, retention: 1, efficiency: 0.05, acquisition: 0, penetration: 0.2, products: 1, cost: 5);
        AssertDecile(before, 10, 1, 0, 0, null, retention: 0, efficiency: null, acquisition: 0, penetration: 0, products: 0, cost: 0);

        // By lifetime value: A 300 (2), D 90 (4), and B, C, E with none share decile 10: retention of B and E is 1 of 2,
        // one newcomer of 3, penetration (0 + 1 + 1) / 3 / 5, cost 0.11 + 6.90 on revenue 30.
        var byClv = (await DecilesAsync(reader, "by=clv&from=2026-11-01&to=2026-11-08")).GetProperty("deciles");
        AssertDecile(byClv, 2, 1, 100, 0.4, 300, retention: 1, efficiency: 0.214, acquisition: 0, penetration: 0.4, products: 2, cost: 21.4);
        AssertDecile(byClv, 4, 1, 120, 0.48, 90, retention: null, efficiency: 0.0633, acquisition: 1, penetration: 0.2, products: 1, cost: 7.6);
        AssertDecile(byClv, 10, 3, 30, 0.12, null, retention: 0.5, efficiency: 0.2337, acquisition: 0.3333, penetration: 0.1333, products: 0.67, cost: 7.01);

        // A range nobody ordered in: ten empty deciles, their ratios null rather than 0.
        var nothing = (await DecilesAsync(reader, "from=2025-01-01&to=2025-01-08")).GetProperty("deciles");
        Assert.Equal("revenue", (await DecilesAsync(reader, "from=2025-01-01&to=2025-01-08")).GetProperty("by").GetString());   // the default
        AssertDecile(nothing, 1, 0, 0, null, null, retention: null, efficiency: null, acquisition: null, penetration: null, products: null, cost: 0);

        foreach (var bad in new[] { "", "from=2026-11-01", "from=2026-11-08&to=2026-11-01", "from=2026-11-01&to=2026-11-01", "from=1/11/2026&to=2026-11-08",
                     "from=2020-01-01&to=2026-01-01", "by=margin&from=2026-11-01&to=2026-11-08" })
        {
            var response = await reader.GetAsync("/api/v1/insights/deciles?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        using var other = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/insights/deciles?from=2026-11-01&to=2026-11-08")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/insights/deciles?from=2026-11-01&to=2026-11-08")).StatusCode);

        // The console page: the figures, their trends, the lever of the worst-moving figure, cost to serve by channel.
        using (var analyst = await StaffSession.SignInAsync(app, Roles.Analyst, withMfa: true))
        {
            var page = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights/deciles?from=2026-11-01&to=2026-11-08&by=revenue"));
            // Decile 4 (B) kept none of its customers (100% → 0%) and bought from fewer categories (20% → 0%): both fell by all
            // they had, and retention comes first, so its lever is the customers at risk.
            Assert.Contains("Retention fell from 100% to 0%", page, StringComparison.Ordinal);
            Assert.Contains("href=\"console/customers?decile=4&risk=high\" id=\"lever-4\"", page, StringComparison.Ordinal);
            Assert.Contains("href=\"console/customers?decile=2\"", page, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"lever-10\"", page, StringComparison.Ordinal);   // E: retention and penetration rose
            Assert.Matches("id=\"decile-10\">.*?data-figure=\"retention\">100%<div class=\"trend\" data-trend=\"better\">.*?▲.*?better,.*?from 0%", page.ReplaceLineEndings(""));
            Assert.Matches("id=\"decile-4\">.*?data-figure=\"retention\">0%<div class=\"trend\" data-trend=\"worse\">.*?▼.*?worse,.*?from 100%", page.ReplaceLineEndings(""));
            // By channel: web 4 + 4 shipping, 2.40 + 2.90 + 0.70 payments; phone 10; email 5 + 0.01; app 0.90 + 6; in-app 0.10.
            Assert.Contains("<th scope=\"row\">web</th>", page, StringComparison.Ordinal);
            Assert.Matches("id=\"channel-web\">.*?€8\\.00.*?€6\\.00.*?€14\\.00</td>", page.ReplaceLineEndings(""));
            Assert.Matches("id=\"channel-app\">.*?€6\\.00.*?€0\\.90.*?€6\\.90</td>", page.ReplaceLineEndings(""));
            Assert.Matches("id=\"channel-email\">.*?€5\\.00.*?€0\\.01</td>.*?€5\\.01</td>", page.ReplaceLineEndings(""));
        }
        // Marketers read them too; agents do not.
        using (var marketer = await StaffSession.SignInAsync(app, Roles.Marketer, withMfa: true))
            Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/console/insights/deciles")).StatusCode);
        using (var agent = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true))
        {
            Assert.True(StaffSession.Refused(await agent.GetAsync("/console/insights/deciles")), "an agent opened the deciles");

            // The customer 360 shows the last 12 months' cost: F's email reply (5 × €1) and two-minute call (2 × €2); the
            // message 400 days ago is older.
            var f360 = WebUtility.HtmlDecode(await agent.GetStringAsync($"/console/customers/{shop.F}"));
            Assert.Matches("id=\"insight-cost\">\\s*€9\\.00\\s*<div class=\"muted\">support €9\\.00</div>", f360);
        }
        await using var scope = app.Services.CreateAsyncScope();
        var cost = await scope.ServiceProvider.GetRequiredService<ICustomerInsights>().CostToServeAsync(shop.A, default);
        // A: the range's 21.40 and the email reply of 30 Oct.
        Assert.Equal((26.4, "EUR"), (cost.Total, cost.Currency));
        Assert.Equal(new[] { ("support", 20.0), ("shipping", 4.0), ("payments", 2.4) }, cost.Parts.Select(p => (p.Part, p.Amount)));
    }

    private static void AssertDecile(JsonElement deciles, int decile, int customers, double revenue, double? share, double? clv, double? retention,
        double? efficiency, double? acquisition, double? penetration, double? products, double cost)
    {
        var d = deciles.EnumerateArray().Single(x => x.GetProperty("decile").GetInt32() == decile);
        static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
        Assert.Equal(
            (decile, customers, revenue, share, clv, retention, efficiency, acquisition, penetration, products, cost),
            (decile, d.GetProperty("customers").GetInt32(), d.GetProperty("revenue").GetDouble(), Number(d.GetProperty("revenueShare")), Number(d.GetProperty("clv")),
                Number(d.GetProperty("retention")), Number(d.GetProperty("efficiency")), Number(d.GetProperty("acquisition")), Number(d.GetProperty("penetration")),
                Number(d.GetProperty("productsPerCustomer")), d.GetProperty("costToServe").GetDouble()));
    }

    private static async Task<JsonElement> DecilesAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/insights/deciles?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.ReadJsonAsync();
    }
}

public sealed class DecilesOnSqlite() : DecileTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class DecilesOnPostgres() : DecileTests("postgres");
