using Centric.Server.Commerce.Catalog;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Centric.Server.Commerce.Contracts;

/// <summary>A product's picture for a list: a URL (and sizes when uploaded), with its drawn width and height.</summary>
public sealed record ShopPicture(string Url, string? SrcSet, int Width, int Height);

/// <summary>
/// A product for sale as other modules show and filter it (recommendations, the wish list). <see cref="Repeatable"/>: bought
/// again and again (it can be had on subscription), so having bought it is no reason to leave it out. <see cref="Price"/> is the
/// "from" price as the shop writes it; <see cref="PriceMinor"/> and <see cref="Currency"/> the same as a number (price alerts compare it).
/// </summary>
public sealed record ShopItem(Guid ProductId, string Sku, string Slug, string Name, string Category, string CategoryName, string Price,
    bool InStock, bool Repeatable, double Rating, int ReviewCount, ShopPicture? Picture, long PriceMinor = 0, string Currency = "EUR");

/// <summary>Every product for sale (active), by id and by SKU, with the best sellers first in <see cref="Popular"/>.</summary>
public sealed class ShopSnapshot(IReadOnlyDictionary<Guid, ShopItem> byId, IReadOnlyDictionary<string, Guid> bySku, IReadOnlyList<Guid> popular,
    IReadOnlyList<(string Slug, string Name)> categories)
{
    public IReadOnlyDictionary<Guid, ShopItem> ById { get; } = byId;
    /// <summary>Every variant's SKU (case-insensitive) to its product.</summary>
    public IReadOnlyDictionary<string, Guid> BySku { get; } = bySku;
    /// <summary>Products by units in paid orders over the last 90 days, then by reviews: the popularity every list falls back to.</summary>
    public IReadOnlyList<Guid> Popular { get; } = popular;
    public IReadOnlyList<(string Slug, string Name)> Categories { get; } = categories;
}

/// <summary>
/// What Commerce tells other modules about the products for sale and what a customer bought. The snapshot is kept for
/// <see cref="Freshness"/>, so pages that filter recommendations by stock and visibility do not query the catalogue each time.
/// When it is due, one request reads it again while the others go on with the one kept: at 100 requests a second, every
/// request reading the catalogue at once stalled answers for seconds (docs/BENCHMARKS.md, "Recommendations through the API").
/// </summary>
public sealed class ShopItems(CentricDbContext db, IMemoryCache cache, TimeProvider clock)
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private const string Key = "commerce:shop-snapshot";
    private const int PopularDays = 90;

    /// <summary>A snapshot and when it was read (a <see cref="System.Diagnostics.Stopwatch"/> timestamp).</summary>
    private sealed record ReadSnapshot(ShopSnapshot Snapshot, long ReadAt);

    /// <summary>The snapshot kept, and whether a request is reading it again.</summary>
    private sealed class Kept
    {
        public volatile ReadSnapshot? Current;
        public int Reading;
    }

    private Kept Holder => cache.GetOrCreate(Key, entry =>
    {
        entry.Priority = CacheItemPriority.NeverRemove;
        return new Kept();
    })!;

    /// <summary>Forgets the kept snapshot (tests, and staff changing a product who want to see it at once).</summary>
    public void Refresh() => Holder.Current = null;

    public async Task<ShopSnapshot> SnapshotAsync(CancellationToken ct)
    {
        var holder = Holder;
        var current = holder.Current;
        if (current is not null && System.Diagnostics.Stopwatch.GetElapsedTime(current.ReadAt) < Freshness) return current.Snapshot;
        // Due: one request reads it again while the others keep the one they have (none kept yet: each reads).
        var reader = current is not null;
        if (reader && Interlocked.CompareExchange(ref holder.Reading, 1, 0) != 0) return current!.Snapshot;
        try
        {
            var snapshot = await ReadAsync(ct);
            holder.Current = new ReadSnapshot(snapshot, System.Diagnostics.Stopwatch.GetTimestamp());
            return snapshot;
        }
        finally
        {
            if (reader) Volatile.Write(ref holder.Reading, 0);
        }
    }

    /// <summary>These products as they are now (not from the kept snapshot), those for sale only: for pages that show a few products a person chose.</summary>
    public Task<Dictionary<Guid, ShopItem>> FindAsync(IReadOnlyCollection<Guid> productIds, CancellationToken ct) =>
        productIds.Count == 0 ? Task.FromResult(new Dictionary<Guid, ShopItem>()) : ItemsAsync(productIds, ct);

    private async Task<ShopSnapshot> ReadAsync(CancellationToken ct)
    {
        var byId = await ItemsAsync(null, ct);
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-PopularDays);
        var unpaid = OrderLookup.Unpaid;
        var sold = await (from l in db.OrderLines
                          join o in db.Orders on l.OrderId equals o.Id
                          where o.PaidAt != null && o.PaidAt >= since && !unpaid.Contains(o.Status)
                          group l by l.ProductId into g
                          select new { ProductId = g.Key, Units = g.Sum(l => l.Quantity) }).ToDictionaryAsync(s => s.ProductId, s => s.Units, ct);
        var variants = await (from v in db.Variants.AsNoTracking()
                              join p in db.Products on v.ProductId equals p.Id
                              where p.Active
                              select new { v.ProductId, v.Sku }).ToListAsync(ct);
        var bySku = new Dictionary<string, Guid>(StringComparer.OrdinalIgnoreCase);
        foreach (var v in variants) if (byId.ContainsKey(v.ProductId)) bySku.TryAdd(v.Sku, v.ProductId);
        var popular = byId.Values.OrderByDescending(i => sold.GetValueOrDefault(i.ProductId)).ThenByDescending(i => i.ReviewCount).ThenBy(i => i.ProductId)
            .Select(i => i.ProductId).ToList();
        var categories = byId.Values.Select(i => (i.Category, i.CategoryName)).Distinct().OrderBy(c => c.CategoryName, StringComparer.Ordinal).ToList();
        return new ShopSnapshot(byId, bySku, popular, categories);
    }

    /// <summary>Products for sale (all, or <paramref name="only"/> these) with their cheapest variant's SKU, stock and newest picture.</summary>
    private async Task<Dictionary<Guid, ShopItem>> ItemsAsync(IReadOnlyCollection<Guid>? wanted, CancellationToken ct)
    {
        var only = wanted?.Distinct().ToArray();
        var productQuery = db.Products.AsNoTracking().Where(p => p.Active);
        if (only is not null) productQuery = productQuery.Where(p => only.Contains(p.Id));
        var products = await (from p in productQuery
                              join c in db.Categories on p.CategoryId equals c.Id
                              select new { p.Id, p.Slug, p.Name, Category = c.Slug, CategoryName = c.Name, p.PriceFromMinor, p.Currency, p.RatingX100, p.ReviewCount, p.ImageUrl })
            .ToListAsync(ct);
        var variants = await (from v in db.Variants.AsNoTracking()
                              join p in productQuery on v.ProductId equals p.Id
                              select new { v.Id, v.ProductId, v.Sku, v.PriceMinor, Repeatable = v.SubscriptionIntervalDays != null }).ToListAsync(ct);
        var stockQuery = db.StockLevels.AsNoTracking();
        if (only is not null) stockQuery = stockQuery.Where(s => db.Variants.Any(v => v.Id == s.VariantId && only.Contains(v.ProductId)));
        var stock = await stockQuery.GroupBy(s => s.VariantId)
            .Select(g => new { g.Key, Available = g.Sum(s => s.OnHand - s.Reserved) }).ToDictionaryAsync(s => s.Key, s => s.Available, ct);
        // The newest upload of each product (never the bytes).
        var imageQuery = db.ProductImages.AsNoTracking();
        if (only is not null) imageQuery = imageQuery.Where(i => only.Contains(i.ProductId));
        var images = (await imageQuery.Select(i => new { i.ProductId, i.Id, i.Width, i.Height, i.CreatedAt }).ToListAsync(ct))
            .GroupBy(i => i.ProductId).ToDictionary(g => g.Key, g => g.OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id)
                .Select(i => new ProductImageRef(i.Id, i.Width, i.Height)).First());

        var byProduct = variants.GroupBy(v => v.ProductId).ToDictionary(g => g.Key, g => g.OrderBy(v => v.PriceMinor).ToList());
        var byId = new Dictionary<Guid, ShopItem>();
        foreach (var p in products)
        {
            var own = byProduct.GetValueOrDefault(p.Id) ?? [];
            if (own.Count == 0) continue;   // nothing to buy
            var image = images.GetValueOrDefault(p.Id);
            var picture = image is not null ? new ShopPicture(image.Url(320), image.SrcSet, Math.Min(320, image.Width), image.HeightAt(Math.Min(320, image.Width)))
                : p.ImageUrl is { Length: > 0 } url ? new ShopPicture(url, null, 320, 320) : null;
            byId[p.Id] = new ShopItem(p.Id, own[0].Sku, p.Slug, p.Name, p.Category, p.CategoryName, new Money(p.PriceFromMinor, p.Currency).ToString(),
                own.Any(v => stock.GetValueOrDefault(v.Id) > 0), own.Any(v => v.Repeatable), p.RatingX100 / 100.0, p.ReviewCount, picture, p.PriceFromMinor, p.Currency);
        }
        return byId;
    }

    /// <summary>The products in the customer's orders (any status but cancelled), ever.</summary>
    public async Task<IReadOnlySet<Guid>> BoughtAsync(Guid profileId, CancellationToken ct) =>
        (await (from l in db.OrderLines
                join o in db.Orders on l.OrderId equals o.Id
                where o.ProfileId == profileId && o.Status != Orders.OrderStatus.Cancelled
                select l.ProductId).Distinct().ToListAsync(ct)).ToHashSet();
}
