using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>
/// What a shopper bought and touched lately, as the recommender scores them. The same shopper asks again on every page, so
/// each is read once and kept for <see cref="Keep"/>; a new view, cart add, order, order change or merge of that profile
/// drops the kept copy on every node as the live stream brings it (<see cref="ShopperHistoryRefresh"/>), so what they
/// just did counts in their next list. The expiry bounds what a drop that raced a read could leave stale.
/// </summary>
internal sealed class ShopperHistory(CentricDbContext db, ShopItems shop, ShopperHistoryCache kept)
{
    /// <summary>How many of a shopper's latest interactions say what they are into now.</summary>
    public const int RecentInteractions = 50;

    public static readonly TimeSpan Keep = TimeSpan.FromSeconds(30);

    private static readonly string[] Touches = [InteractionTypes.ProductViewed.Name, InteractionTypes.CartItemAdded.Name, InteractionTypes.OrderPlaced.Name];

    /// <summary>Products of the shopper's orders that were not cancelled.</summary>
    public async Task<IReadOnlySet<Guid>> BoughtAsync(Guid profileId, CancellationToken ct) =>
        await kept.Entries.GetOrCreateAsync(BoughtKey(profileId), entry =>
        {
            entry.SetSize(1).AbsoluteExpirationRelativeToNow = Keep;
            return shop.BoughtAsync(profileId, ct);
        }) ?? new HashSet<Guid>();

    /// <summary>The products the shopper touched lately, newest first (views, cart adds, the lines of their orders).</summary>
    public async Task<IReadOnlyList<Guid>> RecentAsync(Guid profileId, CancellationToken ct) =>
        await kept.Entries.GetOrCreateAsync(RecentKey(profileId), entry =>
        {
            entry.SetSize(1).AbsoluteExpirationRelativeToNow = Keep;
            return ReadRecentAsync(profileId, ct);
        }) ?? [];

    private async Task<IReadOnlyList<Guid>> ReadRecentAsync(Guid profileId, CancellationToken ct)
    {
        var rows = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == profileId && Touches.Contains(i.Type))
            .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(RecentInteractions).Select(i => new { i.Type, i.Properties }).ToListAsync(ct);
        var products = new List<Guid>();
        foreach (var r in rows)
        {
            if (InteractionTypes.ProductViewed.Is(r.Type) && InteractionTypes.ProductViewed.Read(r.Properties) is { } v) products.Add(v.ProductId);
            else if (InteractionTypes.CartItemAdded.Is(r.Type) && InteractionTypes.CartItemAdded.Read(r.Properties) is { } c) products.Add(c.ProductId);
            else if (InteractionTypes.OrderPlaced.Is(r.Type) && InteractionTypes.OrderPlaced.Read(r.Properties) is { Items: { } items }) products.AddRange(items.Select(i => i.ProductId));
        }
        return [.. products.Distinct()];
    }

    /// <summary>Drops what is kept of a profile that <paramref name="interaction"/> changes.</summary>
    public static void Forget(MemoryCache cache, Interaction interaction)
    {
        var type = interaction.Type;
        var merged = InteractionTypes.ProfileMerged.Is(type);
        if (merged || InteractionTypes.OrderPlaced.Is(type) || InteractionTypes.OrderStatusChanged.Is(type)) cache.Remove(BoughtKey(interaction.ProfileId));
        if (merged || Touches.Contains(type, StringComparer.Ordinal)) cache.Remove(RecentKey(interaction.ProfileId));
    }

    private static (string, Guid) BoughtKey(Guid profileId) => ("shopper-bought", profileId);
    private static (string, Guid) RecentKey(Guid profileId) => ("shopper-recent", profileId);
}

/// <summary>
/// The kept histories of this node: at most <see cref="Capacity"/> entries (two a shopper), so a campaign that recommends to
/// every customer at once cannot fill the memory; past it, lists are read without being kept.
/// </summary>
internal sealed class ShopperHistoryCache : IDisposable
{
    public const int Capacity = 40_000;

    public MemoryCache Entries { get; } = new(new MemoryCacheOptions { SizeLimit = Capacity });

    public void Dispose() => Entries.Dispose();
}

/// <summary>Keeps <see cref="ShopperHistory"/> current on this node: live, from the end of the stream, nothing stored.</summary>
internal sealed class ShopperHistoryRefresh(ShopperHistoryCache kept) : IInteractionSubscriber
{
    public string Name => "personalisation-shopper-history";

    public bool StartsAtEnd => true;

    public bool IsLive => true;

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        foreach (var interaction in batch) ShopperHistory.Forget(kept.Entries, interaction);
        return Task.CompletedTask;
    }
}
