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

    /// <summary>Sorts every list of facts by time (stable: facts at the same instant keep the order they were read in).</summary>
    internal void PutInTimeOrder()
    {
        Sort(Orders, o => o.At);
        Sort(SupportContacts, t => t);
        Sort(Csat, c => c.At);
        Sort(Returns, t => t);
        Sort(FailedPayments, t => t);
        Sort(MessagesReceived, t => t);
        Sort(Subscriptions, s => s.At);
        Sort(Browsing, b => b.At);
    }

    private static void Sort<T>(List<T> facts, Func<T, DateTime> at)
    {
        for (var i = 1; i < facts.Count; i++)
        {
            if (at(facts[i - 1]) <= at(facts[i])) continue;
            var sorted = facts.OrderBy(at).ToList();
            facts.Clear();
            facts.AddRange(sorted);
            return;
        }
    }

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

    /// <summary>
    /// Every customer with a relevant interaction from <paramref name="from"/> to <paramref name="to"/> (both included), or only
    /// <paramref name="only"/>. Without <paramref name="browsing"/> the products viewed and put in the cart are left out (only
    /// recommendations learn from them), though they still mark when a customer was first seen.
    /// </summary>
    public static async Task<Dictionary<Guid, CustomerHistory>> ReadAsync(CentricDbContext db, DateTime from, DateTime to,
        IReadOnlyCollection<Guid>? only, bool browsing, CancellationToken ct)
    {
        var (viewed, carted) = (InteractionTypes.ProductViewed.Name, InteractionTypes.CartItemAdded.Name);
        var names = Relevant.Select(t => t.Name).Where(n => browsing || (n != viewed && n != carted)).ToList();
        var window = db.Interactions.AsNoTracking().Where(i => i.OccurredAt >= from && i.OccurredAt <= to);
        if (only is not null) window = window.Where(i => only.Contains(i.ProfileId));
        var histories = new Dictionary<Guid, CustomerHistory>();
        // Read in storage order, not time order: sorting millions of rows in the database would hold back the first one
        // until the last was sorted. Each customer's facts are put in time order at the end.
        var rows = window.Where(i => names.Contains(i.Type))
            .Select(i => new { i.ProfileId, i.Type, i.Channel, i.OccurredAt, i.Properties }).AsAsyncEnumerable();
        await foreach (var i in rows.WithCancellation(ct))
        {
            // The customer's tenure starts at the first relevant interaction.
            if (!histories.TryGetValue(i.ProfileId, out var h)) histories[i.ProfileId] = h = new CustomerHistory(i.ProfileId);
            if (i.OccurredAt < h.FirstSeen) h.FirstSeen = i.OccurredAt;
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
        if (!browsing)
        {
            var firstBrowsed = window.Where(i => i.Type == viewed || i.Type == carted)
                .GroupBy(i => i.ProfileId).Select(g => new { ProfileId = g.Key, At = g.Min(i => i.OccurredAt) }).AsAsyncEnumerable();
            await foreach (var b in firstBrowsed.WithCancellation(ct))
            {
                if (!histories.TryGetValue(b.ProfileId, out var h)) histories[b.ProfileId] = h = new CustomerHistory(b.ProfileId);
                if (b.At < h.FirstSeen) h.FirstSeen = b.At;
            }
        }
        foreach (var h in histories.Values) h.PutInTimeOrder();
        // The sentiment of what each customer wrote (scored as it arrived, beside the interaction).
        var sentiments = db.TextSentiments.AsNoTracking().Where(t => t.OccurredAt >= from && t.OccurredAt <= to);
        if (only is not null) sentiments = sentiments.Where(t => only.Contains(t.ProfileId));
        await foreach (var t in sentiments.Select(t => new { t.ProfileId, t.OccurredAt, t.Score }).AsAsyncEnumerable().WithCancellation(ct))
            if (histories.TryGetValue(t.ProfileId, out var h)) h.Sentiments.Add((t.OccurredAt, t.Score));
        return histories;
    }
}
