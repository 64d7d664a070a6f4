namespace Centric.Server.Commerce.Subscriptions;

public enum SubscriptionStatus { Active = 0, Paused = 1, PastDue = 2, Cancelled = 3 }

/// <summary>A product delivered on a schedule and charged to a saved card (a gateway token, never a card number).</summary>
public sealed class Subscription
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public required string Email { get; set; }
    public Guid VariantId { get; set; }
    public int Quantity { get; set; } = 1;
    public int IntervalDays { get; set; }
    public long PriceMinor { get; set; }
    public required string Currency { get; set; }
    public SubscriptionStatus Status { get; set; }
    public DateTime NextRenewalAt { get; set; }
    /// <summary>Set while a failed renewal waits for its next retry (dunning).</summary>
    public DateTime? RetryAt { get; set; }
    public int FailedAttempts { get; set; }
    public required string PaymentToken { get; set; }
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }
    /// <summary>The renewal date a reminder was sent for, so each cycle gets one reminder.</summary>
    public DateTime? RemindedFor { get; set; }
    public string? ShipName { get; set; }
    public string? ShipLine1 { get; set; }
    public string? ShipCity { get; set; }
    public string? ShipPostalCode { get; set; }
    public string? ShipCountry { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}
