using Centric.Server.Commerce;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Customers.Contracts;
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
    public async Task Best_sellers_rank_products_by_units_paid_and_leave_out_unpaid_orders()
    {
        app.SkipIfUnavailable();
        var (often, _) = await ProductAsync(stock: 50);
        var (once, _) = await ProductAsync(stock: 50);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var checkout = s.GetRequiredService<CheckoutService>();
        async Task<Order> OrderAsync(Guid variant, int quantity)
        {
            var token = Token();
            return await checkout.PlaceAsync(Request(await CartAsync(s, null, token, variant, quantity)), null, token, default);
        }
        await s.GetRequiredService<PaymentService>().PayAsync(await OrderAsync(often, 3), "4242424242424242", Token(), default);
        await s.GetRequiredService<PaymentService>().PayAsync(await OrderAsync(once, 1), "4242424242424242", Token(), default);
        // Placed but never paid: these ten units do not count.
        await OrderAsync(once, 10);

        var productOf = await app.WithDbAsync(db => db.Variants.Where(v => v.Id == often || v.Id == once).ToDictionaryAsync(v => v.Id, v => v.ProductId));
        var ranking = (await s.GetRequiredService<CatalogService>().BestSellersAsync(90, 1000, default)).Select(c => c.Id).ToList();
        Assert.Contains(productOf[often], ranking);
        Assert.Contains(productOf[once], ranking);
        Assert.True(ranking.IndexOf(productOf[often]) < ranking.IndexOf(productOf[once]), "3 paid units should outsell 1 paid unit and 10 unpaid ones");
    }

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
    public async Task A_payment_cut_off_before_the_gateway_answered_completes_when_the_form_is_sent_again()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        // The server stopped right after recording the attempt: the payment row exists, still pending, and the order is unpaid.
        var payKey = Token();
        await app.WithDbAsync(async db =>
        {
            db.Payments.Add(new Payment
            {
                OrderId = order.Id, ProfileId = order.ProfileId, AmountMinor = order.TotalMinor, Currency = order.Currency, Status = PaymentStatus.Pending,
                Gateway = SandboxGateway.Name, IdempotencyKey = order.Id.ToString("N") + ":" + payKey, CreatedAt = order.PlacedAt, UpdatedAt = order.PlacedAt,
            });
            return await db.SaveChangesAsync();
        });

        // The browser sends the same form again (same key): the payment is finished, not reported as a decline, and not doubled.
        var retried = await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", payKey, default);
        Assert.True(retried.Paid);
        var payment = await app.WithDbAsync(db => db.Payments.AsNoTracking().SingleAsync(p => p.OrderId == order.Id));
        Assert.Equal(PaymentStatus.Succeeded, payment.Status);
        Assert.Equal(OrderStatus.Paid, (await app.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id))).Status);
        var level = await app.WithDbAsync(db => db.StockLevels.AsNoTracking().SingleAsync(l => l.VariantId == variant));
        Assert.Equal((4, 0), (level.OnHand, level.Reserved));
    }

    [SkippableFact]
    public async Task Two_sends_of_a_cut_off_payment_at_once_pay_the_order_once()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        var token = Token();
        Order order;
        await using (var scope = app.Services.CreateAsyncScope())
            order = await scope.ServiceProvider.GetRequiredService<CheckoutService>().PlaceAsync(
                Request(await CartAsync(scope.ServiceProvider, null, token, variant, 1)), null, token, default);
        var payKey = Token();
        await app.WithDbAsync(async db =>
        {
            db.Payments.Add(new Payment
            {
                OrderId = order.Id, ProfileId = order.ProfileId, AmountMinor = order.TotalMinor, Currency = order.Currency, Status = PaymentStatus.Pending,
                Gateway = SandboxGateway.Name, IdempotencyKey = order.Id.ToString("N") + ":" + payKey, CreatedAt = order.PlacedAt, UpdatedAt = order.PlacedAt,
            });
            return await db.SaveChangesAsync();
        });

        // Two tabs resend it together, each with the order as its page loaded it.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 2).Select(async _ =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var loaded = await db.Orders.Include(o => o.Lines).SingleAsync(o => o.Id == order.Id);
            return await scope.ServiceProvider.GetRequiredService<PaymentService>().PayAsync(loaded, "4242424242424242", payKey, default);
        }));
        Assert.All(outcomes, o => Assert.True(o.Paid));
        Assert.Equal(1, await app.WithDbAsync(db => db.Payments.CountAsync(p => p.OrderId == order.Id)));
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == order.ProfileId).Select(i => i.Type).ToListAsync());
        Assert.Equal(1, types.Count(t => t == "order_status_changed"));
        var level = await app.WithDbAsync(db => db.StockLevels.AsNoTracking().SingleAsync(l => l.VariantId == variant));
        Assert.Equal((4, 0), (level.OnHand, level.Reserved));
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
    public async Task A_guest_checkout_makes_the_visitors_own_profile_known_unless_the_email_belongs_to_someone()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        var checkout = s.GetRequiredService<CheckoutService>();

        // A new email: the visitor's anonymous profile, with the cart_item_added already on it, becomes the customer.
        var token = Token();
        var cart = await CartAsync(s, null, token, variant, 1);
        var visitor = await AnonymousProfileAsync(s, token);
        var email = Json.NewEmail();
        var order = await checkout.PlaceAsync(new PlaceOrder(cart.Id, email, "standard", Home, null, null, CheckoutService.NewIdempotencyKey()), null, token, default);
        Assert.Equal(visitor, order.ProfileId);
        var profile = await db.Profiles.AsNoTracking().SingleAsync(p => p.Id == visitor);
        Assert.Equal(ProfileKind.Known, profile.Kind);
        Assert.Equal(email, profile.Email);
        Assert.Null(profile.MergedIntoId);
        Assert.True(await db.Interactions.AnyAsync(i => i.ProfileId == visitor && i.Type == "cart_item_added"));

        // Someone else's email: the order goes to that profile, and this browser's anonymous profile is left alone.
        var owner = s.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Known);
        var ownersEmail = Json.NewEmail();
        s.GetRequiredService<ProfileDirectory>().AddIdentity(owner, IdentityKinds.Email, ownersEmail, true);
        await db.SaveChangesAsync();
        var otherToken = Token();
        var otherCart = await CartAsync(s, null, otherToken, variant, 1);
        var otherVisitor = await AnonymousProfileAsync(s, otherToken);
        var second = await checkout.PlaceAsync(new PlaceOrder(otherCart.Id, ownersEmail, "standard", Home, null, null, CheckoutService.NewIdempotencyKey()), null, otherToken, default);
        Assert.Equal(owner.Id, second.ProfileId);
        var untouched = await db.Profiles.AsNoTracking().SingleAsync(p => p.Id == otherVisitor);
        Assert.Equal(ProfileKind.Anonymous, untouched.Kind);
        Assert.Null(untouched.MergedIntoId);
        Assert.False(await db.Identities.AnyAsync(i => i.ProfileId == otherVisitor && i.Kind == IdentityKinds.Email));
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
        if (!await db.Promotions.AnyAsync(p => p.Code == "TEST10"))
        {
            db.Promotions.Add(new Promotion { Name = "Test ten", Code = "TEST10", Kind = PromotionKind.PercentOff, PercentOff = 10 });
            await db.SaveChangesAsync();
        }
        var token = Token();
        var cart = await CartAsync(s, null, token, variant, 2);
        var view = await s.GetRequiredService<CartService>().ViewAsync(cart, default);
        var quote = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, "test10", "standard", null, default);
        Assert.Equal(4000, quote.Subtotal.Minor);
        Assert.Equal(400, quote.Discount.Minor);
        Assert.Equal(490, quote.Shipping.Price.Minor);                   // under the free-delivery threshold
        Assert.Equal((long)Math.Round((3600 + 490) * 0.23m, MidpointRounding.AwayFromZero), quote.Tax.Minor);
        Assert.Equal(3600 + 490 + quote.Tax.Minor, quote.Total.Minor);
        var bad = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, "NOPE", "standard", null, default);
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
    public async Task Reviews_update_the_rating_once_per_customer_and_mark_verified_purchases()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var productId = await app.WithDbAsync(db => db.Variants.Where(v => v.Id == variant).Select(v => v.ProductId).SingleAsync());
        var token = Token();
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Token(), default);
        var reviews = s.GetRequiredService<Centric.Server.Commerce.Reviews.ReviewService>();

        var buyer = await reviews.SubmitAsync(productId, order.ProfileId, "Ana", 5, "Great", "Works well", default);
        Assert.True(buyer.VerifiedPurchase);
        var stranger = await reviews.SubmitAsync(productId, Guid.NewGuid(), "Bo", 2, null, "Meh", default);
        Assert.False(stranger.VerifiedPurchase);
        var product = await app.WithDbAsync(db => db.Products.AsNoTracking().SingleAsync(p => p.Id == productId));
        Assert.Equal((2, 350), (product.ReviewCount, product.RatingX100));
        var again = await Assert.ThrowsAsync<DomainException>(() => reviews.SubmitAsync(productId, order.ProfileId, "Ana", 1, null, null, default));
        Assert.Equal("review-exists", again.Code);
        await Assert.ThrowsAsync<RequestValidationException>(() => reviews.SubmitAsync(productId, Guid.NewGuid(), "X", 6, null, null, default));
        Assert.Contains("review_submitted", await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == order.ProfileId).Select(i => i.Type).ToListAsync()));
    }

    [SkippableFact]
    public async Task Saved_cards_pay_by_token_and_belong_to_their_owner_only()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var wallet = s.GetRequiredService<Centric.Server.Commerce.Wallet.WalletService>();
        var token = Token();
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        var card = await wallet.AddCardAsync(order.ProfileId, "4242 4242 4242 4242", default);
        Assert.Equal("4242", card.Last4);
        Assert.DoesNotContain("4242424242424242", await app.WithDbAsync(db => db.Set<Centric.Server.Commerce.Wallet.SavedCard>().Select(c => c.Brand + c.Last4).SingleAsync(c => c.EndsWith("4242"))), StringComparison.Ordinal);

        Assert.Null(await wallet.TokenAsync(Guid.NewGuid(), card.Id, default));              // someone else's card id: unknown
        Assert.False(await wallet.RemoveCardAsync(Guid.NewGuid(), card.Id, default));
        var paid = await s.GetRequiredService<PaymentService>().PayAsync(order, (await wallet.TokenAsync(order.ProfileId, card.Id, default))!, Token(), default);
        Assert.True(paid.Paid);
        Assert.Equal("4242", paid.Payment.CardLast4);

        var bad = await Assert.ThrowsAsync<RequestValidationException>(() => wallet.AddAddressAsync(order.ProfileId, new Address("", "x", null, "", "1", "ZZ"), true, default));
        Assert.Contains("country", bad.Errors.Keys);
        var first = await wallet.AddAddressAsync(order.ProfileId, Home, false, default);
        Assert.True(first.IsDefault);
        Assert.Empty(await wallet.AddressesAsync(Guid.NewGuid(), default));
    }

    [SkippableFact]
    public async Task Export_includes_orders_and_erasure_scrubs_them_but_keeps_the_amounts()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 5);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Token();
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, 1)), null, token, default);
        await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Token(), default);
        await s.GetRequiredService<Centric.Server.Commerce.Wallet.WalletService>().AddAddressAsync(order.ProfileId, Home, true, default);
        var privacy = s.GetRequiredService<Centric.Server.Customers.Privacy.PrivacyService>();

        var export = await privacy.ExportAsync(order.ProfileId, default);
        var orders = export!["commerce"]!["orders"]!.AsArray();
        Assert.Equal(order.Number, orders.Single()!["number"]!.GetValue<string>());
        Assert.Equal("Rua Augusta 1", orders.Single()!["shipLine1"]!.GetValue<string>());
        Assert.NotNull(export["support"]);

        await privacy.EraseAsync(order.ProfileId, default);
        var after = await app.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id));
        Assert.Equal("erased@invalid", after.Email);
        Assert.Null(after.ShipLine1);
        Assert.Equal(order.TotalMinor, after.TotalMinor);
        Assert.Empty(await app.WithDbAsync(db => db.Set<Centric.Server.Commerce.Wallet.SavedAddress>().Where(a => a.ProfileId == order.ProfileId).ToListAsync()));
    }

    [SkippableFact]
    public async Task A_sale_that_takes_stock_to_its_threshold_raises_one_replenishment_alert()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 7);
        var sku = await app.WithDbAsync(db => db.Variants.Where(v => v.Id == variant).Select(v => v.Sku).SingleAsync());
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        async Task BuyAsync(int quantity)
        {
            var token = Token();
            var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(await CartAsync(s, null, token, variant, quantity)), null, token, default);
            await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Token(), default);
        }
        Task<int> AlertsAsync() => app.WithDbAsync(db => db.Mail.CountAsync(m => m.Subject.StartsWith("Low stock: " + sku)));

        await BuyAsync(1);                  // 6 left: above the threshold of 5
        Assert.Equal(0, await AlertsAsync());
        await BuyAsync(1);                  // 5 left: crossed
        Assert.Equal(1, await AlertsAsync());
        await BuyAsync(2);                  // 3 left: already low, no second alert
        Assert.Equal(1, await AlertsAsync());
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

public abstract class ShipmentTests(CentricAppFactory app)
{
    internal static async Task<(Order Order, Centric.Server.Commerce.Shipments.Shipment Shipment)> ShippedOrderAsync(IServiceProvider s)
    {
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var category = new Category { Slug = "s-" + suffix, Name = "Ship" };
        var product = new Product { Slug = "ship-" + suffix, Name = "Parcel " + suffix, CategoryId = category.Id, PriceFromMinor = 1000 };
        var variant = new ProductVariant { ProductId = product.Id, Sku = "SHIP-" + suffix, Currency = "EUR", PriceMinor = 1000 };
        var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
        db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = 5 });
        await db.SaveChangesAsync();
        var token = Guid.NewGuid().ToString("N");
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(null, token, default);
        var directory = s.GetRequiredService<ProfileDirectory>();
        var anonymous = directory.Create(ProfileKind.Anonymous);
        await db.SaveChangesAsync();
        await carts.AddAsync(cart, variant.Id, 1, anonymous.Id, default);
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart.Id, Json.NewEmail(), "express", new Address("Ana", "Rua 1", null, "Porto", "4000-001", "PT"), null, null, CheckoutService.NewIdempotencyKey()),
            null, token, default);
        await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Guid.NewGuid().ToString("N"), default);
        var orders = s.GetRequiredService<OrderService>();
        await orders.MoveAsync(order, OrderStatus.Picking, "staff", default);
        await orders.MoveAsync(order, OrderStatus.Packed, "staff", default);
        var shipment = await s.GetRequiredService<Centric.Server.Commerce.Shipments.CarrierEvents>().ShipAsync(order, "simulator", default);
        return (order, shipment);
    }

    private static HttpRequestMessage Signed(string body, long unix, string secret = CentricAppFactory.CarrierSecret) => new(HttpMethod.Post, "/api/v1/carriers/simulator/events")
    {
        Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        Headers = { { "Carrier-Signature", Centric.Server.Platform.Signing.HmacSignature.Sign(secret, unix, body) } },
    };

    [SkippableFact]
    public async Task Signed_carrier_events_move_the_order_and_bad_or_stale_signatures_are_refused()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var (order, shipment) = await ShippedOrderAsync(scope.ServiceProvider);
        using var client = app.CreateClient();
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Body(string code, string id) => System.Text.Json.JsonSerializer.Serialize(new { trackingNumber = shipment.TrackingNumber, eventId = id, code, description = code, location = "Porto" });

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.SendAsync(Signed(Body("out_for_delivery", "e1"), now, "wrong-secret"))).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.SendAsync(Signed(Body("out_for_delivery", "e1"), now - 3600))).StatusCode);
        var unsigned = await client.PostAsync("/api/v1/carriers/simulator/events", new StringContent(Body("delivered", "e0"), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, unsigned.StatusCode);
        Assert.Equal(OrderStatus.Shipped, await app.WithDbAsync(db => db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync()));

        var ok = await client.SendAsync(Signed(Body("out_for_delivery", "e1"), now));
        Assert.Equal(System.Net.HttpStatusCode.OK, ok.StatusCode);
        Assert.True((await ok.ReadJsonAsync()).GetProperty("applied").GetBoolean());
        var again = await client.SendAsync(Signed(Body("out_for_delivery", "e1"), now));
        Assert.False((await again.ReadJsonAsync()).GetProperty("applied").GetBoolean());   // a redelivered webhook changes nothing
        Assert.Equal(OrderStatus.OutForDelivery, await app.WithDbAsync(db => db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync()));

        var bad = await client.SendAsync(Signed(Body("teleported", "e2"), now));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        var unknown = await client.SendAsync(Signed(System.Text.Json.JsonSerializer.Serialize(new { trackingNumber = "SIM000", eventId = "x", code = "delivered" }), now));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, unknown.StatusCode);

        await client.SendAsync(Signed(Body("delivered", "e3"), now));
        Assert.Equal(OrderStatus.Delivered, await app.WithDbAsync(db => db.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync()));
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == order.ProfileId).Select(i => i.Type).ToListAsync());
        Assert.Equal(2, types.Count(t => t == "shipment_event"));
        var mails = await app.WithDbAsync(db => db.Mail.Where(m => m.To == order.Email).Select(m => m.Subject).ToListAsync());
        Assert.Contains(mails, m => m.Contains("on its way", StringComparison.Ordinal));
        Assert.Contains(mails, m => m.Contains("out for delivery", StringComparison.Ordinal));
        Assert.Contains(mails, m => m.Contains("was delivered", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task The_simulator_walks_a_parcel_to_delivery_and_live_pages_hear_each_step()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var (order, shipment) = await ShippedOrderAsync(s);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var feed = app.Services.GetRequiredService<Centric.Server.Commerce.Shipments.OrderLiveFeed>();
        void OnChanged(string number) { if (number == order.Number) heard.Enqueue(number); }
        feed.Changed += OnChanged;
        try
        {
            var carriers = s.GetRequiredService<Centric.Server.Commerce.Shipments.CarrierEvents>();
            var db = s.GetRequiredService<CentricDbContext>();
            for (var i = 0; i < 3; i++)
            {
                var current = await db.Set<Centric.Server.Commerce.Shipments.Shipment>().SingleAsync(x => x.Id == shipment.Id);
                Assert.True(await carriers.SimulateNextAsync(current, default));
            }
            Assert.Equal(OrderStatus.Delivered, await app.WithDbAsync(d => d.Orders.Where(o => o.Id == order.Id).Select(o => o.Status).SingleAsync()));
            await Json.EventuallyAsync(() => Task.FromResult(!heard.IsEmpty), "the live feed heard the order change");
        }
        finally
        {
            feed.Changed -= OnChanged;
        }
    }
}

public abstract class CatalogCsvTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task A_csv_import_loads_good_rows_reports_bad_ones_by_line_and_round_trips_through_export()
    {
        app.SkipIfUnavailable();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = $"""
            sku,product_slug,product_name,category,description,options,price,currency,gtin,stock_location,stock,active
            A-{tag},mug-{tag},"Mug, large",kitchen_{tag},"Holds ""a lot"" of tea",,12.50,EUR,4006381333931,WH-{tag},7,true
            B-{tag},mug-{tag},"Mug, large",kitchen_{tag},,Blue,13.00,EUR,,WH-{tag},3,true
            ,nameless-{tag},Nameless,kitchen_{tag},,,1.00,EUR,,,,true
            C-{tag},bad-price-{tag},Bad price,kitchen_{tag},,,twelve,EUR,,,,true
            D-{tag},Bad Slug!,Bad slug,kitchen_{tag},,,1.00,EUR,12,,-4,true
            """;
        await using var scope = app.Services.CreateAsyncScope();
        var importer = scope.ServiceProvider.GetRequiredService<CatalogCsv>();
        var result = await importer.ImportAsync(new StringReader(csv), default);
        Assert.Equal(2, result.Created);
        Assert.Equal(3, result.Errors.Count);
        Assert.StartsWith("line 4:", result.Errors[0], StringComparison.Ordinal);
        Assert.StartsWith("line 5:", result.Errors[1], StringComparison.Ordinal);
        Assert.Contains("gtin", result.Errors[2], StringComparison.Ordinal);
        Assert.Contains("stock", result.Errors[2], StringComparison.Ordinal);

        var product = await app.WithDbAsync(db => db.Products.AsNoTracking().SingleAsync(p => p.Slug == "mug-" + tag));
        Assert.Equal("Mug, large", product.Name);
        Assert.Equal("Holds \"a lot\" of tea", product.Description);
        Assert.Equal(1250, product.PriceFromMinor);
        Assert.Equal(7, await app.WithDbAsync(db => db.StockLevels.Where(l => db.Variants.Any(v => v.Id == l.VariantId && v.Sku == "A-" + tag)).Select(l => l.OnHand).SingleAsync()));

        // Export, change a price, import again: an update, not a duplicate.
        var exported = await importer.ExportAsync(default);
        var line = exported.Split('\n').Single(l => l.StartsWith("B-" + tag, StringComparison.Ordinal));
        var again = await importer.ImportAsync(new StringReader(string.Join('\n', CatalogCsv.Header.Aggregate((a, b) => a + "," + b), line.Replace("13.00", "9.99", StringComparison.Ordinal))), default);
        Assert.Equal((0, 1), (again.Created, again.Updated));
        Assert.Empty(again.Errors);
        Assert.Equal(999, await app.WithDbAsync(db => db.Variants.Where(v => v.Sku == "B-" + tag).Select(v => v.PriceMinor).SingleAsync()));
        Assert.Equal(999, await app.WithDbAsync(db => db.Products.Where(p => p.Slug == "mug-" + tag).Select(p => p.PriceFromMinor).SingleAsync()));
        Assert.Single((await importer.ImportAsync(new StringReader("sku,price\n1,2"), default)).Errors);
    }
}

public sealed class CatalogCsvOnSqlite(SqliteApp app) : CatalogCsvTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class CatalogCsvOnPostgres(PostgresApp app) : CatalogCsvTests(app), IClassFixture<PostgresApp>;

public abstract class ReturnTests(CentricAppFactory app)
{
    private static async Task<Order> DeliveredOrderAsync(IServiceProvider s, int quantity = 2, bool sized = false)
    {
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var category = new Category { Slug = "r-" + suffix, Name = "Returns" };
        var product = new Product { Slug = "ret-" + suffix, Name = "Shirt " + suffix, CategoryId = category.Id, PriceFromMinor = 2000 };
        var small = new ProductVariant { ProductId = product.Id, Sku = "RS-" + suffix, Options = "Size S", Currency = "EUR", PriceMinor = 2000 };
        var large = new ProductVariant { ProductId = product.Id, Sku = "RL-" + suffix, Options = "Size L", Currency = "EUR", PriceMinor = 2000 };
        var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
        db.AddRange(category, product, small, large, location,
            new StockLevel { VariantId = small.Id, LocationId = location.Id, OnHand = 5 }, new StockLevel { VariantId = large.Id, LocationId = location.Id, OnHand = 5 });
        await db.SaveChangesAsync();
        var token = Guid.NewGuid().ToString("N");
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(null, token, default);
        var anonymous = s.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Anonymous);
        await db.SaveChangesAsync();
        await carts.AddAsync(cart, small.Id, quantity, anonymous.Id, default);
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart.Id, Json.NewEmail(), "standard", new Address("Ana", "Rua 1", null, "Porto", "4000-001", "PT"), null, null, CheckoutService.NewIdempotencyKey()),
            null, token, default);
        await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Guid.NewGuid().ToString("N"), default);
        var orders = s.GetRequiredService<OrderService>();
        foreach (var step in new[] { OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered }) await orders.MoveAsync(order, step, "staff", default);
        return order;
    }

    [SkippableFact]
    public async Task A_return_in_the_window_is_approved_received_and_refunded_in_part()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var order = await DeliveredOrderAsync(s, quantity: 2);
        var returns = s.GetRequiredService<Centric.Server.Commerce.Returns.ReturnService>();
        var line = order.Lines.Single();
        var request = await returns.RequestAsync(order, [new(line.Id, 1)], "too_small", "fits tight", Centric.Server.Commerce.Returns.ReturnResolution.Refund, null, default);
        // One of two €20 shirts: €20 of goods plus its VAT share; delivery is not refunded.
        Assert.Equal(2000 + (long)Math.Round(order.TaxMinor * 2000m / (order.SubtotalMinor + order.ShippingMinor), MidpointRounding.AwayFromZero), request.RefundMinor);
        var twice = await Assert.ThrowsAsync<RequestValidationException>(() => returns.RequestAsync(order, [new(line.Id, 2)], "too_small", null, Centric.Server.Commerce.Returns.ReturnResolution.Refund, null, default));
        Assert.Contains("at most 1", twice.Message, StringComparison.Ordinal);

        await Assert.ThrowsAsync<DomainException>(() => returns.ReceiveAsync(request, default));      // must be approved first
        await returns.ApproveAsync(request, default);
        await returns.ReceiveAsync(request, default);
        Assert.Equal(Centric.Server.Commerce.Returns.ReturnStatus.Refunded, request.Status);
        var after = await app.WithDbAsync(db => db.Orders.AsNoTracking().SingleAsync(o => o.Id == order.Id));
        Assert.Equal(request.RefundMinor, after.RefundedMinor);
        Assert.Equal(OrderStatus.Delivered, after.Status);
        Assert.Equal(4, await app.WithDbAsync(db => db.StockLevels.Where(l => l.VariantId == line.VariantId).Select(l => l.OnHand).SingleAsync()));
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == order.ProfileId).Select(i => i.Type).ToListAsync());
        Assert.Contains("return_requested", types);
        Assert.Contains("refund_issued", types);
    }

    [SkippableFact]
    public async Task Returns_after_the_window_or_before_delivery_are_refused_and_exchanges_ship_a_replacement()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var returns = s.GetRequiredService<Centric.Server.Commerce.Returns.ReturnService>();
        var order = await DeliveredOrderAsync(s, quantity: 1);
        var line = order.Lines.Single();

        order.DeliveredAt = DateTime.UtcNow.AddDays(-31);
        var late = await Assert.ThrowsAsync<DomainException>(() => returns.RequestAsync(order, [new(line.Id, 1)], "changed_mind", null, Centric.Server.Commerce.Returns.ReturnResolution.Refund, null, default));
        Assert.Equal("return-window-closed", late.Code);
        order.DeliveredAt = DateTime.UtcNow.AddDays(-2);

        var large = await app.WithDbAsync(db => db.Variants.Where(v => v.ProductId == line.ProductId && v.Id != line.VariantId).Select(v => v.Id).SingleAsync());
        var exchange = await returns.RequestAsync(order, [new(line.Id, 1)], "too_small", null, Centric.Server.Commerce.Returns.ReturnResolution.Exchange, large, default);
        Assert.Equal(0, exchange.RefundMinor);
        await returns.ApproveAsync(exchange, default);
        await returns.ReceiveAsync(exchange, default);
        Assert.Equal(Centric.Server.Commerce.Returns.ReturnStatus.Exchanged, exchange.Status);
        var replacement = await app.WithDbAsync(db => db.Orders.Include(o => o.Lines).SingleAsync(o => o.IdempotencyKey == "exchange:" + exchange.Id.ToString("N")));
        Assert.Equal(OrderStatus.Paid, replacement.Status);
        Assert.Equal(0, replacement.TotalMinor);
        Assert.Equal(large, replacement.Lines.Single().VariantId);
        Assert.Equal(4, await app.WithDbAsync(db => db.StockLevels.Where(l => l.VariantId == large).Select(l => l.OnHand).SingleAsync()));
    }
}

public sealed class ReturnsOnSqlite(SqliteApp app) : ReturnTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ReturnsOnPostgres(PostgresApp app) : ReturnTests(app), IClassFixture<PostgresApp>;

public sealed class ShipmentsOnSqlite(SqliteApp app) : ShipmentTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ShipmentsOnPostgres(PostgresApp app) : ShipmentTests(app), IClassFixture<PostgresApp>;
