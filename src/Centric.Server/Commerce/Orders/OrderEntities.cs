using Centric.Server.Platform.Errors;

namespace Centric.Server.Commerce.Orders;

public enum OrderStatus { Placed = 0, Paid = 1, Picking = 2, Packed = 3, Shipped = 4, OutForDelivery = 5, Delivered = 6, Cancelled = 7, Refunded = 8 }

public sealed class Order
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The number customers and agents say out loud, e.g. CO-7K3F9Q.</summary>
    public required string Number { get; set; }
    public Guid ProfileId { get; set; }
    public required string Email { get; set; }
    public OrderStatus Status { get; set; }
    public required string Currency { get; set; }
    public long SubtotalMinor { get; set; }
    public long DiscountMinor { get; set; }
    public long ShippingMinor { get; set; }
    public long TaxMinor { get; set; }
    public long TotalMinor { get; set; }
    public string? PromoCode { get; set; }
    public required string ShippingMethod { get; set; }
    public Guid? PickupLocationId { get; set; }
    public string? ShipName { get; set; }
    public string? ShipLine1 { get; set; }
    public string? ShipLine2 { get; set; }
    public string? ShipCity { get; set; }
    public string? ShipPostalCode { get; set; }
    public string? ShipCountry { get; set; }
    public DateTime EstimatedDeliveryFrom { get; set; }
    public DateTime EstimatedDeliveryTo { get; set; }
    /// <summary>The checkout form's one-time key: a second submit finds this order instead of placing another.</summary>
    public required string IdempotencyKey { get; set; }
    /// <summary>Secret in the confirmation link, so a guest can open their order without an account.</summary>
    public string AccessKey { get; set; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    public DateTime PlacedAt { get; set; }
    public DateTime? PaidAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    /// <summary>Money already given back (returns, refunds), so partial refunds never exceed what was paid.</summary>
    public long RefundedMinor { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<OrderLine> Lines { get; set; } = [];

    public Money Total => new(TotalMinor, Currency);

    /// <summary>The only moves an order can make; everything else is refused with order-invalid-transition.</summary>
    private static readonly Dictionary<OrderStatus, OrderStatus[]> Allowed = new()
    {
        [OrderStatus.Placed] = [OrderStatus.Paid, OrderStatus.Cancelled],
        [OrderStatus.Paid] = [OrderStatus.Picking, OrderStatus.Cancelled, OrderStatus.Refunded],
        [OrderStatus.Picking] = [OrderStatus.Packed, OrderStatus.Cancelled],
        [OrderStatus.Packed] = [OrderStatus.Shipped, OrderStatus.Cancelled],
        [OrderStatus.Shipped] = [OrderStatus.OutForDelivery, OrderStatus.Delivered],
        [OrderStatus.OutForDelivery] = [OrderStatus.Delivered],
        [OrderStatus.Delivered] = [OrderStatus.Refunded],
        [OrderStatus.Cancelled] = [OrderStatus.Refunded],
        [OrderStatus.Refunded] = [],
    };

    public static bool CanMove(OrderStatus from, OrderStatus to) => Allowed[from].Contains(to);

    public bool CanCancel => CanMove(Status, OrderStatus.Cancelled);

    public void MoveTo(OrderStatus to, DateTime at)
    {
        if (!CanMove(Status, to))
            throw new DomainException("order-invalid-transition", $"An order that is {Status} cannot become {to}.");
        Status = to;
        UpdatedAt = at;
        if (to == OrderStatus.Paid) PaidAt = at;
        if (to == OrderStatus.Delivered) DeliveredAt = at;
    }
}

public sealed class OrderLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrderId { get; set; }
    public Guid VariantId { get; set; }
    public Guid ProductId { get; set; }
    public required string Sku { get; set; }
    public required string Name { get; set; }
    public required string Category { get; set; }
    public long UnitPriceMinor { get; set; }
    public int Quantity { get; set; }
    public long LineTotalMinor { get; set; }
}
