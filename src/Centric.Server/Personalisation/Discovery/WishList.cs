using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Personalisation.Discovery;

/// <summary>A customer's wish list: products saved for later, newest first. Only ever read and changed for the signed-in customer's own profile.</summary>
internal sealed class WishList(CentricDbContext db, ShopItems shop, TimeProvider clock)
{
    public const int MaxItems = 500;

    public Task<bool> HasAsync(Guid profileId, Guid productId, CancellationToken ct) =>
        db.WishListItems.AnyAsync(w => w.ProfileId == profileId && w.ProductId == productId, ct);

    /// <summary>The saved products still for sale, newest first (a product taken off sale stays saved and shows again when it is back).</summary>
    public async Task<IReadOnlyList<(ShopItem Item, DateTime AddedAt)>> ItemsAsync(Guid profileId, CancellationToken ct)
    {
        var rows = await db.WishListItems.AsNoTracking().Where(w => w.ProfileId == profileId).OrderByDescending(w => w.AddedAt).ThenByDescending(w => w.Id)
            .Select(w => new { w.ProductId, w.AddedAt }).ToListAsync(ct);
        var items = await shop.FindAsync([.. rows.Select(r => r.ProductId)], ct);
        return [.. rows.Where(r => items.ContainsKey(r.ProductId)).Select(r => (items[r.ProductId], r.AddedAt))];
    }

    /// <summary>Saves a product for sale; saving it twice keeps one row. False when there is no such product or the list is full.</summary>
    public async Task<bool> AddAsync(Guid profileId, Guid productId, CancellationToken ct)
    {
        if ((await shop.FindAsync([productId], ct)).Count == 0) return false;
        if (await HasAsync(profileId, productId, ct)) return true;
        if (await db.WishListItems.CountAsync(w => w.ProfileId == profileId, ct) >= MaxItems) return false;
        db.WishListItems.Add(new WishListItem { ProfileId = profileId, ProductId = productId, AddedAt = clock.GetUtcNow().UtcDateTime });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Saved at the same moment from another tab: the unique index kept one row, which is what was asked for.
            db.ChangeTracker.Clear();
        }
        return true;
    }

    public async Task RemoveAsync(Guid profileId, Guid productId, CancellationToken ct) =>
        await db.WishListItems.Where(w => w.ProfileId == profileId && w.ProductId == productId).ExecuteDeleteAsync(ct);
}
