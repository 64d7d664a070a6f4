using System.Net;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Infrastructure;
using Centric.Testing;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>The payment page's card form, posted the way a browser posts it (antiforgery token, the page's idempotency key).</summary>
public abstract class CardPaymentTests(CentricAppFactory app)
{
    private sealed record Placed(string Number, string Key, Guid Id, long TotalMinor)
    {
        public string PayPage => $"/checkout/pay/{Number}?key={Key}";
    }

    private async Task<Placed> OrderAsync(Guid? profile = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var category = new Category { Slug = "cp-" + suffix, Name = "Cards" };
        var product = new Product { Slug = "card-pay-" + suffix, Name = "Mug " + suffix, CategoryId = category.Id, PriceFromMinor = 1250 };
        var variant = new ProductVariant { ProductId = product.Id, Sku = "CPY-" + suffix, Currency = "EUR", PriceMinor = 1250 };
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

    [SkippableFact]
    public async Task A_checkout_form_sent_again_after_it_placed_the_order_lands_on_the_same_order()
    {
        app.SkipIfUnavailable();
        using var guest = PortalSession.Guest(app);
        var checkout = await GuestCheckout.OpenAsync(app, guest);
        var form = GuestCheckout.Form(checkout);
        var first = await GuestCheckout.PlaceAsync(guest, form);
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Contains("/checkout/pay/", first.Headers.Location!.OriginalString);
        // Its answer was lost (a crash, a dropped connection) and the browser sends it again: the cart is empty by now.
        var again = await GuestCheckout.PlaceAsync(guest, form);
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(first.Headers.Location, again.Headers.Location);
        // A key no order has, on an empty cart, is still refused as before.
        form["Form.IdempotencyKey"] = CheckoutService.NewIdempotencyKey();
        Assert.NotEqual(HttpStatusCode.Redirect, (await GuestCheckout.PlaceAsync(guest, form)).StatusCode);
    }

    /// <summary>The pay form as the page renders it: its antiforgery token and idempotency key.</summary>
    private static async Task<(string Token, string IdempotencyKey)> OpenFormAsync(PortalSession visitor, string page)
    {
        var html = await visitor.Client.GetStringAsync(new Uri(page, UriKind.Relative));
        return (FormSession.Antiforgery(html) ?? throw new InvalidOperationException($"no antiforgery token on {page}"),
            FormSession.Hidden(html, "IdempotencyKey") ?? throw new InvalidOperationException($"no idempotency key on {page}"));
    }

    private static Task<HttpResponseMessage> SubmitAsync(PortalSession visitor, string page, string token, string idempotencyKey, string card) =>
        visitor.Client.PostAsync(new Uri(page, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "pay", ["__RequestVerificationToken"] = token, ["IdempotencyKey"] = idempotencyKey,
            ["CardNumber"] = card, ["Expiry"] = "12/30", ["Cvc"] = "123",
        }));

    private Task<Order> LoadOrderAsync(Guid id) => app.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == id));

    private Task<List<Payment>> PaymentsAsync(Guid orderId) =>
        app.WithDbAsync(db => db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).OrderBy(p => p.CreatedAt).ToListAsync());

    [SkippableFact]
    public async Task Card_form_charges_the_orders_own_total_and_lands_on_the_confirmation()
    {
        app.SkipIfUnavailable();
        var order = await OrderAsync();
        using var guest = PortalSession.Guest(app);
        var (token, key) = await OpenFormAsync(guest, order.PayPage);

        var paid = await SubmitAsync(guest, order.PayPage, token, key, "4242 4242 4242 4242");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.EndsWith($"orders/{order.Number}?key={order.Key}&placed=1", paid.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(OrderStatus.Paid, (await LoadOrderAsync(order.Id)).Status);
        var payment = Assert.Single(await PaymentsAsync(order.Id));
        Assert.Equal((PaymentStatus.Succeeded, order.TotalMinor, "visa", "4242"), (payment.Status, payment.AmountMinor, payment.CardBrand, payment.CardLast4));
        // Nothing of the card but brand and last four is kept.
        var logged = await app.WithDbAsync(db => db.Interactions.Where(i => i.SourceId == order.Number).Select(i => i.Properties).ToListAsync());
        Assert.DoesNotContain(logged, p => p.Contains("4242424242424242", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task A_card_form_sent_again_after_the_order_was_paid_lands_on_its_confirmation_and_another_form_on_the_order()
    {
        app.SkipIfUnavailable();
        var order = await OrderAsync();
        using var guest = PortalSession.Guest(app);
        var (token, key) = await OpenFormAsync(guest, order.PayPage);

        var first = await SubmitAsync(guest, order.PayPage, token, key, "4242424242424242");
        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.EndsWith($"orders/{order.Number}?key={order.Key}&placed=1", first.Headers.Location?.ToString(), StringComparison.Ordinal);
        // The answer was lost (a dropped connection, a crashed node) and the browser sends the same form again.
        var again = await SubmitAsync(guest, order.PayPage, token, key, "4242424242424242");
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        // It was this form that paid: the shopper gets the same confirmation as the first answer would have given.
        Assert.EndsWith($"orders/{order.Number}?key={order.Key}&placed=1", again.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal([PaymentStatus.Succeeded], (await PaymentsAsync(order.Id)).Select(p => p.Status));

        // Another form (a second tab) on the paid order lands on the order as it is, without a thank-you.
        var other = await SubmitAsync(guest, order.PayPage, token, CheckoutService.NewIdempotencyKey(), "4242424242424242");
        Assert.Equal(HttpStatusCode.Redirect, other.StatusCode);
        Assert.EndsWith($"orders/{order.Number}?key={order.Key}", other.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("placed=1", other.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal([PaymentStatus.Succeeded], (await PaymentsAsync(order.Id)).Select(p => p.Status));
    }

    [SkippableFact]
    public async Task Declined_card_says_why_gives_the_form_a_new_key_and_the_order_stays_payable()
    {
        app.SkipIfUnavailable();
        var order = await OrderAsync();
        using var guest = PortalSession.Guest(app);
        var (token, key) = await OpenFormAsync(guest, order.PayPage);

        var declined = await SubmitAsync(guest, order.PayPage, token, key, "4000000000000002");
        Assert.Equal(HttpStatusCode.OK, declined.StatusCode);
        var html = await declined.Content.ReadAsStringAsync();
        Assert.Contains("The card was declined. Try another card.", html, StringComparison.Ordinal);
        var next = FormSession.Hidden(html, "IdempotencyKey");
        Assert.False(string.IsNullOrEmpty(next));
        Assert.NotEqual(key, next);
        Assert.Equal(OrderStatus.Placed, (await LoadOrderAsync(order.Id)).Status);

        var insufficient = await SubmitAsync(guest, order.PayPage, token, next!, "4000000000009995");
        html = await insufficient.Content.ReadAsStringAsync();
        Assert.Contains("The card has insufficient funds. Try another card.", html, StringComparison.Ordinal);
        next = FormSession.Hidden(html, "IdempotencyKey");

        var paid = await SubmitAsync(guest, order.PayPage, token, next!, "5555555555554444");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Equal([PaymentStatus.Failed, PaymentStatus.Failed, PaymentStatus.Succeeded], (await PaymentsAsync(order.Id)).Select(p => p.Status));
        Assert.Equal(OrderStatus.Paid, (await LoadOrderAsync(order.Id)).Status);
        Assert.Equal(2, await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.SourceId == order.Number && i.Type == "payment_failed")));
    }

    [SkippableFact]
    public async Task Three_d_secure_cards_are_sent_to_the_challenge()
    {
        app.SkipIfUnavailable();
        var order = await OrderAsync();
        using var guest = PortalSession.Guest(app);
        var (token, key) = await OpenFormAsync(guest, order.PayPage);

        var response = await SubmitAsync(guest, order.PayPage, token, key, "4000000000003220");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var payment = Assert.Single(await PaymentsAsync(order.Id));
        Assert.EndsWith($"checkout/challenge/{payment.Id}?key={order.Key}", response.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(PaymentStatus.RequiresAction, payment.Status);
    }

    [SkippableFact]
    public async Task A_card_number_that_is_not_valid_is_refused_on_the_form_and_charges_nothing()
    {
        app.SkipIfUnavailable();
        var order = await OrderAsync();
        using var guest = PortalSession.Guest(app);
        var (token, key) = await OpenFormAsync(guest, order.PayPage);

        var refused = await SubmitAsync(guest, order.PayPage, token, key, "4242424242424241");
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("id=\"pay-error\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        // Without the page's antiforgery token the form is not accepted at all.
        var forged = await SubmitAsync(guest, order.PayPage, "", key, "4242424242424242");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Empty(await PaymentsAsync(order.Id));
        Assert.Equal(OrderStatus.Placed, (await LoadOrderAsync(order.Id)).Status);
    }

    [SkippableFact]
    public async Task Nobody_pays_an_order_they_cannot_open()
    {
        app.SkipIfUnavailable();
        Guid me, other;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            (me, other) = (directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id);
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        var mine = await OrderAsync(me);
        var theirs = await OrderAsync(other);
        var guestOrder = await OrderAsync();
        using var portal = await PortalSession.SignInAsync(app, me, Json.NewEmail());
        var (token, _) = await OpenFormAsync(portal, $"/checkout/pay/{mine.Number}");

        // Another customer's order by its number, and a guest order with a wrong key or none: "not found", nothing charged.
        foreach (var page in new[] { $"/checkout/pay/{theirs.Number}", $"/checkout/pay/{guestOrder.Number}?key=0123456789abcdef0123456789abcdef", $"/checkout/pay/{guestOrder.Number}" })
        {
            var refused = await SubmitAsync(portal, page, token, CheckoutService.NewIdempotencyKey(), "4242424242424242");
            Assert.True(refused.StatusCode == HttpStatusCode.NotFound, $"{page} answered {(int)refused.StatusCode}");
        }
        Assert.Empty(await PaymentsAsync(theirs.Id));
        Assert.Empty(await PaymentsAsync(guestOrder.Id));

        // Their own order needs no key: the account is enough.
        var paid = await SubmitAsync(portal, $"/checkout/pay/{mine.Number}", token, CheckoutService.NewIdempotencyKey(), "4242424242424242");
        Assert.Equal(HttpStatusCode.Redirect, paid.StatusCode);
        Assert.Equal(OrderStatus.Paid, (await LoadOrderAsync(mine.Id)).Status);
    }
}

public sealed class CardPaymentOnSqlite(SqliteApp app) : CardPaymentTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class CardPaymentOnPostgres(PostgresApp app) : CardPaymentTests(app), IClassFixture<PostgresApp>;
