using Centric.Server.Commerce.Orders;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Contracts;

/// <summary>One of a customer's orders as other modules see it (Support's customer card, the order picker on a new request).</summary>
public sealed record OrderSummary(string Number, DateTime PlacedAt, string Status, long TotalMinor, string Currency)
{
    /// <summary>The total as the shop writes it (€12.50).</summary>
    public string Total => new Money(TotalMinor, Currency).ToString();
}

/// <summary>An order delivered after the latest day it was promised for, with what was in it.</summary>
public sealed record LateDelivery(Guid ProfileId, string Number, DateTime DeliveredAt, double DaysLate, IReadOnlyList<string> Products);

/// <summary>
/// What Commerce tells other modules about a customer's orders. It reads through the DbContext it is given, so a stream
/// subscriber (Support's routing) gets its answer inside the dispatcher's transaction; pages get it from DI.
/// </summary>
public sealed class OrderLookup(CentricDbContext db)
{
    /// <summary>Statuses of orders whose money the shop does not hold: not paid yet, or given back.</summary>
    internal static readonly OrderStatus[] Unpaid = [OrderStatus.Placed, OrderStatus.Cancelled, OrderStatus.Refunded];

    /// <summary>The profile's latest orders, newest first.</summary>
    public async Task<IReadOnlyList<OrderSummary>> RecentAsync(Guid profileId, int limit, CancellationToken ct) =>
        (await db.Orders.AsNoTracking().Where(o => o.ProfileId == profileId).OrderByDescending(o => o.PlacedAt).Take(limit)
            .Select(o => new { o.Number, o.PlacedAt, o.Status, o.TotalMinor, o.Currency }).ToListAsync(ct))
        .Select(o => new OrderSummary(o.Number, o.PlacedAt, o.Status.ToString(), o.TotalMinor, o.Currency)).ToList();

    /// <summary>Total of the profile's paid orders in minor units; currencies are not converted (a single-currency shop is the norm).</summary>
    public async Task<long> LifetimeSpendMinorAsync(Guid profileId, CancellationToken ct) =>
        await db.Orders.Where(o => o.ProfileId == profileId && !Unpaid.Contains(o.Status)).SumAsync(o => (long?)o.TotalMinor, ct) ?? 0;

    /// <summary>Orders delivered in [<paramref name="from"/>, <paramref name="to"/>) after the end of their promised delivery window.</summary>
    public async Task<IReadOnlyList<LateDelivery>> LateDeliveriesAsync(DateTime from, DateTime to, CancellationToken ct) =>
        (await db.Orders.AsNoTracking()
            .Where(o => o.DeliveredAt >= from && o.DeliveredAt < to && o.DeliveredAt > o.EstimatedDeliveryTo)
            .Select(o => new { o.ProfileId, o.Number, DeliveredAt = o.DeliveredAt!.Value, o.EstimatedDeliveryTo, Products = o.Lines.Select(l => l.Name).ToList() })
            .ToListAsync(ct))
        .Select(o => new LateDelivery(o.ProfileId, o.Number, o.DeliveredAt, Math.Round((o.DeliveredAt - o.EstimatedDeliveryTo).TotalDays, 1), o.Products)).ToList();

    /// <summary>The order's number as the shop writes it when <paramref name="number"/> is one of the profile's orders; else null.</summary>
    public async Task<string?> OwnNumberAsync(Guid profileId, string number, CancellationToken ct) =>
        Orders.OrdersApi.NormaliseNumber(number) is { } n
            ? await db.Orders.AsNoTracking().Where(o => o.Number == n && o.ProfileId == profileId).Select(o => o.Number).FirstOrDefaultAsync(ct)
            : null;
}
