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
    /// <summary>When it was last marked Delivered; null until then.</summary>
    public DateTime? DeliveredAt { get; set; }
    /// <summary>Days from placing to <see cref="DeliveredAt"/>, kept so the order cycle time is one average in the database.</summary>
    public double? DeliveryDays { get; set; }
}

/// <summary>
/// Each customer's first order ever (insights_first_orders), kept beside the <see cref="CountedOrder"/>s so "new in the
/// range" is one indexed count instead of every customer's orders grouped on each load.
/// </summary>
public sealed class FirstOrder
{
    public Guid ProfileId { get; set; }
    public DateTime PlacedAt { get; set; }
}

/// <summary>
/// A visit (insights_product_visits): a customer who looked at products on one channel on one UTC day, however many.
/// The denominator of conversion, kept from <c>product_viewed</c> so a load counts rows instead of reading every view.
/// </summary>
public sealed class ProductVisit
{
    public DateOnly Day { get; set; }
    public required string Channel { get; set; }
    public Guid ProfileId { get; set; }
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
    /// <summary>
    /// A returning customer's first purchase in this category (they had ordered before, never from it): what
    /// cross-sell revenue sums. Decided when the order is counted, from the orders counted before it.
    /// </summary>
    public bool CrossSell { get; set; }
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
