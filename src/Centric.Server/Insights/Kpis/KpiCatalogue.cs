using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>One KPI over a range and the range of equal length just before it; null where there is nothing to measure yet.</summary>
public sealed record KpiValue(string Id, string Name, string Group, double? Value, double? Previous, string Unit);

/// <summary>
/// The KPIs measured from the customer's side, computed from the order rollups (<see cref="KpiDay"/> sums where they
/// serve, <see cref="CountedOrder"/> and <see cref="RevenueAdjustment"/> for customers and for a decile or segment). Ranges are UTC days, <c>from</c> inclusive, <c>to</c> exclusive. The definitions
/// (docs/insights.md, "KPIs") are fixed for these ids.
/// </summary>
public sealed class KpiCatalogue(CentricDbContext db, ExperienceKpis experience, KpiFacts facts)
{
    public Task<IReadOnlyList<KpiValue>> MeasureAsync(DateOnly from, DateOnly to, string? channel, CancellationToken ct) =>
        MeasureAsync(from, to, new KpiScope(channel), ct);

    /// <summary>
    /// The KPIs for a scope. For a decile or a segment only the order KPIs are measured (orders, revenue, average order value,
    /// active and new customers, retention and churn among those customers); the experience KPIs are the whole business's.
    /// </summary>
    public async Task<IReadOnlyList<KpiValue>> MeasureAsync(DateOnly from, DateOnly to, KpiScope scope, CancellationToken ct)
    {
        var channel = scope.Channel;
        var ofSome = scope.Decile is not null || scope.Segment is not null;
        var start = from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var end = to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var previousStart = start - (end - start);
        var current = await PeriodAsync(start, end, scope, ct);
        var previous = await PeriodAsync(previousStart, start, scope, ct);
        var customers = await CustomersAsync(previousStart - (end - start), previousStart, start, end, scope, ct);
        var currency = await CurrencyAsync(db, ct);
        var now = ofSome ? [] : await experience.MeasureAsync(start, end, channel, current.Orders, current.New, currency, current: true, ct);
        var before = ofSome ? [] : (await experience.MeasureAsync(previousStart, start, channel, previous.Orders, previous.New, currency, current: false, ct)).ToDictionary(f => f.Id);
        return
        [
            new("orders", "Orders", "run", current.Orders, previous.Orders, "orders"),
            new("revenue", "Revenue", "grow", current.Revenue, previous.Revenue, currency),
            new("average_order_value", "Average order value", "grow", current.AverageOrderValue, previous.AverageOrderValue, currency),
            new("active_customers", "Active customers", "grow", customers.Current, customers.Previous, "customers"),
            new("new_customers", "New customers", "grow", current.New, previous.New, "customers"),
            new("retention_rate", "Retention rate", "grow", customers.Retention, customers.RetentionBefore, "ratio"),
            new("churn_rate", "Churn rate", "transform", 1 - customers.Retention, 1 - customers.RetentionBefore, "ratio"),
            // A figure that is not a trend (the CLV of today's scores) is not measured before, so it has no "previous".
            .. now.Select(f => new KpiValue(f.Id, f.Name, f.Group, f.Value, before.GetValueOrDefault(f.Id)?.Value, f.Unit)),
        ];
    }

    /// <summary>The shop's currency: that of the latest order counted (EUR before the first).</summary>
    public Task<string> CurrencyAsync(CancellationToken ct) => CurrencyAsync(db, ct);

    /// <summary>The shop's currency: that of the latest order counted (EUR before the first).</summary>
    public static async Task<string> CurrencyAsync(CentricDbContext db, CancellationToken ct) =>
        await db.CountedOrders.AsNoTracking().OrderByDescending(f => f.PlacedAt).Select(f => f.Currency).FirstOrDefaultAsync(ct) ?? "EUR";

    /// <summary>The channels orders have been placed on, for a filter.</summary>
    public async Task<IReadOnlyList<string>> ChannelsAsync(CancellationToken ct) =>
        await db.CountedOrders.AsNoTracking().Select(f => f.Channel).Distinct().OrderBy(c => c).ToListAsync(ct);

    private sealed record Period(int Orders, double Revenue, double? AverageOrderValue, int New);

    private async Task<Period> PeriodAsync(DateTime start, DateTime end, KpiScope scope, CancellationToken ct)
    {
        var placed = facts.Orders(scope).Where(f => f.PlacedAt >= start && f.PlacedAt < end);
        int orders;
        long value, takenBack;
        if (scope.Decile is null && scope.Segment is null)
        {
            // The whole business or one channel: the day rows hold the sums.
            var sums = await KpiDays.Of(db, DateOnly.FromDateTime(start), DateOnly.FromDateTime(end), scope.Channel).GroupBy(_ => 1)
                .Select(g => new { Orders = g.Sum(d => d.Orders), Value = g.Sum(d => d.ValueMinor), TakenBack = g.Sum(d => d.TakenBackMinor) })
                .FirstOrDefaultAsync(ct);
            (orders, value, takenBack) = (sums?.Orders ?? 0, sums?.Value ?? 0, sums?.TakenBack ?? 0);
        }
        else
        {
            orders = await placed.CountAsync(ct);
            value = await placed.SumAsync(f => (long?)f.ValueMinor, ct) ?? 0;
            takenBack = await facts.Adjustments(scope).Where(a => a.At >= start && a.At < end).SumAsync(a => (long?)a.ValueMinor, ct) ?? 0;
        }
        // New: customers whose first order ever (on any channel) falls in the range; in a narrower scope, among its customers.
        var firsts = db.FirstOrders.AsNoTracking().Where(f => f.PlacedAt >= start && f.PlacedAt < end);
        if (scope != new KpiScope()) firsts = firsts.Where(f => placed.Any(p => p.ProfileId == f.ProfileId));
        var newCustomers = await firsts.CountAsync(ct);
        return new Period(orders, (value - takenBack) / 100.0, orders == 0 ? null : Math.Round(value / 100.0 / orders, 2), newCustomers);
    }

    /// <summary>Active customers of the range and the period before it, and the retention of each (null when the period before had none).</summary>
    internal sealed record CustomerCounts(int Current, int Previous, double? Retention, double? RetentionBefore);

    /// <summary>Who ordered in which of three consecutive periods (before the previous, previous, current).</summary>
    private async Task<CustomerCounts> CustomersAsync(DateTime beforePrevious, DateTime previous, DateTime current, DateTime end, KpiScope scope, CancellationToken ct)
    {
        if (scope.Decile is null && scope.Segment is null)
        {
            // The whole business or one channel: unions and intersections of the customer-day sets.
            var active = await CustomerDays.CountAsync(db, DateOnly.FromDateTime(beforePrevious), DateOnly.FromDateTime(previous),
                DateOnly.FromDateTime(current), DateOnly.FromDateTime(end), scope.Channel, ct);
            return new CustomerCounts(active.Current, active.Previous, Share(active.PreviousAndCurrent, active.Previous),
                Share(active.BeforePreviousAndPrevious, active.BeforePrevious));
        }
        return await CustomersOfAsync(beforePrevious, previous, current, end, scope, ct);
    }

    /// <summary>
    /// <see cref="CustomersAsync"/> for a decile or a segment, whose customers the day sets do not know: each customer's
    /// orders of the three periods become three yes/no marks, counted by the database in one pass.
    /// </summary>
    internal async Task<CustomerCounts> CustomersOfAsync(DateTime beforePrevious, DateTime previous, DateTime current, DateTime end, KpiScope scope, CancellationToken ct)
    {
        var marks = await facts.Orders(scope).Where(f => f.PlacedAt >= beforePrevious && f.PlacedAt < end)
            .GroupBy(f => f.ProfileId)
            .Select(g => new
            {
                A = g.Max(f => f.PlacedAt < previous ? 1 : 0),
                B = g.Max(f => f.PlacedAt >= previous && f.PlacedAt < current ? 1 : 0),
                C = g.Max(f => f.PlacedAt >= current ? 1 : 0),
            })
            .GroupBy(m => new { m.A, m.B, m.C })
            .Select(g => new { g.Key.A, g.Key.B, g.Key.C, Customers = g.Count() })
            .ToListAsync(ct);
        int Count(Func<int, int, int, bool> where) => marks.Where(m => where(m.A, m.B, m.C)).Sum(m => m.Customers);
        var (inA, inB, inC) = (Count((a, _, _) => a == 1), Count((_, b, _) => b == 1), Count((_, _, c) => c == 1));
        return new CustomerCounts(inC, inB, Share(Count((_, b, c) => b == 1 && c == 1), inB), Share(Count((a, b, _) => a == 1 && b == 1), inA));
    }

    private static double? Share(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);
}
