using Centric.Server.Commerce.Contracts;
using Centric.Server.Personalisation.Recommendations;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Centric.Server.Personalisation.Discovery;

/// <summary>
/// What a signed-in shopper likes, for the shop's listings: categories weighted by what they did in them lately (an order
/// counts more than a cart add, a cart add more than a view), and the products the model scores highest for them. Kept
/// for <see cref="Freshness"/> per shopper, so a listing's pages agree with each other and a new view shows within it.
/// </summary>
internal sealed class ShopperAffinities(CentricDbContext db, Recommender recommender, ShopItems shop, IMemoryCache cache) : IShopperAffinity
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(30);
    private const int Interactions = 100;

    public async Task<ShopperAffinity?> ForAsync(Guid profileId, CancellationToken ct) =>
        await cache.GetOrCreateAsync("personalisation:affinity:" + profileId.ToString("N"), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Freshness;
            return await ReadAsync(profileId, ct);
        });

    private async Task<ShopperAffinity?> ReadAsync(Guid profileId, CancellationToken ct)
    {
        string[] types = [InteractionTypes.ProductViewed.Name, InteractionTypes.CartItemAdded.Name, InteractionTypes.OrderPlaced.Name];
        var rows = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == profileId && types.Contains(i.Type))
            .OrderByDescending(i => i.OccurredAt).Take(Interactions).Select(i => new { i.Type, i.Properties }).ToListAsync(ct);
        if (rows.Count == 0) return null;
        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        void Add(string? category, double w) { if (!string.IsNullOrEmpty(category)) weights[category] = weights.GetValueOrDefault(category) + w; }
        foreach (var r in rows)
        {
            if (InteractionTypes.ProductViewed.Is(r.Type)) Add(InteractionTypes.ProductViewed.Read(r.Properties)?.Category, 1);
            else if (InteractionTypes.CartItemAdded.Is(r.Type)) Add(InteractionTypes.CartItemAdded.Read(r.Properties)?.Category, 3);
            else if (InteractionTypes.OrderPlaced.Read(r.Properties) is { Items: { } items }) foreach (var i in items) Add(i.Category, 5);
        }
        var categories = weights.OrderByDescending(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key).ToList();
        var snapshot = await shop.SnapshotAsync(ct);
        var list = await recommender.ForShopperAsync(Placement.Api, profileId, 12, ct);
        // Only the model's own picks: popular fill-ins are not about this shopper.
        var products = list.Items.Where(r => r.Reason == Reasons.Personal && snapshot.ById.ContainsKey(r.Item.ProductId)).Select(r => r.Item.ProductId).ToList();
        return new ShopperAffinity(categories, products);
    }
}
