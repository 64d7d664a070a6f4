using System.Diagnostics;
using System.Globalization;
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
    /// <summary>
    /// Scores every customer with an order in the training window, writing in a transaction of its own (so not inside the
    /// caller's). Returns how many profiles were scored, and where the time went.
    /// </summary>
    public async Task<FullScoring> ScoreAllAsync(CentricDbContext db, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var watch = Stopwatch.StartNew();
        var histories = (await CustomerHistories.ReadAsync(db, now.AddDays(-o.TrainingWindowDays), now, null, browsing: false, ct)).Values
            .Where(h => h.Orders.Count > 0).ToList();
        var read = watch.Elapsed;
        if (histories.Count == 0) return new FullScoring(0, read, TimeSpan.Zero, TimeSpan.Zero);
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
        var scored = watch.Elapsed;
        await SaveAllAsync(db, scores, ct);
        return new FullScoring(n, read, scored - read, watch.Elapsed - scored);
    }

    /// <summary>
    /// Scores these profiles again (a new order): lifetime value, P(alive), expected purchases, churn risk and sentiment.
    /// RFM and the decile are relative to every customer and move with the next full scoring.
    /// </summary>
    public async Task ScoreAsync(CentricDbContext db, IReadOnlyCollection<Guid> profileIds, CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var histories = (await CustomerHistories.ReadAsync(db, now.AddDays(-o.TrainingWindowDays), now, profileIds, browsing: false, ct)).Values
            .Where(h => h.Orders.Count > 0).ToList();
        if (histories.Count == 0) return;
        var churn = await models.GetAsync(db, ModelKind.Churn, s => ChurnModel.Load(s), ct);
        var clv = await models.GetAsync(db, ModelKind.Clv, LifetimeValueModel.Load, ct);
        await SaveAsync(db, Score(histories, now, churn, clv, o), ct);
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
            // The explanation (TreeSHAP over every tree) is the costliest step per customer; the model is read-only, so customers
            // are explained on every core at once, each writing only its own score.
            Parallel.For(0, histories.Count, i =>
            {
                var explanation = c.Model.Explain(table, i);
                scores[i].ChurnRisk = explanation.Probability;
                scores[i].ChurnReasons = string.Join('\n', ChurnFeatures.Reasons(explanation));
                scores[i].ChurnModelVersion = c.Version;
            });
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
    private IEnumerable<Interaction> Changes(Guid profileId, double? oldRisk, double? newRisk, IReadOnlyList<string> reasons,
        int? oldDecile, int? newDecile, string? decileBy)
    {
        var high = options.Value.HighChurnRisk;
        if (newRisk is { } risk && (oldRisk is { } before ? before >= high != risk >= high : risk >= high))
            yield return interactions.Create(profileId, InteractionTypes.ChurnRiskChanged, "system",
                new ChurnRiskChangedProperties(Math.Round(risk, 4), oldRisk is { } o ? Math.Round(o, 4) : null, high, risk >= high, [.. reasons]),
                sourceKind: "insights", sourceId: "churn");
        if (oldDecile is { } from && newDecile is { } to && from != to)
            yield return interactions.Create(profileId, InteractionTypes.ValueDecileChanged, "system", new ValueDecileChangedProperties(from, to, decileBy ?? "revenue"),
                sourceKind: "insights", sourceId: "decile");
    }

    /// <summary>
    /// Writes a full scoring set-based, in one transaction: the existing rows are read once (id, churn risk, decile), new
    /// rows inserted and existing ones overwritten in bulk, and the material changes appended in bulk with their outbox rows.
    /// </summary>
    private async Task SaveAllAsync(CentricDbContext db, List<ProfileInsight> scores, CancellationToken ct)
    {
        var scored = scores.Select(s => s.ProfileId).ToHashSet();
        var current = new Dictionary<Guid, (Guid Id, double? ChurnRisk, int? Decile, DateTime ScoredAt)>(scores.Count);
        var superseded = new List<Guid>();
        var rows = db.ProfileInsights.AsNoTracking().Select(p => new { p.Id, p.ProfileId, p.ChurnRisk, p.Decile, p.ScoredAt }).AsAsyncEnumerable();
        await foreach (var row in rows.WithCancellation(ct))
        {
            if (!scored.Contains(row.ProfileId)) continue;
            // One row per profile: a second (left by a writer racing a merge) is dropped, the newest kept.
            if (!current.TryGetValue(row.ProfileId, out var kept)) current[row.ProfileId] = (row.Id, row.ChurnRisk, row.Decile, row.ScoredAt);
            else if (row.ScoredAt > kept.ScoredAt)
            {
                superseded.Add(kept.Id);
                current[row.ProfileId] = (row.Id, row.ChurnRisk, row.Decile, row.ScoredAt);
            }
            else superseded.Add(row.Id);
        }

        var inserts = new List<ProfileInsight>();
        var updates = new List<ProfileInsight>(current.Count);
        var changes = new List<Interaction>();
        // Written in profile order: the rows' entries in the indexes by profile (scores, timeline, outbox) then go in page
        // after page instead of all over indexes much larger than memory.
        foreach (var s in scores.OrderBy(s => s.ProfileId))
        {
            if (current.TryGetValue(s.ProfileId, out var row))
            {
                s.Id = row.Id;
                updates.Add(s);
                changes.AddRange(Changes(s.ProfileId, row.ChurnRisk, s.ChurnRisk, s.Reasons, row.Decile, s.Decile, s.DecileBy));
            }
            else
            {
                inserts.Add(s);
                changes.AddRange(Changes(s.ProfileId, null, s.ChurnRisk, s.Reasons, null, null, null));
            }
        }

        await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            foreach (var chunk in superseded.Chunk(500)) await db.ProfileInsights.Where(p => chunk.Contains(p.Id)).ExecuteDeleteAsync(ct);
            await BulkInsert.WriteAsync(db, inserts, ct);
            await BulkInsert.UpdateAsync(db, updates, ct);
            await InteractionLog.WriteNewAsync(db, changes, ct);
            await transaction.CommitAsync(ct);
        });
    }

    /// <summary>Inserts or updates the rows of a few profiles (a new order) through the caller's context, 500 at a time.</summary>
    private async Task SaveAsync(CentricDbContext db, List<ProfileInsight> scores, CancellationToken ct)
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
                    foreach (var change in Changes(s.ProfileId, null, s.ChurnRisk, s.Reasons, null, null, null)) InteractionLog.Add(db, change);
                    continue;
                }
                // RFM and the decile are relative to every customer: they move with the next full scoring, not here.
                foreach (var change in Changes(s.ProfileId, row.ChurnRisk, s.ChurnRisk, s.Reasons, row.Decile, null, s.DecileBy)) InteractionLog.Add(db, change);
                (row.Clv12m, row.PAlive, row.ExpectedPurchases12m, row.ChurnRisk, row.ChurnReasons, row.Revenue, row.Sentiment, row.ScoredAt) =
                    (s.Clv12m, s.PAlive, s.ExpectedPurchases12m, s.ChurnRisk, s.ChurnReasons, s.Revenue, s.Sentiment, s.ScoredAt);
                (row.ChurnModelVersion, row.ClvModelVersion) = (s.ChurnModelVersion, s.ClvModelVersion);
            }
            await db.SaveChangesAsync(ct);
        }
    }
}

/// <summary>What a full scoring did: how many customers, and the time spent reading their histories, scoring them and saving the scores.</summary>
internal sealed record FullScoring(int Customers, TimeSpan Read, TimeSpan Score, TimeSpan Save)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"Scored {Customers} customers in {(Read + Score + Save).TotalSeconds:0.0} s (read {Read.TotalSeconds:0.0} s, score {Score.TotalSeconds:0.0} s, save {Save.TotalSeconds:0.0} s).");
}
