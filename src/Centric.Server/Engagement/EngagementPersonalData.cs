using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement;

/// <summary>Engagement's rows about a person: the segments they are in, the journeys they walk, tasks about them.</summary>
internal sealed class EngagementPersonalData : IPersonalData
{
    public string Section => "engagement";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var segments = await db.SegmentMembers.AsNoTracking().Where(m => m.ProfileId == profileId)
            .Join(db.Segments, m => m.SegmentId, s => s.Id, (m, s) => new { s.Name, m.EnteredAt }).ToListAsync(ct);
        var journeys = await db.JourneyRuns.AsNoTracking().Where(r => r.ProfileId == profileId)
            .Join(db.Journeys, r => r.JourneyId, j => j.Id, (r, j) => new { j.Name, r.Version, r.Status, r.EnteredAt, r.EndedAt }).ToListAsync(ct);
        return new JsonObject
        {
            ["segments"] = new JsonArray([.. segments.OrderBy(s => s.Name).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["since"] = s.EnteredAt })]),
            ["journeys"] = new JsonArray([.. journeys.OrderBy(j => j.EnteredAt).Select(j => (JsonNode)new JsonObject
            {
                ["journey"] = j.Name, ["version"] = j.Version, ["status"] = j.Status, ["entered"] = j.EnteredAt, ["ended"] = j.EndedAt,
            })]),
        };
    }

    /// <summary>An erased person is nobody to target: they leave every segment (the counts follow at the next evaluation).</summary>
    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.SegmentMembers.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        db.SegmentMembers.RemoveRange(rows);
        // Their journeys end and are forgotten (the step log of a walk says nothing about the person without the walk).
        var runs = await db.JourneyRuns.Where(r => r.ProfileId == profileId).ToListAsync(ct);
        var runIds = runs.Select(r => r.Id).ToList();
        db.JourneyStepLogs.RemoveRange(await db.JourneyStepLogs.Where(l => runIds.Contains(l.RunId)).ToListAsync(ct));
        db.JourneyRuns.RemoveRange(runs);
        var tasks = await db.StaffTasks.Where(t => t.ProfileId == profileId).ToListAsync(ct);
        db.StaffTasks.RemoveRange(tasks);
        return rows.Count + runs.Count + tasks.Count;
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
        // Walks and tasks follow the person; goals and waits are then matched on the survivor's interactions.
        foreach (var run in await db.JourneyRuns.Where(r => r.ProfileId == fromProfileId).ToListAsync(ct)) run.ProfileId = toProfileId;
        foreach (var task in await db.StaffTasks.Where(t => t.ProfileId == fromProfileId).ToListAsync(ct)) task.ProfileId = toProfileId;
    }
}
