using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Contracts;

/// <summary>The kinds of survey question, as <see cref="ISurveyFeedback"/> is asked about them.</summary>
public static class SurveyKinds
{
    /// <summary>Net promoter score: 0–10, "How likely are you to recommend us…".</summary>
    public const string Nps = "nps";
    /// <summary>Customer satisfaction: 1–5.</summary>
    public const string Csat = "csat";
    /// <summary>Customer effort score: 1–7, "How easy was it…".</summary>
    public const string Ces = "ces";

    public static readonly string[] All = [Nps, Csat, Ces];
}

/// <summary>
/// What customers answered in surveys, as Insights needs it for its KPIs and sentiment. Engagement owns the surveys and sits
/// above Insights, so the question is declared here and Engagement answers it (as Platform's webhooks ask
/// <c>IWebhookCustomers</c>). Both methods work on the DbContext they are given: the KPI pages' and the sentiment
/// subscriber's, inside the dispatcher's transaction.
/// </summary>
public interface ISurveyFeedback
{
    /// <summary>
    /// The score of the answers given from <paramref name="since"/> (inclusive) to <paramref name="until"/> (exclusive), each
    /// answer as it now stands: NPS as % promoters − % detractors (−100…100), CSAT as the share of 4–5, CES as the mean.
    /// <paramref name="channel"/> keeps only the answers about that channel. Null when nobody answered.
    /// </summary>
    Task<double?> ScoreAsync(CentricDbContext db, string kind, DateTime since, DateTime until, string? channel, CancellationToken ct);

    /// <summary>
    /// The comment behind each of these <c>survey_answered</c> interactions, while it is still the answer's comment (one
    /// replaced by a later answer is left out, so only what the customer now says is scored).
    /// </summary>
    Task<IReadOnlyDictionary<Guid, string>> CommentsAsync(CentricDbContext db, IReadOnlyCollection<Guid> interactionIds, CancellationToken ct);
}

/// <summary>The sentiment Insights gave a free text, by the interaction that carried it.</summary>
public sealed record TextSentimentFact(Guid InteractionId, double Score, string Label);

/// <summary>Sentiment of given interactions' texts (survey comments on the results page), read on the DbContext given.</summary>
public sealed class TextSentimentFacts(CentricDbContext db)
{
    public async Task<IReadOnlyDictionary<Guid, TextSentimentFact>> ForAsync(IReadOnlyCollection<Guid> interactionIds, CancellationToken ct)
    {
        if (interactionIds.Count == 0) return new Dictionary<Guid, TextSentimentFact>();
        var ids = interactionIds.ToList();
        return await db.TextSentiments.AsNoTracking().Where(s => ids.Contains(s.InteractionId))
            .Select(s => new TextSentimentFact(s.InteractionId, s.Score, s.Label)).ToDictionaryAsync(s => s.InteractionId, ct);
    }
}
