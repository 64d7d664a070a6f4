using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Orders;

/// <summary>What a customer has spent, for other modules (Support routes high-value customers to a priority queue).</summary>
public sealed class CustomerSpend(CentricDbContext db)
{
    private static readonly OrderStatus[] Unpaid = [OrderStatus.Placed, OrderStatus.Cancelled, OrderStatus.Refunded];

    /// <summary>Total of the profile's paid orders in minor units; currencies are not converted (a single-currency shop is the norm).</summary>
    public async Task<long> LifetimeMinorAsync(Guid profileId, CancellationToken ct) =>
        await db.Orders.Where(o => o.ProfileId == profileId && !Unpaid.Contains(o.Status)).SumAsync(o => (long?)o.TotalMinor, ct) ?? 0;
}
