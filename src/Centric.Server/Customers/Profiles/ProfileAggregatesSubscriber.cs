using Centric.Server.Customers.Interactions;
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
        var profileIds = batch.Select(i => i.ProfileId).Distinct().ToList();
        foreach (var chunk in profileIds.Chunk(200))
        {
            var stats = await db.Interactions.Where(i => chunk.Contains(i.ProfileId))
                .GroupBy(i => i.ProfileId)
                .Select(g => new { ProfileId = g.Key, Count = g.LongCount(), First = g.Min(i => i.OccurredAt), Last = g.Max(i => i.OccurredAt) })
                .ToListAsync(ct);
            var profiles = await db.Profiles.Where(p => chunk.Contains(p.Id)).ToListAsync(ct);
            foreach (var p in profiles)
            {
                var s = stats.FirstOrDefault(x => x.ProfileId == p.Id);
                if (s is null) continue;
                p.InteractionCount = s.Count;
                p.FirstSeenAt = s.First;
                p.LastSeenAt = s.Last;
            }
        }
    }
}
