using Centric.Server.Commerce.Orders;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Inventory;

/// <summary>Holds, commits and releases stock. Runs inside the caller's transaction.</summary>
public sealed class InventoryService(CentricDbContext db, TimeProvider clock, Platform.Mail.MailOutbox mail,
    Microsoft.Extensions.Options.IOptions<Checkout.CommerceOptions> options, Catalog.ProductNewsDesk news)
{
    public static readonly TimeSpan Hold = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Reserves every line, from the pickup store when one is given, else from whichever location has most.
    /// Each hold is one conditional UPDATE that succeeds only while enough is available — the database
    /// serialises concurrent checkouts on the row, so the last unit goes to exactly one of them.
    /// </summary>
    public async Task ReserveAsync(Order order, Guid? onlyLocation, CancellationToken ct)
    {
        var expires = clock.GetUtcNow().UtcDateTime + Hold;
        foreach (var line in order.Lines)
        {
            // Usually one statement: the location with most available is held in the same UPDATE that picks it. When another
            // checkout took that location's last units first, the others are tried in turn.
            var taken = await HoldBestAsync(line.VariantId, line.Quantity, onlyLocation, ct);
            if (taken is null)
            {
                var candidates = await db.StockLevels.AsNoTracking()
                    .Where(s => s.VariantId == line.VariantId && (onlyLocation == null || s.LocationId == onlyLocation))
                    .OrderByDescending(s => s.OnHand - s.Reserved).Select(s => s.LocationId).ToListAsync(ct);
                foreach (var location in candidates)
                {
                    var quantity = line.Quantity;
                    var rows = await db.StockLevels
                        .Where(s => s.VariantId == line.VariantId && s.LocationId == location && s.OnHand - s.Reserved >= quantity)
                        .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved + quantity), ct);
                    if (rows == 1)
                    {
                        taken = location;
                        break;
                    }
                }
            }
            if (taken is null)
                throw new DomainException("out-of-stock", $"Not enough stock of {line.Name} for {line.Quantity}.");
            db.StockReservations.Add(new StockReservation
            {
                OrderId = order.Id, VariantId = line.VariantId, LocationId = taken.Value, Quantity = line.Quantity,
                Status = ReservationStatus.Held, ExpiresAt = expires,
            });
        }
    }

    /// <summary>Holds the units at the location with most available (or at the one location given); null when that hold failed.</summary>
    private async Task<Guid?> HoldBestAsync(Guid variantId, int quantity, Guid? onlyLocation, CancellationToken ct)
    {
        // The condition on what is available is repeated outside the subquery: it is what the database checks again on the row
        // it locks, after a concurrent hold of the same row commits.
        var held = onlyLocation is { } location
            ? await db.Database.SqlQuery<Guid>($"""
                UPDATE commerce_stock_levels SET "Reserved" = "Reserved" + {quantity}
                WHERE "VariantId" = {variantId} AND "LocationId" = {location} AND "OnHand" - "Reserved" >= {quantity}
                RETURNING "LocationId" AS "Value"
                """).ToListAsync(ct)
            : await db.Database.SqlQuery<Guid>($"""
                UPDATE commerce_stock_levels SET "Reserved" = "Reserved" + {quantity}
                WHERE "VariantId" = {variantId} AND "OnHand" - "Reserved" >= {quantity} AND "LocationId" = (
                    SELECT "LocationId" FROM commerce_stock_levels WHERE "VariantId" = {variantId} AND "OnHand" - "Reserved" >= {quantity}
                    ORDER BY "OnHand" - "Reserved" DESC LIMIT 1)
                RETURNING "LocationId" AS "Value"
                """).ToListAsync(ct);
        return held.Count == 1 ? held[0] : null;
    }

    /// <summary>Payment succeeded: held units leave the shelf.</summary>
    public async Task CommitAsync(Guid orderId, CancellationToken ct)
    {
        foreach (var r in await db.StockReservations.Where(r => r.OrderId == orderId && r.Status == ReservationStatus.Held).ToListAsync(ct))
        {
            var q = r.Quantity;
            // The shelf as this sale left it, from the same statement.
            var after = await db.Database.SqlQuery<ShelfLevel>($"""
                UPDATE commerce_stock_levels SET "Reserved" = "Reserved" - {q}, "OnHand" = "OnHand" - {q}
                WHERE "VariantId" = {r.VariantId} AND "LocationId" = {r.LocationId}
                RETURNING "OnHand", "LowStockThreshold"
                """).ToListAsync(ct);
            r.Status = ReservationStatus.Committed;
            if (after is [var level]) await AlertIfLowAsync(r.VariantId, r.LocationId, level, q, ct);
        }
    }

    /// <summary>A stock row's shelf count and its replenishment threshold.</summary>
    private sealed class ShelfLevel
    {
        public int OnHand { get; set; }
        public int LowStockThreshold { get; set; }
    }

    /// <summary>A replenishment alert when this sale took the shelf to or below its threshold (once per crossing).</summary>
    private async Task AlertIfLowAsync(Guid variantId, Guid locationId, ShelfLevel level, int sold, CancellationToken ct)
    {
        if (level.OnHand > level.LowStockThreshold || level.OnHand + sold <= level.LowStockThreshold) return;
        var what = await (from v in db.Variants join p in db.Products on v.ProductId equals p.Id where v.Id == variantId select new { v.Sku, p.Name, p.Id }).FirstAsync(ct);
        var where = await db.StockLocations.Where(l => l.Id == locationId).Select(l => l.Name).FirstAsync(ct);
        var e = System.Text.Encodings.Web.HtmlEncoder.Default;
        mail.Add(db, options.Value.ReplenishmentEmail, $"Low stock: {what.Sku} at {where} ({level.OnHand} left)",
            $"<p>{e.Encode(what.Name)} ({e.Encode(what.Sku)}) is down to {level.OnHand} at {e.Encode(where)}; the threshold is {level.LowStockThreshold}.</p>" +
            $"<p><a href=\"/console/products/{what.Id}\">Restock it in the console</a>.</p>");
    }

    /// <summary>Cancel, decline for good, or timeout: held units become available again; committed ones go back on the shelf.</summary>
    public async Task ReleaseAsync(Guid orderId, CancellationToken ct)
    {
        var reservations = await db.StockReservations.Where(r => r.OrderId == orderId && r.Status != ReservationStatus.Released).ToListAsync(ct);
        if (reservations.Count == 0) return;
        // Units given back can bring a sold-out product back in stock: those waiting for it hear in this unit of work.
        var before = await news.ReadByVariantsAsync(reservations.Select(r => r.VariantId), ct);
        foreach (var r in reservations)
        {
            var q = r.Quantity;
            if (r.Status == ReservationStatus.Held)
                await db.StockLevels.Where(s => s.VariantId == r.VariantId && s.LocationId == r.LocationId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.Reserved, x => x.Reserved - q), ct);
            else
                await db.StockLevels.Where(s => s.VariantId == r.VariantId && s.LocationId == r.LocationId)
                    .ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand + q), ct);
            r.Status = ReservationStatus.Released;
        }
        await news.PublishAsync(before, ct);
    }

    /// <summary>
    /// Returned goods go back on the shelf: each variant at <paramref name="preferredLocation"/> when it is stocked there, else
    /// at the first location that stocks it (a variant stocked nowhere is skipped). Those waiting for a restock hear in this unit of work.
    /// </summary>
    public async Task RestockAsync(IReadOnlyList<(Guid VariantId, int Quantity)> goods, Guid? preferredLocation, CancellationToken ct)
    {
        var before = await news.ReadByVariantsAsync(goods.Select(g => g.VariantId), ct);
        foreach (var (variant, q) in goods)
        {
            var shelf = await db.StockLevels.Where(s => s.VariantId == variant && (preferredLocation == null || s.LocationId == preferredLocation))
                .Select(s => (Guid?)s.LocationId).FirstOrDefaultAsync(ct);
            if (shelf is null) continue;
            await db.StockLevels.Where(s => s.VariantId == variant && s.LocationId == shelf)
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.OnHand, x => x.OnHand + q), ct);
        }
        await news.PublishAsync(before, ct);
    }

    /// <summary>The stores, by name: where click-and-collect and curbside orders are picked up.</summary>
    public Task<List<StockLocation>> StoresAsync(CancellationToken ct) =>
        db.StockLocations.AsNoTracking().Where(l => l.IsStore).OrderBy(l => l.Name).ToListAsync(ct);

    public async Task<int> AvailableAsync(Guid variantId, CancellationToken ct) =>
        await db.StockLevels.Where(s => s.VariantId == variantId).SumAsync(s => s.OnHand - s.Reserved, ct);
}
