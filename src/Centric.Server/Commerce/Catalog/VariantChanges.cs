using Centric.Server.Commerce.Inventory;
using Centric.Server.Platform.Data;

namespace Centric.Server.Commerce.Catalog;

/// <summary>
/// Staff (the console's product page, the API) change a variant's price and its stock at locations. One transaction holds the
/// change and what the <see cref="ProductNewsDesk"/>'s listeners add for it (the alerts to customers waiting for a restock or a
/// lower price), so either both commit or neither.
/// </summary>
public sealed class VariantChanges(CentricDbContext db, CatalogCsv csv, ProductNewsDesk news)
{
    /// <summary>
    /// Sets the price (minor units) when given, and units on hand per location (never below what is held for open orders).
    /// Returns how many news (back in stock, a lower price) the change made.
    /// </summary>
    public async Task<int> ApplyAsync(ProductVariant variant, long? priceMinor, IReadOnlyDictionary<Guid, int> onHandByLocation, CancellationToken ct)
    {
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        var before = await news.ReadAsync([variant.ProductId], ct);
        if (priceMinor is { } price) variant.PriceMinor = price;
        foreach (var (location, onHand) in onHandByLocation)
        {
            var level = await db.StockLevels.FindAsync([variant.Id, location], ct);
            if (level is null) db.StockLevels.Add(new StockLevel { VariantId = variant.Id, LocationId = location, OnHand = onHand });
            else level.OnHand = Math.Max(onHand, level.Reserved);
        }
        await db.SaveChangesAsync(ct);
        await csv.RefreshPriceFromAsync(variant.ProductId, ct);
        var told = await news.PublishAsync(before, ct);
        await db.SaveChangesAsync(ct);
        if (tx is not null) await tx.CommitAsync(ct);
        return told;
    }
}
