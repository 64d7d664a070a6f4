using System.Net;
using System.Text.Json;
using Centric.Analytics.Recommendations;
using Interaction = Centric.Analytics.Recommendations.Interaction;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Contracts;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Models;
using Centric.Server.Personalisation;
using Centric.Server.Personalisation.Discovery;
using Centric.Server.Personalisation.Recommendations;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Personalisation;

/// <summary>
/// A small shop of three categories (kitchen, garden, books) with a hidden product and a sold-out one, and a model trained
/// on shoppers who bought within a category: kitchen buyers also bought the hidden and the sold-out kitchen products, so
/// the model scores them high and only the filters keep them out.
/// </summary>
public sealed class RecommendationWorld
{
    public required string Suffix { get; init; }
    public required Guid[] Kitchen { get; init; }
    public required Guid[] Garden { get; init; }
    public required Guid[] Books { get; init; }
    public required Guid Hidden { get; init; }
    public required Guid SoldOut { get; init; }
    public required Dictionary<Guid, (Guid Variant, string Sku)> Variants { get; init; }
    public required string KitchenSlug { get; init; }
    public required string GardenSlug { get; init; }

    public static async Task<RecommendationWorld> CreateAsync(CentricAppFactory app, bool train)
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var variants = new Dictionary<Guid, (Guid, string)>();
        var world = await app.WithDbAsync(async db =>
        {
            var warehouse = new StockLocation { Code = "R" + suffix[..6], Name = "Warehouse " + suffix };
            db.Add(warehouse);
            var categories = new Dictionary<string, Category>();
            Guid[] Products(string name, int count, int reviews)
            {
                var category = categories[name] = new Category { Slug = name + "-" + suffix, Name = name + " " + suffix };
                db.Add(category);
                return [.. Enumerable.Range(1, count).Select(i => Product(category, $"{name}-{i}", stock: 10, active: true, reviews: reviews - i))];
            }
            Guid Product(Category category, string name, int stock, bool active, int reviews)
            {
                var p = new Product { Slug = name + "-" + suffix, Name = $"{name} {suffix}", CategoryId = category.Id, SearchText = name, PriceFromMinor = 1000, Active = active, ReviewCount = reviews };
                var v = new ProductVariant { ProductId = p.Id, Sku = $"{name.ToUpperInvariant()}-{suffix}", Currency = "EUR", PriceMinor = 1000 };
                db.AddRange(p, v, new StockLevel { VariantId = v.Id, LocationId = warehouse.Id, OnHand = stock });
                variants[p.Id] = (v.Id, v.Sku);
                return p.Id;
            }
            var kitchen = Products("kitchen", 4, 100);
            var garden = Products("garden", 4, 50);
            var books = Products("books", 3, 10);
            var kitchenCategory = categories["kitchen"];
            var hidden = Product(kitchenCategory, "hidden", stock: 10, active: false, reviews: 1000);
            var soldOut = Product(kitchenCategory, "soldout", stock: 0, active: true, reviews: 1000);
            await db.SaveChangesAsync();
            return new RecommendationWorld
            {
                Suffix = suffix, Kitchen = kitchen, Garden = garden, Books = books, Hidden = hidden, SoldOut = soldOut, Variants = variants,
                KitchenSlug = "kitchen-" + suffix, GardenSlug = "garden-" + suffix,
            };
        });
        if (train) await world.TrainAsync(app);
        await using var scope = app.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<ShopItems>().Refresh();
        return world;
    }

    /// <summary>Forty shoppers per category, each buying most of it (kitchen buyers the hidden and sold-out products too), recorded as the active model.</summary>
    private async Task TrainAsync(CentricAppFactory app)
    {
        var rows = new List<Interaction>();
        var at = DateTimeOffset.UtcNow.AddDays(-10);
        var random = new Random(7);
        foreach (var (name, items) in new[] { ("k", Kitchen.Append(Hidden).Append(SoldOut).ToArray()), ("g", Garden), ("b", Books) })
            for (var u = 0; u < 40; u++)
                foreach (var item in items.Where(_ => random.NextDouble() < 0.8))
                    rows.Add(new Interaction($"{name}{u}", item.ToString("N"), InteractionKind.Purchase, at));
        var model = RecommenderTrainer.Train(rows);
        using var payload = new MemoryStream();
        model.Save(payload);
        await using var scope = app.Services.CreateAsyncScope();
        var now = DateTime.UtcNow;
        await scope.ServiceProvider.GetRequiredService<ModelRegistry>().RecordAsync(ModelKind.Recommendations,
            new TrainedModel(payload.ToArray(), rows.Count, 1, new ModelQuality(NdcgAt10: 1), _ => new ModelQuality(NdcgAt10: 0)), now.AddDays(-30), now, default);
    }
}

/// <summary>Recommendations over the active model: what is never shown, what a new view changes at once, the rules, the API and who may read it.</summary>
public abstract class RecommendationTests(CentricAppFactory app)
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static readonly Dictionary<CentricAppFactory, RecommendationWorld> Worlds = [];

    /// <summary>One world per test server: the model it trains is the active one for every test of the class.</summary>
    private async Task<RecommendationWorld> WorldAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (!Worlds.TryGetValue(app, out var world)) Worlds[app] = world = await RecommendationWorld.CreateAsync(app, train: true);
            return world;
        }
        finally { Gate.Release(); }
    }

    private async Task<Guid> CustomerAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var profile = directory.Create(ProfileKind.Known);
        directory.AddIdentity(profile, Centric.Server.Customers.Contracts.IdentityKinds.Email, Json.NewEmail(), true);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return profile.Id;
    }

    private async Task ViewAsync(Guid profile, Guid product, string category)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        scope.ServiceProvider.GetRequiredService<InteractionLog>().Append(db, profile, InteractionTypes.ProductViewed, "web",
            new ProductViewedProperties(product, category, 10m, "EUR"));
        await db.SaveChangesAsync();
    }

    /// <summary>A paid order of the products, as checkout leaves it: the order with its lines, and order_placed on the timeline.</summary>
    private async Task BuyAsync(RecommendationWorld world, Guid profile, params Guid[] products)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var now = DateTime.UtcNow;
        var order = new Order
        {
            Number = "CO-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(), ProfileId = profile, Email = Json.NewEmail(), Currency = "EUR",
            ShippingMethod = "standard", IdempotencyKey = Guid.NewGuid().ToString(), PlacedAt = now, PaidAt = now, Status = OrderStatus.Paid, TotalMinor = 1000 * products.Length,
        };
        db.Add(order);
        foreach (var p in products)
            db.Add(new OrderLine { OrderId = order.Id, ProductId = p, VariantId = world.Variants[p].Variant, Sku = world.Variants[p].Sku, Name = "x", Category = "c", Quantity = 1, UnitPriceMinor = 1000 });
        scope.ServiceProvider.GetRequiredService<InteractionLog>().Append(db, profile, InteractionTypes.OrderPlaced, "web",
            new OrderPlacedProperties(order.Id, order.Number, 10m * products.Length, "EUR", "standard", null,
                [.. products.Select(p => new OrderedItem(p, world.Variants[p].Sku, world.KitchenSlug, 1, 10m))], [world.KitchenSlug]));
        await db.SaveChangesAsync();
    }

    private async Task<RecommendationList> ForShopperAsync(Guid profile, Placement? placement = null, int limit = 10)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Recommender>().ForShopperAsync(placement ?? Placement.Api, profile, limit, default);
    }

    [SkippableFact]
    public async Task Bought_hidden_and_sold_out_products_are_never_recommended()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        var ana = await CustomerAsync();
        await ViewAsync(ana, world.Kitchen[0], world.KitchenSlug);
        await BuyAsync(world, ana, world.Kitchen[1]);

        var list = await ForShopperAsync(ana);
        var ids = list.Items.Select(i => i.Item.ProductId).ToList();
        Assert.Equal(Arms.Model, list.Arm);
        Assert.NotNull(list.ModelVersion);
        // The kitchen is what she is into: the model's picks are the kitchen products she has not bought or viewed.
        Assert.Contains(world.Kitchen[2], ids);
        Assert.Contains(world.Kitchen[3], ids);
        Assert.DoesNotContain(world.Kitchen[1], ids);   // bought
        Assert.DoesNotContain(world.Hidden, ids);
        Assert.DoesNotContain(world.SoldOut, ids);

        // "Customers also bought" on the kitchen product's page: never the product itself, the hidden or the sold-out one.
        await using var scope = app.Services.CreateAsyncScope();
        var related = await scope.ServiceProvider.GetRequiredService<Recommender>().RelatedAsync(Placement.Product, world.Kitchen[0], ana, 6, default);
        var relatedIds = related.Items.Select(i => i.Item.ProductId).ToList();
        Assert.Equal(Reasons.Related, related.Items[0].Reason);
        Assert.DoesNotContain(world.Kitchen[0], relatedIds);
        Assert.DoesNotContain(world.Kitchen[1], relatedIds);
        Assert.DoesNotContain(world.Hidden, relatedIds);
        Assert.DoesNotContain(world.SoldOut, relatedIds);

        // The API answers the same.
        using var client = app.ClientWithKey(await app.CreateKeyAsync(ApiScopes.CustomersRead));
        using var response = await client.GetAsync($"/api/v1/customers/{ana}/recommendations?limit=10");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var apiIds = body.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("productId").GetGuid()).ToList();
        Assert.Contains(world.Kitchen[2], apiIds);
        Assert.DoesNotContain(world.Kitchen[1], apiIds);
        Assert.DoesNotContain(world.Hidden, apiIds);
        Assert.DoesNotContain(world.SoldOut, apiIds);
        var first = body.GetProperty("items")[0];
        Assert.Equal(world.Variants[first.GetProperty("productId").GetGuid()].Sku, first.GetProperty("sku").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("reason").GetString()));
    }

    [SkippableFact]
    public async Task A_new_view_or_purchase_changes_the_recommendations_as_the_stream_brings_it_without_training_again()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        var bea = await CustomerAsync();
        var versions = await app.WithDbAsync(db => db.ModelVersions.CountAsync(m => m.Kind == ModelKind.Recommendations));

        // Asked once before she does anything: what she has done is now kept for the next pages she opens.
        var before = await ForShopperAsync(bea);
        Assert.All(before.Items, i => Assert.Equal(Reasons.Popular, i.Reason));

        // The view drops the kept copy as the live stream brings it (in moments; the copy would otherwise last 30 s).
        await ViewAsync(bea, world.Garden[0], world.GardenSlug);
        var after = before;
        await Json.EventuallyAsync(async () => (after = await ForShopperAsync(bea, limit: 4)).Items[0].Reason == Reasons.Personal,
            "the new view reflected in her recommendations", timeoutMs: 10_000);
        // The garden products she has not seen, scored by the model (two of a category at most in a list of four, for variety).
        Assert.Equal(2, after.Items.Count(i => i.Reason == Reasons.Personal && world.Garden.Skip(1).Contains(i.Item.ProductId)));

        // So does a purchase: what she just bought leaves her list.
        var picked = after.Items.First(i => i.Reason == Reasons.Personal).Item.ProductId;
        await BuyAsync(world, bea, picked);
        await Json.EventuallyAsync(async () => (await ForShopperAsync(bea, limit: 4)).Items.All(i => i.Item.ProductId != picked),
            "the purchase taken out of her recommendations", timeoutMs: 10_000);
        Assert.Equal(versions, await app.WithDbAsync(db => db.ModelVersions.CountAsync(m => m.Kind == ModelKind.Recommendations)));
    }

    [SkippableFact]
    public async Task A_purchase_behind_many_later_views_still_shapes_the_list()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        var cai = await CustomerAsync();
        await BuyAsync(world, cai, world.Garden[0]);
        // Sixty views of books since: the purchase is no longer among her latest 50 touches.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            for (var i = 0; i < 60; i++)
                log.Append(db, cai, InteractionTypes.ProductViewed, "web", new ProductViewedProperties(world.Books[i % world.Books.Length], "books-" + world.Suffix, 10m, "EUR"));
            await db.SaveChangesAsync();
        }

        var list = await ForShopperAsync(cai);
        var personal = list.Items.Where(i => i.Reason == Reasons.Personal).Select(i => i.Item.ProductId).ToList();
        Assert.Contains(world.Garden[1], personal);
        Assert.Contains(world.Garden[2], personal);
        Assert.DoesNotContain(world.Garden[0], list.Items.Select(i => i.Item.ProductId));   // bought
    }

    [SkippableFact]
    public async Task Pinned_products_come_first_and_excluded_categories_never_show()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        var cleo = await CustomerAsync();
        await ViewAsync(cleo, world.Garden[0], world.GardenSlug);
        await using var scope = app.Services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<PersonalisationSettings>();
        await settings.AddRuleAsync(RecommendationRuleKind.Pin, world.Books[2], null, Placement.Home.Key, "marketer@example.com", default);
        await settings.AddRuleAsync(RecommendationRuleKind.ExcludeCategory, null, world.GardenSlug, Placement.Home.Key, "marketer@example.com", default);
        try
        {
            var home = await ForShopperAsync(cleo, Placement.Home, 6);
            Assert.Equal(world.Books[2], home.Items[0].Item.ProductId);
            Assert.Equal(Reasons.Pinned, home.Items[0].Reason);
            Assert.DoesNotContain(home.Items, i => world.Garden.Contains(i.Item.ProductId));
            // The rules were for the home page only: the account page still follows the model.
            var account = await ForShopperAsync(cleo, Placement.Account, 6);
            Assert.Contains(account.Items, i => world.Garden.Contains(i.Item.ProductId));
            Assert.NotEqual(Reasons.Pinned, account.Items[0].Reason);
        }
        finally
        {
            foreach (var rule in (await settings.PolicyAsync(default)).Rules) await settings.RemoveRuleAsync(rule.Id, "test", default);
        }
    }

    [SkippableFact]
    public async Task The_popularity_arm_shows_best_sellers_and_a_split_keeps_each_shopper_in_one_arm()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        var dan = await CustomerAsync();
        await ViewAsync(dan, world.Garden[0], world.GardenSlug);
        await using var scope = app.Services.CreateAsyncScope();
        var settings = scope.ServiceProvider.GetRequiredService<PersonalisationSettings>();
        try
        {
            await settings.SetModeAsync(Placement.Home.Key, PlacementMode.Popularity, "test", default);
            var popular = await ForShopperAsync(dan, Placement.Home, 4);
            Assert.Equal((Arms.Popularity, (int?)null), (popular.Arm, popular.ModelVersion));
            Assert.All(popular.Items, i => Assert.Equal(Reasons.Popular, i.Reason));

            await settings.SetModeAsync(Placement.Home.Key, PlacementMode.Split, "test", default);
            var arms = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var shopper = await CustomerAsync();
                var first = await ForShopperAsync(shopper, Placement.Home, 4);
                Assert.Equal(first.Arm, (await ForShopperAsync(shopper, Placement.Home, 4)).Arm);
                arms.Add(first.Arm);
            }
            Assert.Contains(Arms.Model, arms);
            Assert.Contains(Arms.Popularity, arms);
        }
        finally
        {
            await settings.SetModeAsync(Placement.Home.Key, PlacementMode.Model, "test", default);
        }
    }

    [SkippableFact]
    public async Task The_recommendations_api_is_for_keys_with_customers_read_and_checks_its_input()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        using var customer = await ApiCustomer.SignInAsync(app);
        var other = await CustomerAsync();
        await ViewAsync(other, world.Kitchen[0], world.KitchenSlug);

        // A customer's token never opens another customer's recommendations (nor their own: this route is for integrators).
        using (var response = await customer.Client.GetAsync($"/api/v1/customers/{other}/recommendations"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var response = await customer.Client.GetAsync($"/api/v1/customers/{customer.Profile}/recommendations"))
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using (var wrongScope = app.ClientWithKey(await app.CreateKeyAsync(ApiScopes.EventsWrite)))
        using (var response = await wrongScope.GetAsync($"/api/v1/customers/{other}/recommendations"))
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);

        using var client = app.ClientWithKey(await app.CreateKeyAsync(ApiScopes.CustomersRead));
        using (var response = await client.GetAsync($"/api/v1/customers/{Guid.NewGuid()}/recommendations"))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        foreach (var limit in new[] { "0", "51", "-1", "abc" })
            using (var response = await client.GetAsync($"/api/v1/customers/{other}/recommendations?limit={limit}"))
                Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using (var response = await client.GetAsync($"/api/v1/customers/{other}/recommendations?limit=2"))
        {
            var items = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items");
            Assert.Equal(2, items.GetArrayLength());
        }

        // Related products are public, found by any SKU of the product, and the product itself is never among them.
        using var anonymous = app.CreateClient();
        using (var response = await anonymous.GetAsync($"/api/v1/products/{world.Variants[world.Kitchen[0]].Sku.ToLowerInvariant()}/related?limit=3"))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var ids = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("items").EnumerateArray()
                .Select(i => i.GetProperty("productId").GetGuid()).ToList();
            Assert.Equal(3, ids.Count);
            Assert.DoesNotContain(world.Kitchen[0], ids);
            // Bought together with it: the other kitchen products (two of three, so the list also shows another category).
            Assert.Equal(2, ids.Count(world.Kitchen.Contains));
        }
        using (var response = await anonymous.GetAsync($"/api/v1/products/{world.Variants[world.Hidden].Sku}/related"))
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        using (var response = await anonymous.GetAsync("/api/v1/products/no-such-sku/related?limit=500"))
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [SkippableFact]
    public async Task Shown_lists_and_clicks_are_on_the_timeline_and_counted_per_placement_and_arm()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        using var session = PortalSession.Guest(app);
        using (var product = await session.Client.GetAsync($"/shop/kitchen-1-{world.Suffix}"))
        {
            var html = await product.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, product.StatusCode);
            Assert.Contains("Customers also bought", html, StringComparison.Ordinal);
            Assert.DoesNotContain($"soldout-{world.Suffix}", html, StringComparison.Ordinal);
        }
        var visitor = await app.WithDbAsync(db => db.Interactions.Where(i => i.Type == InteractionTypes.RecommendationShown.Name)
            .OrderByDescending(i => i.OccurredAt).Select(i => new { i.ProfileId, i.Properties }).FirstAsync());
        var shown = InteractionTypes.RecommendationShown.Read(visitor.Properties)!;
        Assert.Equal((Placement.Product.Key, Arms.Model, world.Kitchen[0]), (shown.Placement, shown.Arm, shown.ForProductId!.Value));
        Assert.NotNull(shown.ModelVersion);
        // The page's view and the list it showed are stored by the time the page has arrived, and in one commit (on PostgreSQL
        // the outbox keeps the writing transaction; SQLite keeps 0).
        var (viewedType, shownType) = (InteractionTypes.ProductViewed.Name, InteractionTypes.RecommendationShown.Name);
        var written = await app.WithDbAsync(db => (from i in db.Interactions
                                                   where i.ProfileId == visitor.ProfileId && (i.Type == viewedType || i.Type == shownType)
                                                   join m in db.Outbox on i.Id equals m.InteractionId
                                                   select new { i.Type, m.TransactionId }).ToListAsync());
        Assert.Equal([viewedType, shownType], written.Select(w => w.Type).Order(StringComparer.Ordinal));
        Assert.Single(written.Select(w => w.TransactionId).Distinct());

        // The tile's link records the click and opens the product, without any script.
        var target = shown.Products[0];
        using var noRedirect = app.CreateClient(new() { AllowAutoRedirect = false });
        noRedirect.DefaultRequestHeaders.Add("Cookie", session.CookieHeader);
        using (var click = await noRedirect.GetAsync($"/recommendations/click?placement=product&product={target:N}&arm=model&version={shown.ModelVersion}&position=1"))
        {
            Assert.Equal(HttpStatusCode.Redirect, click.StatusCode);
            Assert.StartsWith("/shop/", click.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }
        var clicks = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == visitor.ProfileId && i.Type == InteractionTypes.RecommendationClicked.Name)
            .Select(i => i.Properties).ToListAsync());
        var clicked = InteractionTypes.RecommendationClicked.Read(Assert.Single(clicks))!;
        Assert.Equal((target, 1, Placement.Product.Key), (clicked.ProductId, clicked.Position, clicked.Placement));

        await using var scope = app.Services.CreateAsyncScope();
        var results = await scope.ServiceProvider.GetRequiredService<RecommendationStats>().ResultsAsync(DateTime.UtcNow.AddHours(-1), DateTime.UtcNow.AddMinutes(1), default);
        var onProducts = results.Single(r => r.Placement == Placement.Product.Key && r.Arm == Arms.Model);
        Assert.True(onProducts.Shown >= 1 && onProducts.Clicks >= 1, $"{onProducts.Shown} shown, {onProducts.Clicks} clicks");
    }

    [SkippableFact]
    public async Task Without_an_active_model_every_list_is_the_best_sellers_in_stock()
    {
        await using var fresh = new CentricAppFactory(app.Provider);
        fresh.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(fresh, train: false);
        Guid erin;
        await using (var scope = fresh.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var profile = directory.Create(ProfileKind.Known);
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            scope.ServiceProvider.GetRequiredService<InteractionLog>().Append(db, profile.Id, InteractionTypes.ProductViewed, "web",
                new ProductViewedProperties(world.Garden[0], world.GardenSlug, 10m, "EUR"));
            await db.SaveChangesAsync();
            erin = profile.Id;
        }

        using var client = fresh.ClientWithKey(await fresh.CreateKeyAsync(ApiScopes.CustomersRead));
        using var response = await client.GetAsync($"/api/v1/customers/{erin}/recommendations?limit=4");
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, body.GetProperty("modelVersion").ValueKind);
        var items = body.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(4, items.Count);
        Assert.All(items, i => Assert.Equal(Reasons.Popular, i.GetProperty("reason").GetString()));
        // Most reviewed first (nothing has sold yet); the hidden and the sold-out products have the most reviews of all.
        Assert.Equal(world.Kitchen[0], items[0].GetProperty("productId").GetGuid());
        Assert.DoesNotContain(items, i => i.GetProperty("productId").GetGuid() == world.Hidden || i.GetProperty("productId").GetGuid() == world.SoldOut);
    }

    [SkippableFact]
    public async Task A_signed_in_shoppers_listing_puts_what_they_like_first_and_a_chosen_sort_stays()
    {
        app.SkipIfUnavailable();
        var world = await WorldAsync();
        var fay = await CustomerAsync();
        await ViewAsync(fay, world.Garden[0], world.GardenSlug);
        await using var scope = app.Services.CreateAsyncScope();
        var catalog = scope.ServiceProvider.GetRequiredService<CatalogService>();

        var affinity = await scope.ServiceProvider.GetRequiredService<IShopperAffinity>().ForAsync(fay, default);
        Assert.NotNull(affinity);
        Assert.Equal(world.GardenSlug, affinity.Categories[0]);
        Assert.Contains(world.Garden[1], affinity.Products);

        var usual = await catalog.SearchAsync(new CatalogQuery(null, null, null, null, null, false, null, PageSize: 60), default);
        var mine = await catalog.SearchAsync(new CatalogQuery(null, null, null, null, null, false, null, PageSize: 60), affinity, default);
        Assert.All(mine.Items.Take(4), i => Assert.Contains(i.Id, world.Garden));
        Assert.DoesNotContain(usual.Items[0].Id, world.Garden);
        Assert.Equal(usual.Total, mine.Total);
        // A sort the shopper chose is kept as chosen.
        var byPrice = new CatalogQuery(null, null, null, null, null, false, "price_desc", PageSize: 60);
        Assert.Equal((await catalog.SearchAsync(byPrice, default)).Items.Select(i => i.Id), (await catalog.SearchAsync(byPrice, affinity, default)).Items.Select(i => i.Id));
    }

    [SkippableFact]
    public async Task The_recommendations_console_is_for_admins_and_marketers()
    {
        app.SkipIfUnavailable();
        using var marketer = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Marketer, withMfa: true);
        using var agent = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Agent, withMfa: true);
        using var analyst = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Analyst, withMfa: true);
        var page = await marketer.GetAsync("/console/personalisation");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("Results, last 30 days", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.True(StaffSession.Refused(await agent.GetAsync("/console/personalisation")), "an agent opened the recommendations console");
        Assert.True(StaffSession.Refused(await analyst.GetAsync("/console/personalisation")), "an analyst opened the recommendations console");
    }

    [Fact]
    public void A_list_is_spread_across_categories_while_other_categories_have_candidates()
    {
        ShopItem Item(string category, int n) => new(Guid.NewGuid(), $"S{n}", $"s{n}", $"P{n}", category, category, "€1.00", true, false, 0, 0, null);
        var ranked = Enumerable.Range(0, 8).Select(i => new Recommendation(Item("a", i), 10 - i, "x"))
            .Concat([new Recommendation(Item("b", 20), 1, "x"), new Recommendation(Item("c", 21), 0.5, "x")]).ToList();

        var list = Recommender.Diversify(ranked, 6);

        Assert.Equal(6, list.Count);
        Assert.Equal(["a", "a", "b", "c", "a", "a"], list.Select(r => r.Item.Category));
    }
}

public sealed class RecommendationsOnSqlite(SqliteApp app) : RecommendationTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class RecommendationsOnPostgres(PostgresApp app) : RecommendationTests(app), IClassFixture<PostgresApp>;
