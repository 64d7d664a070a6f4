namespace Centric.Server.Platform.Audit;

/// <summary>Who viewed or changed which customer's data, when and from where. Append-only.</summary>
public sealed class AuditEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public DateTime At { get; set; }
    /// <summary>staff, apikey, customer or system.</summary>
    public required string ActorKind { get; set; }
    public string? ActorId { get; set; }
    public string? ActorName { get; set; }
    /// <summary>A dotted verb such as customer.viewed, customer.erased, apikey.created.</summary>
    public required string Action { get; set; }
    public Guid? ProfileId { get; set; }
    public string? Details { get; set; }
    public string? IpAddress { get; set; }
    public string? UserAgent { get; set; }
}
