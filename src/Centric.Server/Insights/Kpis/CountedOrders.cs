namespace Centric.Server.Insights.Kpis;

/// <summary>
/// One order as the KPIs count it (insights_order_facts), kept by <see cref="KpiRollupSubscriber"/> from
/// <c>order_placed</c>: who, when, on which channel, and the value of its lines (quantity × unit price; no delivery, tax
/// or discount) in minor units.
/// </summary>
public sealed class CountedOrder
{
    public Guid OrderId { get; set; }
    public Guid ProfileId { get; set; }
    public DateTime PlacedAt { get; set; }
    public required string Channel { get; set; }
    public long ValueMinor { get; set; }
    public required string Currency { get; set; }
}

/// <summary>
/// One line of a counted order (insights_order_lines), kept beside <see cref="CountedOrder"/> from the same
/// <c>order_placed</c>: what the value deciles' penetration counts (categories and products bought).
/// </summary>
public sealed class CountedOrderLine
{
    public Guid OrderId { get; set; }
    /// <summary>The line's place in the order, from 0.</summary>
    public int Line { get; set; }
    public Guid ProfileId { get; set; }
    public DateTime PlacedAt { get; set; }
    public Guid ProductId { get; set; }
    public required string Category { get; set; }
    public int Quantity { get; set; }
    public long ValueMinor { get; set; }
}

/// <summary>
/// Value taken back from revenue when it is recorded (insights_order_adjustments): a cancelled order's line value, or what
/// a return refunded. Keyed by the interaction that recorded it, so a redelivered batch adds nothing twice.
/// </summary>
public sealed class RevenueAdjustment
{
    public Guid Id { get; set; }
    public Guid OrderId { get; set; }
    public Guid ProfileId { get; set; }
    public DateTime At { get; set; }
    public required string Channel { get; set; }
    public long ValueMinor { get; set; }
    /// <summary>cancellation or return.</summary>
    public required string Kind { get; set; }
}
