using Centric.Analytics.Churn;
using Centric.Analytics.Lifetime;
using Centric.Analytics.Segmentation;
using Centric.Server.Insights.Models;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Insights.Scores;

/// <summary>
/// Puts the scores on every profile that has ordered: lifetime value and P(alive) from the active lifetime value model, churn
/// risk and its reasons from the active churn model, RFM and the value decile across all customers, and the 90-day
/// sentiment. Works on the DbContext it is given, so a stream subscriber can use it inside the dispatcher's transaction.
/// </summary>
internal sealed class ProfileScoring(IOptions<InsightsOptions> options, ActiveModels models, InteractionLog interactions, TimeProvider clock)
{
    /// <summary>Scores every customer with an order in the training window. Returns how many profiles were scored.</summary>
    public async Task<int> ScoreAllAsync(CentricDbContext db, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var histories = (await CustomerHistories.ReadAsync(db, now.AddDays(-o.TrainingWindowDays), now, null, ct)).Values
            .Where(h => h.Orders.Count > 0).ToList();
        if (histories.Count == 0) return 0;
        var churn = await models.GetAsync(db, ModelKind.Churn, s => ChurnModel.Load(s), ct);
        var clv = await models.GetAsync(db, ModelKind.Clv, LifetimeValueModel.Load, ct);
        var scores = Score(histories, now, churn, clv, o);

        // Relative measures (RFM, deciles) over all customers at once.
        var n = histories.Count;
        var recency = histories.Select(h => (now - h.Orders[^1].At).TotalDays).Select(d => Math.Max(0, d)).ToArray();
        var frequency = histories.Select(h => (double)h.Orders.Count).ToArray();
        var revenue = histories.Select(h => Math.Max(0, h.Orders.Sum(x => x.Total))).ToArray();
        byte[] r = new byte[n], f = new byte[n], m = new byte[n], decile = new byte[n];
        RfmScores.Score(recency, frequency, revenue, r, f, m);
        var byClv = o.DecileBy == "clv" && clv is not null;
        ValueDeciles.Assign(byClv ? scores.Select(s => Math.Max(0, s.Clv12m ?? 0)).ToArray() : revenue, decile);
        for (var i = 0; i < n; i++)
        {
            scores[i].RfmRecency = r[i];
            scores[i].RfmFrequency = f[i];
            scores[i].RfmMonetary = m[i];
            scores[i].Decile = decile[i];
            scores[i].DecileBy = byClv ? "clv" : "revenue";
        }
        await SaveAsync(db, scores, relative: true, ct);
        return n;
    }

    /// <summary>
    /// Scores these profiles again (a new order): lifetime value, P(alive), expected purchases, churn risk and sentiment.
    /// RFM and the decile are relative to every customer and move with the next full scoring.
    /// </summary>
    public async Task ScoreAsync(CentricDbContext db, IReadOnlyCollection<Guid> profileIds, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var histories = (await CustomerHistories.ReadAsync(db, now.AddDays(-o.TrainingWindowDays), now, profileIds, ct)).Values
            .Where(h => h.Orders.Count > 0).ToList();
        if (histories.Count == 0) return;
        var churn = await models.GetAsync(db, ModelKind.Churn, s => ChurnModel.Load(s), ct);
        var clv = await models.GetAsync(db, ModelKind.Clv, LifetimeValueModel.Load, ct);
        await SaveAsync(db, Score(histories, now, churn, clv, o), relative: false, ct);
    }

    private static List<ProfileInsight> Score(List<CustomerHistory> histories, DateTime now, (ChurnModel Model, int Version)? churn,
        (LifetimeValueModel Model, int Version)? clv, InsightsOptions o)
    {
        var scores = histories.Select(h => new ProfileInsight
        {
            ProfileId = h.ProfileId, ScoredAt = now, Revenue = Math.Max(0, h.Orders.Sum(x => x.Total)),
            Sentiment = h.Sentiments.Where(s => s.At >= now.AddDays(-90)).Select(s => s.Score).DefaultIfEmpty(double.NaN).Average() is var mean && double.IsNaN(mean) ? null : mean,
        }).ToList();
        if (churn is { } c)
        {
            // Features as of the next second: an order placed this very second counts.
            var table = ChurnFeatures.Table(histories, now.AddSeconds(1));
            for (var i = 0; i < histories.Count; i++)
            {
                var explanation = c.Model.Explain(table, i);
                scores[i].ChurnRisk = explanation.Probability;
                scores[i].ChurnReasons = string.Join('\n', ChurnFeatures.Reasons(explanation));
                scores[i].ChurnModelVersion = c.Version;
            }
        }
        if (clv is { } l && ModelTrainers.Purchases(histories, now.AddDays(1)) is { } purchases)
        {
            var horizon = new LifetimeValueHorizon(o.ClvMonths, o.MonthlyDiscountRate);
            var index = scores.ToDictionary(s => s.ProfileId);
            var history = purchases.History;
            for (var i = 0; i < purchases.Customers.Count; i++)
            {
                var s = l.Model.Score(history.Frequency[i], history.Recency[i], history.Age[i], history.MeanRepeatValue[i], horizon);
                var target = index[purchases.Customers[i]];
                target.Clv12m = s.LifetimeValue;
                target.PAlive = s.ProbabilityAlive;
                target.ExpectedPurchases12m = s.ExpectedPurchases;
                target.ClvModelVersion = l.Version;
            }
        }
        return scores;
    }

    /// <summary>
    /// Material changes go on the timeline, in the same unit of work as the scores: churn risk crossing the high threshold
    /// (either way; a first score that is already high counts), and a move to another value decile.
    /// </summary>
    private void RecordChanges(CentricDbContext db, Guid profileId, double? oldRisk, double? newRisk, IReadOnlyList<string> reasons,
        int? oldDecile, int? newDecile, string? decileBy)
    {
        var high = options.Value.HighChurnRisk;
        if (newRisk is { } risk && (oldRisk is { } before ? before >= high != risk >= high : risk >= high))
            interactions.Append(db, profileId, InteractionTypes.ChurnRiskChanged, "system",
                new ChurnRiskChangedProperties(Math.Round(risk, 4), oldRisk is { } o ? Math.Round(o, 4) : null, high, risk >= high, [.. reasons]),
                sourceKind: "insights", sourceId: "churn");
        if (oldDecile is { } from && newDecile is { } to && from != to)
            interactions.Append(db, profileId, InteractionTypes.ValueDecileChanged, "system", new ValueDecileChangedProperties(from, to, decileBy ?? "revenue"),
                sourceKind: "insights", sourceId: "decile");
    }

    /// <summary>Inserts or updates the rows, 500 at a time. <paramref name="relative"/>: RFM and decile are written too.</summary>
    private async Task SaveAsync(CentricDbContext db, List<ProfileInsight> scores, bool relative, CancellationToken ct)
    {
        foreach (var chunk in scores.Chunk(500))
        {
            var ids = chunk.Select(s => s.ProfileId).ToList();
            var rows = await db.ProfileInsights.Where(p => ids.Contains(p.ProfileId)).ToListAsync(ct);
            // One row per profile: a second (left by a writer racing a merge) is dropped, the newest kept.
            var existing = new Dictionary<Guid, ProfileInsight>();
            foreach (var row in rows.OrderByDescending(p => p.ScoredAt))
                if (!existing.TryAdd(row.ProfileId, row)) db.ProfileInsights.Remove(row);
            foreach (var s in chunk)
            {
                if (!existing.TryGetValue(s.ProfileId, out var row))
                {
                    db.ProfileInsights.Add(s);
                    RecordChanges(db, s.ProfileId, null, s.ChurnRisk, s.Reasons, null, null, null);
                    continue;
                }
                RecordChanges(db, s.ProfileId, row.ChurnRisk, s.ChurnRisk, s.Reasons, row.Decile, relative ? s.Decile : null, s.DecileBy);
                (row.Clv12m, row.PAlive, row.ExpectedPurchases12m, row.ChurnRisk, row.ChurnReasons, row.Revenue, row.Sentiment, row.ScoredAt) =
                    (s.Clv12m, s.PAlive, s.ExpectedPurchases12m, s.ChurnRisk, s.ChurnReasons, s.Revenue, s.Sentiment, s.ScoredAt);
                (row.ChurnModelVersion, row.ClvModelVersion) = (s.ChurnModelVersion, s.ClvModelVersion);
                if (relative) (row.RfmRecency, row.RfmFrequency, row.RfmMonetary, row.Decile, row.DecileBy) = (s.RfmRecency, s.RfmFrequency, s.RfmMonetary, s.Decile, s.DecileBy);
            }
            await db.SaveChangesAsync(ct);
            if (relative) db.ChangeTracker.Clear();   // a full scoring runs in a scope of its own; a subscriber's context is left alone
        }
    }
}
