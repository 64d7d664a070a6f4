using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Orders;

/// <summary>Commerce's answer to <see cref="ICustomerHighlights"/>: lifetime spend, orders still on their way, subscriptions.</summary>
internal sealed class CommerceHighlights(CentricDbContext db) : ICustomerHighlights
{
    private static readonly OrderStatus[] Open = [OrderStatus.Placed, OrderStatus.Paid, OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.OutForDelivery];

    public int Order => 10;

    public async Task<IReadOnlyList<CustomerHighlight>> ForAsync(Guid profileId, CancellationToken ct)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => o.ProfileId == profileId)
            .Select(o => new { o.Number, o.Status, o.TotalMinor, o.Currency, o.PlacedAt }).ToListAsync(ct);
        var paid = orders.Where(o => !Contracts.OrderLookup.Unpaid.Contains(o.Status)).ToList();
        var currency = paid.Select(o => o.Currency).FirstOrDefault() ?? orders.Select(o => o.Currency).FirstOrDefault() ?? "EUR";
        var spend = new Money(paid.Sum(o => o.TotalMinor), currency);
        var last = orders.MaxBy(o => o.PlacedAt);
        var highlights = new List<CustomerHighlight>
        {
            new("spend", "Lifetime spend", spend.ToString(),
                paid.Count == 0 ? "No paid orders yet" : $"{paid.Count} paid order{(paid.Count == 1 ? "" : "s")} · last {last!.PlacedAt:yyyy-MM-dd}",
                Tone: paid.Count == 0 ? "neutral" : "success"),
        };

        var open = orders.Where(o => Open.Contains(o.Status)).OrderByDescending(o => o.PlacedAt).ToList();
        highlights.Add(open.Count == 0
            ? new("open-orders", "Open orders", "0", "Nothing on its way")
            : new("open-orders", "Open orders", open.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                $"{open[0].Number} · {Words(open[0].Status)}", $"console/orders/{open[0].Number}", "info"));

        var subscriptions = await db.Set<Subscription>().AsNoTracking().Where(s => s.ProfileId == profileId && s.Status != SubscriptionStatus.Cancelled)
            .Select(s => new { s.Status }).ToListAsync(ct);
        if (subscriptions.Count > 0)
        {
            var pastDue = subscriptions.Count(s => s.Status == SubscriptionStatus.PastDue);
            var paused = subscriptions.Count(s => s.Status == SubscriptionStatus.Paused);
            highlights.Add(new("subscriptions", "Subscriptions", subscriptions.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                pastDue > 0 ? $"{pastDue} past due" : paused > 0 ? $"{paused} paused" : "All active", Tone: pastDue > 0 ? "danger" : "neutral"));
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
