using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Outbox;

public sealed record DeadLetterView(Guid Id, string Subscriber, Guid InteractionId, string? InteractionType, long Position, string Error,
    int Attempts, DateTime FirstFailedAt, DateTime LastFailedAt);

public enum DeadLetterOutcome { Delivered, FailedAgain, NotFound }

/// <summary>
/// Interactions parked by the dispatcher, for administrators: retry hands one to its subscriber again (out of stream
/// order, outside the subscriber's lease, so subscribers stay idempotent); discard gives it up. Both are audited.
/// </summary>
public sealed class DeadLetterAdmin(CentricDbContext db, IEnumerable<IInteractionSubscriber> subscribers, AuditLog audit, TimeProvider clock,
    ILogger<DeadLetterAdmin> logger)
{
    public async Task<List<DeadLetterView>> ListAsync(int limit, CancellationToken ct)
    {
        var letters = await db.DeadLetters.AsNoTracking().OrderByDescending(d => d.LastFailedAt).Take(limit).ToListAsync(ct);
        var ids = letters.Select(d => d.InteractionId).ToList();
        var types = await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, i => i.Type, ct);
        return letters.Select(d => new DeadLetterView(d.Id, d.Subscriber, d.InteractionId, types.GetValueOrDefault(d.InteractionId), d.Position,
            d.Error, d.Attempts, d.FirstFailedAt, d.LastFailedAt)).ToList();
    }

    /// <summary>Hands the interaction to its subscriber again; on success the dead letter is gone, with the subscriber's work, in one transaction.</summary>
    public async Task<DeadLetterOutcome> RetryAsync(Guid id, CancellationToken ct)
    {
        var letter = await db.DeadLetters.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (letter is null) return DeadLetterOutcome.NotFound;
        var subscriber = subscribers.FirstOrDefault(s => s.Name == letter.Subscriber);
        var interaction = await db.Interactions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == letter.InteractionId, ct);
        Exception? failure = null;
        if (subscriber is null) failure = new InvalidOperationException($"No subscriber named {letter.Subscriber} runs in this server.");
        else if (interaction is null) failure = new InvalidOperationException("The interaction no longer exists (erased).");
        else
        {
            try
            {
                var strategy = db.Database.CreateExecutionStrategy();
                await strategy.ExecuteAsync(async () =>
                {
                    await using var tx = await db.Database.BeginTransactionAsync(ct);
                    await subscriber.HandleAsync(db, [interaction], ct);
                    db.DeadLetters.Remove(letter);
                    audit.Record("dead_letter.retried", interaction.ProfileId, $"{letter.Subscriber} interaction {letter.InteractionId}");
                    await db.SaveChangesAsync(ct);
                    await tx.CommitAsync(ct);
                });
                Log.DeadLetterHandled(logger, letter.Id, letter.Subscriber, letter.InteractionId, "delivered on retry");
                return DeadLetterOutcome.Delivered;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                failure = e;
                db.ChangeTracker.Clear();
            }
        }

        var again = await db.DeadLetters.FirstAsync(d => d.Id == id, ct);
        var text = failure.ToString();
        again.Error = text.Length > 4000 ? text[..4000] : text;
        again.Attempts++;
        again.LastFailedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        Log.DeadLetterHandled(logger, again.Id, again.Subscriber, again.InteractionId, "failed again on retry");
        return DeadLetterOutcome.FailedAgain;
    }

    public async Task<bool> DiscardAsync(Guid id, CancellationToken ct)
    {
        var letter = await db.DeadLetters.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (letter is null) return false;
        db.DeadLetters.Remove(letter);
        var profileId = await db.Interactions.Where(i => i.Id == letter.InteractionId).Select(i => (Guid?)i.ProfileId).FirstOrDefaultAsync(ct);
        audit.Record("dead_letter.discarded", profileId, $"{letter.Subscriber} interaction {letter.InteractionId}");
        await db.SaveChangesAsync(ct);
        Log.DeadLetterHandled(logger, letter.Id, letter.Subscriber, letter.InteractionId, "discarded");
        return true;
    }
}
