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
