using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement;

/// <summary>Engagement's rows about a person: the segments they are in.</summary>
internal sealed class EngagementPersonalData : IPersonalData
{
    public string Section => "engagement";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var segments = await db.SegmentMembers.AsNoTracking().Where(m => m.ProfileId == profileId)
            .Join(db.Segments, m => m.SegmentId, s => s.Id, (m, s) => new { s.Name, m.EnteredAt }).ToListAsync(ct);
        return new JsonObject
        {
            ["segments"] = new JsonArray([.. segments.OrderBy(s => s.Name).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["since"] = s.EnteredAt })]),
        };
    }

    /// <summary>An erased person is nobody to target: they leave every segment (the counts follow at the next evaluation).</summary>
    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.SegmentMembers.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        db.SegmentMembers.RemoveRange(rows);
        return rows.Count;
    }

    /// <summary>The survivor keeps its own memberships; the merged profile's others move over with their dates.</summary>
    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        var held = (await db.SegmentMembers.Where(m => m.ProfileId == toProfileId).Select(m => m.SegmentId).ToListAsync(ct)).ToHashSet();
        foreach (var m in await db.SegmentMembers.Where(m => m.ProfileId == fromProfileId).ToListAsync(ct))
        {
            db.SegmentMembers.Remove(m);
            if (held.Add(m.SegmentId)) db.SegmentMembers.Add(new Segments.SegmentMember { SegmentId = m.SegmentId, ProfileId = toProfileId, EnteredAt = m.EnteredAt });
        }
    }
}
