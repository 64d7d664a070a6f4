namespace Centric.Server.Commerce.Payments;

public enum PaymentStatus { Pending = 0, RequiresAction = 1, Succeeded = 2, Failed = 3, Refunded = 4 }

/// <summary>One attempt to pay an order. Card numbers never reach the database: only brand and last four digits.</summary>
public sealed class Payment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid OrderId { get; set; }
    public Guid ProfileId { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public PaymentStatus Status { get; set; }
    public required string Gateway { get; set; }
    public string? GatewayReference { get; set; }
    public string? FailureCode { get; set; }
    public string? CardBrand { get; set; }
    public string? CardLast4 { get; set; }
    /// <summary>The gateway's fingerprint of the card: the same card gives the same fingerprint, whoever pays with it.</summary>
    public string? CardFingerprint { get; set; }
    /// <summary>Unique: a double submit of the same payment form finds this payment instead of charging again.</summary>
    public required string IdempotencyKey { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A payment provider. Keyed in DI by name; the sandbox ships with the product for demos and tests.</summary>
public interface IPaymentGateway
{
    Task<GatewayResult> ChargeAsync(ChargeRequest request, CancellationToken ct);

    /// <summary>Finishes a 3-D Secure challenge the customer answered.</summary>
    Task<GatewayResult> CompleteChallengeAsync(string reference, bool approved, CancellationToken ct);

    Task<GatewayResult> RefundAsync(string reference, long amountMinor, string idempotencyKey, CancellationToken ct);

    /// <summary>Saves a card at the gateway; Centric keeps only the returned token, brand and last four digits.</summary>
    Task<GatewayCard> TokenizeAsync(string cardNumber, CancellationToken ct);
}

public sealed record GatewayCard(string Token, string Brand, string Last4);

/// <summary><paramref name="CardNumber"/> is either a card number typed at checkout or a saved card's token.</summary>
public sealed record ChargeRequest(Guid PaymentId, long AmountMinor, string Currency, string CardNumber, string IdempotencyKey);

public enum GatewayOutcome { Succeeded, Declined, RequiresAction }

/// <summary><paramref name="CardFingerprint"/> names the card itself (not the customer), as gateways do, so one card used by two customers can be told.</summary>
public sealed record GatewayResult(GatewayOutcome Outcome, string Reference, string? DeclineCode = null, string? CardBrand = null, string? CardLast4 = null,
    string? CardFingerprint = null);
