using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Orders;

/// <summary>Commerce's answer to <see cref="ICustomerHighlights"/>: lifetime spend, orders still on their way, late deliveries lately, subscriptions.</summary>
internal sealed class CommerceHighlights(CentricDbContext db, TimeProvider clock) : ICustomerHighlights
{
    /// <summary>How far back a late delivery still colours the customer's mood (and the card's suggestion).</summary>
    public const int LateDeliveryDays = 90;

    private static readonly OrderStatus[] Open = [OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.OutForDelivery];

    public int Order => 10;

    public async Task<IReadOnlyList<CustomerHighlight>> ForAsync(Guid profileId, CancellationToken ct)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => o.ProfileId == profileId)
            .Select(o => new { o.Number, o.Status, o.TotalMinor, o.Currency, o.PlacedAt, o.DeliveredAt, o.EstimatedDeliveryTo }).ToListAsync(ct);
        var paid = orders.Where(o => !Contracts.OrderLookup.Unpaid.Contains(o.Status)).ToList();
        var currency = paid.Select(o => o.Currency).FirstOrDefault() ?? orders.Select(o => o.Currency).FirstOrDefault() ?? "EUR";
        var spend = new Money(paid.Sum(o => o.TotalMinor), currency);
        var last = orders.MaxBy(o => o.PlacedAt);
        var highlights = new List<CustomerHighlight>
        {
            new(HighlightKeys.Spend, "Lifetime spend", Platform.Http.MoneyText.Format(spend.Amount, spend.Currency, grouped: true),
                paid.Count == 0 ? "No paid orders yet" : $"{paid.Count} paid order{(paid.Count == 1 ? "" : "s")} · last {last!.PlacedAt:yyyy-MM-dd}",
                Tone: paid.Count == 0 ? "neutral" : "success", Count: paid.Count),
        };

        var open = orders.Where(o => Open.Contains(o.Status)).OrderByDescending(o => o.PlacedAt).ToList();
        highlights.Add(open.Count == 0
            ? new(HighlightKeys.OpenOrders, "Open orders", "0", "Nothing on its way", Count: 0)
            : new(HighlightKeys.OpenOrders, "Open orders", open.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{open[0].Number} · {Words(open[0].Status)}", $"console/orders/{open[0].Number}", "info", open.Count));

        var since = clock.GetUtcNow().UtcDateTime.AddDays(-LateDeliveryDays);
        var late = orders.Where(o => o.DeliveredAt is { } at && at >= since && at > o.EstimatedDeliveryTo).OrderByDescending(o => o.DeliveredAt).ToList();
        if (late.Count > 0)
            highlights.Add(new(HighlightKeys.LateDeliveries, "Late deliveries", late.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{late[0].Number} came {late[0].DeliveredAt:yyyy-MM-dd} · in the last {LateDeliveryDays} days", $"console/orders/{late[0].Number}", "warning", late.Count));

        var subscriptions = await db.Set<Subscription>().AsNoTracking().Where(s => s.ProfileId == profileId && s.Status != SubscriptionStatus.Cancelled)
            .Select(s => new { s.Status }).ToListAsync(ct);
        if (subscriptions.Count > 0)
        {
            var pastDue = subscriptions.Count(s => s.Status == SubscriptionStatus.PastDue);
            var paused = subscriptions.Count(s => s.Status == SubscriptionStatus.Paused);
            highlights.Add(new(HighlightKeys.Subscriptions, "Subscriptions", subscriptions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                pastDue > 0 ? $"{pastDue} past due" : paused > 0 ? $"{paused} paused" : "All active", Tone: pastDue > 0 ? "danger" : "neutral",
                Count: subscriptions.Count));
        }
        return highlights;
    }

    private static string Words(OrderStatus status) => status switch
    {
        OrderStatus.OutForDelivery => "out for delivery",
        OrderStatus.Placed => "awaiting payment",
        _ => status.ToString().ToLowerInvariant(),
    };
}
