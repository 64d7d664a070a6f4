using Centric.Analytics.Recommendations;
using Centric.Server.Commerce.Contracts;
using Centric.Server.Insights.Contracts;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>One recommended product, with the model's score (comparable within one list) and why it is there, in words.</summary>
internal sealed record Recommendation(ShopItem Item, double Score, string Reason);

/// <summary>A list as shown: where, which A/B arm answered, and the model version when the model did.</summary>
internal sealed record RecommendationList(Placement Placement, string Arm, int? ModelVersion, IReadOnlyList<Recommendation> Items);

/// <summary>What the list is about: the shopper themselves, one product, or the products in a cart.</summary>
internal enum RecommendationSeed { Shopper, Product, Cart }

internal static class Reasons
{
    public const string Personal = "Based on what you looked at and bought";
    public const string Related = "Customers who bought this also bought it";
    public const string Cart = "Goes with what is in your cart";
    public const string Popular = "Popular right now";
    public const string Pinned = "Chosen by the shop";
}

/// <summary>
/// Recommendations over the active model of the model registry. A shopper is scored from everything they bought and their
/// latest interactions on the timeline (views, cart adds, orders) against the trained item model, so what they did a moment ago counts without a
/// retrain; an anonymous visitor the same way from their session's views. Never recommended: products bought before
/// (unless bought again and again), out of stock, not for sale, of an excluded category. The list is spread across
/// categories, pinned products come first, and without a model (or in the popularity arm) it is what sells best.
/// </summary>
internal sealed class Recommender(ShopperHistory history, IActiveRecommender models, ShopItems shop, PersonalisationSettings settings)
{
    public const int MaxLimit = 50;

    /// <summary>"Recommended for you": for a profile (a customer or an anonymous visitor's), or for nobody known (popular).</summary>
    public Task<RecommendationList> ForShopperAsync(Placement placement, Guid? profileId, int limit, CancellationToken ct) =>
        RecommendAsync(placement, RecommendationSeed.Shopper, profileId, [], limit, ct);

    /// <summary>"Customers also bought": related to one product, leaving out what the shopper (when known) already has.</summary>
    public Task<RecommendationList> RelatedAsync(Placement placement, Guid productId, Guid? profileId, int limit, CancellationToken ct) =>
        RecommendAsync(placement, RecommendationSeed.Product, profileId, [productId], limit, ct);

    /// <summary>"Complete your order": what goes with the products in the cart.</summary>
    public Task<RecommendationList> ForCartAsync(Placement placement, IReadOnlyList<Guid> cartProducts, Guid? profileId, int limit, CancellationToken ct) =>
        RecommendAsync(placement, RecommendationSeed.Cart, profileId, cartProducts, limit, ct);

    private async Task<RecommendationList> RecommendAsync(Placement placement, RecommendationSeed seed, Guid? profileId, IReadOnlyList<Guid> seeds,
        int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, MaxLimit);
        var snapshot = await shop.SnapshotAsync(ct);
        var policy = await settings.PolicyAsync(ct);
        var rules = policy.For(placement.Key).ToList();
        var excludedCategories = rules.Where(r => r.Kind == RecommendationRuleKind.ExcludeCategory).Select(r => r.Category!).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var bought = profileId is { } p ? await history.BoughtAsync(p, ct) : new HashSet<Guid>();
        var blocked = seeds.ToHashSet();

        bool Eligible(Guid id) => snapshot.ById.TryGetValue(id, out var item) && item.InStock && !excludedCategories.Contains(item.Category)
            && !blocked.Contains(id) && !(bought.Contains(id) && !item.Repeatable);

        var arm = placement == Placement.Api ? Arms.Model : policy.ModeOf(placement.Key) switch
        {
            PlacementMode.Popularity => Arms.Popularity,
            PlacementMode.Split => Arms.Of(profileId ?? Guid.Empty),
            _ => Arms.Model,
        };
        var active = arm == Arms.Model ? await models.GetAsync(ct) : null;
        if (active is null) arm = Arms.Popularity;   // no model yet: what sells best, and the figures say so

        var candidates = new List<Recommendation>();
        if (active is not null)
        {
            var want = limit * 3;
            bool Include(string itemId) => Guid.TryParseExact(itemId, "N", out var id) && Eligible(id);
            IReadOnlyList<ScoredItem> scored;
            string reason;
            switch (seed)
            {
                case RecommendationSeed.Product:
                    scored = active.Model.BoughtTogether(seeds[0].ToString("N"), want, Include);
                    reason = Reasons.Related;
                    break;
                case RecommendationSeed.Cart:
                    scored = active.Model.RecommendForItems(seeds.Select(s => s.ToString("N")), want, Include);
                    reason = Reasons.Cart;
                    break;
                default:
                    var recent = profileId is { } who ? await history.RecentAsync(who, ct) : [];
                    // Everything they ever bought counts, not only the purchases among their latest touches: on a replay of
                    // MovieLens by time, scoring from the latest 50 alone cost about a seventh of nDCG@10 (docs/BENCHMARKS.md).
                    scored = active.Model.RecommendForItems(recent.Concat(bought).Distinct().Select(s => s.ToString("N")), want, Include);
                    reason = Reasons.Personal;
                    break;
            }
            foreach (var s in scored)
                candidates.Add(new Recommendation(snapshot.ById[Guid.ParseExact(s.ItemId, "N")], s.Score,
                    s.Source is RecommendationSource.Model or RecommendationSource.Catalog ? reason : Reasons.Popular));
        }
        // Popular products fill the list (and are the whole list without a model): the shop's best sellers, not only those the model knows.
        var have = candidates.Select(c => c.Item.ProductId).ToHashSet();
        var rank = 0;
        foreach (var id in snapshot.Popular)
        {
            if (candidates.Count >= limit * 3) break;
            rank++;
            if (have.Contains(id) || !Eligible(id)) continue;
            candidates.Add(new Recommendation(snapshot.ById[id], 1.0 / rank, Reasons.Popular));
        }

        var list = Diversify(candidates, limit);
        var pins = rules.Where(r => r.Kind == RecommendationRuleKind.Pin && r.ProductId is { } id && Eligible(id)).Select(r => r.ProductId!.Value).Distinct().ToList();
        if (pins.Count > 0)
        {
            var top = list.Count > 0 ? list.Max(r => r.Score) : 1;
            list = [.. pins.Take(limit).Select(id => new Recommendation(snapshot.ById[id], top + 1, Reasons.Pinned)),
                .. list.Where(r => !pins.Contains(r.Item.ProductId))];
            list = list.Take(limit).ToList();
        }
        return new RecommendationList(placement, arm, arm == Arms.Model ? active?.Version : null, list);
    }

    /// <summary>
    /// The best candidates, at most a third of the list (at least one, two for short lists) from any one category while
    /// others are left; then the rest in score order when there are too few categories.
    /// </summary>
    public static List<Recommendation> Diversify(IReadOnlyList<Recommendation> ranked, int limit)
    {
        var cap = Math.Max(limit <= 6 ? 2 : 1, (int)Math.Ceiling(limit / 3.0));
        var perCategory = new Dictionary<string, int>(StringComparer.Ordinal);
        var chosen = new List<Recommendation>(limit);
        var skipped = new List<Recommendation>();
        foreach (var r in ranked)
        {
            if (chosen.Count >= limit) break;
            var n = perCategory.GetValueOrDefault(r.Item.Category);
            if (n >= cap) { skipped.Add(r); continue; }
            perCategory[r.Item.Category] = n + 1;
            chosen.Add(r);
        }
        foreach (var r in skipped)
        {
            if (chosen.Count >= limit) break;
            chosen.Add(r);
        }
        return chosen;
    }
}
