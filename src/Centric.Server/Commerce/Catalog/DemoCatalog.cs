using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Catalog;

/// <summary>A small, deterministic demo shop: categories, products with variants and barcodes, two stores and a warehouse, promotions.</summary>
public sealed class DemoCatalog(CentricDbContext db, TimeProvider clock, ProductImages images)
{
    private static readonly (string Slug, string Name, string[] Nouns, string[] Adjectives, bool Sized)[] Categories =
    [
        ("bed_bath_table", "Bed, bath & table", ["towel set", "duvet cover", "pillow", "table runner", "bath mat", "sheet set"], ["cotton", "linen", "soft", "striped", "classic"], false),
        ("health_beauty", "Health & beauty", ["face cream", "shampoo", "body lotion", "lip balm", "hair dryer", "perfume"], ["organic", "gentle", "fresh", "daily", "rich"], false),
        ("sports_leisure", "Sports & leisure", ["running shoes", "yoga mat", "water bottle", "gym bag", "tennis racket", "cycling jersey"], ["light", "pro", "trail", "compact", "breathable"], true),
        ("furniture_decor", "Furniture & decor", ["table lamp", "wall clock", "picture frame", "side table", "vase", "cushion"], ["oak", "modern", "rustic", "minimal", "velvet"], false),
        ("computers_accessories", "Computers & accessories", ["wireless mouse", "keyboard", "usb hub", "laptop stand", "webcam", "headset"], ["silent", "ergonomic", "compact", "wireless", "pro"], false),
        ("housewares", "Housewares", ["frying pan", "knife set", "coffee maker", "kettle", "storage jars", "cutting board"], ["steel", "non-stick", "bamboo", "glass", "smart"], false),
        ("watches_gifts", "Watches & gifts", ["wrist watch", "gift box", "leather wallet", "keyring", "photo album", "scented candle"], ["elegant", "vintage", "silver", "handmade", "classic"], false),
        ("toys", "Toys", ["building blocks", "puzzle", "plush bear", "toy car", "board game", "kite"], ["colourful", "wooden", "giant", "mini", "family"], false),
    ];

    /// <summary>
    /// The demo's promotions: the welcome code for first orders, €5 off from €30, free delivery for the two most valuable
    /// deciles (automatic, combines with the others) and buy 2 get 1 free in housewares (automatic). The demo history redeems
    /// them through the checkout.
    /// </summary>
    private static IEnumerable<Promotion> DemoPromotions(DateTime now) =>
    [
        new() { Name = "Welcome offer", Code = "WELCOME10", Kind = PromotionKind.PercentOff, PercentOff = 10, Audience = PromotionAudience.FirstOrder,
            PerCustomerLimit = 1, CreatedAt = now, UpdatedAt = now, CreatedBy = "demo" },
        new() { Name = "€5 off", Code = "SAVE5", Kind = PromotionKind.AmountOff, AmountOffMinor = 500, MinimumSubtotalMinor = 3000,
            CreatedAt = now, UpdatedAt = now, CreatedBy = "demo" },
        new() { Name = "Free delivery for our best customers", Kind = PromotionKind.FreeShipping, Audience = PromotionAudience.Decile,
            DecileFrom = 1, DecileTo = 2, Stackable = true, CreatedAt = now, UpdatedAt = now, CreatedBy = "demo" },
        new() { Name = "Housewares: buy 2, get 1 free", Kind = PromotionKind.BuyXGetY, BuyQuantity = 2, GetQuantity = 1, PercentOff = 100,
            TargetCategory = "housewares", CreatedAt = now, UpdatedAt = now, CreatedBy = "demo" },
    ];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Products.AnyAsync(ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var random = new Random(4242);
        var warehouse = new StockLocation { Code = "WH1", Name = "Central warehouse" };
        var lisbon = new StockLocation { Code = "LIS", Name = "Lisbon store, Rua Augusta 100", IsStore = true };
        var porto = new StockLocation { Code = "OPO", Name = "Porto store, Rua de Santa Catarina 50", IsStore = true };
        db.StockLocations.AddRange(warehouse, lisbon, porto);
        var gtin = 560000000000L;
        foreach (var (slug, name, nouns, adjectives, sized) in Categories)
        {
            var category = new Category { Slug = slug, Name = name };
            db.Categories.Add(category);
            foreach (var noun in nouns)
            {
                var adjective = adjectives[random.Next(adjectives.Length)];
                var title = char.ToUpperInvariant(adjective[0]) + adjective[1..] + " " + noun;
                var price = (long)(random.Next(5, 120) * 100 + (random.NextDouble() < 0.5 ? 99 : 50));
                var product = new Product
                {
                    Slug = (adjective + "-" + noun).Replace(' ', '-'), Name = title, CategoryId = category.Id, Brand = "Centric Home",
                    Description = $"A {adjective} {noun} from our {name.ToLowerInvariant()} range. Made to last, easy to care for, and backed by our 30-day returns.",
                    CreatedAt = now, PriceFromMinor = price, Currency = "EUR",
                };
                // Ratings come from the reviews the demo history writes (the two draws stay, so the catalogue stays the same).
                _ = (random.Next(300, 500), random.Next(0, 250));
                product.SearchText = $"{title} {noun} {adjective} {name} {product.Brand}".ToLowerInvariant();
                db.Products.Add(product);
                var sizes = sized ? new[] { "Size S", "Size M", "Size L" } : new[] { "" };
                foreach (var size in sizes)
                {
                    var variant = new ProductVariant
                    {
                        ProductId = product.Id, Sku = $"{slug[..3].ToUpperInvariant()}-{random.Next(10000, 99999)}{(size.Length > 0 ? "-" + size[^1] : "")}",
                        Gtin = WithCheckDigit(++gtin), Options = size, PriceMinor = price, Currency = "EUR", WeightGrams = random.Next(100, 3000),
                    };
                    // Everyday consumables can also be had on subscription, 10 % cheaper.
                    if (slug is "health_beauty" or "housewares")
                    {
                        variant.SubscriptionIntervalDays = 30;
                        variant.SubscriptionPriceMinor = price * 90 / 100;
                    }
                    db.Variants.Add(variant);
                    db.StockLevels.Add(new StockLevel { VariantId = variant.Id, LocationId = warehouse.Id, OnHand = Stock(random.Next(0, 60)) });
                    db.StockLevels.Add(new StockLevel { VariantId = variant.Id, LocationId = lisbon.Id, OnHand = random.Next(0, 8) });
                    db.StockLevels.Add(new StockLevel { VariantId = variant.Id, LocationId = porto.Id, OnHand = random.Next(0, 8) });
                }
            }
        }
        db.Promotions.AddRange(DemoPromotions(now));
        // The loyalty programme runs with its default rules (1 point a euro, 100 points = €1, Bronze, Silver 500, Gold 2,000);
        // the demo history earns and spends through the checkout.
        var loyalty = Loyalty.LoyaltyProgram.Default();
        (loyalty.Enabled, loyalty.UpdatedAt, loyalty.UpdatedBy) = (true, now, "demo");
        db.LoyaltyPrograms.Add(loyalty);
        await db.SaveChangesAsync(ct);
        await IllustrateAsync(ct);
        return true;
    }

    /// <summary>
    /// Every demo product gets a picture, drawn from the product (the same product always gets the same one) and stored
    /// through the same checks and storage as a photo staff upload. Drawing runs on every core; storing is one row each.
    /// </summary>
    public async Task<int> IllustrateAsync(CancellationToken ct)
    {
        var products = await (from p in db.Products.AsNoTracking()
                              join c in db.Categories on p.CategoryId equals c.Id
                              where !db.ProductImages.Any(i => i.ProductId == p.Id)
                              select new { p.Id, p.Slug, Category = c.Slug }).ToListAsync(ct);
        var drawn = new byte[products.Count][];
        var art = new DemoProductArt();
        Parallel.For(0, products.Count, new ParallelOptions { CancellationToken = ct }, i => drawn[i] = art.Draw(products[i].Category, products[i].Slug));
        for (var i = 0; i < products.Count; i++) await images.StoreAsync(products[i].Id, drawn[i], ct);
        return products.Count;
    }

    /// <summary>Enough in the warehouse for two years of demo orders; a few products stay sold out.</summary>
    private static int Stock(int draw) => draw < 3 ? 0 : 150 + draw * 4;

    /// <summary>EAN-13: twelve digits and the GS1 check digit.</summary>
    public static string WithCheckDigit(long twelveDigits)
    {
        var s = twelveDigits.ToString("D12", System.Globalization.CultureInfo.InvariantCulture);
        var sum = 0;
        for (var i = 0; i < 12; i++) sum += (s[i] - '0') * (i % 2 == 0 ? 1 : 3);
        return s + ((10 - sum % 10) % 10).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }
}
