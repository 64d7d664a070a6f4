namespace Centric.Server.Platform.Interactions;

/// <summary>An append-only footprint of something a customer did or had done to them, on any channel.</summary>
public sealed class Interaction
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>The producer's id; a second event with the same id is a duplicate and is not stored.</summary>
    public required string EventId { get; set; }
    /// <summary>Loaded from a business's history (`centric import`): on the timeline and in the measures, but not news to act on.</summary>
    public bool IsImported => EventId.StartsWith(InteractionLog.ImportedPrefix, StringComparison.Ordinal);
    public required string Type { get; set; }
    public required string Channel { get; set; }
    public DateTime OccurredAt { get; set; }
    public DateTime ReceivedAt { get; set; }
    public string? AnonymousId { get; set; }
    /// <summary>JSON object of event properties.</summary>
    public string Properties { get; set; } = "{}";
    /// <summary>The module and record this interaction came from, for a link on the timeline (e.g. commerce/order).</summary>
    public string? SourceKind { get; set; }
    public string? SourceId { get; set; }
}
