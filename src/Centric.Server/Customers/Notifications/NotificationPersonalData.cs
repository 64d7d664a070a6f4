using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Notifications;

/// <summary>A customer's notices are theirs: exported with everything else, deleted on erasure (nothing in them is kept for the books).</summary>
internal sealed class NotificationPersonalData : IPersonalData
{
    public string Section => "notifications";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct) =>
        JsonSerializer.SerializeToNode(await db.Set<Notification>().AsNoTracking().Where(n => n.ProfileId == profileId).OrderBy(n => n.CreatedAt)
            .Select(n => new { n.Topic, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt }).ToListAsync(ct), JsonSerializerOptions.Web);

    public Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct) =>
        db.Set<Notification>().Where(n => n.ProfileId == profileId).ExecuteDeleteAsync(ct);

    public Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct) =>
        db.Set<Notification>().Where(n => n.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(n => n.ProfileId, toProfileId), ct);
}
