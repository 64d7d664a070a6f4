using Centric.Analytics.Sentiment;
using Centric.Server.Insights.Models;
using Centric.Server.Platform.Data;

namespace Centric.Server.Insights.Sentiment;

/// <summary>
/// The scorer to use now: the active trained sentiment model (loaded once per version and kept), or the lexicon while there
/// is none. Asks the database which version is active on every call, so a promotion on any node is picked up.
/// </summary>
internal sealed class SentimentScorers(ActiveModels models)
{
    private static readonly LexiconSentimentScorer Lexicon = new();

    public async Task<(ISentimentScorer Scorer, string Name)> CurrentAsync(CentricDbContext db, CancellationToken ct) =>
        await models.GetAsync(db, ModelKind.Sentiment, SentimentModel.Load, ct) is { } active
            ? (active.Model, $"model v{active.Version}")
            : (Lexicon, "lexicon");

    public static string Label(SentimentResult r) => r.Label switch
    {
        SentimentLabel.Positive => "positive",
        SentimentLabel.Negative => "negative",
        _ => "neutral",
    };
}
