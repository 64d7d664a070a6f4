using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights;

/// <summary>
/// The scores on a profile and the sentiment of its texts are profiling of the person, derived from what the other modules
/// hold: they are in the person's export (the right of access covers profiling, with what it was computed by), removed on
/// erasure, and on a merge the merged-away profile's row goes (the survivor is scored again on its next order or the next
/// training) while the texts' sentiments follow the person.
/// </summary>
internal sealed class InsightsPersonalData : IPersonalData
{
    public string Section => "insights";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var score = await db.ProfileInsights.AsNoTracking().Where(p => p.ProfileId == profileId).OrderByDescending(p => p.ScoredAt).FirstOrDefaultAsync(ct);
        var texts = await db.TextSentiments.AsNoTracking().Where(t => t.ProfileId == profileId).OrderBy(t => t.OccurredAt)
            .Select(t => new { t.OccurredAt, t.Source, t.Channel, t.Score, t.Label, t.Scorer }).ToListAsync(ct);
        if (score is null && texts.Count == 0) return null;
        return JsonSerializer.SerializeToNode(new
        {
            scores = score is null ? null : new
            {
                score.ScoredAt, lifetimeValue12Months = score.Clv12m, probabilityActive = score.PAlive, expectedPurchases12Months = score.ExpectedPurchases12m,
                churnRisk = score.ChurnRisk, churnReasons = score.Reasons, valueDecile = score.Decile, valueDecileBy = score.DecileBy,
                rfm = score.RfmRecency is null ? null : new { recency = score.RfmRecency, frequency = score.RfmFrequency, monetary = score.RfmMonetary },
                sentiment90Days = score.Sentiment, churnModelVersion = score.ChurnModelVersion, lifetimeValueModelVersion = score.ClvModelVersion,
            },
            textSentiments = texts,
        }, Json);
    }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct) =>
        await db.ProfileInsights.Where(p => p.ProfileId == profileId).ExecuteDeleteAsync(ct)
        + await db.TextSentiments.Where(t => t.ProfileId == profileId).ExecuteDeleteAsync(ct);

    /// <summary>
    /// The texts' sentiments and the rollups (orders, their lines and adjustments, cost drivers) follow the person; the
    /// merged-away profile's scores go (the survivor is scored again). Erasure leaves the rollups: they hold amounts and
    /// counts under a profile id that no longer names anyone, and the business's past revenue and costs must not change.
    /// </summary>
    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        await db.CountedOrders.Where(f => f.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(f => f.ProfileId, toProfileId), ct);
        await db.RevenueAdjustments.Where(a => a.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.ProfileId, toProfileId), ct);
        await db.CountedOrderLines.Where(l => l.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(l => l.ProfileId, toProfileId), ct);
        await Kpis.KpiRollups.MoveAsync(db, fromProfileId, toProfileId, ct);
        await db.CostDrivers.Where(d => d.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(d => d.ProfileId, toProfileId), ct);
        await db.ProfileInsights.Where(p => p.ProfileId == fromProfileId).ExecuteDeleteAsync(ct);
        await db.TextSentiments.Where(t => t.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(t => t.ProfileId, toProfileId), ct);
    }
}
