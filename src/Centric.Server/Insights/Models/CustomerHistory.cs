using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Models;

/// <summary>One order as the timeline tells it: when, how much, on which channel, which products.</summary>
internal sealed record OrderFact(DateTime At, double Total, string Channel, IReadOnlyList<Guid> Products);

/// <summary>What the timeline says about one customer, as dated facts, so features can be taken as of any instant.</summary>
internal sealed class CustomerHistory(Guid profileId)
{
    public Guid ProfileId { get; } = profileId;
    public DateTime FirstSeen { get; set; } = DateTime.MaxValue;
    public List<OrderFact> Orders { get; } = [];
    public List<DateTime> SupportContacts { get; } = [];
    public List<(DateTime At, int Rating)> Csat { get; } = [];
    public List<DateTime> Returns { get; } = [];
    public List<DateTime> FailedPayments { get; } = [];
    public List<DateTime> MessagesReceived { get; } = [];
    public List<(DateTime At, double Score)> Sentiments { get; } = [];
    /// <summary>Subscription starts (+1) and cancellations (−1), by subscription, in time order.</summary>
    public List<(DateTime At, Guid Subscription, bool Active)> Subscriptions { get; } = [];
    /// <summary>Products viewed or put in the cart (recommendations learn from these besides purchases).</summary>
    public List<(DateTime At, Guid Product, bool Cart)> Browsing { get; } = [];

    public bool HasActiveSubscription(DateTime at)
    {
        var state = new Dictionary<Guid, bool>();
        foreach (var (when, id, active) in Subscriptions) if (when < at) state[id] = active;
        return state.Values.Any(a => a);
    }
}

/// <summary>
/// Reads the interaction timeline (Platform's log, the one source every module writes to) into per-customer histories.
/// Insights reads, it does not reach in: no other module's table is touched here.
/// </summary>
internal static class CustomerHistories
{
    private static readonly InteractionType[] Relevant =
    [
        InteractionTypes.OrderPlaced, InteractionTypes.SubscriptionRenewed, InteractionTypes.TicketCreated, InteractionTypes.CsatSubmitted,
        InteractionTypes.ReturnRequested, InteractionTypes.PaymentFailed, InteractionTypes.SubscriptionRenewalFailed, InteractionTypes.MessageSent,
        InteractionTypes.SubscriptionStarted, InteractionTypes.SubscriptionCancelled, InteractionTypes.ProductViewed, InteractionTypes.CartItemAdded,
        InteractionTypes.AccountRegistered,
    ];

    /// <summary>Every customer with a relevant interaction from <paramref name="from"/> to <paramref name="to"/> (both included), or only <paramref name="only"/>.</summary>
    public static async Task<Dictionary<Guid, CustomerHistory>> ReadAsync(CentricDbContext db, DateTime from, DateTime to,
        IReadOnlyCollection<Guid>? only, CancellationToken ct)
    {
        var names = Relevant.Select(t => t.Name).ToList();
        var query = db.Interactions.AsNoTracking().Where(i => i.OccurredAt >= from && i.OccurredAt <= to);
        if (only is not null) query = query.Where(i => only.Contains(i.ProfileId));
        var histories = new Dictionary<Guid, CustomerHistory>();
        var rows = query.Where(i => names.Contains(i.Type)).OrderBy(i => i.OccurredAt)
            .Select(i => new { i.ProfileId, i.Type, i.Channel, i.OccurredAt, i.Properties }).AsAsyncEnumerable();
        await foreach (var i in rows.WithCancellation(ct))
        {
            // Rows come in time order, so the first one seen is where the customer's tenure starts.
            if (!histories.TryGetValue(i.ProfileId, out var h)) histories[i.ProfileId] = h = new CustomerHistory(i.ProfileId) { FirstSeen = i.OccurredAt };
            if (InteractionTypes.OrderPlaced.Is(i.Type))
            {
                var p = InteractionTypes.OrderPlaced.Read(i.Properties);
                h.Orders.Add(new OrderFact(i.OccurredAt, (double)(p?.Total ?? 0), i.Channel, p?.Items?.Select(x => x.ProductId).ToArray() ?? []));
            }
            else if (InteractionTypes.SubscriptionRenewed.Is(i.Type))
                h.Orders.Add(new OrderFact(i.OccurredAt, (double)(InteractionTypes.SubscriptionRenewed.Read(i.Properties)?.Amount ?? 0), "subscription", []));
            else if (InteractionTypes.TicketCreated.Is(i.Type)) h.SupportContacts.Add(i.OccurredAt);
            else if (InteractionTypes.CsatSubmitted.Is(i.Type))
            {
                if (InteractionTypes.CsatSubmitted.Read(i.Properties) is { } c) h.Csat.Add((i.OccurredAt, c.Rating));
            }
            else if (InteractionTypes.ReturnRequested.Is(i.Type)) h.Returns.Add(i.OccurredAt);
            else if (InteractionTypes.PaymentFailed.Is(i.Type) || InteractionTypes.SubscriptionRenewalFailed.Is(i.Type)) h.FailedPayments.Add(i.OccurredAt);
            else if (InteractionTypes.MessageSent.Is(i.Type)) h.MessagesReceived.Add(i.OccurredAt);
            else if (InteractionTypes.SubscriptionStarted.Is(i.Type))
            {
                if (InteractionTypes.SubscriptionStarted.Read(i.Properties) is { } s) h.Subscriptions.Add((i.OccurredAt, s.SubscriptionId, true));
            }
            else if (InteractionTypes.SubscriptionCancelled.Is(i.Type))
            {
                if (InteractionTypes.SubscriptionCancelled.Read(i.Properties) is { } s) h.Subscriptions.Add((i.OccurredAt, s.SubscriptionId, false));
            }
            else if (InteractionTypes.ProductViewed.Is(i.Type))
            {
                if (InteractionTypes.ProductViewed.Read(i.Properties) is { } v) h.Browsing.Add((i.OccurredAt, v.ProductId, false));
            }
            else if (InteractionTypes.CartItemAdded.Is(i.Type) && InteractionTypes.CartItemAdded.Read(i.Properties) is { } a)
                h.Browsing.Add((i.OccurredAt, a.ProductId, true));
        }
        // The sentiment of what each customer wrote (scored as it arrived, beside the interaction).
        var sentiments = db.TextSentiments.AsNoTracking().Where(t => t.OccurredAt >= from && t.OccurredAt <= to);
        if (only is not null) sentiments = sentiments.Where(t => only.Contains(t.ProfileId));
        await foreach (var t in sentiments.Select(t => new { t.ProfileId, t.OccurredAt, t.Score }).AsAsyncEnumerable().WithCancellation(ct))
            if (histories.TryGetValue(t.ProfileId, out var h)) h.Sentiments.Add((t.OccurredAt, t.Score));
        return histories;
    }
}
