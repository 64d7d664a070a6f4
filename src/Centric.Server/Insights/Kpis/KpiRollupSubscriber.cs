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
/// <see cref="RevenueAdjustment"/>s; what costs money to serve a customer becomes a <see cref="Costs.CostDriver"/>.
/// Idempotent, so a redelivered batch changes nothing. History older than the stream keeps is rolled up by
/// <see cref="KpiHistory"/>.
/// </summary>
internal sealed class KpiRollupSubscriber : IInteractionSubscriber
{
    public string Name => "insights.kpi-rollups";

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct) => KpiRollups.AddAsync(db, batch, ct);
}

/// <summary>Turns interactions into the rollup rows; adding the same interaction twice changes nothing.</summary>
internal static class KpiRollups
{
    /// <summary>The interaction types the rollups read.</summary>
    public static readonly string[] Types =
        [.. new[] { InteractionTypes.OrderPlaced.Name, InteractionTypes.RefundIssued.Name }.Concat(CostDriverRollup.Types).Distinct()];

    public static async Task AddAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var placed = new Dictionary<Guid, (CountedOrder Fact, OrderedItem[] Items)>();
        var adjustments = new List<(Interaction At, Guid OrderId, string Kind, long? ValueMinor)>();
        foreach (var i in batch)
        {
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
            else if (InteractionTypes.OrderStatusChanged.Is(i.Type) && InteractionTypes.OrderStatusChanged.Read(i.Properties) is { To: "Cancelled" } cancelled)
                adjustments.Add((i, cancelled.OrderId, "cancellation", null));
            else if (InteractionTypes.RefundIssued.Is(i.Type) && InteractionTypes.RefundIssued.Read(i.Properties) is { From: null } refund)
                adjustments.Add((i, refund.OrderId, "return", Minor(refund.Amount)));
        }
        var costOrders = CostDriverRollup.OrdersOf(batch).ToList();
        var costs = batch.Any(i => CostDriverRollup.Types.Contains(i.Type));
        if (placed.Count == 0 && adjustments.Count == 0 && !costs) return;
        // The orders this batch touches, already rolled up or placed in the batch itself; one save for all of it.
        var orderIds = placed.Keys.Concat(adjustments.Select(a => a.OrderId)).Concat(costOrders).Distinct().ToList();
        var facts = orderIds.Count == 0 ? new Dictionary<Guid, CountedOrder>() : await db.CountedOrders.AsNoTracking().Where(f => orderIds.Contains(f.OrderId)).ToDictionaryAsync(f => f.OrderId, ct);
        foreach (var (fact, _) in placed.Values)
            if (facts.TryAdd(fact.OrderId, fact)) db.CountedOrders.Add(fact);
        await AddLinesAsync(db, placed, facts, ct);
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
        }
        if (costs) await CostDriverRollup.AddAsync(db, batch, facts, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The lines of each placed order that has none yet, under the order as it was first counted (a redelivered
    /// <c>order_placed</c> changes nothing; a database rolled up before lines were kept gets them from the history).
    /// </summary>
    private static async Task AddLinesAsync(CentricDbContext db, Dictionary<Guid, (CountedOrder Fact, OrderedItem[] Items)> placed,
        Dictionary<Guid, CountedOrder> facts, CancellationToken ct)
    {
        var ids = placed.Where(p => p.Value.Items.Length > 0).Select(p => p.Key).ToList();
        if (ids.Count == 0) return;
        var withLines = (await db.CountedOrderLines.Where(l => ids.Contains(l.OrderId)).Select(l => l.OrderId).Distinct().ToListAsync(ct)).ToHashSet();
        foreach (var id in ids.Where(id => !withLines.Contains(id)))
        {
            var fact = facts[id];
            var line = 0;
            foreach (var item in placed[id].Items)
                db.CountedOrderLines.Add(new CountedOrderLine
                {
                    OrderId = id, Line = line++, ProfileId = fact.ProfileId, PlacedAt = fact.PlacedAt, ProductId = item.ProductId,
                    Category = string.IsNullOrWhiteSpace(item.Category) ? "" : item.Category.Trim()[..Math.Min(item.Category.Trim().Length, 100)],
                    Quantity = item.Quantity, ValueMinor = Minor(item.Price * item.Quantity),
                });
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

    private static long Minor(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);
}
