using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Costs;

/// <summary>
/// Something on the timeline that costs the business money to serve a customer (insights_cost_drivers), one row per
/// interaction and keyed by it, so rolling the same interaction up twice adds nothing. It holds the quantity, not the price:
/// the cost model prices the rows when they are read, so a change of figures applies to all history.
/// </summary>
public sealed class CostDriver
{
    /// <summary>The interaction that recorded it.</summary>
    public Guid Id { get; set; }
    public Guid ProfileId { get; set; }
    public DateTime At { get; set; }
    /// <summary>One of <see cref="CostDriverKinds"/>.</summary>
    public required string Kind { get; set; }
    /// <summary>Support and messages: the channel they went over; orders' costs: the channel the order was placed on.</summary>
    public required string Channel { get; set; }
    /// <summary>Seconds of a call, a payment's amount in minor units, otherwise 1 (0 for an automated reply).</summary>
    public long Quantity { get; set; }
}

public static class CostDriverKinds
{
    /// <summary>An agent's written answer on a ticket (<c>ticket_replied</c>); an automated one costs no agent time.</summary>
    public const string SupportReply = "support_reply";
    /// <summary>A logged phone call on a ticket (<c>ticket_call_logged</c>), by its length.</summary>
    public const string SupportCall = "support_call";
    /// <summary>An order shipped (<c>order_status_changed</c> to Shipped) or an exchange's replacement sent (<c>exchange_shipped</c>).</summary>
    public const string Shipment = "shipment";
    /// <summary>A return asked for (<c>return_requested</c>).</summary>
    public const string Return = "return";
    /// <summary>A payment taken: an order paid (<c>order_status_changed</c> to Paid) or a subscription renewed (<c>subscription_renewed</c>).</summary>
    public const string Payment = "payment";
    /// <summary>A message sent to the customer (<c>message_sent</c>), by its channel.</summary>
    public const string Message = "message";
}

/// <summary>
/// Turns interactions into cost drivers. Runs inside the KPI rollups' pass (<see cref="KpiRollups"/>), which has the orders
/// the batch touches at hand: an order's shipping, payment and returns are attributed to the channel it was placed on.
/// </summary>
internal static class CostDriverRollup
{
    public static readonly string[] Types =
    [
        InteractionTypes.TicketReplied.Name, InteractionTypes.TicketCallLogged.Name, InteractionTypes.OrderStatusChanged.Name,
        InteractionTypes.ExchangeShipped.Name, InteractionTypes.ReturnRequested.Name, InteractionTypes.SubscriptionRenewed.Name,
        InteractionTypes.MessageSent.Name,
    ];

    /// <summary>The driver an interaction makes (its order, when it has one), or null when it costs nothing to count.</summary>
    public static (CostDriver Driver, Guid? OrderId)? Read(Interaction i)
    {
        (string Kind, long Quantity, Guid? OrderId)? found = null;
        if (InteractionTypes.TicketReplied.Is(i.Type) && InteractionTypes.TicketReplied.Read(i.Properties) is { } reply)
            found = (CostDriverKinds.SupportReply, reply.Automated ? 0 : 1, null);
        else if (InteractionTypes.TicketCallLogged.Is(i.Type) && InteractionTypes.TicketCallLogged.Read(i.Properties) is { } call)
            found = (CostDriverKinds.SupportCall, Math.Max(0, call.CallSeconds ?? 0), null);
        else if (InteractionTypes.OrderStatusChanged.Is(i.Type) && InteractionTypes.OrderStatusChanged.Read(i.Properties) is { } moved)
            found = moved.To switch
            {
                "Shipped" => (CostDriverKinds.Shipment, 1, moved.OrderId),
                // Without the amount (an integrator's event) the order's line value stands in for it, below.
                "Paid" => (CostDriverKinds.Payment, moved.Total is { } total ? Minor(total) : -1, moved.OrderId),
                _ => null,
            };
        else if (InteractionTypes.ExchangeShipped.Is(i.Type) && InteractionTypes.ExchangeShipped.Read(i.Properties) is not null)
            found = (CostDriverKinds.Shipment, 1, null);
        else if (InteractionTypes.ReturnRequested.Is(i.Type) && InteractionTypes.ReturnRequested.Read(i.Properties) is { } returned)
            found = (CostDriverKinds.Return, 1, returned.OrderId);
        else if (InteractionTypes.SubscriptionRenewed.Is(i.Type) && InteractionTypes.SubscriptionRenewed.Read(i.Properties) is { } renewed)
            found = (CostDriverKinds.Payment, Minor(renewed.Amount), null);
        else if (InteractionTypes.MessageSent.Is(i.Type))
            found = (CostDriverKinds.Message, 1, null);
        if (found is not { } f) return null;
        return (new CostDriver { Id = i.Id, ProfileId = i.ProfileId, At = i.OccurredAt, Kind = f.Kind, Channel = i.Channel, Quantity = f.Quantity }, f.OrderId);
    }

    /// <summary>The orders whose channel the batch's drivers need.</summary>
    public static IEnumerable<Guid> OrdersOf(IReadOnlyList<Interaction> batch) =>
        batch.Where(i => Types.Contains(i.Type)).Select(Read).Where(d => d?.OrderId is not null).Select(d => d!.Value.OrderId!.Value);

    /// <summary>Adds the batch's drivers not rolled up yet to the unit of work; <paramref name="orders"/> holds the orders they name.</summary>
    public static async Task AddAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, IReadOnlyDictionary<Guid, CountedOrder> orders, CancellationToken ct)
    {
        var drivers = new List<CostDriver>();
        foreach (var i in batch)
        {
            if (!Types.Contains(i.Type) || Read(i) is not { } found) continue;
            var (driver, orderId) = found;
            if (orderId is { } id && orders.TryGetValue(id, out var order))
            {
                driver.Channel = order.Channel;
                if (driver.Quantity < 0) driver.Quantity = order.ValueMinor;
            }
            driver.Quantity = Math.Max(0, driver.Quantity);
            drivers.Add(driver);
        }
        if (drivers.Count == 0) return;
        var ids = drivers.Select(d => d.Id).ToList();
        var done = (await db.CostDrivers.Where(d => ids.Contains(d.Id)).Select(d => d.Id).ToListAsync(ct)).ToHashSet();
        foreach (var d in drivers)
            if (done.Add(d.Id)) db.CostDrivers.Add(d);
    }

    /// <summary>
    /// Whether the history is rolled up already: the oldest interaction of <paramref name="oldest"/> (the timeline's oldest
    /// page of rollup interactions) that makes a driver has its row. A page with none says there is nothing to do.
    /// </summary>
    public static async Task<bool> RolledUpAsync(CentricDbContext db, IReadOnlyList<Interaction> oldest, CancellationToken ct)
    {
        var first = oldest.FirstOrDefault(i => Types.Contains(i.Type) && Read(i) is not null);
        return first is null || await db.CostDrivers.AnyAsync(d => d.Id == first.Id, ct);
    }

    private static long Minor(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);
}
