namespace Centric.Server.Commerce.Shipments;

public enum ShipmentStatus { LabelCreated = 0, InTransit = 1, OutForDelivery = 2, Delivered = 3, Exception = 4 }

/// <summary>A parcel on its way, tracked by a carrier.</summary>
public sealed class Shipment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrderId { get; set; }
    public Guid ProfileId { get; set; }
    public required string Carrier { get; set; }
    public required string TrackingNumber { get; set; }
    public ShipmentStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>One tracking scan from the carrier. The carrier's event id makes a redelivered webhook harmless.</summary>
public sealed class ShipmentEvent
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ShipmentId { get; set; }
    public required string ExternalId { get; set; }
    public required string Code { get; set; }
    public required string Description { get; set; }
    public string? Location { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
}
