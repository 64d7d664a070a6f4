using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Listening;

public sealed record SignalCount(string Label, int Count);

/// <summary>One friction signal over a range: how often, how many customers, on which channels, and its worst offenders.</summary>
public sealed record FrictionSignal(string Id, string Name, string Explanation, int Occurrences, int Customers,
    IReadOnlyList<SignalCount> ByChannel, string OffendersTitle, IReadOnlyList<SignalCount> Offenders);

public sealed record ListeningReport(string From, string To, IReadOnlyList<FrictionSignal> Signals);

/// <summary>
/// Systematic listening: friction customers show without being asked, read from the timeline — repeat contacts within
/// 7 days, searches that found nothing, failed payments, abandoned checkouts, returns by reason, negative sentiment and late
/// deliveries — per channel and per product or query, each one click from the customers it affected.
/// </summary>
public sealed class FrictionSignals(CentricDbContext db, OrderLookup orders)
{
    public const int RepeatDays = 7, AbandonHours = 24, Worst = 5;

    /// <summary>The signals, in the order the page shows them.</summary>
    public static readonly (string Id, string Name, string Explanation, string Offenders)[] All =
    [
        ("repeat_contact", "Repeat contacts", $"A customer opened another ticket within {RepeatDays} days of their last one: the first answer did not settle it.", "Channels of the repeat"),
        ("search_no_result", "Searches with no result", "A search in the shop or the help centre found nothing.", "Searched for"),
        ("payment_failed", "Failed payments", "A payment for an order was declined.", "Reasons"),
        ("checkout_abandoned", "Abandoned checkouts", $"A checkout was started and no order followed within {AbandonHours} hours.", "Channels"),
        ("return", "Returns", "A customer asked to return or exchange items.", "Reasons and products"),
        ("negative_sentiment", "Negative sentiment", "A message, review or rating comment read as negative.", "Where it was written"),
        ("late_delivery", "Late deliveries", "An order arrived after the last day it was promised for.", "Products"),
    ];

    private sealed record Occurrence(Guid ProfileId, string Channel, IReadOnlyList<string> Offenders);

    public async Task<ListeningReport> ListenAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var found = await OccurrencesAsync(from, to, ct);
        return new ListeningReport(from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"), [.. All.Select(s =>
        {
            var list = found[s.Id];
            return new FrictionSignal(s.Id, s.Name, s.Explanation, list.Count, list.Select(o => o.ProfileId).Distinct().Count(),
                Top(list.Select(o => o.Channel), int.MaxValue), s.Offenders, Top(list.SelectMany(o => o.Offenders), Worst));
        })]);
    }

    /// <summary>The customers a signal affected in the range, most affected first, with how often.</summary>
    public async Task<IReadOnlyList<(Guid ProfileId, int Count)>> CustomersAsync(string signal, DateOnly from, DateOnly to, CancellationToken ct) =>
        (await OccurrencesAsync(from, to, ct))[signal].GroupBy(o => o.ProfileId).Select(g => (g.Key, g.Count()))
            .OrderByDescending(x => x.Item2).ThenBy(x => x.Key).ToList();

    private static List<SignalCount> Top(IEnumerable<string> labels, int take) =>
        [.. labels.GroupBy(l => l).Select(g => new SignalCount(g.Key, g.Count())).OrderByDescending(c => c.Count).ThenBy(c => c.Label, StringComparer.Ordinal).Take(take)];

    private async Task<Dictionary<string, List<Occurrence>>> OccurrencesAsync(DateOnly fromDay, DateOnly toDay, CancellationToken ct)
    {
        var (from, to) = (fromDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), toDay.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var found = All.ToDictionary(s => s.Id, _ => new List<Occurrence>());
        string[] types = [InteractionTypes.TicketCreated.Name, InteractionTypes.SearchPerformed.Name, InteractionTypes.HelpSearched.Name,
            InteractionTypes.PaymentFailed.Name, InteractionTypes.CheckoutStarted.Name, InteractionTypes.OrderPlaced.Name, InteractionTypes.ReturnRequested.Name];
        // A week before the range for the tickets a repeat follows; a day after it for the orders that complete a checkout.
        var rows = await db.Interactions.AsNoTracking()
            .Where(i => types.Contains(i.Type) && i.OccurredAt >= from.AddDays(-RepeatDays) && i.OccurredAt < to.AddHours(AbandonHours))
            .Select(i => new { i.ProfileId, i.Type, i.Channel, i.OccurredAt, i.Properties }).ToListAsync(ct);
        bool InRange(DateTime at) => at >= from && at < to;

        foreach (var person in rows.Where(r => InteractionTypes.TicketCreated.Is(r.Type)).GroupBy(r => r.ProfileId))
        {
            DateTime? previous = null;
            foreach (var t in person.OrderBy(t => t.OccurredAt))
            {
                if (previous is { } p && t.OccurredAt - p <= TimeSpan.FromDays(RepeatDays) && InRange(t.OccurredAt))
                    found["repeat_contact"].Add(new Occurrence(t.ProfileId, t.Channel, [t.Channel]));
                previous = t.OccurredAt;
            }
        }
        var ordersBy = rows.Where(r => InteractionTypes.OrderPlaced.Is(r.Type)).GroupBy(r => r.ProfileId).ToDictionary(g => g.Key, g => g.Select(o => o.OccurredAt).ToList());
        foreach (var r in rows.Where(r => InRange(r.OccurredAt)))
        {
            if (InteractionTypes.SearchPerformed.Is(r.Type) && InteractionTypes.SearchPerformed.Read(r.Properties) is { Results: 0 } shop)
                found["search_no_result"].Add(new Occurrence(r.ProfileId, r.Channel, ["shop: " + Query(shop.Query)]));
            else if (InteractionTypes.HelpSearched.Is(r.Type) && InteractionTypes.HelpSearched.Read(r.Properties) is { Results: 0 } help)
                found["search_no_result"].Add(new Occurrence(r.ProfileId, r.Channel, ["help: " + Query(help.Query)]));
            else if (InteractionTypes.PaymentFailed.Is(r.Type) && InteractionTypes.PaymentFailed.Read(r.Properties) is { } failed)
                found["payment_failed"].Add(new Occurrence(r.ProfileId, r.Channel, [failed.Reason is { Length: > 0 } why ? why : "no reason given"]));
            else if (InteractionTypes.CheckoutStarted.Is(r.Type)
                && !(ordersBy.TryGetValue(r.ProfileId, out var placed) && placed.Any(at => at >= r.OccurredAt && at < r.OccurredAt.AddHours(AbandonHours))))
                found["checkout_abandoned"].Add(new Occurrence(r.ProfileId, r.Channel, [r.Channel]));
            else if (InteractionTypes.ReturnRequested.Is(r.Type) && InteractionTypes.ReturnRequested.Read(r.Properties) is { } returned)
                found["return"].Add(new Occurrence(r.ProfileId, r.Channel, ["reason: " + returned.Reason, .. (returned.Items ?? []).Select(i => "product: " + i.Sku).Distinct()]));
        }

        foreach (var s in await db.TextSentiments.AsNoTracking().Where(s => s.Label == "negative" && s.OccurredAt >= from && s.OccurredAt < to)
                     .Select(s => new { s.ProfileId, s.Channel, s.Source }).ToListAsync(ct))
            found["negative_sentiment"].Add(new Occurrence(s.ProfileId, s.Channel, [Source(s.Source)]));

        foreach (var late in await orders.LateDeliveriesAsync(from, to, ct))
            found["late_delivery"].Add(new Occurrence(late.ProfileId, "delivery", [.. late.Products.Distinct()]));
        return found;
    }

    private static string Query(string query) => query.Trim().ToLowerInvariant() is { Length: > 60 } q ? q[..60] + "…" : query.Trim().ToLowerInvariant();

    private static string Source(string source) => source switch { "review" => "reviews", "csat_comment" => "rating comments", _ => "messages" };
}
