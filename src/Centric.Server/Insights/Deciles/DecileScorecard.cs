using System.Globalization;
using Centric.Analytics.Segmentation;
using Centric.Server.Commerce.Contracts;
using Centric.Server.Insights.Costs;
using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Deciles;

/// <summary>
/// One value decile's figures over a range: customers, revenue and its share, mean lifetime value, and the REAP figures —
/// Retention, Efficiency (cost to serve per unit of revenue), Acquisition (share new), Penetration (share of the catalogue's
/// categories bought from) with products per customer. A figure with nothing to measure is null, never 0.
/// </summary>
public sealed record DecileFigures(int Decile, int Customers, double Revenue, double? RevenueShare, double? Clv, double? Retention,
    double? Efficiency, double? Acquisition, double? Penetration, double? ProductsPerCustomer, double CostToServe);

/// <summary>The ten deciles of a range (decile 1, the most valuable tenth, first).</summary>
public sealed record DecilePeriod(string From, string To, IReadOnlyList<DecileFigures> Deciles);

/// <summary>The ten deciles of a range, ranked by revenue or lifetime value, and of the range of equal length just before it.</summary>
public sealed record DecileReport(string From, string To, string By, string Currency, IReadOnlyList<DecileFigures> Deciles, DecilePeriod Previous);

/// <summary>
/// Value deciles and the REAP scorecard (docs/insights.md, "Value deciles and REAP") from Insights' rollups: order facts and
/// lines, revenue adjustments and cost drivers, all kept by the stream, and the lifetime values on the profiles. The ranking
/// and the figures are the Analytics library's (<see cref="ValueDeciles"/>, <see cref="ReapScorecard"/>).
/// </summary>
public sealed class DecileScorecard(CentricDbContext db, CostToServe costs, CatalogFacts catalog)
{
    public const string ByRevenue = "revenue";
    public const string ByClv = "clv";

    /// <summary>The deciles of <c>[from, to)</c> (UTC days) and of the range of equal length before it.</summary>
    public async Task<DecileReport> MeasureAsync(string by, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var length = end - start;
        var clv = await LifetimeValuesAsync(ct);
        var categories = await catalog.CategoryCountAsync(ct);
        var now = await PeriodAsync(start - length, start, end, clv, by == ByClv, categories, ct);
        var before = await PeriodAsync(start - length - length, start - length, start, clv, by == ByClv, categories, ct);
        return new DecileReport(Text(from), Text(to), by, await KpiCatalogue.CurrencyAsync(db, ct), now,
            new DecilePeriod(Text(from.AddDays(-(to.DayNumber - from.DayNumber))), Text(from), before));
    }

    /// <summary>
    /// One range's deciles. The customers are those with an order placed in the range or in the range of equal length before
    /// it (<paramref name="windowStart"/>), so a customer who stopped buying is still counted, in the decile their value
    /// puts them in, as not retained.
    /// </summary>
    private async Task<IReadOnlyList<DecileFigures>> PeriodAsync(DateTime windowStart, DateTime start, DateTime end,
        Dictionary<Guid, double> clv, bool byClv, int catalogCategories, CancellationToken ct)
    {
        var placed = await LineValuesAsync(start, end, ct);
        var placedBefore = await LineValuesAsync(windowStart, start, ct);
        var takenBack = await TakenBackAsync(start, end, ct);
        var takenBackBefore = await TakenBackAsync(windowStart, start, ct);
        var customers = placed.Keys.Union(placedBefore.Keys).Order().ToArray();
        var n = customers.Length;
        if (n == 0) return [.. Enumerable.Range(1, ValueDeciles.Count).Select(d => new DecileFigures(d, 0, 0, null, null, null, null, null, null, null, 0))];

        var newcomers = await NewCustomersAsync(start, end, ct);
        var bought = await BoughtAsync(start, end, ct);
        var cost = await costs.PerCustomerAsync(start, end, ct);
        // Categories an order names may be missing from the catalogue (an integrator's orders): the breadth is never above 100%.
        var catalogue = Math.Max(1, Math.Max(catalogCategories, await CategoriesOrderedAsync(windowStart, end, ct)));

        var revenue = new double[n];
        var value = new double[n];
        var active = new bool[n];
        var isNew = new bool[n];
        var costToServe = new double[n];
        var categories = new int[n];
        for (var i = 0; i < n; i++)
        {
            var c = customers[i];
            var inRange = placed.GetValueOrDefault(c) - takenBack.GetValueOrDefault(c);
            // A customer's revenue is never below 0 (a cancellation in the range of an order placed before it).
            revenue[i] = Math.Max(0, inRange) / 100.0;
            // Revenue ranks by what the customer spent over both ranges; lifetime value by the value scored now (0 when not scored).
            value[i] = byClv
                ? Math.Max(0, clv.GetValueOrDefault(c))
                : Math.Max(0, inRange + placedBefore.GetValueOrDefault(c) - takenBackBefore.GetValueOrDefault(c)) / 100.0;
            active[i] = placed.ContainsKey(c);
            isNew[i] = newcomers.Contains(c);
            costToServe[i] = (double)cost.GetValueOrDefault(c);
            categories[i] = Math.Min(catalogue, bought.GetValueOrDefault(c).Categories);
        }
        var decile = new byte[n];
        ValueDeciles.Assign(value, decile);
        var reap = ReapScorecard.Compute(decile, revenue, active, isNew, costToServe, categories, catalogue);

        return [.. reap.Select(r =>
        {
            var members = Enumerable.Range(0, n).Where(i => decile[i] == r.Decile).Select(i => customers[i]).ToList();
            var values = members.Where(clv.ContainsKey).Select(m => clv[m]).ToList();
            return new DecileFigures(r.Decile, r.Customers, Math.Round(r.Revenue, 2), Ratio(r.RevenueShare),
                values.Count == 0 ? null : Math.Round(values.Average(), 2), Ratio(r.Retention), Ratio(r.Efficiency), Ratio(r.Acquisition), Ratio(r.Penetration),
                r.Customers == 0 ? null : Math.Round(members.Sum(m => bought.GetValueOrDefault(m).Products) / (double)r.Customers, 2),
                CostToServe.Round((decimal)r.CostToServe));
        })];
    }

    private static double? Ratio(double v) => double.IsNaN(v) ? null : Math.Round(v, 4);

    /// <summary>Line value (minor units) of the orders each customer placed in the range.</summary>
    private async Task<Dictionary<Guid, long>> LineValuesAsync(DateTime start, DateTime end, CancellationToken ct) =>
        await db.CountedOrders.AsNoTracking().Where(f => f.PlacedAt >= start && f.PlacedAt < end)
            .GroupBy(f => f.ProfileId).Select(g => new { g.Key, Value = g.Sum(f => f.ValueMinor) }).ToDictionaryAsync(x => x.Key, x => x.Value, ct);

    /// <summary>What was taken back from each customer in the range (cancellations, return refunds), minor units.</summary>
    private async Task<Dictionary<Guid, long>> TakenBackAsync(DateTime start, DateTime end, CancellationToken ct) =>
        await db.RevenueAdjustments.AsNoTracking().Where(a => a.At >= start && a.At < end)
            .GroupBy(a => a.ProfileId).Select(g => new { g.Key, Value = g.Sum(a => a.ValueMinor) }).ToDictionaryAsync(x => x.Key, x => x.Value, ct);

    /// <summary>Customers whose first order ever falls in the range.</summary>
    private async Task<HashSet<Guid>> NewCustomersAsync(DateTime start, DateTime end, CancellationToken ct) =>
        [.. await db.FirstOrders.AsNoTracking().Where(f => f.PlacedAt >= start && f.PlacedAt < end).Select(f => f.ProfileId).ToListAsync(ct)];

    /// <summary>Distinct categories and products each customer bought in the range; a cancelled order's lines do not count.</summary>
    private async Task<Dictionary<Guid, (int Categories, int Products)>> BoughtAsync(DateTime start, DateTime end, CancellationToken ct)
    {
        var rows = await Lines(start, end).Select(l => new { l.ProfileId, l.Category, l.ProductId }).Distinct().ToListAsync(ct);
        return rows.GroupBy(r => r.ProfileId).ToDictionary(g => g.Key,
            g => (g.Where(r => r.Category.Length > 0).Select(r => r.Category).Distinct(StringComparer.Ordinal).Count(), g.Select(r => r.ProductId).Distinct().Count()));
    }

    private async Task<int> CategoriesOrderedAsync(DateTime start, DateTime end, CancellationToken ct) =>
        await Lines(start, end).Where(l => l.Category != "").Select(l => l.Category).Distinct().CountAsync(ct);

    private IQueryable<CountedOrderLine> Lines(DateTime start, DateTime end) =>
        db.CountedOrderLines.AsNoTracking().Where(l => l.PlacedAt >= start && l.PlacedAt < end)
            .Where(l => !db.RevenueAdjustments.Any(a => a.OrderId == l.OrderId && a.Kind == "cancellation"));

    /// <summary>Each scored customer's 12-month lifetime value as scored now (the newest row where a profile has two).</summary>
    private async Task<Dictionary<Guid, double>> LifetimeValuesAsync(CancellationToken ct) =>
        (await db.ProfileInsights.AsNoTracking().Where(p => p.Clv12m != null).Select(p => new { p.ProfileId, p.Clv12m, p.ScoredAt }).ToListAsync(ct))
        .Where(p => double.IsFinite(p.Clv12m!.Value))
        .GroupBy(p => p.ProfileId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.ScoredAt)!.Clv12m!.Value);

    private static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
