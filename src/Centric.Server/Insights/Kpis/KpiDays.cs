using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// One UTC day on one channel (insights_kpi_days): the sums a dashboard load reads most — orders placed and their line
/// value, value taken back, visits, cross-sell value — so a 90-day range sums 90 rows a channel instead of a quarter of
/// every order, line and visit. A function of the rollup facts: <see cref="KpiRollups"/> adds what each new fact adds in
/// the transaction that writes it, and <see cref="KpiDays.RebuildAsync"/> makes the rows again from the facts.
/// </summary>
public sealed class KpiDay
{
    public DateOnly Day { get; set; }
    public required string Channel { get; set; }
    public int Orders { get; set; }
    public long ValueMinor { get; set; }
    public long TakenBackMinor { get; set; }
    public int Visits { get; set; }
    public long CrossSellMinor { get; set; }
}

/// <summary>What a unit of work adds to (or, after a merge, takes from) the day rows; applied as one upsert per day and channel.</summary>
internal sealed class KpiDayChanges
{
    private readonly Dictionary<(DateOnly Day, string Channel), KpiDay> _changes = [];

    public void Add(DateTime at, string channel, int orders = 0, long valueMinor = 0, long takenBackMinor = 0, int visits = 0, long crossSellMinor = 0) =>
        Add(DateOnly.FromDateTime(at), channel, orders, valueMinor, takenBackMinor, visits, crossSellMinor);

    public void Add(DateOnly day, string channel, int orders = 0, long valueMinor = 0, long takenBackMinor = 0, int visits = 0, long crossSellMinor = 0)
    {
        if (!_changes.TryGetValue((day, channel), out var change)) _changes[(day, channel)] = change = new KpiDay { Day = day, Channel = channel };
        change.Orders += orders;
        change.ValueMinor += valueMinor;
        change.TakenBackMinor += takenBackMinor;
        change.Visits += visits;
        change.CrossSellMinor += crossSellMinor;
    }

    /// <summary>
    /// Taken by every writer of the day rows (and of the customer-day sets after them) before it writes, until its transaction
    /// ends. A transaction may apply several sets of changes (an ingestion batch merging several visitors), each in day and
    /// channel order but together in none, so two writers could take the same rows in opposite orders and deadlock. The rows
    /// are hot, so writers wait for one another either way; with one lock first they never wait in a cycle. (PostgreSQL;
    /// SQLite has one writer at a time anyway. Taking it again in the same transaction is free.)
    /// </summary>
    public static async Task LockAsync(CentricDbContext db, CancellationToken ct)
    {
        if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(1128875011, 0)", ct);
    }

    /// <summary>Adds the changes to the day rows, in the caller's transaction (so they commit or roll back with the facts).</summary>
    public async Task ApplyAsync(CentricDbContext db, CancellationToken ct)
    {
        var changes = _changes.Values.Where(c => c is not { Orders: 0, ValueMinor: 0, TakenBackMinor: 0, Visits: 0, CrossSellMinor: 0 })
            .OrderBy(c => c.Day).ThenBy(c => c.Channel, StringComparer.Ordinal).ToList();
        _changes.Clear();
        if (changes.Count == 0) return;
        await LockAsync(db, ct);
        foreach (var c in changes)
        {
            await db.Database.ExecuteSqlInterpolatedAsync($"""
                INSERT INTO insights_kpi_days ("Day", "Channel", "Orders", "ValueMinor", "TakenBackMinor", "Visits", "CrossSellMinor")
                VALUES ({c.Day}, {c.Channel}, {c.Orders}, {c.ValueMinor}, {c.TakenBackMinor}, {c.Visits}, {c.CrossSellMinor})
                ON CONFLICT ("Day", "Channel") DO UPDATE SET
                    "Orders" = insights_kpi_days."Orders" + excluded."Orders",
                    "ValueMinor" = insights_kpi_days."ValueMinor" + excluded."ValueMinor",
                    "TakenBackMinor" = insights_kpi_days."TakenBackMinor" + excluded."TakenBackMinor",
                    "Visits" = insights_kpi_days."Visits" + excluded."Visits",
                    "CrossSellMinor" = insights_kpi_days."CrossSellMinor" + excluded."CrossSellMinor"
                """, ct);
        }
    }
}

internal static class KpiDays
{
    /// <summary>The day rows of a range (<paramref name="to"/> exclusive), of one channel or all.</summary>
    public static IQueryable<KpiDay> Of(CentricDbContext db, DateOnly from, DateOnly to, string? channel)
    {
        var days = db.KpiDays.AsNoTracking().Where(d => d.Day >= from && d.Day < to);
        return channel is null ? days : days.Where(d => d.Channel == channel);
    }

    /// <summary>Whether the day rows add up to the facts they sum (orders and visits counted; cheap enough for a start).</summary>
    public static async Task<bool> AddUpAsync(CentricDbContext db, CancellationToken ct) =>
        await db.KpiDays.SumAsync(d => (long)d.Orders, ct) == await db.CountedOrders.LongCountAsync(ct)
        && await db.KpiDays.SumAsync(d => (long)d.Visits, ct) == await db.ProductVisits.LongCountAsync(ct);

    /// <summary>
    /// Makes every day row again from the facts, in one transaction. Writers that add to the rows meanwhile wait for it
    /// (PostgreSQL: the table is locked against writes; SQLite has one writer anyway) and add their facts after.
    /// </summary>
    public static async Task<int> RebuildAsync(CentricDbContext db, CancellationToken ct)
    {
        string Day(string column) => db.IsPostgres ? $"""("{column}" AT TIME ZONE 'UTC')::date""" : $"""substr("{column}", 1, 10)""";
        var sql = $"""
            INSERT INTO insights_kpi_days ("Day", "Channel", "Orders", "ValueMinor", "TakenBackMinor", "Visits", "CrossSellMinor")
            SELECT "Day", "Channel", SUM("Orders"), SUM("ValueMinor"), SUM("TakenBackMinor"), SUM("Visits"), SUM("CrossSellMinor") FROM (
                SELECT {Day("PlacedAt")} AS "Day", "Channel", COUNT(*) AS "Orders", SUM("ValueMinor") AS "ValueMinor",
                       0 AS "TakenBackMinor", 0 AS "Visits", 0 AS "CrossSellMinor"
                FROM insights_order_facts GROUP BY 1, 2
                UNION ALL
                SELECT {Day("At")}, "Channel", 0, 0, SUM("ValueMinor"), 0, 0 FROM insights_revenue_adjustments GROUP BY 1, 2
                UNION ALL
                SELECT "Day", "Channel", 0, 0, 0, COUNT(*), 0 FROM insights_product_visits GROUP BY 1, 2
                UNION ALL
                SELECT {Day("PlacedAt").Replace("\"PlacedAt\"", "l.\"PlacedAt\"", StringComparison.Ordinal)}, f."Channel", 0, 0, 0, 0, SUM(l."ValueMinor")
                FROM insights_order_lines l JOIN insights_order_facts f ON f."OrderId" = l."OrderId" WHERE l."CrossSell" GROUP BY 1, 2
            ) AS parts
            GROUP BY "Day", "Channel"
            """;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("LOCK TABLE insights_kpi_days IN EXCLUSIVE MODE", ct);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM insights_kpi_days", ct);
            var rows = await db.Database.ExecuteSqlRawAsync(sql, ct);
            await tx.CommitAsync(ct);
            return rows;
        });
    }
}
