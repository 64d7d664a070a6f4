namespace Centric.Server.Platform.Outbox;

/// <summary>
/// One row per interaction, written in the same transaction as the interaction itself.
/// Subscribers read rows in stream order — (<see cref="TransactionId"/>, <see cref="Position"/>) — and keep a
/// checkpoint of the last one they handled.
/// </summary>
public sealed class OutboxMessage
{
    public long Position { get; set; }

    /// <summary>
    /// PostgreSQL: the writing transaction's id (the column defaults to <c>pg_current_xact_id()</c>). Positions are taken
    /// at insert but become visible at commit, in any order; transaction ids older than every running transaction
    /// are final, so the dispatcher reads only those, in transaction order. Always 0 on SQLite, whose single writer
    /// commits positions in order.
    /// </summary>
    public long TransactionId { get; set; }

    public Guid InteractionId { get; set; }
    public Guid ProfileId { get; set; }
    public required string Type { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class OutboxQueries
{
    /// <summary>The rows past a place in the stream: what a subscriber standing there has yet to handle.</summary>
    public static IQueryable<OutboxMessage> After(this IQueryable<OutboxMessage> rows, StreamPosition at)
    {
        var (transaction, position) = (at.TransactionId, at.Position);
        return rows.Where(m => m.TransactionId > transaction || (m.TransactionId == transaction && m.Position > position));
    }
}

/// <summary>How far a subscriber has got (a stream position), and which node holds its lease right now.</summary>
public sealed class SubscriberCheckpoint
{
    public required string Subscriber { get; set; }
    public long TransactionId { get; set; }
    public long Position { get; set; }
    public Guid? LeaseToken { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An interaction a subscriber failed on every time it was handed over: parked so the subscriber moves on, until an
/// administrator retries or discards it (console: Dead letters; API: /api/v1/admin/dead-letters).
/// </summary>
public sealed class DeadLetter
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Subscriber { get; set; }
    public Guid InteractionId { get; set; }
    public long TransactionId { get; set; }
    public long Position { get; set; }
    public required string Error { get; set; }
    public int Attempts { get; set; }
    public DateTime FirstFailedAt { get; set; }
    public DateTime LastFailedAt { get; set; }
}
