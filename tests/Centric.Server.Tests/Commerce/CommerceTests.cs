using Centric.Server.Commerce;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

public class OrderStateMachineTests
{
    [Fact]
    public void Only_the_documented_moves_are_allowed()
    {
        var allowed = new HashSet<(OrderStatus, OrderStatus)>
        {
            (OrderStatus.Placed, OrderStatus.Paid), (OrderStatus.Placed, OrderStatus.Cancelled),
            (OrderStatus.Paid, OrderStatus.Picking), (OrderStatus.Paid, OrderStatus.Cancelled), (OrderStatus.Paid, OrderStatus.Refunded),
            (OrderStatus.Picking, OrderStatus.Packed), (OrderStatus.Picking, OrderStatus.Cancelled),
            (OrderStatus.Packed, OrderStatus.Shipped), (OrderStatus.Packed, OrderStatus.Cancelled),
            (OrderStatus.Shipped, OrderStatus.OutForDelivery), (OrderStatus.Shipped, OrderStatus.Delivered),
            (OrderStatus.OutForDelivery, OrderStatus.Delivered),
            (OrderStatus.Delivered, OrderStatus.Refunded), (OrderStatus.Cancelled, OrderStatus.Refunded),
        };
        foreach (var from in Enum.GetValues<OrderStatus>())
        foreach (var to in Enum.GetValues<OrderStatus>())
        {
            var order = new Order { Number = "CO-TEST", Email = "a@b.co", Currency = "EUR", ShippingMethod = "standard", IdempotencyKey = "k", Status = from };
            if (allowed.Contains((from, to)))
            {
                order.MoveTo(to, DateTime.UtcNow);
                Assert.Equal(to, order.Status);
            }
            else
            {
                var e = Assert.Throws<DomainException>(() => order.MoveTo(to, DateTime.UtcNow));
                Assert.Equal("order-invalid-transition", e.Code);
                Assert.Equal(from, order.Status);
            }
        }
    }

    [Theory]
    [InlineData(1999, 0.23, 460)]     // 459.77 rounds up
    [InlineData(1000, 0.10, 100)]
    [InlineData(5, 0.5, 3)]           // 2.5 rounds half away from zero
    public void Percentages_round_half_away_from_zero_to_the_cent(long minor, double rate, long expected) =>
        Assert.Equal(expected, new Money(minor, "EUR").Percent((decimal)rate).Minor);

    [Fact]
    public void Money_refuses_to_mix_currencies() =>
        Assert.Throws<InvalidOperationException>(() => new Money(1, "EUR") + new Money(1, "USD"));

    [Theory]
    [InlineData("4242424242424242", true)]
    [InlineData("4000000000000002", true)]
    [InlineData("4242424242424241", false)]
    public void The_sandbox_checks_card_numbers_with_luhn(string number, bool valid) => Assert.Equal(valid, SandboxGateway.Luhn(number));

    [Fact]
    public void Demo_barcodes_carry_a_valid_ean13_check_digit() => Assert.Equal("4006381333931", DemoCatalog.WithCheckDigit(400638133393));
}

public abstract class CommerceTests(CentricAppFactory app)
{
    private static readonly Address Home = new("Ana Silva", "Rua Augusta 1", null, "Lisboa", "1100-048", "PT");

    private async Task<(Guid VariantId, Guid LocationId)> ProductAsync(int stock, long priceMinor = 2500)
    {
        return await app.WithDbAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..10];
            var category = new Category { Slug = "c-" + suffix, Name = "Test category" };
            var product = new Product { Slug = "p-" + suffix, Name = "Test product " + suffix, CategoryId = category.Id, SearchText = "test product " + suffix, PriceFromMinor = priceMinor };
            var variant = new ProductVariant { ProductId = product.Id, Sku = "SKU-" + suffix, Currency = "EUR", PriceMinor = priceMinor };
            var location = new StockLocation { Code = suffix[..8], Name = "Store " + suffix, IsStore = true };
            db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = stock });
            await db.SaveChangesAsync();
            return (variant.Id, location.Id);
        });
    }

    private static async Task<Cart> CartAsync(IServiceProvider services, Guid? profile, string token, Guid variant, int quantity)
    {
        var carts = services.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(profile, token, default);
        await carts.AddAsync(cart, variant, quantity, profile ?? await AnonymousProfileAsync(services, token), default);
        return cart;
    }

    private static async Task<Guid> AnonymousProfileAsync(IServiceProvider services, string token)
    {
        var db = services.GetRequiredService<CentricDbContext>();
        var key = ProfileIdentity.KeyOf(IdentityKinds.Anonymous, token);
        if (await db.Identities.Where(i => i.Key == key).Select(i => (Guid?)i.ProfileId).FirstOrDefaultAsync() is { } existing) return existing;
        var directory = services.GetRequiredService<ProfileDirectory>();
        var p = directory.Create(ProfileKind.Anonymous);
        directory.AddIdentity(p, IdentityKinds.Anonymous, token, false);
        await db.SaveChangesAsync();
        return p.Id;
    }

    private static string Token() => Guid.NewGuid().ToString("N");

    private static PlaceOrder Request(Cart cart, string method = "standard", string? key = null, string? promo = null, Guid? store = null) =>
        new(cart.Id, Json.NewEmail(), method, method is "standard" or "express" ? Home : null, store, promo, key ?? CheckoutService.NewIdempotencyKey());

    [SkippableFact]
    public async Task Concurrent_checkouts_of_the_last_unit_let_exactly_one_succeed()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 1);
        var attempts = await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var token = Token();
            var cart = await CartAsync(scope.ServiceProvider, null, token, variant, 1);
            try
            {
                await scope.ServiceProvider.GetRequiredService<CheckoutService>().PlaceAsync(Request(cart), null, token, default);
                return "placed";
            }
            catch (DomainException e)
            {
                return e.Code;
            }
        }));
        Assert.Equal(1, attempts.Count(a => a == "placed"));
        Assert.Equal(3, attempts.Count(a => a == "out-of-stock"));
        var level = await app.WithDbAsync(db => db.StockLevels.AsNoTracking().SingleAsync(s => s.VariantId == variant));
        Assert.Equal(1, level.Reserved);
        Assert.Equal(0, level.Available);
    }

    [SkippableFact]
    public async Task A_double_submit_places_one_order_and_charges_once()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var cart = await CartAsync(s, null, token, variant, 2);
        var request = Request(cart);
        var checkout = s.GetRequiredService<CheckoutService>();
        var first = await checkout.PlaceAsync(request, null, token, default);
        var second = await checkout.PlaceAsync(request, null, token, default);
        Assert.Equal(first.Id, second.Id);

        var payments = s.GetRequiredService<PaymentService>();
        var payKey = Token();
        var paid = await payments.PayAsync(first, "4242 4242 4242 4242", payKey, default);
        var again = await payments.PayAsync(first, "4242 4242 4242 4242", payKey, default);
        Assert.True(paid.Paid);
        Assert.Equal(paid.Payment.Id, again.Payment.Id);
        Assert.Equal(1, await app.WithDbAsync(db => db.Payments.CountAsync(p => p.OrderId == first.Id)));
        Assert.Equal(OrderStatus.Paid, (await app.WithDbAsync(db => db.Orders.SingleAsync(o => o.Id == first.Id))).Status);
        var level = await app.WithDbAsync(db => db.StockLevels.AsNoTracking().SingleAsync(l => l.VariantId == variant));
        Assert.Equal((3, 0), (level.OnHand, level.Reserved));   // committed: off the shelf
        var card = await app.WithDbAsync(db => db.Payments.SingleAsync(p => p.OrderId == first.Id));
        Assert.Equal("4242", card.CardLast4);
        Assert.Null(typeof(Payment).GetProperty("CardNumber"));
    }

    [SkippableFact]
    public async Task A_declined_card_leaves_the_order_payable_and_a_retry_succeeds()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        var payments = s.GetRequiredService<PaymentService>();

        var declined = await payments.PayAsync(order, "4000000000000002", Token(), default);
        Assert.Equal(PaymentStatus.Failed, declined.Payment.Status);
        Assert.Equal("card_declined", declined.Payment.FailureCode);
        Assert.Equal(OrderStatus.Placed, order.Status);
        var broke = await payments.PayAsync(order, "4000000000009995", Token(), default);
        Assert.Equal("insufficient_funds", broke.Payment.FailureCode);

        await Assert.ThrowsAsync<RequestValidationException>(() => payments.PayAsync(order, "4242 4242 4242 4241", Token(), default));
        var retry = await payments.PayAsync(order, "4242424242424242", Token(), default);
        Assert.True(retry.Paid);
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == order.ProfileId).Select(i => i.Type).ToListAsync());
        Assert.Equal(2, types.Count(t => t == "payment_failed"));
        Assert.Contains("order_placed", types);
        Assert.Contains("order_status_changed", types);
    }

    [SkippableFact]
    public async Task A_three_d_secure_challenge_must_be_approved_before_the_order_is_paid()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        var payments = s.GetRequiredService<PaymentService>();
        var challenged = await payments.PayAsync(order, "4000000000003220", Token(), default);
        Assert.True(challenged.NeedsChallenge);
        Assert.Equal(OrderStatus.Placed, order.Status);
        var done = await payments.CompleteChallengeAsync(challenged.Payment, order, approved: true, default);
        Assert.True(done.Paid);
        Assert.Equal(OrderStatus.Paid, order.Status);
    }

    [SkippableFact]
    public async Task A_visitor_cart_and_history_merge_into_the_account_on_sign_in()
    {
        app.SkipIfUnavailable();
        var (a, _) = await ProductAsync(stock: 10);
        var (b, _) = await ProductAsync(stock: 10);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        var directory = s.GetRequiredService<ProfileDirectory>();
        var known = directory.Create(ProfileKind.Known);
        directory.AddIdentity(known, IdentityKinds.Email, Json.NewEmail(), true);
        await db.SaveChangesAsync();

        await CartAsync(s, known.Id, Token(), a, 1);                 // the account already has a in its cart
        var token = Token();
        await CartAsync(s, null, token, a, 2);                       // the visitor adds a and b before signing in
        await CartAsync(s, null, token, b, 1);
        var anonymous = await AnonymousProfileAsync(s, token);

        var merged = await s.GetRequiredService<CartService>().FindAsync(known.Id, token, default);
        Assert.NotNull(merged);
        Assert.Equal(3, merged.Lines.Single(l => l.VariantId == a).Quantity);
        Assert.Equal(1, merged.Lines.Single(l => l.VariantId == b).Quantity);
        Assert.False(await db.Carts.AnyAsync(c => c.Token == token));
        var adds = await db.Interactions.CountAsync(i => i.ProfileId == known.Id && i.Type == "cart_item_added");
        Assert.Equal(3, adds);
        Assert.Equal(known.Id, (await directory.FindAsync(anonymous, default))!.Id);
    }

    [SkippableFact]
    public async Task Customers_never_reach_another_customers_order_or_cart()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var cart = await CartAsync(s, null, token, variant, 1);
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(cart), null, token, default);
        var orders = s.GetRequiredService<OrderService>();

        Assert.NotNull(await orders.FindOwnAsync(order.Number, order.ProfileId, default));
        Assert.Null(await orders.FindOwnAsync(order.Number, Guid.NewGuid(), default));
        Assert.NotNull(await orders.FindByKeyAsync(order.Number, order.AccessKey, default));
        Assert.Null(await orders.FindByKeyAsync(order.Number, new string('0', 32), default));

        // Someone else's cart id, with another visitor's token, is not theirs to check out.
        var otherToken = Token();
        var theirs = await CartAsync(s, null, otherToken, variant, 1);
        var e = await Assert.ThrowsAsync<DomainException>(() => s.GetRequiredService<CheckoutService>().PlaceAsync(Request(theirs), null, token, default));
        Assert.Equal("cart-empty", e.Code);
    }

    [SkippableFact]
    public async Task Promo_codes_shipping_and_tax_are_computed_on_the_server()
    {
        app.SkipIfUnavailable();
        var (variant, store) = await ProductAsync(stock: 5, priceMinor: 2000);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        if (!await db.PromoCodes.AnyAsync(p => p.Code == "TEST10")) { db.PromoCodes.Add(new PromoCode { Code = "TEST10", PercentOff = 10 }); await db.SaveChangesAsync(); }
        var token = Token();
        var cart = await CartAsync(s, null, token, variant, 2);
        var view = await s.GetRequiredService<CartService>().ViewAsync(cart, default);
        var quote = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, "test10", "standard", default);
        Assert.Equal(4000, quote.Subtotal.Minor);
        Assert.Equal(400, quote.Discount.Minor);
        Assert.Equal(490, quote.Shipping.Price.Minor);                   // under the free-delivery threshold
        Assert.Equal((long)Math.Round((3600 + 490) * 0.23m, MidpointRounding.AwayFromZero), quote.Tax.Minor);
        Assert.Equal(3600 + 490 + quote.Tax.Minor, quote.Total.Minor);
        var bad = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, "NOPE", "standard", default);
        Assert.NotNull(bad.PromoError);
        Assert.Equal(0, bad.Discount.Minor);

        var checkout = s.GetRequiredService<CheckoutService>();
        var noAddress = new PlaceOrder(cart.Id, Json.NewEmail(), "standard", new Address("", "", null, "", "x", "ZZ"), null, null, CheckoutService.NewIdempotencyKey());
        var invalid = await Assert.ThrowsAsync<RequestValidationException>(() => checkout.PlaceAsync(noAddress, null, token, default));
        Assert.Contains("address.country", invalid.Errors.Keys);
        Assert.Contains("address.line1", invalid.Errors.Keys);
        // The checkout form sends its (prefilled) address fields whatever the method; a pickup order keeps none of them.
        var collect = await checkout.PlaceAsync(Request(cart, "click_and_collect", store: store, promo: "TEST10") with { Address = Home }, null, token, default);
        Assert.Null(collect.ShipLine1);
        Assert.Null(collect.ShipName);
        Assert.Equal(0, collect.ShippingMinor);
        Assert.Equal(400, collect.DiscountMinor);
        Assert.Equal(store, collect.PickupLocationId);
    }

    [SkippableFact]
    public async Task Cancelling_releases_stock_and_a_shipped_order_cannot_be_cancelled()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 3);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var checkout = s.GetRequiredService<CheckoutService>();
        var orders = s.GetRequiredService<OrderService>();
        var order = await checkout.PlaceAsync(Request(await CartAsync(s, null, token, variant, 2)), null, token, default);
        await orders.CancelByCustomerAsync(order, default);
        var level = await app.WithDbAsync(db => db.StockLevels.AsNoTracking().SingleAsync(l => l.VariantId == variant));
        Assert.Equal((3, 0), (level.OnHand, level.Reserved));

        var paid = await checkout.PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        await s.GetRequiredService<PaymentService>().PayAsync(paid, "4242424242424242", Token(), default);
        foreach (var step in new[] { OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped }) await orders.MoveAsync(paid, step, "staff", default);
        var e = await Assert.ThrowsAsync<DomainException>(() => orders.CancelByCustomerAsync(paid, default));
        Assert.Equal("order-not-cancellable", e.Code);
    }
}

public sealed class CommerceOnSqlite(SqliteApp app) : CommerceTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class CommerceOnPostgres(PostgresApp app) : CommerceTests(app), IClassFixture<PostgresApp>;
