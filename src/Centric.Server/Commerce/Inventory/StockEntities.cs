namespace Centric.Server.Commerce.Inventory;

/// <summary>A warehouse or a store (stores also offer click-and-collect and curbside).</summary>
public sealed class StockLocation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Code { get; set; }
    public required string Name { get; set; }
    public bool IsStore { get; set; }
}

/// <summary>
/// Stock of one variant at one location. Available = OnHand − Reserved; a reservation is taken with a
/// conditional update that only succeeds while enough is available, so concurrent checkouts never oversell.
/// </summary>
public sealed class StockLevel
{
    public Guid VariantId { get; set; }
    public Guid LocationId { get; set; }
    public int OnHand { get; set; }
    public int Reserved { get; set; }
    public int LowStockThreshold { get; set; } = 5;
    public int Available => OnHand - Reserved;
}

public enum ReservationStatus { Held = 0, Committed = 1, Released = 2 }

/// <summary>Units held for an order between checkout and payment; released on cancel, decline or timeout.</summary>
public sealed class StockReservation
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrderId { get; set; }
    public Guid VariantId { get; set; }
    public Guid LocationId { get; set; }
    public int Quantity { get; set; }
    public ReservationStatus Status { get; set; }
    public DateTime ExpiresAt { get; set; }
}
