using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Scores;

/// <summary>Insights' answer to Customers' <see cref="ICustomerInsights"/>: the profile's score row as the 360 and the API show it.</summary>
internal sealed class CustomerInsightsReader(CentricDbContext db, Microsoft.Extensions.Options.IOptions<InsightsOptions> options, Costs.CostToServe costs,
    TimeProvider clock) : ICustomerInsights
{
    public async Task<CustomerCostToServe> CostToServeAsync(Guid profileId, CancellationToken ct)
    {
        var to = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime).AddDays(1);
        var from = to.AddDays(-365);
        var parts = await costs.ForCustomerAsync(profileId, from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), ct);
        return new CustomerCostToServe(from, to, await Kpis.KpiCatalogue.CurrencyAsync(db, ct), Costs.CostToServe.Round(parts.Values.Sum()),
            [.. Costs.CostParts.All.Where(p => parts.GetValueOrDefault(p) > 0).Select(p => new CostToServePart(p, Costs.CostToServe.Round(parts[p])))]);
    }

    public async Task<CustomerInsights?> FindAsync(Guid profileId, CancellationToken ct) =>
        await db.ProfileInsights.AsNoTracking().Where(p => p.ProfileId == profileId).OrderByDescending(p => p.ScoredAt).FirstOrDefaultAsync(ct) is { } p
            ? View(p, options.Value.HighChurnRisk, await Kpis.KpiCatalogue.CurrencyAsync(db, ct))
            : null;

    public async Task<IReadOnlyDictionary<Guid, CustomerInsights>> FindManyAsync(IReadOnlyCollection<Guid> profileIds, CancellationToken ct)
    {
        if (profileIds.Count == 0) return new Dictionary<Guid, CustomerInsights>();
        var rows = await db.ProfileInsights.AsNoTracking().Where(p => profileIds.Contains(p.ProfileId)).ToListAsync(ct);
        var currency = rows.Count == 0 ? "EUR" : await Kpis.KpiCatalogue.CurrencyAsync(db, ct);
        // A profile may briefly hold two rows (see ProfileInsight.Id): the newest counts.
        return rows.GroupBy(r => r.ProfileId).ToDictionary(g => g.Key, g => View(g.MaxBy(r => r.ScoredAt)!, options.Value.HighChurnRisk, currency));
    }

    public async Task<IReadOnlyList<Guid>> RankAsync(InsightsFilter filter, IReadOnlyCollection<Guid>? among, int skip, int take, CancellationToken ct)
    {
        var query = db.ProfileInsights.AsNoTracking();
        if (among is not null) query = query.Where(p => among.Contains(p.ProfileId));
        if (filter.Decile is { } decile) query = query.Where(p => p.Decile == decile);
        if (filter.HighChurnRiskOnly)
        {
            var high = options.Value.HighChurnRisk;
            query = query.Where(p => p.ChurnRisk >= high);
        }
        query = filter.Order == InsightsOrder.ChurnRisk
            ? query.Where(p => p.ChurnRisk != null).OrderByDescending(p => p.ChurnRisk).ThenBy(p => p.ProfileId)
            // Unranked rows (no decile yet) last; within a decile the larger lifetime value, then revenue, first.
            : query.OrderBy(p => p.Decile == null).ThenBy(p => p.Decile).ThenByDescending(p => p.Clv12m ?? p.Revenue).ThenBy(p => p.ProfileId);
        var ids = await query.Skip(skip).Take(take + 1).Select(p => p.ProfileId).ToListAsync(ct);
        return ids.Distinct().ToList();
    }

    public static CustomerInsights View(ProfileInsight p, double highChurnRisk, string currency) => new(
        Round(p.Clv12m, 2), Round(p.PAlive, 4), Round(p.ExpectedPurchases12m, 2), Round(p.ChurnRisk, 4), p.Reasons, p.Decile,
        p.RfmRecency is { } r && p.RfmFrequency is { } f && p.RfmMonetary is { } m ? new RfmView(r, f, m) : null, Round(p.Sentiment, 3), p.ScoredAt,
        p.ChurnRisk >= highChurnRisk, currency);

    private static double? Round(double? v, int digits) => v is { } x ? Math.Round(x, digits) : null;
}
