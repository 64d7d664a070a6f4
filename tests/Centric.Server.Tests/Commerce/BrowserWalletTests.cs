using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>The payment page's "Pay with wallet" endpoint, posted the way js/wallet.js posts a Payment Request response.</summary>
public abstract class BrowserWalletTests(CentricAppFactory app)
{
    private sealed record Placed(string Number, string Key, Guid Id, long TotalMinor);

    private async Task<Placed> GuestOrderAsync(Guid? profile = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var category = new Category { Slug = "w-" + suffix, Name = "Wallet" };
        var product = new Product { Slug = "wallet-" + suffix, Name = "Mug " + suffix, CategoryId = category.Id, PriceFromMinor = 1250 };
        var variant = new ProductVariant { ProductId = product.Id, Sku = "WAL-" + suffix, Currency = "EUR", PriceMinor = 1250 };
        var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
        db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = 5 });
        var owner = profile ?? s.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Anonymous).Id;
        await db.SaveChangesAsync();
        var token = Guid.NewGuid().ToString("N");
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(profile, token, default);
        await carts.AddAsync(cart, variant.Id, 2, owner, default);
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart.Id, Json.NewEmail(), "standard", new Address("Ana", "Rua 1", null, "Porto", "4000-001", "PT"), null, null, CheckoutService.NewIdempotencyKey()),
            profile, token, default);
        return new Placed(order.Number, order.AccessKey, order.Id, order.TotalMinor);
    }

    private static object Wallet(string? key, string idempotencyKey, string card, string month = "12", string year = "2030", string method = "basic-card") => new
    {
        key, idempotencyKey, methodName = method,
        details = new { cardNumber = card, expiryMonth = month, expiryYear = year, cardSecurityCode = "123", cardholderName = "Ana Silva" },
    };

    /// <param name="pagePath">The payment page whose antiforgery token goes along (as js/wallet.js sends it), or null for none.</param>
    private static async Task<HttpResponseMessage> PostAsync(PortalSession visitor, string number, string? pagePath, object body) =>
        await PostWithTokenAsync(visitor, number, pagePath is null ? null : await visitor.AntiforgeryTokenAsync(pagePath), body);

    private static async Task<HttpResponseMessage> PostWithTokenAsync(PortalSession visitor, string number, string? token, object body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/checkout/pay/{number}/wallet", UriKind.Relative)) { Content = JsonContent.Create(body) };
        if (token is not null) request.Headers.Add("RequestVerificationToken", token);
        return await visitor.Client.SendAsync(request);
    }

    private Task<Order> OrderAsync(Guid id) => app.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == id));

    private Task<List<Payment>> PaymentsAsync(Guid orderId) =>
        app.WithDbAsync(db => db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).OrderBy(p => p.CreatedAt).ToListAsync());

    [SkippableFact]
    public async Task Wallet_payment_charges_the_orders_own_total_once_even_when_posted_twice()
    {
        app.SkipIfUnavailable();
        var order = await GuestOrderAsync();
        using var guest = PortalSession.Guest(app);
        var page = $"/checkout/pay/{order.Number}?key={order.Key}";
        var idempotencyKey = CheckoutService.NewIdempotencyKey();

        var token = await guest.AntiforgeryTokenAsync(page);
        var first = await PostWithTokenAsync(guest, order.Number, token, Wallet(order.Key, idempotencyKey, "4242 4242 4242 4242"));
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var outcome = await first.Content.ReadFromJsonAsync<BrowserWalletOutcome>(JsonSerializerOptions.Web);
        Assert.Equal(new BrowserWalletOutcome("paid", $"orders/{order.Number}?key={order.Key}&placed=1"), outcome);
        Assert.Equal(OrderStatus.Paid, (await OrderAsync(order.Id)).Status);
        var payment = Assert.Single(await PaymentsAsync(order.Id));
        Assert.Equal((PaymentStatus.Succeeded, order.TotalMinor, "visa", "4242"), (payment.Status, payment.AmountMinor, payment.CardBrand, payment.CardLast4));

        // The same post again (a double click, a retried request): the same answer, no second payment.
        var again = await PostWithTokenAsync(guest, order.Number, token, Wallet(order.Key, idempotencyKey, "4242424242424242"));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(payment.Id, Assert.Single(await PaymentsAsync(order.Id)).Id);
        // Nothing of the card but brand and last four is kept.
        var logged = await app.WithDbAsync(db => db.Interactions.Where(i => i.SourceId == order.Number).Select(i => i.Properties).ToListAsync());
        Assert.DoesNotContain(logged, p => p.Contains("4242424242424242", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Declined_wallet_payment_is_402_with_a_new_key_and_the_order_stays_payable()
    {
        app.SkipIfUnavailable();
        var order = await GuestOrderAsync();
        using var guest = PortalSession.Guest(app);
        var page = $"/checkout/pay/{order.Number}?key={order.Key}";

        var declined = await PostAsync(guest, order.Number, page, Wallet(order.Key, CheckoutService.NewIdempotencyKey(), "4000000000000002"));
        Assert.Equal(HttpStatusCode.PaymentRequired, declined.StatusCode);
        Assert.Equal("application/problem+json", declined.Content.Headers.ContentType?.MediaType);
        var problem = await declined.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("https://centric.dev/problems/payment-declined", problem.GetProperty("type").GetString());
        Assert.Equal("card_declined", problem.GetProperty("declineCode").GetString());
        var next = problem.GetProperty("idempotencyKey").GetString();
        Assert.False(string.IsNullOrEmpty(next));
        Assert.Equal(OrderStatus.Placed, (await OrderAsync(order.Id)).Status);

        var insufficient = await PostAsync(guest, order.Number, page, Wallet(order.Key, next!, "4000000000009995"));
        Assert.Equal(HttpStatusCode.PaymentRequired, insufficient.StatusCode);
        next = (await insufficient.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("idempotencyKey").GetString();

        var paid = await PostAsync(guest, order.Number, page, Wallet(order.Key, next!, "5555555555554444"));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal([PaymentStatus.Failed, PaymentStatus.Failed, PaymentStatus.Succeeded], (await PaymentsAsync(order.Id)).Select(p => p.Status));
        Assert.Equal(OrderStatus.Paid, (await OrderAsync(order.Id)).Status);
        Assert.Equal(2, await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.SourceId == order.Number && i.Type == "payment_failed")));
    }

    [SkippableFact]
    public async Task A_card_form_sent_again_after_the_order_was_paid_lands_on_its_confirmation_and_another_form_on_the_order()
    {
        app.SkipIfUnavailable();
        var order = await GuestOrderAsync();
        using var guest = PortalSession.Guest(app);
        var page = $"/checkout/pay/{order.Number}?key={order.Key}";
        var token = await guest.AntiforgeryTokenAsync(page);
        var key = CheckoutService.NewIdempotencyKey();
        FormUrlEncodedContent Form() => new(new Dictionary<string, string>
        {
            ["_handler"] = "pay", ["__RequestVerificationToken"] = token, ["IdempotencyKey"] = key, ["CardNumber"] = "4242424242424242",
        });

        var first = await guest.Client.PostAsync(new Uri(page, UriKind.Relative), Form());
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        // The answer was lost (a dropped connection, a crashed node) and the browser sends the same form again.
        var again = await guest.Client.PostAsync(new Uri(page, UriKind.Relative), Form());
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Contains($"orders/{order.Number}", again.Headers.Location?.ToString(), StringComparison.Ordinal);
        // It was this form that paid: the shopper gets the same confirmation as the first answer would have given.
        Assert.Contains("placed=1", again.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal([PaymentStatus.Succeeded], (await PaymentsAsync(order.Id)).Select(p => p.Status));

        // Another form (a second tab) on the paid order lands on the order as it is, without a thank-you.
        key = CheckoutService.NewIdempotencyKey();
        var other = await guest.Client.PostAsync(new Uri(page, UriKind.Relative), Form());
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.Contains($"orders/{order.Number}", other.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("placed=1", other.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal([PaymentStatus.Succeeded], (await PaymentsAsync(order.Id)).Select(p => p.Status));
    }

    [SkippableFact]
    public async Task Three_d_secure_cards_are_sent_to_the_challenge()
    {
        app.SkipIfUnavailable();
        var order = await GuestOrderAsync();
        using var guest = PortalSession.Guest(app);
        var response = await PostAsync(guest, order.Number, $"/checkout/pay/{order.Number}?key={order.Key}", Wallet(order.Key, CheckoutService.NewIdempotencyKey(), "4000000000003220"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var outcome = await response.Content.ReadFromJsonAsync<BrowserWalletOutcome>(JsonSerializerOptions.Web);
        var payment = Assert.Single(await PaymentsAsync(order.Id));
        Assert.Equal(new BrowserWalletOutcome("challenge", $"checkout/challenge/{payment.Id}?key={order.Key}"), outcome);
        Assert.Equal(PaymentStatus.RequiresAction, payment.Status);
    }

    [SkippableFact]
    public async Task Bad_wallet_input_is_a_4xx_problem_and_charges_nothing()
    {
        app.SkipIfUnavailable();
        var order = await GuestOrderAsync();
        using var guest = PortalSession.Guest(app);
        var page = $"/checkout/pay/{order.Number}?key={order.Key}";
        var key = CheckoutService.NewIdempotencyKey();

        async Task ExpectAsync(HttpStatusCode status, string type, HttpResponseMessage response)
        {
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("https://centric.dev/problems/" + type, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("type").GetString());
        }
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, page, Wallet(order.Key, key, "4242424242424241")));
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, page, Wallet(order.Key, key, "4242424242424242", month: "13")));
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, page, Wallet(order.Key, key, "4242424242424242", year: "2020")));
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, page, Wallet(order.Key, key, "4242424242424242", method: "https://pay.example/")));
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, page, Wallet(order.Key, "", "4242424242424242")));
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, page, new { key = order.Key, idempotencyKey = key, methodName = "basic-card" }));
        // Without the page's antiforgery token.
        await ExpectAsync(HttpStatusCode.BadRequest, "validation", await PostAsync(guest, order.Number, null, Wallet(order.Key, key, "4242424242424242")));
        // Not JSON at all.
        using (var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/checkout/pay/{order.Number}/wallet", UriKind.Relative)) { Content = new StringContent("{\"key\":", System.Text.Encoding.UTF8, "application/json") })
        {
            request.Headers.Add("RequestVerificationToken", await guest.AntiforgeryTokenAsync(page));
            var response = await guest.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        // Someone else's order: a wrong key, or no key at all, is "not found".
        await ExpectAsync(HttpStatusCode.NotFound, "not-found", await PostAsync(guest, order.Number, page, Wallet("0123456789abcdef0123456789abcdef", key, "4242424242424242")));
        await ExpectAsync(HttpStatusCode.NotFound, "not-found", await PostAsync(guest, order.Number, page, Wallet(null, key, "4242424242424242")));
        Assert.Empty(await PaymentsAsync(order.Id));
        Assert.Equal(OrderStatus.Placed, (await OrderAsync(order.Id)).Status);
    }

    [SkippableFact]
    public async Task A_signed_in_customer_cannot_pay_another_customers_order_by_its_number()
    {
        app.SkipIfUnavailable();
        Guid me, other;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            (me, other) = (directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id);
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        var email = Json.NewEmail();
        var mine = await GuestOrderAsync(me);
        var theirs = await GuestOrderAsync(other);
        using var portal = await PortalSession.SignInAsync(app, me, email);

        var refused = await PostAsync(portal, theirs.Number, $"/checkout/pay/{mine.Number}", Wallet(null, CheckoutService.NewIdempotencyKey(), "4242424242424242"));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Empty(await PaymentsAsync(theirs.Id));

        // Their own order needs no key: the account is enough.
        var paid = await PostAsync(portal, mine.Number, $"/checkout/pay/{mine.Number}", Wallet(null, CheckoutService.NewIdempotencyKey(), "4242424242424242"));
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal(OrderStatus.Paid, (await OrderAsync(mine.Id)).Status);
    }

    [SkippableFact]
    public async Task The_pay_page_offers_the_wallet_hidden_until_the_browser_says_it_can_pay()
    {
        app.SkipIfUnavailable();
        var order = await GuestOrderAsync();
        using var guest = PortalSession.Guest(app);
        var html = await guest.Client.GetStringAsync(new Uri($"/checkout/pay/{order.Number}?key={order.Key}", UriKind.Relative));
        Assert.Matches($"<section id=\"wallet\"[^>]* hidden[^>]*data-endpoint=\"checkout/pay/{order.Number}/wallet\"", html);
        Assert.Contains($"data-total=\"{order.TotalMinor / 100m:0.00}\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"pay-form\"", html, StringComparison.Ordinal);
    }
}

public sealed class BrowserWalletOnSqlite(SqliteApp app) : BrowserWalletTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class BrowserWalletOnPostgres(PostgresApp app) : BrowserWalletTests(app), IClassFixture<PostgresApp>;
