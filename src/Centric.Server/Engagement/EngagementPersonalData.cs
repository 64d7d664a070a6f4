using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement;

/// <summary>Engagement's rows about a person: the segments they are in and the messages sent to them.</summary>
internal sealed class EngagementPersonalData : IPersonalData
{
    public string Section => "engagement";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var segments = await db.SegmentMembers.AsNoTracking().Where(m => m.ProfileId == profileId)
            .Join(db.Segments, m => m.SegmentId, s => s.Id, (m, s) => new { s.Name, m.EnteredAt }).ToListAsync(ct);
        var messages = await db.EngagementMessages.AsNoTracking().Where(m => m.ProfileId == profileId).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        return new JsonObject
        {
            ["segments"] = new JsonArray([.. segments.OrderBy(s => s.Name).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["since"] = s.EnteredAt })]),
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
            {
                ["channel"] = m.Channel, ["purpose"] = m.Purpose, ["source"] = m.Source, ["to"] = m.To, ["subject"] = m.Subject, ["body"] = m.Body,
                ["status"] = m.Status, ["sentAt"] = m.CreatedAt, ["deliveredAt"] = m.DeliveredAt, ["openedAt"] = m.OpenedAt, ["clickedAt"] = m.ClickedAt,
                ["failedAt"] = m.FailedAt,
            })]),
        };
    }

    /// <summary>
    /// An erased person is nobody to target: they leave every segment (the counts follow at the next evaluation). Their messages
    /// keep what was sent and what became of it (the counts of a campaign stay true) but lose the address and the words, which
    /// hold their name; a queued SMS is cancelled.
    /// </summary>
    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.SegmentMembers.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        db.SegmentMembers.RemoveRange(rows);
        var messages = await db.EngagementMessages.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        foreach (var m in messages)
        {
            (m.To, m.Subject, m.Body, m.FailureReason) = (null, "", "", null);
            if (m.Status == Messages.MessageStatus.Queued) m.Status = Messages.MessageStatus.Failed;
        }
        var ids = messages.Select(m => m.Id).ToList();
        var sandbox = await db.SandboxSms.Where(s => ids.Contains(s.MessageId)).ToListAsync(ct);
        db.SandboxSms.RemoveRange(sandbox);
        return rows.Count + messages.Count + sandbox.Count;
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
        // Messages follow the person; their send keys stay unique (a key names one intended send, whoever it went to).
        await db.EngagementMessages.Where(m => m.ProfileId == fromProfileId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProfileId, toProfileId), ct);
    }
}
