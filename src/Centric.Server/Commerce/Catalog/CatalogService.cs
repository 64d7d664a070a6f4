using System.Linq.Expressions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Centric.Server.Commerce.Catalog;

public sealed record CatalogQuery(string? Text, string? Category, decimal? MinPrice, decimal? MaxPrice, int? MinRating, bool InStockOnly, string? Sort, int Page = 1, int PageSize = 24);

/// <summary>A product as lists show it. <see cref="Image"/> is the uploaded photo (served in sizes); <see cref="ImageUrl"/> is its 640-wide URL, or the external URL staff entered when there is no upload.</summary>
public sealed record ProductCard(Guid Id, string Slug, string Name, string Category, Money PriceFrom, double Rating, int ReviewCount, bool InStock, string? ImageUrl,
    ProductImageRef? Image = null);

/// <summary>A category tile on the storefront: how many products it has and one product's image to show.</summary>
public sealed record CategoryTile(string Slug, string Name, int Count, ProductImageRef? Image);

public sealed record Facet(string Key, string Label, int Count);

public sealed record CatalogPage(IReadOnlyList<ProductCard> Items, int Total, int Page, int PageSize, IReadOnlyList<Facet> Categories,
    string? CorrectedText);

public sealed record ProductDetail(Product Product, Category Category, IReadOnlyList<(ProductVariant Variant, int Available)> Variants);

/// <summary>Browsing and search. Matching is word-prefix on a lower-cased search column; a query with no hits is retried with spelling corrected from the catalog's own words.</summary>
public sealed class CatalogService(CentricDbContext db, IMemoryCache cache, InteractionLog interactions, TimeProvider clock)
{
    /// <summary>Pages are at most this far in (deeper pages would be computed by skipping every row before them).</summary>
    public const int MaxPage = 10_000;
    /// <summary>Price filters above this are meaningless and would overflow minor units.</summary>
    public const decimal MaxPriceFilter = 10_000_000m;

    public Task<CatalogPage> SearchAsync(CatalogQuery q, CancellationToken ct) => SearchAsync(q, null, ct);

    /// <summary>
    /// A listing or search; in the default order ("Popular") a signed-in shopper's <paramref name="affinity"/> goes first: the
    /// products they are most likely to want, then their categories best first, each in the usual order.
    /// </summary>
    public async Task<CatalogPage> SearchAsync(CatalogQuery q, Contracts.ShopperAffinity? affinity, CancellationToken ct)
    {
        var page = await RunAsync(q, q.Text, affinity, ct);
        if (page.Total > 0 || string.IsNullOrWhiteSpace(q.Text)) return page;
        var corrected = await CorrectAsync(q.Text, ct);
        return corrected is null ? page : (await RunAsync(q, corrected, affinity, ct)) with { CorrectedText = corrected };
    }

    /// <summary>How many of the shopper's products and categories order a listing (more would make the SQL long for little).</summary>
    private const int AffinityProducts = 12, AffinityCategories = 3;

    private async Task<CatalogPage> RunAsync(CatalogQuery q, string? text, Contracts.ShopperAffinity? affinity, CancellationToken ct)
    {
        var products = db.Products.AsNoTracking().Where(p => p.Active);
        foreach (var term in Terms(text)) products = products.Where(p => p.SearchText.Contains(term));
        if (q.MinPrice is { } min) { var m = (long)(min * 100); products = products.Where(p => p.PriceFromMinor >= m); }
        if (q.MaxPrice is { } max) { var m = (long)(max * 100); products = products.Where(p => p.PriceFromMinor <= m); }
        if (q.MinRating is { } r) { var x = r * 100; products = products.Where(p => p.RatingX100 >= x); }
        if (q.InStockOnly)
            products = products.Where(p => db.Variants.Any(v => v.ProductId == p.Id && db.StockLevels.Any(s => s.VariantId == v.Id && s.OnHand - s.Reserved > 0)));

        // Facet counts ignore the category filter itself, so people can switch between categories.
        var facets = await (from p in products
                            join c in db.Categories on p.CategoryId equals c.Id
                            group c by new { c.Slug, c.Name } into g
                            select new Facet(g.Key.Slug, g.Key.Name, g.Count())).ToListAsync(ct);
        if (!string.IsNullOrEmpty(q.Category))
            products = products.Where(p => db.Categories.Any(c => c.Id == p.CategoryId && c.Slug == q.Category));

        var total = await products.CountAsync(ct);
        products = q.Sort switch
        {
            "price_asc" => products.OrderBy(p => p.PriceFromMinor).ThenBy(p => p.Id),
            "price_desc" => products.OrderByDescending(p => p.PriceFromMinor).ThenBy(p => p.Id),
            "rating" => products.OrderByDescending(p => p.RatingX100).ThenBy(p => p.Id),
            _ when affinity is { } a && (a.Products.Count > 0 || a.Categories.Count > 0) => await ByAffinityAsync(products, a, ct),
            _ => products.OrderByDescending(p => p.ReviewCount).ThenBy(p => p.Id),
        };
        var pageSize = Math.Clamp(q.PageSize, 1, 60);
        var pageNumber = Math.Max(1, q.Page);
        var items = await CardsAsync(products.Skip((pageNumber - 1) * pageSize).Take(pageSize), ct);
        return new CatalogPage(items, total, pageNumber, pageSize, [.. facets.OrderByDescending(f => f.Count)], null);
    }

    private async Task<IOrderedQueryable<Product>> ByAffinityAsync(IQueryable<Product> products, Contracts.ShopperAffinity affinity, CancellationToken ct)
    {
        var liked = affinity.Products.Take(AffinityProducts).ToList();
        var slugs = affinity.Categories.Take(AffinityCategories).ToList();
        var ids = await db.Categories.AsNoTracking().Where(c => slugs.Contains(c.Slug)).Select(c => new { c.Id, c.Slug }).ToListAsync(ct);
        var ranked = slugs.Select(s => ids.FirstOrDefault(c => c.Slug == s)?.Id ?? Guid.Empty).Concat(Enumerable.Repeat(Guid.Empty, AffinityCategories)).ToArray();
        Guid c0 = ranked[0], c1 = ranked[1], c2 = ranked[2];
        return products.OrderBy(p => liked.Contains(p.Id) ? 0 : 1)
            .ThenBy(p => p.CategoryId == c0 ? 0 : p.CategoryId == c1 ? 1 : p.CategoryId == c2 ? 2 : 3)
            .ThenByDescending(p => p.ReviewCount).ThenBy(p => p.Id);
    }

    /// <summary>Cards for a query of products, in the query's order, with stock and the newest image of each.</summary>
    private async Task<List<ProductCard>> CardsAsync(IQueryable<Product> products, CancellationToken ct)
    {
        var rows = await (from p in products
                          join c in db.Categories on p.CategoryId equals c.Id
                          select new
                          {
                              p.Id, p.Slug, p.Name, Category = c.Name, p.PriceFromMinor, p.Currency, p.RatingX100, p.ReviewCount, p.ImageUrl,
                              InStock = db.Variants.Any(v => v.ProductId == p.Id && db.StockLevels.Any(s => s.VariantId == v.Id && s.OnHand - s.Reserved > 0)),
                          }).ToListAsync(ct);
        var images = await ImagesAsync(rows.Select(r => r.Id).ToList(), ct);
        return rows.Select(r =>
        {
            var image = images.GetValueOrDefault(r.Id);
            return new ProductCard(r.Id, r.Slug, r.Name, r.Category, new Money(r.PriceFromMinor, r.Currency), r.RatingX100 / 100.0,
                r.ReviewCount, r.InStock, image?.Url(640) ?? r.ImageUrl, image);
        }).ToList();
    }

    /// <summary>The newest uploaded image of each product (the original's bytes are never loaded here).</summary>
    public async Task<Dictionary<Guid, ProductImageRef>> ImagesAsync(IReadOnlyCollection<Guid> productIds, CancellationToken ct)
    {
        if (productIds.Count == 0) return [];
        var rows = await db.ProductImages.AsNoTracking().Where(i => productIds.Contains(i.ProductId))
            .Select(i => new { i.ProductId, i.Id, i.Width, i.Height, i.CreatedAt }).ToListAsync(ct);
        return rows.GroupBy(r => r.ProductId)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.CreatedAt).ThenByDescending(r => r.Id).Select(r => new ProductImageRef(r.Id, r.Width, r.Height)).First());
    }

    /// <summary>
    /// What sells: products by units in paid orders (not cancelled or refunded) over the last <paramref name="days"/> days,
    /// topped up with the most reviewed products when the window has too few sales (a new shop).
    /// </summary>
    public async Task<IReadOnlyList<ProductCard>> BestSellersAsync(int days, int count, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddDays(-days);
        var unpaid = Contracts.OrderLookup.Unpaid;
        var sold = await (from l in db.OrderLines
                          join o in db.Orders on l.OrderId equals o.Id
                          where o.PaidAt != null && o.PaidAt >= since && !unpaid.Contains(o.Status)
                          group l by l.ProductId into g
                          select new { ProductId = g.Key, Units = g.Sum(l => l.Quantity) })
            .OrderByDescending(x => x.Units).ThenBy(x => x.ProductId).Take(count * 2).ToListAsync(ct);
        var ids = sold.Select(s => s.ProductId).ToList();
        var cards = (await CardsAsync(db.Products.AsNoTracking().Where(p => p.Active && ids.Contains(p.Id)), ct))
            .OrderBy(c => ids.IndexOf(c.Id)).Take(count).ToList();
        if (cards.Count < count)
        {
            var have = cards.Select(c => c.Id).ToList();
            cards.AddRange(await CardsAsync(db.Products.AsNoTracking().Where(p => p.Active && !have.Contains(p.Id))
                .OrderByDescending(p => p.ReviewCount).ThenBy(p => p.Id).Take(count - cards.Count), ct));
        }
        return cards;
    }

    /// <summary>The newest products for sale.</summary>
    public async Task<IReadOnlyList<ProductCard>> NewArrivalsAsync(int count, CancellationToken ct) =>
        await CardsAsync(db.Products.AsNoTracking().Where(p => p.Active).OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).Take(count), ct);

    /// <summary>Every category with products for sale, largest first, each with the image of its most reviewed product that has one.</summary>
    public async Task<IReadOnlyList<CategoryTile>> CategoryTilesAsync(CancellationToken ct)
    {
        var products = await (from p in db.Products.AsNoTracking()
                              join c in db.Categories on p.CategoryId equals c.Id
                              where p.Active
                              select new { p.Id, p.ReviewCount, c.Slug, c.Name }).ToListAsync(ct);
        var images = await ImagesAsync(products.Select(p => p.Id).ToList(), ct);
        return products.GroupBy(p => (p.Slug, p.Name))
            .Select(g => new CategoryTile(g.Key.Slug, g.Key.Name, g.Count(),
                g.OrderByDescending(p => p.ReviewCount).ThenBy(p => p.Id).Select(p => images.GetValueOrDefault(p.Id)).FirstOrDefault(i => i is not null)))
            .OrderByDescending(t => t.Count).ThenBy(t => t.Name, StringComparer.Ordinal).ToList();
    }

    public static IEnumerable<string> Terms(string? text) =>
        (text ?? "").ToLowerInvariant().Split([' ', ',', '.', '-', '/'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(t => t.Length >= 2).Distinct().Take(6);

    /// <summary>Suggestions as you type: product names that contain every word typed so far.</summary>
    public async Task<IReadOnlyList<string>> SuggestAsync(string? text, CancellationToken ct)
    {
        var terms = Terms(text).ToList();
        if (terms.Count == 0) return [];
        var query = db.Products.AsNoTracking().Where(p => p.Active);
        foreach (var t in terms) query = query.Where(p => p.SearchText.Contains(t));
        var names = await query.OrderByDescending(p => p.ReviewCount).Select(p => p.Name).Take(8).ToListAsync(ct);
        if (names.Count > 0) return names;
        return await CorrectAsync(text!, ct) is { } corrected ? [corrected] : [];
    }

    /// <summary>Replaces each unknown word by the closest catalog word (edit distance ≤ 2, preferring frequent words).</summary>
    public async Task<string?> CorrectAsync(string text, CancellationToken ct)
    {
        var vocabulary = await VocabularyAsync(ct);
        var changed = false;
        var words = Terms(text).Select(w =>
        {
            if (vocabulary.ContainsKey(w)) return w;
            var best = vocabulary.Where(v => Math.Abs(v.Key.Length - w.Length) <= 2)
                .Select(v => (Word: v.Key, Distance: EditDistance(w, v.Key), Count: v.Value))
                .Where(x => x.Distance <= (w.Length <= 4 ? 1 : 2))
                .OrderBy(x => x.Distance).ThenByDescending(x => x.Count).FirstOrDefault();
            if (best.Word is null) return w;
            changed = true;
            return best.Word;
        }).ToList();
        return changed ? string.Join(' ', words) : null;
    }

    private async Task<Dictionary<string, int>> VocabularyAsync(CancellationToken ct) =>
        (await cache.GetOrCreateAsync("catalog:vocabulary", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            var texts = await db.Products.AsNoTracking().Where(p => p.Active).Select(p => p.SearchText).ToListAsync(ct);
            var counts = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var word in texts.SelectMany(t => t.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Where(w => w.Length >= 3))
                counts[word] = counts.GetValueOrDefault(word) + 1;
            return counts;
        }))!;

    /// <summary>Optimal string alignment distance (Levenshtein plus adjacent transpositions).</summary>
    public static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        for (var j = 1; j <= b.Length; j++)
        {
            var cost = a[i - 1] == b[j - 1] ? 0 : 1;
            d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
        }
        return d[a.Length, b.Length];
    }

    public Task<ProductDetail?> ProductAsync(string slug, CancellationToken ct) => ProductAsync(p => p.Slug == slug, ct);

    public Task<ProductDetail?> ProductAsync(Guid id, CancellationToken ct) => ProductAsync(p => p.Id == id, ct);

    private async Task<ProductDetail?> ProductAsync(Expression<Func<Product, bool>> which, CancellationToken ct)
    {
        // Two reads, not four: the product page is the shop's busiest (docs/BENCHMARKS.md, "Shop reads at 200 requests a second").
        var found = await (from p in db.Products.AsNoTracking().Where(p => p.Active).Where(which)
                           join c in db.Categories.AsNoTracking() on p.CategoryId equals c.Id
                           select new { Product = p, Category = c }).FirstOrDefaultAsync(ct);
        if (found is null) return null;
        var variants = await db.Variants.AsNoTracking().Where(v => v.ProductId == found.Product.Id).OrderBy(v => v.PriceMinor)
            .Select(v => new { Variant = v, Available = db.StockLevels.Where(s => s.VariantId == v.Id).Sum(s => (int?)(s.OnHand - s.Reserved)) ?? 0 })
            .ToListAsync(ct);
        return new ProductDetail(found.Product, found.Category, variants.Select(v => (v.Variant, v.Available)).ToList());
    }

    /// <summary>A search someone ran (with words), on their timeline: what people look for and do not find.</summary>
    public async Task RecordSearchAsync(Guid profileId, CatalogQuery query, CatalogPage result, string channel, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(query.Text)) return;
        var text = query.Text.Length > 100 ? query.Text[..100] : query.Text;
        interactions.Append(db, profileId, InteractionTypes.SearchPerformed, channel, new SearchPerformedProperties(text, result.Total, result.CorrectedText, query.Category));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A product page someone opened.</summary>
    public async Task RecordViewAsync(Guid profileId, ProductDetail detail, string channel, CancellationToken ct)
    {
        interactions.Append(db, profileId, InteractionTypes.ProductViewed, channel, ViewOf(detail), sourceKind: "product", sourceId: detail.Product.Id.ToString());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A product page someone opened, written with the page's other interactions once it has rendered.</summary>
    public static void RecordView(PageInteractions page, Guid profileId, ProductDetail detail) =>
        page.Add(profileId, InteractionTypes.ProductViewed, "web", ViewOf(detail), sourceKind: "product", sourceId: detail.Product.Id.ToString());

    private static ProductViewedProperties ViewOf(ProductDetail detail) =>
        new(detail.Product.Id, detail.Category.Slug, detail.Product.PriceFromMinor / 100m, detail.Product.Currency);

    /// <summary>The product a scanned barcode names.</summary>
    public Task<string?> SlugForGtinAsync(string gtin, CancellationToken ct) =>
        (from v in db.Variants join p in db.Products on v.ProductId equals p.Id where v.Gtin == gtin && p.Active select p.Slug).FirstOrDefaultAsync(ct);
}
