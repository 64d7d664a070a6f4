using Centric.Analytics.Sentiment;
using Centric.Server.Insights.Models;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Sentiment;

/// <summary>
/// The scorer to use now: the active trained sentiment model (loaded once per version and kept), or the lexicon while there
/// is none. Asks the database which version is active on every call, so a promotion on any node is picked up.
/// </summary>
internal sealed class SentimentScorers
{
    private static readonly LexiconSentimentScorer Lexicon = new();
    private readonly Lock _gate = new();
    private (Guid Id, int Version, SentimentModel Model)? _loaded;

    public async Task<(ISentimentScorer Scorer, string Name)> CurrentAsync(CentricDbContext db, CancellationToken ct)
    {
        var active = await db.ModelVersions.AsNoTracking().Where(m => m.Kind == ModelKind.Sentiment && m.IsActive)
            .Select(m => new { m.Id, m.Version }).FirstOrDefaultAsync(ct);
        if (active is null) return (Lexicon, "lexicon");
        lock (_gate)
            if (_loaded is { } l && l.Id == active.Id) return (l.Model, $"model v{l.Version}");
        var payload = await db.ModelVersions.AsNoTracking().Where(m => m.Id == active.Id).Select(m => m.Payload).FirstAsync(ct);
        var model = SentimentModel.Load(new MemoryStream(payload));
        lock (_gate) _loaded = (active.Id, active.Version, model);
        return (model, $"model v{active.Version}");
    }

    public static string Label(SentimentResult r) => r.Label switch
    {
        SentimentLabel.Positive => "positive",
        SentimentLabel.Negative => "negative",
        _ => "neutral",
    };
}
