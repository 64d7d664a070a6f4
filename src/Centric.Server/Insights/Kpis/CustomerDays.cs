using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// A customer who has ordered, as a small dense number (insights_customer_numbers), so a set of customers is a short list
/// of integers instead of a list of ids.
/// </summary>
public sealed class CustomerNumber
{
    public int Number { get; set; }
    public Guid ProfileId { get; set; }
}

/// <summary>
/// The customers who placed an order on one UTC day on one channel (insights_customer_days): their <see cref="CustomerNumber"/>s,
/// four bytes each, appended as orders are counted (in no order; a customer who orders twice that day may appear twice).
/// Active customers and retention of a range are then unions and intersections of a few hundred such sets, read in one
/// query, instead of a pass over every order of three periods. A function of the order facts, like <see cref="KpiDay"/>.
/// </summary>
public sealed class CustomerDay
{
    public DateOnly Day { get; set; }
    public required string Channel { get; set; }
    public byte[] Customers { get; set; } = [];
}

/// <summary>The customers a unit of work adds to the day sets; appended as one upsert per day and channel.</summary>
internal sealed class CustomerDayChanges
{
    private const string Append = """
        INSERT INTO insights_customer_days ("Day", "Channel", "Customers") VALUES ({0}, {1}, {2})
        ON CONFLICT ("Day", "Channel") DO UPDATE SET "Customers" = {appended}
        """;

    private readonly Dictionary<(DateOnly Day, string Channel), HashSet<int>> _added = [];

    public void Add(DateTime at, string channel, int number)
    {
        var key = (DateOnly.FromDateTime(at), channel);
        if (!_added.TryGetValue(key, out var numbers)) _added[key] = numbers = [];
        numbers.Add(number);
    }

    /// <summary>Appends the customers to their day sets, in the caller's transaction.</summary>
    public async Task ApplyAsync(CentricDbContext db, CancellationToken ct)
    {
        // Appended in the database, so writers on other nodes need not read the set first. SQLite's || makes text of blobs.
        var sql = db.IsPostgres ? Append.Replace("{appended}", """insights_customer_days."Customers" || excluded."Customers" """, StringComparison.Ordinal)
            : Append.Replace("{appended}", """CAST(insights_customer_days."Customers" || excluded."Customers" AS BLOB)""", StringComparison.Ordinal);
        // In day and channel order, so two writers touching the same days lock their rows in the same order.
        foreach (var ((day, channel), numbers) in _added.OrderBy(a => a.Key.Day).ThenBy(a => a.Key.Channel, StringComparer.Ordinal))
            await db.Database.ExecuteSqlRawAsync(sql, [day, channel, CustomerDays.Encode(numbers)], ct);
        _added.Clear();
    }
}

/// <summary>Who ordered in three consecutive periods: the customers of each, and those of two neighbours at once.</summary>
internal sealed record ActiveCustomers(int BeforePrevious, int Previous, int Current, int BeforePreviousAndPrevious, int PreviousAndCurrent);

internal static class CustomerDays
{
    /// <summary>The numbers of these customers, giving one to each who has none yet.</summary>
    public static async Task<Dictionary<Guid, int>> NumbersAsync(CentricDbContext db, IReadOnlyCollection<Guid> profiles, CancellationToken ct)
    {
        var numbers = await db.CustomerNumbers.AsNoTracking().Where(n => profiles.Contains(n.ProfileId)).ToDictionaryAsync(n => n.ProfileId, n => n.Number, ct);
        var missing = profiles.Where(p => !numbers.ContainsKey(p)).Distinct().ToList();
        if (missing.Count == 0) return numbers;
        // Another writer (the history at start, another node) may number the same customer meanwhile: its number stands.
        foreach (var chunk in missing.Chunk(500))
        {
            var sql = """INSERT INTO insights_customer_numbers ("ProfileId") VALUES """
                + string.Join(", ", chunk.Select((_, i) => "({" + i.ToString(CultureInfo.InvariantCulture) + "})"))
                + """ ON CONFLICT ("ProfileId") DO NOTHING""";
            await db.Database.ExecuteSqlRawAsync(sql, chunk.Cast<object>(), ct);
        }
        foreach (var n in await db.CustomerNumbers.AsNoTracking().Where(n => missing.Contains(n.ProfileId)).ToListAsync(ct)) numbers[n.ProfileId] = n.Number;
        return numbers;
    }

    public static byte[] Encode(IReadOnlyCollection<int> numbers)
    {
        var bytes = new byte[numbers.Count * 4];
        var at = 0;
        foreach (var n in numbers)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at), n);
            at += 4;
        }
        return bytes;
    }

    public static IEnumerable<int> Decode(byte[] customers)
    {
        for (var at = 0; at + 4 <= customers.Length; at += 4) yield return BinaryPrimitives.ReadInt32LittleEndian(customers.AsSpan(at));
    }

    /// <summary>
    /// Active customers of three consecutive periods (day bounds: before-previous, previous, current, end) of one channel
    /// or all, and how many were active in two neighbouring periods: one read of the periods' day sets, counted in memory.
    /// </summary>
    public static async Task<ActiveCustomers> CountAsync(CentricDbContext db, DateOnly beforePrevious, DateOnly previous, DateOnly current, DateOnly end,
        string? channel, CancellationToken ct)
    {
        var rows = db.CustomerDays.AsNoTracking().Where(d => d.Day >= beforePrevious && d.Day < end);
        if (channel is not null) rows = rows.Where(d => d.Channel == channel);
        var sets = new[] { new Bits(), new Bits(), new Bits() };
        await foreach (var row in rows.Select(d => new { d.Day, d.Customers }).AsAsyncEnumerable().WithCancellation(ct))
        {
            var set = sets[row.Day < previous ? 0 : row.Day < current ? 1 : 2];
            foreach (var n in Decode(row.Customers)) set.Add(n);
        }
        return new ActiveCustomers(sets[0].Count, sets[1].Count, sets[2].Count, sets[0].CountBoth(sets[1]), sets[1].CountBoth(sets[2]));
    }

    /// <summary>
    /// Per channel, the customers who ordered in a range (<paramref name="to"/> exclusive) and how many of them are new
    /// (their first order ever is in the range).
    /// </summary>
    public static async Task<Dictionary<string, (int Customers, int New)>> ByChannelAsync(CentricDbContext db, DateOnly from, DateOnly to, CancellationToken ct)
    {
        var sets = new Dictionary<string, Bits>(StringComparer.Ordinal);
        await foreach (var row in db.CustomerDays.AsNoTracking().Where(d => d.Day >= from && d.Day < to).Select(d => new { d.Channel, d.Customers })
            .AsAsyncEnumerable().WithCancellation(ct))
        {
            if (!sets.TryGetValue(row.Channel, out var set)) sets[row.Channel] = set = new Bits();
            foreach (var n in Decode(row.Customers)) set.Add(n);
        }
        var (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var fresh = new Bits();
        var firsts = from f in db.FirstOrders.AsNoTracking().Where(f => f.PlacedAt >= start && f.PlacedAt < end)
                     join n in db.CustomerNumbers.AsNoTracking() on f.ProfileId equals n.ProfileId
                     select n.Number;
        await foreach (var n in firsts.AsAsyncEnumerable().WithCancellation(ct)) fresh.Add(n);
        return sets.ToDictionary(s => s.Key, s => (s.Value.Count, s.Value.CountBoth(fresh)), StringComparer.Ordinal);
    }

    /// <summary>
    /// Whether the sets hold the order facts, judged on the oldest fact: its day and channel has a set. (A database from
    /// before the sets has facts and no sets; orders counted since the upgrade add only recent days.)
    /// </summary>
    public static async Task<bool> UpToDateAsync(CentricDbContext db, CancellationToken ct)
    {
        var oldest = await db.CountedOrders.AsNoTracking().OrderBy(f => f.PlacedAt).Select(f => new { f.PlacedAt, f.Channel }).FirstOrDefaultAsync(ct);
        if (oldest is null) return true;
        var day = DateOnly.FromDateTime(oldest.PlacedAt);
        return await db.CustomerDays.AnyAsync(d => d.Day == day && d.Channel == oldest.Channel, ct);
    }

    /// <summary>
    /// Numbers every customer with a counted order and makes every day set again from the facts, in one transaction
    /// (PostgreSQL: writers that append meanwhile wait for it, then append what they add; a repeat is harmless). Returns
    /// how many sets it made.
    /// </summary>
    public static async Task<int> RebuildAsync(CentricDbContext db, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
            db.ChangeTracker.Clear();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            if (db.IsPostgres) await db.Database.ExecuteSqlRawAsync("LOCK TABLE insights_customer_days IN EXCLUSIVE MODE", ct);
            // WHERE true: SQLite would read the ON of an upsert after a bare SELECT … FROM as a join's.
            await db.Database.ExecuteSqlRawAsync("""
                INSERT INTO insights_customer_numbers ("ProfileId") SELECT DISTINCT "ProfileId" FROM insights_order_facts WHERE true
                ON CONFLICT ("ProfileId") DO NOTHING
                """, ct);
            await db.Database.ExecuteSqlRawAsync("DELETE FROM insights_customer_days", ct);
            var sets = new Dictionary<(DateOnly Day, string Channel), HashSet<int>>();
            var ordered = from f in db.CountedOrders.AsNoTracking()
                          join n in db.CustomerNumbers.AsNoTracking() on f.ProfileId equals n.ProfileId
                          select new { f.PlacedAt, f.Channel, n.Number };
            await foreach (var o in ordered.AsAsyncEnumerable().WithCancellation(ct))
            {
                var key = (DateOnly.FromDateTime(o.PlacedAt), o.Channel);
                if (!sets.TryGetValue(key, out var set)) sets[key] = set = [];
                set.Add(o.Number);
            }
            foreach (var chunk in sets.Chunk(200))
            {
                db.CustomerDays.AddRange(chunk.Select(s => new CustomerDay { Day = s.Key.Day, Channel = s.Key.Channel, Customers = Encode(s.Value) }));
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
            await tx.CommitAsync(ct);
            return sets.Count;
        });
    }

    /// <summary>
    /// After a merge has moved one customer's orders to another: the survivor's number stands in the sets for both (the
    /// merged-away customer's own, when the survivor had none). In the merge's transaction.
    /// </summary>
    public static async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        var numbers = await db.CustomerNumbers.AsNoTracking().Where(n => n.ProfileId == fromProfileId || n.ProfileId == toProfileId)
            .ToDictionaryAsync(n => n.ProfileId, n => n.Number, ct);
        if (!numbers.TryGetValue(fromProfileId, out var from)) return;
        if (!numbers.TryGetValue(toProfileId, out var to))
        {
            await db.CustomerNumbers.Where(n => n.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(n => n.ProfileId, toProfileId), ct);
            return;
        }
        // The sets that may hold the merged-away number: the days and channels of the survivor's orders, now theirs too.
        var keys = (await db.CountedOrders.AsNoTracking().Where(f => f.ProfileId == toProfileId).Select(f => new { f.PlacedAt, f.Channel }).ToListAsync(ct))
            .Select(f => (Day: DateOnly.FromDateTime(f.PlacedAt), f.Channel)).Distinct().OrderBy(k => k.Day).ThenBy(k => k.Channel, StringComparer.Ordinal);
        foreach (var (day, channel) in keys)
        {
            // Locked while rewritten, so an append by another writer is not lost (SQLite: the merge's transaction writes already).
            var read = db.IsPostgres
                ? db.CustomerDays.FromSqlRaw("""SELECT * FROM insights_customer_days WHERE "Day" = {0} AND "Channel" = {1} FOR UPDATE""", day, channel)
                : db.CustomerDays.Where(d => d.Day == day && d.Channel == channel);
            if ((await read.AsNoTracking().ToListAsync(ct)).FirstOrDefault()?.Customers is not { } customers) continue;
            var rewritten = Encode(Decode(customers).Select(n => n == from ? to : n).ToHashSet());
            await db.CustomerDays.Where(d => d.Day == day && d.Channel == channel).ExecuteUpdateAsync(u => u.SetProperty(d => d.Customers, rewritten), ct);
        }
        await db.CustomerNumbers.Where(n => n.ProfileId == fromProfileId).ExecuteDeleteAsync(ct);
    }

    /// <summary>A set of customer numbers as one bit each.</summary>
    private sealed class Bits
    {
        private ulong[] _words = new ulong[1024];

        public void Add(int number)
        {
            var word = number >> 6;
            if (word >= _words.Length) Array.Resize(ref _words, Math.Max(word + 1, _words.Length * 2));
            _words[word] |= 1UL << (number & 63);
        }

        public int Count
        {
            get
            {
                var count = 0;
                foreach (var w in _words) count += BitOperations.PopCount(w);
                return count;
            }
        }

        public int CountBoth(Bits other)
        {
            var count = 0;
            for (var i = 0; i < Math.Min(_words.Length, other._words.Length); i++) count += BitOperations.PopCount(_words[i] & other._words[i]);
            return count;
        }
    }
}
