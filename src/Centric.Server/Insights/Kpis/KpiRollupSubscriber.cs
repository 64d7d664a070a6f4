using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// Keeps the KPIs' order rollups current from the stream (so a dashboard load sums a few indexed rows instead of reading
/// every interaction): each <c>order_placed</c> becomes a <see cref="CountedOrder"/>; an order moved to Cancelled, and a
/// return's refund (<c>refund_issued</c> without a from-status), become <see cref="RevenueAdjustment"/>s. Idempotent, so
/// a redelivered batch changes nothing. History older than the stream keeps is rolled up by <see cref="KpiHistory"/>.
/// </summary>
internal sealed class KpiRollupSubscriber : IInteractionSubscriber
{
    public string Name => "insights.kpi-rollups";

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct) => KpiRollups.AddAsync(db, batch, ct);
}

/// <summary>Turns order interactions into the KPIs' rollup rows; adding the same interaction twice changes nothing.</summary>
internal static class KpiRollups
{
    /// <summary>The interaction types the rollups read.</summary>
    public static readonly string[] Types = [InteractionTypes.OrderPlaced.Name, InteractionTypes.OrderStatusChanged.Name, InteractionTypes.RefundIssued.Name];

    public static async Task AddAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var placed = new Dictionary<Guid, CountedOrder>();
        var adjustments = new List<(Interaction At, Guid OrderId, string Kind, long? ValueMinor)>();
        foreach (var i in batch)
        {
            if (InteractionTypes.OrderPlaced.Is(i.Type) && InteractionTypes.OrderPlaced.Read(i.Properties) is { } order)
            {
                var value = order.Items.Sum(item => Minor(item.Price * item.Quantity));
                placed[order.OrderId] = new CountedOrder
                {
                    OrderId = order.OrderId, ProfileId = i.ProfileId, PlacedAt = i.OccurredAt, Channel = i.Channel,
                    ValueMinor = value, Currency = order.Currency,
                };
            }
            else if (InteractionTypes.OrderStatusChanged.Is(i.Type) && InteractionTypes.OrderStatusChanged.Read(i.Properties) is { To: "Cancelled" } cancelled)
                adjustments.Add((i, cancelled.OrderId, "cancellation", null));
            else if (InteractionTypes.RefundIssued.Is(i.Type) && InteractionTypes.RefundIssued.Read(i.Properties) is { From: null } refund)
                adjustments.Add((i, refund.OrderId, "return", Minor(refund.Amount)));
        }
        if (placed.Count == 0 && adjustments.Count == 0) return;
        // The orders this batch touches, already rolled up or placed in the batch itself; one save for all of it.
        var orderIds = placed.Keys.Concat(adjustments.Select(a => a.OrderId)).Distinct().ToList();
        var facts = await db.CountedOrders.AsNoTracking().Where(f => orderIds.Contains(f.OrderId)).ToDictionaryAsync(f => f.OrderId, ct);
        foreach (var fact in placed.Values)
            if (facts.TryAdd(fact.OrderId, fact)) db.CountedOrders.Add(fact);
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
        await db.SaveChangesAsync(ct);
    }

    private static long Minor(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);
}
