using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Personalisation.Discovery;

/// <summary>The products a shopper opened lately, newest first, from their timeline (no table of its own).</summary>
internal sealed class RecentlyViewed(CentricDbContext db, ShopItems shop)
{
    public async Task<IReadOnlyList<ShopItem>> ForAsync(Guid profileId, int limit, Guid? except, CancellationToken ct)
    {
        var type = InteractionTypes.ProductViewed.Name;
        var rows = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == profileId && i.Type == type)
            .OrderByDescending(i => i.OccurredAt).ThenByDescending(i => i.Id).Take(limit * 4).Select(i => i.Properties).ToListAsync(ct);
        var snapshot = await shop.SnapshotAsync(ct);
        return [.. rows.Select(InteractionTypes.ProductViewed.Read).Where(v => v is not null).Select(v => v!.ProductId)
            .Where(id => id != except).Distinct().Where(snapshot.ById.ContainsKey).Take(limit).Select(id => snapshot.ById[id])];
    }
}
