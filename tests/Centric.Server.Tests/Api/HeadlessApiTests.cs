using Centric.Server.Customers.Contracts;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Shipments;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Notifications;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Api;

/// <summary>
/// The headless API as a mobile app uses it: a customer signs in, browses and searches the catalogue, fills a cart, checks out
/// and pays with an Idempotency-Key, follows the order, returns an item, manages a subscription, asks for help and keeps
/// their preferences — through the same services as the portal's pages.
/// </summary>
public abstract class HeadlessApiTests(CentricAppFactory app)
{
    private static readonly object Home = new { name = "Ana Silva", line1 = "Rua Augusta 1", city = "Lisboa", postalCode = "1100-048", country = "PT" };

    private sealed record Catalogue(string Word, string KettleSlug, Guid Kettle, Guid KettleLarge, Guid Teapot, string TeaCategory);

    /// <summary>Two products in two categories sharing a made-up word, so a search finds exactly them.</summary>
    private async Task<Catalogue> CatalogueAsync() => await app.WithDbAsync(async db =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var word = "zorblat" + suffix;
        var kitchen = new Category { Slug = "kitchen-" + suffix, Name = "Kitchen " + suffix };
        var tea = new Category { Slug = "tea-" + suffix, Name = "Tea " + suffix };
        var kettle = new Product { Slug = "kettle-" + suffix, Name = "Zorblat kettle " + suffix, CategoryId = kitchen.Id, SearchText = $"{word} kettle", PriceFromMinor = 2500 };
        var teapot = new Product { Slug = "teapot-" + suffix, Name = "Zorblat teapot " + suffix, CategoryId = tea.Id, SearchText = $"{word} teapot", PriceFromMinor = 1800 };
        var small = new ProductVariant { ProductId = kettle.Id, Sku = "K-" + suffix, Options = "1 l", Currency = "EUR", PriceMinor = 2500 };
        var large = new ProductVariant { ProductId = kettle.Id, Sku = "KL-" + suffix, Options = "2 l", Currency = "EUR", PriceMinor = 3200 };
        var pot = new ProductVariant { ProductId = teapot.Id, Sku = "T-" + suffix, Currency = "EUR", PriceMinor = 1800 };
        var warehouse = new StockLocation { Code = "W" + suffix[..6], Name = "Warehouse " + suffix };
        db.AddRange(kitchen, tea, kettle, teapot, small, large, pot, warehouse,
            new StockLevel { VariantId = small.Id, LocationId = warehouse.Id, OnHand = 20 },
            new StockLevel { VariantId = large.Id, LocationId = warehouse.Id, OnHand = 20 },
            new StockLevel { VariantId = pot.Id, LocationId = warehouse.Id, OnHand = 20 });
        await db.SaveChangesAsync();
        return new Catalogue(word, kettle.Slug, small.Id, large.Id, pot.Id, tea.Slug);
    });

    private Task<int> InteractionsAsync(Guid profile, string type, string? channel = null) =>
        app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == profile && i.Type == type && (channel == null || i.Channel == channel)));

    private static async Task<JsonElement> OkJsonAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status} {type}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        Assert.Equal("https://centric.dev/problems/" + type, problem.GetProperty("type").GetString());
        return problem;
    }

    [SkippableFact]
    public async Task A_customer_signs_in_browses_buys_follows_the_order_and_returns_an_item_over_the_api()
    {
        app.SkipIfUnavailable();
        var catalogue = await CatalogueAsync();
        using var me = await ApiCustomer.SignInAsync(app);
        var client = me.Client;

        // Search with facets: both products, one facet per category; a category filter narrows the items but not the facets.
        var found = await OkJsonAsync(await client.GetAsync($"/api/v1/catalog/products?q={catalogue.Word}"));
        Assert.Equal(2, found.GetProperty("total").GetInt32());
        var facets = found.GetProperty("facets").GetProperty("categories").EnumerateArray().ToList();
        Assert.Equal(2, facets.Count);
        Assert.All(facets, f => Assert.Equal(1, f.GetProperty("count").GetInt32()));
        var teaOnly = await OkJsonAsync(await client.GetAsync($"/api/v1/catalog/products?q={catalogue.Word}&category={catalogue.TeaCategory}&sort=price_asc"));
        Assert.Equal(1, teaOnly.GetProperty("total").GetInt32());
        Assert.StartsWith("teapot-", teaOnly.GetProperty("items")[0].GetProperty("slug").GetString(), StringComparison.Ordinal);
        Assert.Equal(2, teaOnly.GetProperty("facets").GetProperty("categories").GetArrayLength());
        var cheap = await OkJsonAsync(await client.GetAsync($"/api/v1/catalog/products?q={catalogue.Word}&maxPrice=20"));
        Assert.Equal(1, cheap.GetProperty("total").GetInt32());
        Assert.Equal(3, await InteractionsAsync(me.Profile, "search_performed", "api"));

        var suggestions = await OkJsonAsync(await client.GetAsync($"/api/v1/catalog/suggestions?q={catalogue.Word}%20kett"));
        var suggested = Assert.Single(suggestions.GetProperty("suggestions").EnumerateArray());
        Assert.StartsWith("Zorblat kettle", suggested.GetString(), StringComparison.Ordinal);

        var product = await OkJsonAsync(await client.GetAsync($"/api/v1/catalog/products/{catalogue.KettleSlug}"));
        Assert.Equal(2, product.GetProperty("variants").GetArrayLength());
        Assert.Equal(20, product.GetProperty("variants")[0].GetProperty("available").GetInt32());
        var byId = await OkJsonAsync(await client.GetAsync($"/api/v1/catalog/products/{product.GetProperty("id").GetString()}"));
        Assert.Equal(catalogue.KettleSlug, byId.GetProperty("slug").GetString());
        Assert.Equal(2, await InteractionsAsync(me.Profile, "product_viewed", "api"));
        // The catalogue is public: no token needed.
        using (var anonymous = app.CreateClient())
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync($"/api/v1/catalog/products/{catalogue.KettleSlug}")).StatusCode);

        // Cart: add, change, add another, remove it, a promo code that does not apply.
        var cart = await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/cart/lines", new { variantId = catalogue.Kettle, quantity = 1 }));
        var kettleLine = cart.GetProperty("lines")[0].GetProperty("lineId").GetGuid();
        cart = await OkJsonAsync(await client.PatchAsJsonAsync($"/api/v1/cart/lines/{kettleLine}", new { quantity = 2 }));
        Assert.Equal(2, cart.GetProperty("itemCount").GetInt32());
        Assert.Equal(5000, cart.GetProperty("subtotal").GetProperty("minor").GetInt64());
        cart = await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/cart/lines", new { variantId = catalogue.Teapot, quantity = 1 }));
        var teapotLine = cart.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("variantId").GetGuid() == catalogue.Teapot).GetProperty("lineId").GetGuid();
        cart = await OkJsonAsync(await client.DeleteAsync($"/api/v1/cart/lines/{teapotLine}"));
        Assert.Equal(2, cart.GetProperty("itemCount").GetInt32());
        cart = await OkJsonAsync(await client.PutAsJsonAsync("/api/v1/cart/promo-code", new { code = "nosuchcode" }));
        Assert.Equal("NOSUCHCODE", cart.GetProperty("promoCode").GetString());
        Assert.False(string.IsNullOrEmpty(cart.GetProperty("promoError").GetString()));
        cart = await OkJsonAsync(await client.DeleteAsync("/api/v1/cart/promo-code"));
        Assert.Equal(JsonValueKind.Null, cart.GetProperty("promoCode").ValueKind);
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/cart/lines", new { variantId = Guid.NewGuid(), quantity = 1 }), HttpStatusCode.NotFound, "product-not-found");
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/cart/lines", new { variantId = catalogue.Kettle, quantity = 500 }), HttpStatusCode.BadRequest, "validation");

        // Checkout: the quote, then the order under an Idempotency-Key.
        var quote = await OkJsonAsync(await client.GetAsync("/api/v1/checkout?shippingMethod=express"));
        Assert.Equal("express", quote.GetProperty("shipping").GetProperty("code").GetString());
        Assert.Equal(4, quote.GetProperty("shippingOptions").GetArrayLength());
        Assert.Equal(me.Email, quote.GetProperty("email").GetString());
        Assert.Equal(1, await InteractionsAsync(me.Profile, "checkout_started", "api"));
        var order1 = new { shippingMethod = "standard", address = Home };
        var missing = await ProblemAsync(await client.PostAsJsonAsync("/api/v1/checkout", order1), HttpStatusCode.BadRequest, "validation");
        Assert.True(missing.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        var key = Guid.NewGuid().ToString();
        var placed = await OkJsonAsync(await me.PostIdempotentAsync("/api/v1/checkout", order1, key), HttpStatusCode.Created);
        var number = placed.GetProperty("number").GetString()!;
        Assert.Equal("Placed", placed.GetProperty("status").GetString());
        Assert.Equal(me.Email, placed.GetProperty("email").GetString());
        Assert.True(placed.GetProperty("actions").GetProperty("canPay").GetBoolean());
        // Sent again (the answer was lost): the same order, not a second one.
        var again = await OkJsonAsync(await me.PostIdempotentAsync("/api/v1/checkout", order1, key), HttpStatusCode.Created);
        Assert.Equal(number, again.GetProperty("number").GetString());
        Assert.Equal(1, await app.WithDbAsync(db => db.Orders.CountAsync(o => o.ProfileId == me.Profile)));
        await ProblemAsync(await me.PostIdempotentAsync("/api/v1/checkout", new { shippingMethod = "express", address = Home }, key), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(0, (await OkJsonAsync(await client.GetAsync("/api/v1/cart"))).GetProperty("itemCount").GetInt32());
        Assert.Equal(1, await InteractionsAsync(me.Profile, "order_placed", "api"));
        // A refused request leaves its key unused: the corrected request may use it.
        await client.PostAsJsonAsync("/api/v1/cart/lines", new { variantId = catalogue.Teapot, quantity = 1 });
        var refusedKey = Guid.NewGuid().ToString();
        await ProblemAsync(await me.PostIdempotentAsync("/api/v1/checkout", new { shippingMethod = "standard", address = new { name = "Ana" } }, refusedKey),
            HttpStatusCode.BadRequest, "validation");
        var second = await OkJsonAsync(await me.PostIdempotentAsync("/api/v1/checkout", new { shippingMethod = "express", address = Home }, refusedKey), HttpStatusCode.Created);
        Assert.NotEqual(number, second.GetProperty("number").GetString());

        // Pay, with a replay: one payment, one charge.
        var gateway = app.Services.GetRequiredKeyedService<IPaymentGateway>(SandboxGateway.Name) as SandboxGateway;
        var chargesBefore = gateway!.Charges;
        var payKey = Guid.NewGuid().ToString();
        var paid = await OkJsonAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4242 4242 4242 4242" }, payKey));
        Assert.Equal("succeeded", paid.GetProperty("status").GetString());
        Assert.Equal("Paid", paid.GetProperty("orderStatus").GetString());
        var replay = await OkJsonAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4242 4242 4242 4242" }, payKey));
        Assert.Equal(paid.GetProperty("paymentId").GetGuid(), replay.GetProperty("paymentId").GetGuid());
        Assert.Equal(1, gateway.Charges - chargesBefore);
        var orderId = await app.WithDbAsync(db => db.Orders.Where(o => o.Number == number).Select(o => o.Id).SingleAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.Payments.CountAsync(p => p.OrderId == orderId)));
        await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "5555555555554444" }, payKey),
            HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4242424242424242" }, Guid.NewGuid().ToString()),
            HttpStatusCode.Conflict, "order-not-payable");

        // The order and its tracking as the carrier reports it.
        var list = await OkJsonAsync(await client.GetAsync("/api/v1/me/orders"));
        Assert.Contains(list.EnumerateArray(), o => o.GetProperty("number").GetString() == number && o.GetProperty("itemCount").GetInt32() == 2);
        var view = await OkJsonAsync(await client.GetAsync($"/api/v1/me/orders/{number.ToLowerInvariant()}"));
        Assert.True(view.GetProperty("actions").GetProperty("canCancel").GetBoolean());
        Assert.False(view.GetProperty("actions").GetProperty("canReturn").GetBoolean());
        Assert.Equal(JsonValueKind.Null, (await OkJsonAsync(await client.GetAsync($"/api/v1/me/orders/{number}/tracking"))).GetProperty("shipment").ValueKind);
        string tracking;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var orders = scope.ServiceProvider.GetRequiredService<OrderService>();
            var order = (await orders.FindAsync(number, default))!;
            await orders.MoveAsync(order, OrderStatus.Picking, "staff", default);
            await orders.MoveAsync(order, OrderStatus.Packed, "staff", default);
            var carrier = scope.ServiceProvider.GetRequiredService<CarrierEvents>();
            tracking = (await carrier.ShipAsync(order, "simulator", default)).TrackingNumber;
            await carrier.ApplyAsync("simulator", new CarrierEvent(tracking, "e1", "in_transit", "Left the depot", "Lisboa", DateTimeOffset.UtcNow.AddMinutes(-5)), default);
        }
        var tracked = await OkJsonAsync(await client.GetAsync($"/api/v1/me/orders/{number}/tracking"));
        Assert.Equal("Shipped", tracked.GetProperty("status").GetString());
        Assert.Equal(tracking, tracked.GetProperty("shipment").GetProperty("trackingNumber").GetString());
        Assert.Equal("in_transit", tracked.GetProperty("shipment").GetProperty("scans")[0].GetProperty("code").GetString());
        await ProblemAsync(await client.PostAsync($"/api/v1/me/orders/{number}/cancel", null), HttpStatusCode.Conflict, "order-not-cancellable");
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<CarrierEvents>().ApplyAsync("simulator", new CarrierEvent(tracking, "e2", "delivered", "Delivered", "Lisboa", DateTimeOffset.UtcNow), default);

        // The return: a refund for one kettle.
        view = await OkJsonAsync(await client.GetAsync($"/api/v1/me/orders/{number}"));
        Assert.Equal("Delivered", view.GetProperty("status").GetString());
        Assert.True(view.GetProperty("actions").GetProperty("canReturn").GetBoolean());
        var line = view.GetProperty("lines")[0].GetProperty("lineId").GetGuid();
        var options = await OkJsonAsync(await client.GetAsync($"/api/v1/me/orders/{number}/exchange-options"));
        Assert.Equal(catalogue.KettleLarge, options[0].GetProperty("variantId").GetGuid());
        await ProblemAsync(await client.PostAsJsonAsync($"/api/v1/me/orders/{number}/returns", new { items = new[] { new { orderLineId = line, quantity = 3 } }, reason = "too_small" }),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAsync(await client.PostAsJsonAsync($"/api/v1/me/orders/{number}/returns", new { items = new[] { new { orderLineId = line, quantity = 1 } }, reason = "because" }),
            HttpStatusCode.BadRequest, "validation");
        var returned = await OkJsonAsync(await client.PostAsJsonAsync($"/api/v1/me/orders/{number}/returns",
            new { items = new[] { new { orderLineId = line, quantity = 1 } }, reason = "too_small", comment = "A bit small", resolution = "refund" }), HttpStatusCode.Created);
        var returnNumber = returned.GetProperty("number").GetString()!;
        Assert.Equal("Requested", returned.GetProperty("status").GetString());
        Assert.Equal(number, returned.GetProperty("orderNumber").GetString());
        Assert.Equal(3075, returned.GetProperty("refund").GetProperty("minor").GetInt64());   // 25.00 + 23 % VAT
        Assert.Equal("CENTRIC-RETURN:" + returnNumber, returned.GetProperty("labelCode").GetString());
        Assert.Contains((await OkJsonAsync(await client.GetAsync("/api/v1/me/returns"))).EnumerateArray(), r => r.GetProperty("number").GetString() == returnNumber);
        var fetched = await OkJsonAsync(await client.GetAsync($"/api/v1/me/returns/{returnNumber}"));
        Assert.Equal(1, fetched.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(1, await InteractionsAsync(me.Profile, "return_requested", "api"));
    }

    [SkippableFact]
    public async Task A_declined_card_a_bank_challenge_and_a_saved_card_pay_over_the_api()
    {
        app.SkipIfUnavailable();
        var catalogue = await CatalogueAsync();
        using var me = await ApiCustomer.SignInAsync(app);
        async Task<string> OrderAsync()
        {
            await OkJsonAsync(await me.Client.PostAsJsonAsync("/api/v1/cart/lines", new { variantId = catalogue.Teapot, quantity = 1 }));
            var placed = await OkJsonAsync(await me.PostIdempotentAsync("/api/v1/checkout", new { shippingMethod = "standard", address = Home }, Guid.NewGuid().ToString()), HttpStatusCode.Created);
            return placed.GetProperty("number").GetString()!;
        }

        var number = await OrderAsync();
        var declinedKey = Guid.NewGuid().ToString();
        var declined = await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4000000000000002" }, declinedKey),
            HttpStatusCode.PaymentRequired, "payment-declined");
        Assert.Equal("card_declined", declined.GetProperty("declineCode").GetString());
        var again = await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4000000000000002" }, declinedKey),
            HttpStatusCode.PaymentRequired, "payment-declined");
        Assert.Equal(declined.GetProperty("paymentId").GetString(), again.GetProperty("paymentId").GetString());
        await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4242424242424241" }, Guid.NewGuid().ToString()),
            HttpStatusCode.BadRequest, "validation");
        await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { }, Guid.NewGuid().ToString()), HttpStatusCode.BadRequest, "validation");

        // 3-D Secure: 202 with the payment waiting on the customer, then approved.
        var challenged = await me.PostIdempotentAsync($"/api/v1/me/orders/{number}/payments", new { cardNumber = "4000000000003220" }, Guid.NewGuid().ToString());
        var waiting = await OkJsonAsync(challenged, HttpStatusCode.Accepted);
        Assert.Equal("requires_action", waiting.GetProperty("status").GetString());
        var paymentId = waiting.GetProperty("paymentId").GetGuid();
        Assert.Equal($"/api/v1/me/payments/{paymentId}/challenge", challenged.Headers.Location?.ToString());
        await ProblemAsync(await me.Client.PostAsJsonAsync($"/api/v1/me/payments/{paymentId}/challenge", new { }), HttpStatusCode.BadRequest, "validation");
        var approved = await OkJsonAsync(await me.Client.PostAsJsonAsync($"/api/v1/me/payments/{paymentId}/challenge", new { approve = true }));
        Assert.Equal("succeeded", approved.GetProperty("status").GetString());
        Assert.Equal("Paid", approved.GetProperty("orderStatus").GetString());

        // A saved card, by id; another customer's card id is not one of this customer's.
        Guid cardId;
        await using (var scope = app.Services.CreateAsyncScope())
            cardId = (await scope.ServiceProvider.GetRequiredService<Centric.Server.Commerce.Wallet.WalletService>().AddCardAsync(me.Profile, "5555555555554444", default)).Id;
        var cards = await OkJsonAsync(await me.Client.GetAsync("/api/v1/me/cards"));
        Assert.Equal("4444", cards.EnumerateArray().Single(c => c.GetProperty("id").GetGuid() == cardId).GetProperty("last4").GetString());
        var second = await OrderAsync();
        await ProblemAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{second}/payments", new { savedCardId = Guid.NewGuid() }, Guid.NewGuid().ToString()),
            HttpStatusCode.BadRequest, "validation");
        var withSaved = await OkJsonAsync(await me.PostIdempotentAsync($"/api/v1/me/orders/{second}/payments", new { savedCardId = cardId }, Guid.NewGuid().ToString()));
        Assert.Equal("4444", withSaved.GetProperty("cardLast4").GetString());

        // Cancelling an unpaid order releases it.
        var third = await OrderAsync();
        var cancelled = await OkJsonAsync(await me.Client.PostAsync($"/api/v1/me/orders/{third}/cancel", null));
        Assert.Equal("Cancelled", cancelled.GetProperty("status").GetString());
    }

    [SkippableFact]
    public async Task Subscriptions_support_requests_profile_consent_and_notifications_over_the_api()
    {
        app.SkipIfUnavailable();
        using var me = await ApiCustomer.SignInAsync(app);
        var client = me.Client;
        var holdings = await CustomerHoldings.CreateAsync(app, me.Profile, me.Email);

        // Subscriptions: the portal's controls.
        var subscriptions = await OkJsonAsync(await client.GetAsync("/api/v1/me/subscriptions"));
        var subscription = subscriptions.EnumerateArray().Single();
        Assert.Equal("Active", subscription.GetProperty("status").GetString());
        Assert.StartsWith("Mug ", subscription.GetProperty("productName").GetString(), StringComparison.Ordinal);
        var next = subscription.GetProperty("nextRenewalAt").GetDateTime();
        var path = $"/api/v1/me/subscriptions/{holdings.Subscription}";
        var skipped = await OkJsonAsync(await client.PostAsync(path + "/skip", null));
        Assert.Equal(next.AddDays(30), skipped.GetProperty("nextRenewalAt").GetDateTime());
        Assert.Equal("Paused", (await OkJsonAsync(await client.PostAsync(path + "/pause", null))).GetProperty("status").GetString());
        await ProblemAsync(await client.PostAsync(path + "/pause", null), HttpStatusCode.Conflict, "subscription-not-active");
        Assert.Equal("Active", (await OkJsonAsync(await client.PostAsync(path + "/resume", null))).GetProperty("status").GetString());
        Assert.Equal("5100", (await OkJsonAsync(await client.PutAsJsonAsync(path + "/card", new { cardNumber = "5105105105105100" }))).GetProperty("cardLast4").GetString());
        Assert.Equal("Cancelled", (await OkJsonAsync(await client.PostAsync(path + "/cancel", null))).GetProperty("status").GetString());
        Assert.Equal(SubscriptionStatus.Cancelled, await app.WithDbAsync(db => db.Set<Subscription>().Where(s => s.Id == holdings.Subscription).Select(s => s.Status).SingleAsync()));
        await ProblemAsync(await client.PostAsync(path + "/cancel", null), HttpStatusCode.Conflict, "subscription-cancelled");

        // A support request about an order, a reply from the team (an internal note stays internal), and the customer's answer.
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/me/tickets", new { subject = "Help", text = "Hello", orderNumber = "CO-NOTMINE" }), HttpStatusCode.BadRequest, "validation");
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/me/tickets", new { subject = "Help" }), HttpStatusCode.BadRequest, "validation");
        var opened = await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/me/tickets", new { subject = "Lid is loose", text = "The lid does not close.", orderNumber = holdings.Order }),
            HttpStatusCode.Created);
        var ticketNumber = opened.GetProperty("number").GetString()!;
        Assert.Equal(holdings.Order, opened.GetProperty("orderNumber").GetString());
        Assert.Equal("open", opened.GetProperty("status").GetString());
        // Routing and the SLA clock pick the new request up from the interaction stream; the team answers after that.
        await Json.EventuallyAsync(() => app.WithDbAsync(db => db.TicketWork.AnyAsync(w => db.Tickets.Any(t => t.Id == w.TicketId && t.Number == ticketNumber))),
            "the request is routed");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
            var ticket = (await tickets.FindAsync(ticketNumber, default))!;
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Note, SupportChannels.Web, "Agent", "Internal: check the batch"), default);
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, SupportChannels.Web, "Agent Rui", "Is it the small kettle?"), default);
        }
        var thread = await OkJsonAsync(await client.GetAsync($"/api/v1/me/tickets/{ticketNumber}"));
        Assert.Equal("awaiting_reply", thread.GetProperty("status").GetString());
        Assert.Equal(new[] { "customer", "support" }, thread.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("from").GetString()!).ToArray());
        Assert.DoesNotContain("Internal", thread.ToString(), StringComparison.Ordinal);
        var reply = await OkJsonAsync(await client.PostAsJsonAsync($"/api/v1/me/tickets/{ticketNumber}/messages", new { text = "Yes, the small one." }), HttpStatusCode.Created);
        Assert.Equal("customer", reply.GetProperty("from").GetString());
        Assert.Equal("open", (await OkJsonAsync(await client.GetAsync($"/api/v1/me/tickets/{ticketNumber}"))).GetProperty("status").GetString());
        Assert.Contains((await OkJsonAsync(await client.GetAsync("/api/v1/me/tickets"))).EnumerateArray(), t => t.GetProperty("number").GetString() == ticketNumber);
        await ProblemAsync(await client.PostAsJsonAsync($"/api/v1/me/tickets/{ticketNumber}/messages", new { text = "  " }), HttpStatusCode.BadRequest, "validation");
        // The longest subject a request may have still gets its acknowledgement, with the number replies thread by.
        var longest = await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/me/tickets", new { subject = new string('s', 300), text = "Hello" }), HttpStatusCode.Created);
        var longestNumber = longest.GetProperty("number").GetString()!;
        await Json.EventuallyAsync(() => app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == me.Email && m.Subject.EndsWith("[" + longestNumber + "]"))),
            "the acknowledgement of a request with a 300-character subject");
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/me/tickets", new { subject = new string('s', 301), text = "Hello" }), HttpStatusCode.BadRequest, "validation");

        // Profile.
        var profile = await OkJsonAsync(await client.GetAsync("/api/v1/me"));
        Assert.Equal(me.Profile, profile.GetProperty("profileId").GetGuid());
        Assert.Equal(me.Email, profile.GetProperty("email").GetString());
        Assert.Equal("Ana", profile.GetProperty("firstName").GetString());
        Assert.False(profile.GetProperty("twoFactorEnabled").GetBoolean());

        // Consent: the defaults, then an answer of the customer's own, which every module then honours.
        var consent = (await OkJsonAsync(await client.GetAsync("/api/v1/me/consent"))).GetProperty("preferences").EnumerateArray().ToList();
        Assert.Equal(10, consent.Count);
        var emailMarketing = consent.Single(c => c.GetProperty("channel").GetString() == "email" && c.GetProperty("purpose").GetString() == "marketing");
        Assert.False(emailMarketing.GetProperty("granted").GetBoolean());
        Assert.False(emailMarketing.GetProperty("explicit").GetBoolean());
        var given = await OkJsonAsync(await client.PutAsJsonAsync("/api/v1/me/consent", new { channel = "email", purpose = "marketing", granted = true }));
        Assert.True(given.GetProperty("granted").GetBoolean());
        Assert.True(given.GetProperty("explicit").GetBoolean());
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.True(await scope.ServiceProvider.GetRequiredService<IConsent>().MayContactAsync(me.Profile, "email", ConsentPurposes.Marketing, default));
        await ProblemAsync(await client.PutAsJsonAsync("/api/v1/me/consent", new { channel = "pigeon", purpose = "marketing", granted = true }), HttpStatusCode.BadRequest, "validation");
        await ProblemAsync(await client.PutAsJsonAsync("/api/v1/me/consent", new { channel = "sms", purpose = "marketing" }), HttpStatusCode.BadRequest, "validation");

        // Notifications: the order's notices, one marked read, then all.
        var notices = await OkJsonAsync(await client.GetAsync("/api/v1/me/notifications"));
        var unread = notices.GetProperty("unread").GetInt32();
        Assert.True(unread >= 1);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/me/notifications/{holdings.Notice}/read", null)).StatusCode);
        Assert.Equal(unread - 1, (await OkJsonAsync(await client.GetAsync("/api/v1/me/notifications"))).GetProperty("unread").GetInt32());
        await ProblemAsync(await client.PostAsync($"/api/v1/me/notifications/{Guid.NewGuid()}/read", null), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(unread - 1, (await OkJsonAsync(await client.PostAsync("/api/v1/me/notifications/read-all", null))).GetProperty("marked").GetInt32());
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.ProfileId == me.Profile && n.ReadAt == null)));
    }

    [SkippableFact]
    public async Task An_account_with_two_factor_sign_in_needs_its_code_or_a_recovery_code()
    {
        app.SkipIfUnavailable();
        var (profile, email, userId, authenticatorKey) = await ApiCustomer.CreateAccountAsync(app, withMfa: true);
        using var client = app.CreateClient();
        var noCode = await ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = PortalSession.Password }), HttpStatusCode.Unauthorized, "mfa-required");
        Assert.Contains("twoFactorCode", noCode.GetProperty("title").GetString(), StringComparison.Ordinal);
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = "Wrong-pass-1234", twoFactorCode = "123456" }),
            HttpStatusCode.Unauthorized, "invalid-credentials");
        var wrong = StaffSession.TotpCode(authenticatorKey!, DateTimeOffset.UtcNow) == "000000" ? "111111" : "000000";
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = PortalSession.Password, twoFactorCode = wrong }),
            HttpStatusCode.Unauthorized, "invalid-mfa-code");

        using var signedIn = await ApiCustomer.SignInAsync(app, profile, email, userId, authenticatorKey);
        var me = await OkJsonAsync(await signedIn.Client.GetAsync("/api/v1/me"));
        Assert.True(me.GetProperty("twoFactorEnabled").GetBoolean());

        // A recovery code works once.
        string recovery;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Centric.Server.Platform.Identity.CentricUser>>();
            recovery = (await users.GenerateNewTwoFactorRecoveryCodesAsync((await users.FindByIdAsync(userId))!, 2))!.First();
        }
        await OkJsonAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = PortalSession.Password, recoveryCode = recovery }));
        await ProblemAsync(await client.PostAsJsonAsync("/api/v1/auth/login", new { email, password = PortalSession.Password, recoveryCode = recovery }),
            HttpStatusCode.Unauthorized, "invalid-mfa-code");
    }

    [SkippableFact]
    public async Task Tokens_are_for_customers_only_refresh_and_end_when_the_customer_signs_out_everywhere()
    {
        app.SkipIfUnavailable();
        using var me = await ApiCustomer.SignInAsync(app);
        using var anonymous = app.CreateClient();
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = me.Email, password = "Not-the-password-1" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = Json.NewEmail(), password = "Not-the-password-1" }), HttpStatusCode.Unauthorized, "invalid-credentials");
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = me.Email }), HttpStatusCode.BadRequest, "validation");
        await ProblemAsync(await anonymous.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");

        // Staff have the console and integrations API keys; neither gets a customer token.
        var staffEmail = Json.NewEmail();
        using (await StaffSession.SignInAsync(app, "Agent", withMfa: false, staffEmail)) { }
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = staffEmail, password = StaffSession.Password }), HttpStatusCode.Forbidden, "not-a-customer-account");
        using (var keyClient = app.AdminClient())
            await ProblemAsync(await keyClient.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
        // And a customer token opens no integrator endpoint.
        await ProblemAsync(await me.Client.GetAsync("/api/v1/customers?q=a"), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAsync(await me.Client.GetAsync("/api/v1/orders/CO-ANY"), HttpStatusCode.Unauthorized, "unauthorized");

        // An unconfirmed account cannot sign in yet.
        var unconfirmed = Json.NewEmail();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Centric.Server.Platform.Identity.CentricUser>>();
            Assert.True((await users.CreateAsync(new() { UserName = unconfirmed, Email = unconfirmed, ProfileId = me.Profile }, PortalSession.Password)).Succeeded);
        }
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/login", new { email = unconfirmed, password = PortalSession.Password }), HttpStatusCode.Unauthorized, "email-not-confirmed");

        // Refresh: new tokens that work; nonsense is refused.
        var refreshed = await OkJsonAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = me.RefreshToken }));
        using (var renewed = ApiCustomer.ClientWithToken(app, refreshed.GetProperty("accessToken").GetString()!))
            Assert.Equal(me.Profile, (await OkJsonAsync(await renewed.GetAsync("/api/v1/me"))).GetProperty("profileId").GetGuid());
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = "nonsense" }), HttpStatusCode.Unauthorized, "invalid-refresh-token");
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = me.AccessToken }), HttpStatusCode.Unauthorized, "invalid-refresh-token");

        // "Sign out everywhere" (a new security stamp) ends every token at once, refresh tokens included.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Centric.Server.Platform.Identity.CentricUser>>();
            await users.UpdateSecurityStampAsync((await users.FindByIdAsync(me.UserId))!);
        }
        await ProblemAsync(await me.Client.GetAsync("/api/v1/me"), HttpStatusCode.Unauthorized, "unauthorized");
        await ProblemAsync(await anonymous.PostAsJsonAsync("/api/v1/auth/refresh", new { refreshToken = me.RefreshToken }), HttpStatusCode.Unauthorized, "invalid-refresh-token");
    }

    [SkippableFact]
    public async Task Staff_read_any_order_with_an_api_key_and_the_document_describes_every_customer_operation()
    {
        app.SkipIfUnavailable();
        var (profile, email, _, _) = await ApiCustomer.CreateAccountAsync(app);
        var holdings = await CustomerHoldings.CreateAsync(app, profile, email);
        using (var reader = app.ClientWithKey(await app.CreateKeyAsync("customers:read")))
        {
            var order = await OkJsonAsync(await reader.GetAsync($"/api/v1/orders/{holdings.Order}"));
            Assert.Equal(profile, order.GetProperty("profileId").GetGuid());
            await ProblemAsync(await reader.GetAsync("/api/v1/orders/CO-NOSUCH"), HttpStatusCode.NotFound, "not-found");
        }
        using (var writer = app.ClientWithKey(await app.CreateKeyAsync("events:write")))
            await ProblemAsync(await writer.GetAsync($"/api/v1/orders/{holdings.Order}"), HttpStatusCode.Forbidden, "forbidden");

        using var client = app.CreateClient();
        var document = await OkJsonAsync(await client.GetAsync("/openapi/v1.json"));
        Assert.True(document.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("customerToken", out _));
        var customerOperations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "patch" or "delete"))
        {
            // "/api/v1/me" and below, not "/api/v1/message-templates".
            var customerScoped = path.Name == "/api/v1/me" || path.Name.StartsWith("/api/v1/me/", StringComparison.Ordinal) || path.Name.StartsWith("/api/v1/cart", StringComparison.Ordinal)
                || path.Name.StartsWith("/api/v1/checkout", StringComparison.Ordinal);
            var security = operation.Value.TryGetProperty("security", out var s) ? s.ToString() : "";
            Assert.True(customerScoped == security.Contains("customerToken", StringComparison.Ordinal), $"{operation.Name} {path.Name}: security {security}");
            Assert.True(!path.Name.StartsWith("/api/v1/", StringComparison.Ordinal) || operation.Value.TryGetProperty("operationId", out _) && operation.Value.TryGetProperty("summary", out _) && operation.Value.TryGetProperty("tags", out _),
                $"{operation.Name} {path.Name} lacks a name, summary or tag");
            if (customerScoped) customerOperations++;
        }
        Assert.True(customerOperations >= 30, $"only {customerOperations} customer operations");
        foreach (var (path, method) in new[] { ("/api/v1/checkout", "post"), ("/api/v1/me/orders/{number}/payments", "post") })
        {
            var parameters = document.GetProperty("paths").GetProperty(path).GetProperty(method).GetProperty("parameters").EnumerateArray();
            Assert.Contains(parameters, p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        }
    }
}

public sealed class HeadlessApiOnSqlite(SqliteApp app) : HeadlessApiTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class HeadlessApiOnPostgres(PostgresApp app) : HeadlessApiTests(app), IClassFixture<PostgresApp>;
