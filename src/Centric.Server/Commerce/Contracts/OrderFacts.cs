using Centric.Server.Commerce.Orders;
using Centric.Server.Platform.Data;

namespace Centric.Server.Commerce.Contracts;

/// <summary>
/// One order as other modules filter on it (Engagement's segments): whose, when, its total in minor units, whether it was
/// cancelled, and whether the shop holds its money (paid and not refunded).
/// </summary>
public sealed class OrderFact
{
    public Guid ProfileId { get; init; }
    public DateTime PlacedAt { get; init; }
    public long TotalMinor { get; init; }
    public bool Cancelled { get; init; }
    public bool Paid { get; init; }
}

/// <summary>Orders as a composable query over the DbContext it is given; nothing is loaded until the caller runs it.</summary>
public sealed class OrderFacts(CentricDbContext db)
{
    public IQueryable<OrderFact> All =>
        db.Orders.Select(o => new OrderFact
        {
            ProfileId = o.ProfileId, PlacedAt = o.PlacedAt, TotalMinor = o.TotalMinor,
            Cancelled = o.Status == OrderStatus.Cancelled,
            Paid = o.Status != OrderStatus.Placed && o.Status != OrderStatus.Cancelled && o.Status != OrderStatus.Refunded,
        });
}
