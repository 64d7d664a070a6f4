using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Personalisation;

/// <summary>
/// The wish list and the price and stock alerts are the person's own choices: in their export, gone on erasure, and on a merge
/// the survivor keeps every saved product and every alert once. (Recommendations are computed on demand and stored nowhere but the timeline.)
/// </summary>
internal sealed class PersonalisationPersonalData : IPersonalData
{
    public string Section => "personalisation";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var saved = await db.WishListItems.AsNoTracking().Where(w => w.ProfileId == profileId).OrderBy(w => w.AddedAt)
            .Select(w => new { w.ProductId, w.AddedAt }).ToListAsync(ct);
        var alerts = (await db.ProductAlerts.AsNoTracking().Where(a => a.ProfileId == profileId).OrderBy(a => a.CreatedAt).ToListAsync(ct))
            .Select(a => new { a.Id, a.ProductId, Kind = Alerts.ProductAlerts.KindName(a.Kind), Status = a.Status.ToString(), a.CreatedAt, a.PriceMinor, a.LastSentAt, a.SentCount })
            .ToList();
        return saved.Count == 0 && alerts.Count == 0 ? null : JsonSerializer.SerializeToNode(new { wishList = saved, alerts }, JsonSerializerOptions.Web);
    }

    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct) =>
        await db.WishListItems.Where(w => w.ProfileId == profileId).ExecuteDeleteAsync(ct)
        + await db.ProductAlerts.Where(a => a.ProfileId == profileId).ExecuteDeleteAsync(ct);

    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        // A product both had saved stays once, with the survivor's row.
        await db.WishListItems.Where(w => w.ProfileId == fromProfileId && db.WishListItems.Any(o => o.ProfileId == toProfileId && o.ProductId == w.ProductId))
            .ExecuteDeleteAsync(ct);
        await db.WishListItems.Where(w => w.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(w => w.ProfileId, toProfileId), ct);
        // An alert both had on the same product and kind stays once, with the survivor's row.
        await db.ProductAlerts.Where(a => a.ProfileId == fromProfileId
                                          && db.ProductAlerts.Any(o => o.ProfileId == toProfileId && o.ProductId == a.ProductId && o.Kind == a.Kind))
            .ExecuteDeleteAsync(ct);
        await db.ProductAlerts.Where(a => a.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.ProfileId, toProfileId), ct);
    }
}
