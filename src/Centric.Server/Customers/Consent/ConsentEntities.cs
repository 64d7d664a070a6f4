namespace Centric.Server.Customers.Consent;

/// <summary>The current answer for one profile, channel and purpose.</summary>
public sealed class ConsentState
{
    public Guid ProfileId { get; set; }
    public required string Channel { get; set; }
    public required string Purpose { get; set; }
    public bool Granted { get; set; }
    public DateTime UpdatedAt { get; set; }
    public required string Source { get; set; }
}

/// <summary>Every change of consent, kept for proof: value, when, source and by whom.</summary>
public sealed class ConsentChange
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public required string Channel { get; set; }
    public required string Purpose { get; set; }
    public bool Granted { get; set; }
    public DateTime At { get; set; }
    public required string Source { get; set; }
    public string? ChangedBy { get; set; }
}
