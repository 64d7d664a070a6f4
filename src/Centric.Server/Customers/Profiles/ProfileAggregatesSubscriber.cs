using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>
/// Keeps first/last seen and the interaction count on each profile. It recomputes from the interactions
/// rather than incrementing, so a replayed batch or a merge can never double-count.
/// </summary>
public sealed class ProfileAggregatesSubscriber : IInteractionSubscriber
{
    public string Name => "customers.profile-aggregates";

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        // One set-based UPDATE per chunk: each figure is a correlated subquery answered from the
        // (ProfileId, OccurredAt) index, so nothing is loaded or tracked here however many profiles a batch touches.
        var profileIds = batch.Select(i => i.ProfileId).Distinct().ToList();
        foreach (var chunk in profileIds.Chunk(1000))
        {
            // The rows are locked first, in id order like every other writer of profiles (ProfileLocks): the UPDATE alone would lock
            // them in whatever order its plan reads them and deadlock with ingestion batches locking the same profiles.
            if (db.Database.CurrentTransaction is not null)
                await ProfileLocks.LockAsync(db, chunk.ToDictionary(id => id, _ => ProfileLock.Change), ct);
            await db.Profiles.Where(p => chunk.Contains(p.Id)).ExecuteUpdateAsync(s => s
                .SetProperty(p => p.InteractionCount, p => db.Interactions.LongCount(i => i.ProfileId == p.Id))
                .SetProperty(p => p.FirstSeenAt, p => db.Interactions.Where(i => i.ProfileId == p.Id).Min(i => (DateTime?)i.OccurredAt))
                .SetProperty(p => p.LastSeenAt, p => db.Interactions.Where(i => i.ProfileId == p.Id).Max(i => (DateTime?)i.OccurredAt)), ct);
        }
    }
}
