using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Catalog;

/// <summary>Where a product stands: units available over all its variants and locations, and its lowest variant price.</summary>
public readonly record struct ProductStanding(int Available, long PriceMinor);

/// <summary>
/// Tells the <see cref="IProductNewsListener"/>s when a change made a product come back in stock or lowered its price. Every
/// place that adds stock or changes a price reads the products' standing before the change (<see cref="ReadAsync"/>) and hands
/// it back once the change is written (<see cref="PublishAsync"/>), inside the same unit of work.
/// </summary>
public sealed class ProductNewsDesk(CentricDbContext db, IServiceProvider services)
{
    /// <summary>The products' standing as written in the database (changes still only tracked are not seen).</summary>
    public async Task<Dictionary<Guid, ProductStanding>> ReadAsync(IEnumerable<Guid> productIds, CancellationToken ct)
    {
        var ids = productIds.Distinct().ToArray();
        if (ids.Length == 0) return [];
        var prices = await db.Variants.AsNoTracking().Where(v => ids.Contains(v.ProductId)).GroupBy(v => v.ProductId)
            .Select(g => new { g.Key, Min = g.Min(v => v.PriceMinor) }).ToDictionaryAsync(x => x.Key, x => x.Min, ct);
        var stock = await (from s in db.StockLevels.AsNoTracking()
                           join v in db.Variants on s.VariantId equals v.Id
                           where ids.Contains(v.ProductId)
                           group s by v.ProductId into g
                           select new { g.Key, Available = g.Sum(s => s.OnHand > s.Reserved ? s.OnHand - s.Reserved : 0) }).ToDictionaryAsync(x => x.Key, x => x.Available, ct);
        return prices.ToDictionary(p => p.Key, p => new ProductStanding(stock.GetValueOrDefault(p.Key), p.Value));
    }

    /// <summary>The standing of the products these variants belong to.</summary>
    public async Task<Dictionary<Guid, ProductStanding>> ReadByVariantsAsync(IEnumerable<Guid> variantIds, CancellationToken ct)
    {
        var ids = variantIds.Distinct().ToArray();
        if (ids.Length == 0) return [];
        return await ReadAsync(await db.Variants.AsNoTracking().Where(v => ids.Contains(v.Id)).Select(v => v.ProductId).Distinct().ToListAsync(ct), ct);
    }

    /// <summary>
    /// Compares the products' standing now with <paramref name="before"/> and tells every listener what changed: back in stock
    /// (nothing was available, now something is) and a lower price. Products not for sale make no news. Returns how many news were told.
    /// </summary>
    public async Task<int> PublishAsync(IReadOnlyDictionary<Guid, ProductStanding> before, CancellationToken ct)
    {
        if (before.Count == 0) return 0;
        var listeners = services.GetServices<IProductNewsListener>().ToList();
        if (listeners.Count == 0) return 0;
        var after = await ReadAsync(before.Keys, ct);
        var told = 0;
        foreach (var (id, was) in before)
        {
            if (!after.TryGetValue(id, out var now)) continue;
            var restocked = was.Available <= 0 && now.Available > 0;
            var cheaper = now.PriceMinor < was.PriceMinor;
            if (!restocked && !cheaper) continue;
            var product = await db.Products.AsNoTracking().Where(p => p.Id == id && p.Active).Select(p => new { p.Name, p.Slug, p.Currency }).FirstOrDefaultAsync(ct);
            if (product is null) continue;
            foreach (var listener in listeners)
            {
                if (restocked) await listener.BackInStockAsync(new ProductBackInStock(id, product.Name, product.Slug, now.PriceMinor, product.Currency), ct);
                if (cheaper) await listener.PriceDroppedAsync(new ProductPriceDropped(id, product.Name, product.Slug, was.PriceMinor, now.PriceMinor, product.Currency), ct);
            }
            told += (restocked ? 1 : 0) + (cheaper ? 1 : 0);
        }
        return told;
    }
}
