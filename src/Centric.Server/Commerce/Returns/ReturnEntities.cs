namespace Centric.Server.Commerce.Returns;

public enum ReturnStatus { Requested = 0, Approved = 1, Rejected = 2, Received = 3, Refunded = 4, Exchanged = 5 }

public enum ReturnResolution { Refund = 0, Exchange = 1 }

/// <summary>A customer's request to send items back, for a refund to the original payment or an exchange.</summary>
public sealed class ReturnRequest
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Printed on the label, e.g. RT-4K7Q2M9X.</summary>
    public required string Number { get; set; }
    public Guid OrderId { get; set; }
    public Guid ProfileId { get; set; }
    public ReturnStatus Status { get; set; }
    public ReturnResolution Resolution { get; set; }
    public required string Reason { get; set; }
    public string? Comment { get; set; }
    /// <summary>For an exchange: the variant the customer wants instead.</summary>
    public Guid? ExchangeVariantId { get; set; }
    public long RefundMinor { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ReturnLine> Lines { get; set; } = [];
}

public sealed class ReturnLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ReturnRequestId { get; set; }
    public Guid OrderLineId { get; set; }
    public int Quantity { get; set; }
}

public static class ReturnReasons
{
    public static readonly string[] All = ["damaged", "wrong_item", "not_as_described", "too_small", "too_large", "changed_mind", "other"];
}
