using Centric.Server.Insights.Costs;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// Keeps Insights' rollups current from the stream (so a dashboard load sums a few indexed rows instead of reading every
/// interaction): each <c>order_placed</c> becomes a <see cref="CountedOrder"/> with its <see cref="CountedOrderLine"/>s; an
/// order moved to Cancelled, and a return's refund (<c>refund_issued</c> without a from-status), become
/// <see cref="RevenueAdjustment"/>s; a delivery dates its order; a customer's earliest order is their
/// <see cref="FirstOrder"/>; a <c>product_viewed</c> makes a <see cref="ProductVisit"/>; what costs money to serve a
/// customer becomes a <see cref="Costs.CostDriver"/>; and each <see cref="KpiDay"/> adds up what they add.
/// Idempotent, so a redelivered batch changes nothing. History older than the stream keeps is rolled up by
/// <see cref="KpiHistory"/>.
/// </summary>
internal sealed class KpiRollupSubscriber : IInteractionSubscriber
{
    public const string SubscriberName = "insights.kpi-rollups";

    public string Name => SubscriberName;

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct) => KpiRollups.AddAsync(db, batch, ct);
}

/// <summary>Turns interactions into the rollup rows; adding the same interaction twice changes nothing.</summary>
internal static class KpiRollups
{
    /// <summary>
    /// The interaction types the history rolls up a page at a time (product views, by far the most, are rolled up in one
    /// statement by <see cref="KpiHistory"/>).
    /// </summary>
    public static readonly string[] Types =
        [.. new[] { InteractionTypes.OrderPlaced.Name, InteractionTypes.RefundIssued.Name, InteractionTypes.OrderStatusChanged.Name }.Concat(CostDriverRollup.Types).Distinct()];

    public static async Task AddAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var placed = new Dictionary<Guid, (CountedOrder Fact, OrderedItem[] Items)>();
        var adjustments = new List<(Interaction At, Guid OrderId, string Kind, long? ValueMinor)>();
        var delivered = new Dictionary<Guid, DateTime>();
        var visits = new HashSet<(DateOnly Day, string Channel, Guid ProfileId)>();
        foreach (var i in batch)
        {
            if (InteractionTypes.ProductViewed.Is(i.Type))
            {
                visits.Add((DateOnly.FromDateTime(i.OccurredAt), i.Channel, i.ProfileId));
                continue;
            }
            if (InteractionTypes.OrderPlaced.Is(i.Type) && InteractionTypes.OrderPlaced.Read(i.Properties) is { } order)
            {
                var items = order.Items ?? [];
                var value = items.Sum(item => Minor(item.Price * item.Quantity));
                placed[order.OrderId] = (new CountedOrder
                {
                    OrderId = order.OrderId, ProfileId = i.ProfileId, PlacedAt = i.OccurredAt, Channel = i.Channel,
                    ValueMinor = value, Currency = order.Currency,
                }, items);
            }
            else if (InteractionTypes.OrderStatusChanged.Is(i.Type) && InteractionTypes.OrderStatusChanged.Read(i.Properties) is { To: "Cancelled" or "Delivered" } changed)
            {
                if (changed.To == "Cancelled") adjustments.Add((i, changed.OrderId, "cancellation", null));
                else if (!delivered.TryGetValue(changed.OrderId, out var at) || at < i.OccurredAt) delivered[changed.OrderId] = i.OccurredAt;
            }
            else if (InteractionTypes.RefundIssued.Is(i.Type) && InteractionTypes.RefundIssued.Read(i.Properties) is { From: null } refund)
                adjustments.Add((i, refund.OrderId, "return", Minor(refund.Amount)));
        }
        var costOrders = CostDriverRollup.OrdersOf(batch).ToList();
        var costs = batch.Any(i => CostDriverRollup.Types.Contains(i.Type));
        if (placed.Count == 0 && adjustments.Count == 0 && delivered.Count == 0 && visits.Count == 0 && !costs) return;
        // The orders this batch touches, already rolled up or placed in the batch itself; one save for all of it.
        var orderIds = placed.Keys.Concat(adjustments.Select(a => a.OrderId)).Concat(delivered.Keys).Concat(costOrders).Distinct().ToList();
        var facts = orderIds.Count == 0 ? new Dictionary<Guid, CountedOrder>() : await db.CountedOrders.AsNoTracking().Where(f => orderIds.Contains(f.OrderId)).ToDictionaryAsync(f => f.OrderId, ct);
        var added = new List<CountedOrder>();
        var days = new KpiDayChanges();
        foreach (var (fact, _) in placed.Values)
            if (facts.TryAdd(fact.OrderId, fact))
            {
                db.CountedOrders.Add(fact);
                added.Add(fact);
                days.Add(fact.PlacedAt, fact.Channel, orders: 1, valueMinor: fact.ValueMinor);
            }
        await AddLinesAsync(db, placed, facts, days, ct);
        await AddFirstOrdersAsync(db, added, ct);
        var customers = new CustomerDayChanges();
        if (added.Count > 0)
        {
            var numbers = await CustomerDays.NumbersAsync(db, [.. added.Select(f => f.ProfileId).Distinct()], ct);
            foreach (var fact in added) customers.Add(fact.PlacedAt, fact.Channel, numbers[fact.ProfileId]);
        }
        foreach (var (orderId, at) in delivered)
        {
            if (!facts.TryGetValue(orderId, out var fact) || fact.DeliveredAt >= at) continue;
            if (db.Entry(fact).State == EntityState.Detached) db.CountedOrders.Attach(fact);
            fact.DeliveredAt = at;
            fact.DeliveryDays = (at - fact.PlacedAt).TotalDays;
        }
        await AddVisitsAsync(db, visits, days, ct);
        var adjustmentIds = adjustments.Select(a => a.At.Id).ToList();
        var done = adjustmentIds.Count == 0 ? [] : await db.RevenueAdjustments.Where(a => adjustmentIds.Contains(a.Id)).Select(a => a.Id).ToListAsync(ct);
        foreach (var (at, orderId, kind, valueMinor) in adjustments)
        {
            // An order the rollup never saw placed (an integrator's event for another system's order) is not counted either way.
            if (done.Contains(at.Id) || !facts.TryGetValue(orderId, out var fact)) continue;
            db.RevenueAdjustments.Add(new RevenueAdjustment
            {
                Id = at.Id, OrderId = orderId, ProfileId = fact.ProfileId, At = at.OccurredAt, Channel = fact.Channel,
                ValueMinor = valueMinor ?? fact.ValueMinor, Kind = kind,
            });
            days.Add(at.OccurredAt, fact.Channel, takenBackMinor: valueMinor ?? fact.ValueMinor);
        }
        if (costs) await CostDriverRollup.AddAsync(db, batch, facts, ct);
        // The day rows add what the new facts add, committed with them: in the subscriber's transaction, or in one of their
        // own when the history calls this outside any.
        await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        // In the stream's transaction a busy batch adds a hundred rows or so (visits, cost drivers): by bulk insert, not a tracked
        // INSERT each. The history keeps EF's save: it retries the DbUpdateException of a row the subscriber wrote meanwhile.
        if (own is null) await db.SaveAddingInBulkAsync(ct);
        else await db.SaveChangesAsync(ct);
        await days.ApplyAsync(db, ct);
        await customers.ApplyAsync(db, ct);
        if (own is not null) await own.CommitAsync(ct);
    }

    /// <summary>
    /// The lines of each placed order that has none yet, under the order as it was first counted (a redelivered
    /// <c>order_placed</c> changes nothing; a database rolled up before lines were kept gets them from the history).
    /// </summary>
    private static async Task AddLinesAsync(CentricDbContext db, Dictionary<Guid, (CountedOrder Fact, OrderedItem[] Items)> placed,
        Dictionary<Guid, CountedOrder> facts, KpiDayChanges days, CancellationToken ct)
    {
        var ids = placed.Where(p => p.Value.Items.Length > 0).Select(p => p.Key).ToList();
        if (ids.Count == 0) return;
        var withLines = (await db.CountedOrderLines.Where(l => ids.Contains(l.OrderId)).Select(l => l.OrderId).Distinct().ToListAsync(ct)).ToHashSet();
        var lines = new List<CountedOrderLine>();
        foreach (var id in ids.Where(id => !withLines.Contains(id)))
        {
            var fact = facts[id];
            var line = 0;
            foreach (var item in placed[id].Items)
                lines.Add(new CountedOrderLine
                {
                    OrderId = id, Line = line++, ProfileId = fact.ProfileId, PlacedAt = fact.PlacedAt, ProductId = item.ProductId,
                    Category = string.IsNullOrWhiteSpace(item.Category) ? "" : item.Category.Trim()[..Math.Min(item.Category.Trim().Length, 100)],
                    Quantity = item.Quantity, ValueMinor = Minor(item.Price * item.Quantity),
                });
        }
        if (lines.Count == 0) return;
        // Cross-sell is judged against what these customers bought before, counted already or earlier in this batch.
        var profiles = lines.Select(l => l.ProfileId).Distinct().ToList();
        var before = await db.CountedOrderLines.AsNoTracking().Where(l => profiles.Contains(l.ProfileId))
            .Select(l => new CountedOrderLine { OrderId = l.OrderId, ProfileId = l.ProfileId, PlacedAt = l.PlacedAt, Category = l.Category }).ToListAsync(ct);
        CrossSell.Mark(before, lines);
        db.CountedOrderLines.AddRange(lines);
        foreach (var line in lines.Where(l => l.CrossSell)) days.Add(line.PlacedAt, facts[line.OrderId].Channel, crossSellMinor: line.ValueMinor);
    }

    /// <summary>Each newly counted order that is its customer's earliest becomes (or replaces) their first order.</summary>
    private static async Task AddFirstOrdersAsync(CentricDbContext db, List<CountedOrder> added, CancellationToken ct)
    {
        if (added.Count == 0) return;
        var profiles = added.Select(f => f.ProfileId).Distinct().ToList();
        var firsts = await db.FirstOrders.Where(f => profiles.Contains(f.ProfileId)).ToDictionaryAsync(f => f.ProfileId, ct);
        foreach (var fact in added)
        {
            if (!firsts.TryGetValue(fact.ProfileId, out var first))
                db.FirstOrders.Add(firsts[fact.ProfileId] = new FirstOrder { ProfileId = fact.ProfileId, PlacedAt = fact.PlacedAt });
            else if (fact.PlacedAt < first.PlacedAt)
                first.PlacedAt = fact.PlacedAt;
        }
    }

    /// <summary>The visits of this batch's product views that are not kept yet.</summary>
    private static async Task AddVisitsAsync(CentricDbContext db, HashSet<(DateOnly Day, string Channel, Guid ProfileId)> visits, KpiDayChanges days, CancellationToken ct)
    {
        if (visits.Count == 0) return;
        var profiles = visits.Select(v => v.ProfileId).Distinct().ToList();
        var viewedOn = visits.Select(v => v.Day).Distinct().ToList();
        var kept = (await db.ProductVisits.AsNoTracking().Where(v => profiles.Contains(v.ProfileId) && viewedOn.Contains(v.Day))
            .Select(v => new { v.Day, v.Channel, v.ProfileId }).ToListAsync(ct)).Select(v => (v.Day, v.Channel, v.ProfileId)).ToHashSet();
        foreach (var (day, channel, profile) in visits.Where(v => !kept.Contains(v)))
        {
            db.ProductVisits.Add(new ProductVisit { Day = day, Channel = channel, ProfileId = profile });
            days.Add(day, channel, visits: 1);
        }
    }

    /// <summary>
    /// Whether the timeline's history is rolled up already, judged on its oldest page of rollup interactions: the oldest
    /// order is counted with its lines, and the oldest cost driver is kept.
    /// </summary>
    public static async Task<bool> RolledUpAsync(CentricDbContext db, IReadOnlyList<Interaction> oldest, CancellationToken ct)
    {
        var first = oldest.Where(i => InteractionTypes.OrderPlaced.Is(i.Type)).Select(i => InteractionTypes.OrderPlaced.Read(i.Properties)).FirstOrDefault(o => o is not null);
        if (first is not null)
        {
            if (!await db.CountedOrders.AnyAsync(o => o.OrderId == first.OrderId, ct)) return false;
            if (first.Items is { Length: > 0 } && !await db.CountedOrderLines.AnyAsync(l => l.OrderId == first.OrderId, ct)) return false;
        }
        return await CostDriverRollup.RolledUpAsync(db, oldest, ct);
    }

    /// <summary>
    /// After a merge has moved one profile's orders and lines to another: the survivor's first order is the earlier of the
    /// two, its lines are judged for cross-sell again over the joined history, the visits follow (a day both visited
    /// counts once), and the survivor stands for both in the customer-day sets.
    /// </summary>
    public static async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        // The day rows' lock before the sets' rows, in the order the rollup takes them.
        await KpiDayChanges.LockAsync(db, ct);
        await CustomerDays.MoveAsync(db, fromProfileId, toProfileId, ct);
        await db.FirstOrders.Where(f => f.ProfileId == fromProfileId || f.ProfileId == toProfileId).ExecuteDeleteAsync(ct);
        var first = await db.CountedOrders.Where(f => f.ProfileId == toProfileId).MinAsync(f => (DateTime?)f.PlacedAt, ct);
        if (first is { } at) db.FirstOrders.Add(new FirstOrder { ProfileId = toProfileId, PlacedAt = at });
        var lines = await db.CountedOrderLines.Where(l => l.ProfileId == toProfileId).ToListAsync(ct);
        var wasCrossSell = lines.ToDictionary(l => (l.OrderId, l.Line), l => l.CrossSell);
        CrossSell.Mark([], lines);
        var days = new KpiDayChanges();
        var changed = lines.Where(l => l.CrossSell != wasCrossSell[(l.OrderId, l.Line)]).ToList();
        if (changed.Count > 0)
        {
            var orderIds = changed.Select(l => l.OrderId).Distinct().ToList();
            var channels = await db.CountedOrders.AsNoTracking().Where(f => orderIds.Contains(f.OrderId)).ToDictionaryAsync(f => f.OrderId, f => f.Channel, ct);
            // A line without its order's fact is in no day row (they sum lines joined to their orders).
            foreach (var line in changed.Where(l => channels.ContainsKey(l.OrderId)))
                days.Add(line.PlacedAt, channels[line.OrderId], crossSellMinor: line.CrossSell ? line.ValueMinor : -line.ValueMinor);
        }
        var twice = db.ProductVisits.Where(v => v.ProfileId == fromProfileId
            && db.ProductVisits.Any(t => t.ProfileId == toProfileId && t.Day == v.Day && t.Channel == v.Channel));
        foreach (var day in await twice.GroupBy(v => new { v.Day, v.Channel }).Select(g => new { g.Key.Day, g.Key.Channel, Visits = g.Count() }).ToListAsync(ct))
            days.Add(day.Day, day.Channel, visits: -day.Visits);
        await twice.ExecuteDeleteAsync(ct);
        await db.ProductVisits.Where(v => v.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(v => v.ProfileId, toProfileId), ct);
        // In the merge's transaction; the first order and the lines' marks are saved with its unit of work.
        await days.ApplyAsync(db, ct);
    }

    private static long Minor(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);
}

/// <summary>Which order lines are cross-sell: a customer's first purchase in a category, on an order after their first.</summary>
internal static class CrossSell
{
    /// <summary>
    /// Marks <paramref name="lines"/> (new lines, any customers) against <paramref name="before"/> (lines counted already,
    /// of the same customers). Lines of one order do not count against each other.
    /// </summary>
    public static void Mark(IReadOnlyList<CountedOrderLine> before, IReadOnlyList<CountedOrderLine> lines)
    {
        var history = before.Concat(lines).ToLookup(l => l.ProfileId);
        foreach (var line in lines)
        {
            var earlier = history[line.ProfileId].Where(l => l.PlacedAt < line.PlacedAt && l.OrderId != line.OrderId).ToList();
            line.CrossSell = earlier.Count > 0 && !earlier.Any(l => l.Category == line.Category);
        }
    }
}
