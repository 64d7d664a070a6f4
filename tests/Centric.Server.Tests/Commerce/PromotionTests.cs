using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>Promotions at the checkout, on the database: redemptions with the order, limits under concurrency, release, the API.</summary>
public abstract class PromotionTests(CentricAppFactory app)
{
    private static readonly Address Home = new("Ana Silva", "Rua Augusta 1", null, "Lisboa", "1100-048", "PT");

    /// <summary>A product of its own category, so the automatic promotions of one test never reach another's carts.</summary>
    private async Task<(Guid Variant, string Category)> ProductAsync(int stock, long priceMinor = 2000)
    {
        return await app.WithDbAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..10];
            var category = new Category { Slug = "promo-" + suffix, Name = "Promo " + suffix };
            var product = new Product { Slug = "pp-" + suffix, Name = "Promo product " + suffix, CategoryId = category.Id, SearchText = "promo " + suffix, PriceFromMinor = priceMinor };
            var variant = new ProductVariant { ProductId = product.Id, Sku = "PRM-" + suffix, Currency = "EUR", PriceMinor = priceMinor };
            var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
            db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = stock });
            await db.SaveChangesAsync();
            return (variant.Id, category.Slug);
        });
    }

    private async Task<Promotion> PromotionAsync(Action<Promotion> with)
    {
        var promotion = new Promotion { Name = "Test offer", Kind = PromotionKind.PercentOff, PercentOff = 10 };
        with(promotion);
        await app.WithDbAsync(async db => { db.Promotions.Add(promotion); return await db.SaveChangesAsync(); });
        return promotion;
    }

    private static string NewCode() => "T" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    private async Task<Guid> CustomerAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var p = directory.Create(ProfileKind.Known);
        directory.AddIdentity(p, IdentityKinds.Email, Json.NewEmail(), true);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return p.Id;
    }

    private static async Task<Cart> CartAsync(IServiceProvider s, Guid? profile, string token, Guid variant, int quantity)
    {
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(profile, token, default);
        await carts.AddAsync(cart, variant, quantity, profile ?? await AnonymousProfileAsync(s, token), default);
        return cart;
    }

    private static async Task<Guid> AnonymousProfileAsync(IServiceProvider s, string token)
    {
        var db = s.GetRequiredService<CentricDbContext>();
        var key = ProfileIdentity.KeyOf(IdentityKinds.Anonymous, token);
        if (await db.Identities.Where(i => i.Key == key).Select(i => (Guid?)i.ProfileId).FirstOrDefaultAsync() is { } existing) return existing;
        var directory = s.GetRequiredService<ProfileDirectory>();
        var p = directory.Create(ProfileKind.Anonymous);
        directory.AddIdentity(p, IdentityKinds.Anonymous, token, false);
        await db.SaveChangesAsync();
        return p.Id;
    }

    private static PlaceOrder Request(Cart cart, string? code) =>
        new(cart.Id, Json.NewEmail(), "standard", Home, null, code, CheckoutService.NewIdempotencyKey());

    [SkippableFact]
    public async Task A_code_at_checkout_is_recorded_with_the_order_and_shows_on_the_timeline()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 10);
        var code = NewCode();
        var promotion = await PromotionAsync(p => { p.Code = code; p.Name = "Welcome"; p.PerCustomerLimit = 1; });
        var customer = await CustomerAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var cart = await CartAsync(s, customer, Json.NewId(), variant, 2);
        var checkout = s.GetRequiredService<CheckoutService>();

        var quote = await checkout.QuoteAsync(await s.GetRequiredService<CartService>().ViewAsync(cart, default), code.ToLowerInvariant(), "standard", customer, default);
        var applied = Assert.Single(quote.Promotions);
        Assert.Equal(400, applied.Amount.Minor);
        Assert.Equal("10% off your items", applied.Explanation);
        Assert.Equal(code, quote.PromoCode);

        var order = await checkout.PlaceAsync(Request(cart, code), customer, null, default);
        Assert.Equal(400, order.DiscountMinor);
        Assert.Equal(code, order.PromoCode);
        var redemption = await app.WithDbAsync(db => db.PromotionRedemptions.SingleAsync(r => r.OrderId == order.Id));
        Assert.Equal((promotion.Id, customer, 400L, 1), (redemption.PromotionId, redemption.ProfileId, redemption.AmountMinor, redemption.CustomerSlot));
        await using (var views = app.Services.CreateAsyncScope())
            Assert.Equal(1, (await views.ServiceProvider.GetRequiredService<PromotionService>().FindAsync(promotion.Id, default))!.Redeemed);
        var redeemed = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.ProfileId == customer && i.Type == InteractionTypes.PromotionRedeemed.Name));
        Assert.Equal(order.Number, InteractionTypes.PromotionRedeemed.Read(redeemed.Properties)!.OrderNumber);
        var placed = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.ProfileId == customer && i.Type == InteractionTypes.OrderPlaced.Name));
        Assert.Equal(code, InteractionTypes.OrderPlaced.Read(placed.Properties)!.PromoCode);

        // Once per customer: the next cart is refused with the reason, and placing with it is a 400 naming the field.
        var again = await CartAsync(s, customer, Json.NewId(), variant, 1);
        var second = await checkout.QuoteAsync(await s.GetRequiredService<CartService>().ViewAsync(again, default), code, "standard", customer, default);
        Assert.Equal($"You have used the code {code} already.", second.PromoError);
        Assert.Equal(0, second.Discount.Minor);
        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => checkout.PlaceAsync(Request(again, code), customer, null, default));
        Assert.Contains("promoCode", refused.Errors.Keys);
    }

    [SkippableFact]
    public async Task A_cancelled_order_gives_its_promotion_back()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 10);
        var code = NewCode();
        var promotion = await PromotionAsync(p => { p.Code = code; p.TotalLimit = 1; p.PerCustomerLimit = 1; });
        var customer = await CustomerAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var checkout = s.GetRequiredService<CheckoutService>();
        var order = await checkout.PlaceAsync(Request(await CartAsync(s, customer, Json.NewId(), variant, 1), code), customer, null, default);
        Assert.Equal("used_up", (await s.GetRequiredService<PromotionService>().FindAsync(promotion.Id, default))!.Status);

        await s.GetRequiredService<OrderService>().MoveAsync(order, OrderStatus.Cancelled, "customer", default);
        var released = await app.WithDbAsync(db => db.PromotionRedemptions.SingleAsync(r => r.OrderId == order.Id));
        Assert.NotNull(released.ReleasedAt);
        Assert.Null(released.CustomerSlot);
        Assert.Equal(0, await app.WithDbAsync(db => db.Promotions.Where(p => p.Id == promotion.Id).Select(p => p.Redeemed).SingleAsync()));

        // The same customer may use it again, and only once more.
        var next = await checkout.PlaceAsync(Request(await CartAsync(s, customer, Json.NewId(), variant, 1), code), customer, null, default);
        Assert.Equal(code, next.PromoCode);
        Assert.True(next.DiscountMinor > 0);
    }

    [SkippableFact]
    public async Task Sixteen_concurrent_checkouts_with_one_single_use_code_give_the_discount_once()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 100);
        var code = NewCode();
        var promotion = await PromotionAsync(p => { p.Code = code; p.TotalLimit = 1; p.Kind = PromotionKind.AmountOff; p.AmountOffMinor = 500; });
        var tokens = Enumerable.Range(0, 16).Select(_ => Json.NewId()).ToList();
        var carts = new List<Cart>();
        foreach (var token in tokens)
        {
            await using var scope = app.Services.CreateAsyncScope();
            carts.Add(await CartAsync(scope.ServiceProvider, null, token, variant, 1));
        }
        using var start = new SemaphoreSlim(0);
        var attempts = tokens.Select((token, i) => Task.Run(async () =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            await start.WaitAsync();
            try
            {
                var order = await scope.ServiceProvider.GetRequiredService<CheckoutService>().PlaceAsync(Request(carts[i], code), null, token, default);
                return (Order: (Order?)order, Refusal: (string?)null);
            }
            catch (DomainException e) { return (null, e.Code + ": " + e.Message); }
            catch (RequestValidationException e) { return (null, "invalid: " + e.Errors["promoCode"][0]); }
        })).ToList();
        start.Release(16);
        var results = await Task.WhenAll(attempts);

        var discounted = results.Where(r => r.Order is { DiscountMinor: > 0 }).ToList();
        Assert.Single(discounted);
        Assert.Equal(500, discounted[0].Order!.DiscountMinor);
        // The others are told, with a 4xx reason, that the code is used up; nothing half-done is left behind.
        Assert.All(results.Where(r => r.Order is null), r => Assert.Contains("used up", r.Refusal!, StringComparison.Ordinal));
        var placed = results.Where(r => r.Order is not null).Select(r => r.Order!.Id).ToList();
        await app.WithDbAsync(async db =>
        {
            Assert.Equal(1, await db.PromotionRedemptions.CountAsync(r => r.PromotionId == promotion.Id));
            Assert.Equal(1, await db.Promotions.Where(p => p.Id == promotion.Id).Select(p => p.Redeemed).SingleAsync());
            Assert.Equal(placed.Count, await db.Orders.CountAsync(o => o.Lines.Any(l => l.VariantId == variant)));
            Assert.Equal(placed.Count, await db.StockLevels.Where(l => l.VariantId == variant).Select(l => l.Reserved).SingleAsync());
            return 0;
        });
    }

    [SkippableFact]
    public async Task An_automatic_buy_two_get_one_free_applies_without_a_code_and_free_delivery_zeroes_the_delivery()
    {
        app.SkipIfUnavailable();
        var (variant, category) = await ProductAsync(stock: 10, priceMinor: 1000);
        await PromotionAsync(p =>
        {
            p.Name = "Three for two"; p.Kind = PromotionKind.BuyXGetY; p.BuyQuantity = 2; p.GetQuantity = 1; p.PercentOff = 100; p.TargetCategory = category;
        });
        var freeCode = NewCode();
        await PromotionAsync(p => { p.Code = freeCode; p.Name = "Free delivery"; p.Kind = PromotionKind.FreeShipping; p.Stackable = true; });
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var cart = await CartAsync(s, null, Json.NewId(), variant, 3);
        var view = await s.GetRequiredService<CartService>().ViewAsync(cart, default);
        var checkout = s.GetRequiredService<CheckoutService>();

        var quote = await checkout.QuoteAsync(view, null, "standard", null, default);
        Assert.Equal("Three for two", Assert.Single(quote.Promotions).Name);
        Assert.Equal(1000, quote.Discount.Minor);
        Assert.Equal(490, quote.Shipping.Price.Minor);

        // The code does not combine with the automatic one (which does not stack) and saves less: the better one stays, explained.
        var withCode = await checkout.QuoteAsync(view, freeCode, "standard", null, default);
        Assert.Equal("Three for two", Assert.Single(withCode.Promotions).Name);
        Assert.Null(withCode.PromoError);
        Assert.Contains(withCode.PromotionNotes, n => n.Contains(freeCode, StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task Free_delivery_takes_the_delivery_price_off_and_is_recorded_at_that_amount()
    {
        app.SkipIfUnavailable();
        var (variant, _) = await ProductAsync(stock: 10, priceMinor: 1000);
        var code = NewCode();
        await PromotionAsync(p => { p.Code = code; p.Name = "Free delivery"; p.Kind = PromotionKind.FreeShipping; });
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var token = Json.NewId();
        var cart = await CartAsync(s, null, token, variant, 1);
        var quote = await s.GetRequiredService<CheckoutService>().QuoteAsync(await s.GetRequiredService<CartService>().ViewAsync(cart, default), code, "express", null, default);
        Assert.Equal(0, quote.Shipping.Price.Minor);
        Assert.Equal(990, Assert.Single(quote.Promotions).Amount.Minor);
        Assert.Equal(0, quote.Discount.Minor);
        Assert.Equal(1000 + (long)Math.Round(1000 * 0.23m, MidpointRounding.AwayFromZero), quote.Total.Minor);

        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(Request(cart, code) with { ShippingMethod = "express" }, null, token, default);
        Assert.Equal(0, order.ShippingMinor);
        Assert.Equal(990, await app.WithDbAsync(db => db.PromotionRedemptions.Where(r => r.OrderId == order.Id).Select(r => r.AmountMinor).SingleAsync()));
    }

    [SkippableFact]
    public async Task The_api_creates_lists_changes_and_pauses_promotions_with_its_scopes()
    {
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("promotions:write", "promotions:read"));
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("promotions:read"));
        var code = NewCode();
        var body = new { name = "Spring", code = code.ToLowerInvariant(), kind = "percent_off", percentOff = 15, audience = "first_order", perCustomerLimit = 1, totalLimit = 100 };
        var created = await writer.PostAsJsonAsync("/api/v1/promotions", body);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var promotion = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = promotion.GetProperty("id").GetGuid();
        Assert.Equal(code, promotion.GetProperty("code").GetString());
        Assert.Equal("active", promotion.GetProperty("status").GetString());
        Assert.Equal("15% off your items on your first order", promotion.GetProperty("explanation").GetString());

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/promotions", body)).StatusCode);
        var list = await reader.GetFromJsonAsync<JsonElement>("/api/v1/promotions");
        Assert.Contains(list.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == id);

        var taken = await writer.PostAsJsonAsync("/api/v1/promotions", body);
        Assert.Equal(HttpStatusCode.Conflict, taken.StatusCode);
        Assert.Contains("promotion-code-taken", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var bad = await writer.PostAsJsonAsync("/api/v1/promotions", new { name = "Bad", kind = "buy_x_get_y", buyQuantity = 0, audience = "decile", decileFrom = 5, decileTo = 2 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var problem = await bad.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        foreach (var field in new[] { "buyQuantity", "getQuantity", "targetCategory", "decileTo" }) Assert.True(errors.TryGetProperty(field, out _), field);

        var paused = await writer.PutAsJsonAsync($"/api/v1/promotions/{id}",
            new { body.name, body.code, body.kind, body.percentOff, body.audience, body.perCustomerLimit, body.totalLimit, paused = true });
        Assert.Equal(HttpStatusCode.OK, paused.StatusCode);
        Assert.Equal("paused", (await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("paused", (await reader.GetFromJsonAsync<JsonElement>($"/api/v1/promotions/{id}")).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/promotions/{Guid.NewGuid()}")).StatusCode);
    }
}

public sealed class PromotionsOnSqlite(SqliteApp app) : PromotionTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class PromotionsOnPostgres(PostgresApp app) : PromotionTests(app), IClassFixture<PostgresApp>;
