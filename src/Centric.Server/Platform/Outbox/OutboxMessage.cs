namespace Centric.Server.Platform.Outbox;

/// <summary>
/// One row per interaction, written in the same transaction as the interaction itself.
/// Position is the dispatch order; subscribers keep a checkpoint of the last position they handled.
/// </summary>
public sealed class OutboxMessage
{
    public long Position { get; set; }
    public Guid InteractionId { get; set; }
    public Guid ProfileId { get; set; }
    public required string Type { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>How far a subscriber has got, and which node holds its lease right now.</summary>
public sealed class SubscriberCheckpoint
{
    public required string Subscriber { get; set; }
    public long Position { get; set; }
    public Guid? LeaseToken { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime UpdatedAt { get; set; }
}
