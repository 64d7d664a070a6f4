using System.Linq.Expressions;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>Orders and revenue of one bucket of days; <see cref="Start"/> is its first day.</summary>
public sealed record KpiPoint(DateOnly Start, int Orders, double Revenue);

/// <summary>The KPIs' own figures split by one key (a channel, a value decile): what each part contributes.</summary>
public sealed record KpiSlice(string Key, string Label, int Orders, double Revenue, int Customers, int NewCustomers);

/// <summary>One customer behind a figure: their orders and revenue in the range (revenue as the KPIs count it).</summary>
public sealed record CountedCustomer(Guid ProfileId, int Orders, double Revenue, bool New, int? Decile);

/// <summary>
/// What narrows the KPIs, a breakdown or a drill-down: a channel, a value decile (0 = customers not scored yet; the KPIs
/// themselves take 1–10), a segment's customers.
/// </summary>
public sealed record KpiScope(string? Channel = null, int? Decile = null, Guid? Segment = null);

/// <summary>
/// The same rollups as <see cref="KpiCatalogue"/>, seen over time, by channel and by value decile, and down to the
/// customers behind them. Orders count on the day they were placed; revenue is their line value less the cancellations
/// and refunds recorded that day, as the <c>revenue</c> KPI defines it. Everything is summed by the database per day or
/// per customer, so a load reads a few thousand rows, whatever the number of orders.
/// </summary>
public sealed class KpiBreakdowns(CentricDbContext db, KpiFacts facts, Customers.Contracts.ICustomerSegments segments)
{
    /// <summary>Days per bucket for a range: a day up to three months, then a week, then four weeks.</summary>
    public static int BucketDays(DateOnly from, DateOnly to) => (to.DayNumber - from.DayNumber) switch { <= 92 => 1, <= 400 => 7, _ => 28 };

    /// <summary>Orders and revenue per bucket of the range, every bucket present (zero where nothing happened).</summary>
    public async Task<IReadOnlyList<KpiPoint>> SeriesAsync(DateOnly from, DateOnly to, string? channel, CancellationToken ct)
    {
        var days = await KpiDays.Of(db, from, to, channel).GroupBy(d => d.Day)
            .Select(g => new { Day = g.Key, Orders = g.Sum(d => d.Orders), Value = g.Sum(d => d.ValueMinor - d.TakenBackMinor) }).ToListAsync(ct);
        var size = BucketDays(from, to);
        var buckets = new (int Orders, long Minor)[(to.DayNumber - from.DayNumber + size - 1) / size];
        foreach (var d in days)
        {
            var i = (d.Day.DayNumber - from.DayNumber) / size;
            buckets[i] = (buckets[i].Orders + d.Orders, buckets[i].Minor + d.Value);
        }
        return [.. buckets.Select((b, i) => new KpiPoint(from.AddDays(i * size), b.Orders, b.Minor / 100.0))];
    }

    /// <summary>
    /// Orders, revenue and customers per channel orders were placed on, largest revenue first: the day rows' sums and the
    /// customer-day sets' counts.
    /// </summary>
    public async Task<IReadOnlyList<KpiSlice>> ByChannelAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var sums = await KpiDays.Of(db, from, to, null).GroupBy(d => d.Channel)
            .Select(g => new { Channel = g.Key, Orders = g.Sum(d => d.Orders), Value = g.Sum(d => d.ValueMinor), TakenBack = g.Sum(d => d.TakenBackMinor) })
            .ToListAsync(ct);
        var customers = await CustomerDays.ByChannelAsync(db, from, to, ct);
        // A channel where revenue was only taken back in the range still shows, so the channels add up to the revenue KPI.
        return [.. sums.Where(s => s.Orders != 0 || s.TakenBack != 0)
            .Select(s => new KpiSlice(s.Channel, ChannelLabel(s.Channel), s.Orders, (s.Value - s.TakenBack) / 100.0,
                customers.GetValueOrDefault(s.Channel).Customers, customers.GetValueOrDefault(s.Channel).New))
            .OrderByDescending(s => s.Revenue)];
    }

    /// <summary>
    /// Orders, revenue and customers per value decile (1 = most valuable tenth; "not scored yet" last). Revenue includes
    /// what was taken back in the range from customers who did not order in it, so the deciles add up to the revenue KPI;
    /// customers are those the active-customers KPI counts. Summed by the database, each customer under their latest score.
    /// </summary>
    public async Task<IReadOnlyList<KpiSlice>> ByDecileAsync(DateOnly from, DateOnly to, string? channel, CancellationToken ct)
    {
        var (start, end) = (Utc(from), Utc(to));
        var scope = new KpiScope(channel);
        var scores = db.ProfileInsights.AsNoTracking();
        // A profile may hold an older score row for a moment after a merge: the newest decides.
        var latest = scores.Where(p => !scores.Any(q => q.ProfileId == p.ProfileId && q.ScoredAt > p.ScoredAt));
        var inRange = facts.Orders(scope).Where(f => f.PlacedAt >= start && f.PlacedAt < end);
        var orders =
            from f in inRange
            join p in latest on f.ProfileId equals p.ProfileId into scored
            from p in scored.DefaultIfEmpty()
            select new { f.ProfileId, f.ValueMinor, Decile = p == null ? 0 : p.Decile ?? 0 };
        var placed = await orders.GroupBy(o => o.Decile)
            .Select(g => new { Decile = g.Key, Orders = g.Count(), Value = g.Sum(o => o.ValueMinor), Customers = g.Select(o => o.ProfileId).Distinct().Count() })
            .ToDictionaryAsync(x => x.Decile, ct);
        var newCustomers = await NewCustomersAsync(orders, o => new KeyedOrder<int> { ProfileId = o.ProfileId, Key = o.Decile }, start, ct);
        var adjusted =
            from a in facts.Adjustments(scope).Where(a => a.At >= start && a.At < end)
            join p in latest on a.ProfileId equals p.ProfileId into scored
            from p in scored.DefaultIfEmpty()
            select new { a.ValueMinor, Decile = p == null ? 0 : p.Decile ?? 0 };
        var takenBack = await adjusted.GroupBy(a => a.Decile).Select(g => new { Decile = g.Key, Value = g.Sum(a => a.ValueMinor) })
            .ToDictionaryAsync(x => x.Decile, x => x.Value, ct);
        return [.. placed.Keys.Union(takenBack.Keys)
            .OrderBy(d => d == 0 ? int.MaxValue : d)
            .Select(d => new KpiSlice(d.ToString(System.Globalization.CultureInfo.InvariantCulture), DecileLabel(d),
                placed.GetValueOrDefault(d)?.Orders ?? 0, Math.Round(((placed.GetValueOrDefault(d)?.Value ?? 0) - takenBack.GetValueOrDefault(d)) / 100.0, 2),
                placed.GetValueOrDefault(d)?.Customers ?? 0, newCustomers.GetValueOrDefault(d)))];
    }

    /// <summary>
    /// The customers new in a range starting at <paramref name="start"/> (their first order ever is on or after it) among
    /// <paramref name="orders"/>, counted per key (a channel, a decile) by the database.
    /// </summary>
    private Task<Dictionary<TKey, int>> NewCustomersAsync<TOrder, TKey>(IQueryable<TOrder> orders, Expression<Func<TOrder, KeyedOrder<TKey>>> keyed,
        DateTime start, CancellationToken ct) where TKey : notnull =>
        orders.Select(keyed).Where(o => db.FirstOrders.Any(n => n.ProfileId == o.ProfileId && n.PlacedAt >= start))
            .GroupBy(o => o.Key).Select(g => new { g.Key, Customers = g.Select(o => o.ProfileId).Distinct().Count() })
            .ToDictionaryAsync(x => x.Key, x => x.Customers, ct);

    /// <summary>An order's customer and the key it is counted under (a class with initialisers, which EF translates through a GroupBy).</summary>
    private sealed class KeyedOrder<TKey>
    {
        public Guid ProfileId { get; init; }
        public required TKey Key { get; init; }
    }

    /// <summary>
    /// The customers the <c>active_customers</c> KPI counts for the range (an order placed in it), with their orders and
    /// revenue there, narrowed to a channel or a decile; the largest revenue first.
    /// </summary>
    public async Task<IReadOnlyList<CountedCustomer>> CustomersAsync(DateOnly from, DateOnly to, KpiScope scope, CancellationToken ct)
    {
        var counted = (await PerProfileAsync(from, to, scope with { Decile = null }, ct)).Where(c => c.Orders > 0);
        if (scope.Decile is { } decile) counted = counted.Where(c => (c.Decile ?? 0) == decile);
        return [.. counted.OrderByDescending(c => c.Revenue).ThenBy(c => c.ProfileId)];
    }

    /// <summary>
    /// The KPIs' own figures for each segment: its customers' orders and revenue in the range (a customer in two segments
    /// counts in both, so the rows need not add up to the whole).
    /// </summary>
    public async Task<IReadOnlyList<KpiSlice>> BySegmentAsync(DateOnly from, DateOnly to, string? channel, CancellationToken ct)
    {
        var slices = new List<KpiSlice>();
        foreach (var segment in await segments.ListAsync(ct))
        {
            var profiles = await PerProfileAsync(from, to, new KpiScope(channel, Segment: segment.Id), ct);
            slices.Add(new KpiSlice(segment.Id.ToString(), segment.Name, profiles.Sum(c => c.Orders), Math.Round(profiles.Sum(c => c.Revenue), 2),
                profiles.Count(c => c.Orders > 0), profiles.Count(c => c.New)));
        }
        return slices;
    }

    /// <summary>Every profile with an order placed or revenue taken back in the range (in the scope's channel and segment), with its figures there.</summary>
    private async Task<List<CountedCustomer>> PerProfileAsync(DateOnly from, DateOnly to, KpiScope scope, CancellationToken ct)
    {
        var (start, end) = (Utc(from), Utc(to));
        var inRange = facts.Orders(scope).Where(f => f.PlacedAt >= start && f.PlacedAt < end);
        var adjustedInRange = facts.Adjustments(scope).Where(a => a.At >= start && a.At < end);
        var placed = await inRange.GroupBy(f => f.ProfileId).Select(g => new { ProfileId = g.Key, Orders = g.Count(), Value = g.Sum(f => f.ValueMinor) })
            .ToDictionaryAsync(x => x.ProfileId, ct);
        var takenBack = await adjustedInRange.GroupBy(a => a.ProfileId).Select(g => new { ProfileId = g.Key, Value = g.Sum(a => a.ValueMinor) })
            .ToDictionaryAsync(x => x.ProfileId, x => x.Value, ct);
        // New: their first order ever (on any channel) falls in the range, i.e. none before it. A semi-join keeps the
        // read to the profiles of the range.
        var earlier = (await db.FirstOrders.AsNoTracking().Where(f => f.PlacedAt < start && inRange.Any(r => r.ProfileId == f.ProfileId))
            .Select(f => f.ProfileId).ToListAsync(ct)).ToHashSet();
        // A profile may hold more than one score row for a moment after a merge; the newest counts.
        var deciles = (await db.ProfileInsights.AsNoTracking()
                .Where(p => p.Decile != null && (inRange.Any(r => r.ProfileId == p.ProfileId) || adjustedInRange.Any(a => a.ProfileId == p.ProfileId)))
                .Select(p => new { p.ProfileId, p.Decile, p.ScoredAt }).ToListAsync(ct))
            .GroupBy(p => p.ProfileId).ToDictionary(g => g.Key, g => g.MaxBy(p => p.ScoredAt)!.Decile);
        var ids = placed.Keys.Union(takenBack.Keys).ToList();
        return [.. ids.Select(id =>
        {
            var orders = placed.GetValueOrDefault(id);
            return new CountedCustomer(id, orders?.Orders ?? 0, ((orders?.Value ?? 0) - takenBack.GetValueOrDefault(id)) / 100.0,
                orders is not null && !earlier.Contains(id), deciles.GetValueOrDefault(id));
        })];
    }

    public static string DecileLabel(int decile) => decile == 0 ? "Not scored yet" : $"Decile {decile}";

    public static string ChannelLabel(string channel) => channel.Length == 0 ? "Unknown" : char.ToUpperInvariant(channel[0]) + channel[1..];

    private static DateTime Utc(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
}
