using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Engagement.Segments;

/// <summary>
/// Keeps rule segments current as interactions arrive: the profiles in a batch are evaluated again against every rule segment,
/// inside the dispatcher's transaction, so an entry and the interaction that caused it are never seen apart. Idempotent: a
/// batch handed over again finds the membership already right. Segment entries and exits themselves change nothing here.
/// </summary>
internal sealed class SegmentSubscriber(SegmentMembership membership) : IInteractionSubscriber
{
    public string Name => "engagement.segments";

    public bool StartsAtEnd => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var profiles = batch.Where(i => !InteractionTypes.SegmentEntered.Is(i.Type) && !InteractionTypes.SegmentLeft.Is(i.Type))
            .Select(i => i.ProfileId).Distinct().ToList();
        if (profiles.Count == 0) return;
        await membership.ReevaluateAsync(profiles, ct);
        await db.SaveChangesAsync(ct);
    }
}
