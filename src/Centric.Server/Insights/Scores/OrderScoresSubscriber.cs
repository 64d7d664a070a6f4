using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Insights.Scores;

/// <summary>
/// A customer who orders is scored again at once (lifetime value, P(alive), expected purchases, churn risk), inside the
/// dispatcher's transaction. Starts at the end of the stream: history is covered by the full scoring after each training.
/// Idempotent: scoring again gives the same row.
/// </summary>
internal sealed class OrderScoresSubscriber(ProfileScoring scoring) : IInteractionSubscriber
{
    public string Name => "insights.order-scores";

    public bool StartsAtEnd => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var ordered = batch.Where(i => InteractionTypes.OrderPlaced.Is(i.Type) || InteractionTypes.SubscriptionRenewed.Is(i.Type))
            .Select(i => i.ProfileId).Distinct().ToList();
        if (ordered.Count > 0) await scoring.ScoreAsync(db, ordered, ct);
    }
}
