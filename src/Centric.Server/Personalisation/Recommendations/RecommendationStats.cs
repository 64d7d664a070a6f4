using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>
/// One placement and arm over a period: lists shown, clicks on them, and clicks followed by an order of the clicked product by
/// the same shopper within <see cref="RecommendationStats.ConversionWindow"/>.
/// </summary>
internal sealed record ArmResult(string Placement, string Arm, int Shown, int Clicks, int Conversions)
{
    public double? ClickThrough => Shown == 0 ? null : (double)Clicks / Shown;
    public double? Conversion => Clicks == 0 ? null : (double)Conversions / Clicks;
}

/// <summary>Click-through and conversion per placement and A/B arm, read from the timeline's shown, clicked and ordered interactions.</summary>
internal sealed class RecommendationStats(CentricDbContext db)
{
    public static readonly TimeSpan ConversionWindow = TimeSpan.FromDays(7);

    public async Task<IReadOnlyList<ArmResult>> ResultsAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var shownType = InteractionTypes.RecommendationShown.Name;
        var shown = new Dictionary<(string, string), int>();
        await foreach (var json in db.Interactions.AsNoTracking().Where(i => i.Type == shownType && i.OccurredAt >= from && i.OccurredAt < to)
                           .Select(i => i.Properties).AsAsyncEnumerable().WithCancellation(ct))
            if (InteractionTypes.RecommendationShown.Read(json) is { } s) shown[(s.Placement, s.Arm)] = shown.GetValueOrDefault((s.Placement, s.Arm)) + 1;

        var clickType = InteractionTypes.RecommendationClicked.Name;
        var clicks = (await db.Interactions.AsNoTracking().Where(i => i.Type == clickType && i.OccurredAt >= from && i.OccurredAt < to)
                .Select(i => new { i.ProfileId, i.OccurredAt, i.Properties }).ToListAsync(ct))
            .Select(c => (c.ProfileId, c.OccurredAt, Click: InteractionTypes.RecommendationClicked.Read(c.Properties))).Where(c => c.Click is not null).ToList();

        // The orders of the shoppers who clicked, from the first click on, as (when, products).
        var shoppers = clicks.Select(c => c.ProfileId).Distinct().ToList();
        var orderType = InteractionTypes.OrderPlaced.Name;
        var orders = new Dictionary<Guid, List<(DateTime At, HashSet<Guid> Products)>>();
        foreach (var chunk in shoppers.Chunk(500))
        {
            var rows = await db.Interactions.AsNoTracking().Where(i => i.Type == orderType && chunk.Contains(i.ProfileId) && i.OccurredAt >= from)
                .Select(i => new { i.ProfileId, i.OccurredAt, i.Properties }).ToListAsync(ct);
            foreach (var o in rows)
                if (InteractionTypes.OrderPlaced.Read(o.Properties) is { Items: { } items })
                {
                    if (!orders.TryGetValue(o.ProfileId, out var list)) orders[o.ProfileId] = list = [];
                    list.Add((o.OccurredAt, items.Select(i => i.ProductId).ToHashSet()));
                }
        }

        var results = new Dictionary<(string, string), (int Clicks, int Conversions)>();
        foreach (var (profile, at, click) in clicks)
        {
            var converted = orders.TryGetValue(profile, out var own) && own.Any(o => o.At >= at && o.At <= at + ConversionWindow && o.Products.Contains(click!.ProductId));
            var key = (click!.Placement, click.Arm);
            var r = results.GetValueOrDefault(key);
            results[key] = (r.Clicks + 1, r.Conversions + (converted ? 1 : 0));
        }
        return [.. Placement.Shown.SelectMany(p => new[] { Arms.Model, Arms.Popularity }.Select(arm =>
            new ArmResult(p.Key, arm, shown.GetValueOrDefault((p.Key, arm)), results.GetValueOrDefault((p.Key, arm)).Clicks, results.GetValueOrDefault((p.Key, arm)).Conversions)))];
    }
}
