using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement;

/// <summary>Engagement's rows about a person: the segments they are in, the surveys they were asked and their answers.</summary>
internal sealed class EngagementPersonalData : IPersonalData
{
    public string Section => "engagement";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var segments = await db.SegmentMembers.AsNoTracking().Where(m => m.ProfileId == profileId)
            .Join(db.Segments, m => m.SegmentId, s => s.Id, (m, s) => new { s.Name, m.EnteredAt }).ToListAsync(ct);
        var surveys = await db.SurveyInvitations.AsNoTracking().Where(i => i.ProfileId == profileId)
            .Join(db.Surveys, i => i.SurveyId, s => s.Id, (i, s) => new { s.Name, s.Question, i.SentAt, i.AnsweredAt, i.Score, i.Comment, i.OrderNumber, i.TicketNumber })
            .ToListAsync(ct);
        return new JsonObject
        {
            ["segments"] = new JsonArray([.. segments.OrderBy(s => s.Name).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["since"] = s.EnteredAt })]),
            ["surveys"] = new JsonArray([.. surveys.OrderBy(s => s.SentAt).Select(s => (JsonNode)new JsonObject
            {
                ["survey"] = s.Name, ["question"] = s.Question, ["sentAt"] = s.SentAt, ["answeredAt"] = s.AnsweredAt, ["score"] = s.Score,
                ["comment"] = s.Comment, ["orderNumber"] = s.OrderNumber, ["ticketNumber"] = s.TicketNumber,
            })]),
        };
    }

    /// <summary>
    /// An erased person is nobody to target: they leave every segment (the counts follow at the next evaluation). Their
    /// survey scores stay in the results; their comments (their own words) and the agent's name go.
    /// </summary>
    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.SegmentMembers.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        db.SegmentMembers.RemoveRange(rows);
        var answers = await db.SurveyInvitations.Where(i => i.ProfileId == profileId).ToListAsync(ct);
        foreach (var a in answers) (a.Comment, a.Agent) = (null, null);
        return rows.Count + answers.Count;
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
        // Survey answers are one per invitation, so they simply follow the person.
        foreach (var i in await db.SurveyInvitations.Where(i => i.ProfileId == fromProfileId).ToListAsync(ct)) i.ProfileId = toProfileId;
    }
}
