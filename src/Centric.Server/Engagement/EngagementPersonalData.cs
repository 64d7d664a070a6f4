using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement;

/// <summary>
/// Engagement's rows about a person: the segments they are in, the journeys they walk, the campaigns that reached them, the
/// messages sent to them, the devices that take their push notifications, the surveys they were asked with their answers, and
/// the tasks about them.
/// </summary>
internal sealed class EngagementPersonalData : IPersonalData
{
    public string Section => "engagement";

    public async Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var segments = await db.SegmentMembers.AsNoTracking().Where(m => m.ProfileId == profileId)
            .Join(db.Segments, m => m.SegmentId, s => s.Id, (m, s) => new { s.Name, m.EnteredAt }).ToListAsync(ct);
        var journeys = await db.JourneyRuns.AsNoTracking().Where(r => r.ProfileId == profileId)
            .Join(db.Journeys, r => r.JourneyId, j => j.Id, (r, j) => new { j.Name, r.Version, r.Status, r.EnteredAt, r.EndedAt }).ToListAsync(ct);
        var campaigns = await db.CampaignRecipients.AsNoTracking().Where(r => r.ProfileId == profileId)
            .Join(db.Campaigns, r => r.CampaignId, c => c.Id, (r, c) => new { c.Name, r.Status, r.At }).ToListAsync(ct);
        var messages = await db.EngagementMessages.AsNoTracking().Where(m => m.ProfileId == profileId).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var surveys = await db.SurveyInvitations.AsNoTracking().Where(i => i.ProfileId == profileId)
            .Join(db.Surveys, i => i.SurveyId, s => s.Id, (i, s) => new { s.Name, s.Question, i.SentAt, i.AnsweredAt, i.Score, i.Comment, i.OrderNumber, i.TicketNumber })
            .ToListAsync(ct);
        var devices = await db.PushSubscriptions.AsNoTracking().Where(s => s.ProfileId == profileId).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return new JsonObject
        {
            ["segments"] = new JsonArray([.. segments.OrderBy(s => s.Name).Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["since"] = s.EnteredAt })]),
            ["journeys"] = new JsonArray([.. journeys.OrderBy(j => j.EnteredAt).Select(j => (JsonNode)new JsonObject
            {
                ["journey"] = j.Name, ["version"] = j.Version, ["status"] = j.Status, ["entered"] = j.EnteredAt, ["ended"] = j.EndedAt,
            })]),
            ["campaigns"] = new JsonArray([.. campaigns.OrderBy(c => c.At).Select(c => (JsonNode)new JsonObject
            {
                ["campaign"] = c.Name, ["status"] = c.Status, ["at"] = c.At,
            })]),
            ["messages"] = new JsonArray([.. messages.Select(m => (JsonNode)new JsonObject
            {
                ["channel"] = m.Channel, ["purpose"] = m.Purpose, ["source"] = m.Source, ["to"] = m.To, ["subject"] = m.Subject, ["body"] = m.Body,
                ["status"] = m.Status, ["sentAt"] = m.CreatedAt, ["deliveredAt"] = m.DeliveredAt, ["openedAt"] = m.OpenedAt, ["clickedAt"] = m.ClickedAt,
                ["failedAt"] = m.FailedAt,
            })]),
            // The browser's keys are left out: they are the device's, for encrypting to it, and say nothing about the person.
            ["pushDevices"] = new JsonArray([.. devices.Select(d => (JsonNode)new JsonObject
            {
                ["endpoint"] = d.Endpoint, ["userAgent"] = d.UserAgent, ["addedAt"] = d.CreatedAt, ["lastNotifiedAt"] = d.LastSuccessAt,
            })]),
            ["surveys"] = new JsonArray([.. surveys.OrderBy(s => s.SentAt).Select(s => (JsonNode)new JsonObject
            {
                ["survey"] = s.Name, ["question"] = s.Question, ["sentAt"] = s.SentAt, ["answeredAt"] = s.AnsweredAt, ["score"] = s.Score,
                ["comment"] = s.Comment, ["orderNumber"] = s.OrderNumber, ["ticketNumber"] = s.TicketNumber,
            })]),
        };
    }

    /// <summary>
    /// An erased person is nobody to target: they leave every segment, their walks and tasks are forgotten (a walk's step log says
    /// nothing without the walk), their messages keep only the counts (address and words removed), and their survey scores stay in
    /// the results while their comments (their own words) and the agent's name go.
    /// </summary>
    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct)
    {
        var rows = await db.SegmentMembers.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        db.SegmentMembers.RemoveRange(rows);
        var runs = await db.JourneyRuns.Where(r => r.ProfileId == profileId).ToListAsync(ct);
        var runIds = runs.Select(r => r.Id).ToList();
        db.JourneyStepLogs.RemoveRange(await db.JourneyStepLogs.Where(l => runIds.Contains(l.RunId)).ToListAsync(ct));
        db.JourneyRuns.RemoveRange(runs);
        var tasks = await db.StaffTasks.Where(t => t.ProfileId == profileId).ToListAsync(ct);
        db.StaffTasks.RemoveRange(tasks);
        var messages = await db.EngagementMessages.Where(m => m.ProfileId == profileId).ToListAsync(ct);
        foreach (var m in messages)
        {
            (m.To, m.Subject, m.Body, m.Link, m.FailureReason) = (null, "", "", null, null);
            if (m.Status == Messages.MessageStatus.Queued) m.Status = Messages.MessageStatus.Failed;
        }
        var ids = messages.Select(m => m.Id).ToList();
        var sandbox = await db.SandboxSms.Where(s => ids.Contains(s.MessageId)).ToListAsync(ct);
        db.SandboxSms.RemoveRange(sandbox);
        // Their devices are forgotten; what was still queued for them is not sent.
        var devices = await db.PushSubscriptions.Where(s => s.ProfileId == profileId).ToListAsync(ct);
        var deviceIds = devices.Select(d => d.Id).ToList();
        foreach (var d in await db.PushDeliveries.Where(d => deviceIds.Contains(d.SubscriptionId) && d.Status == Push.PushDeliveryStatus.Queued).ToListAsync(ct))
            d.Status = Push.PushDeliveryStatus.Cancelled;
        db.PushSubscriptions.RemoveRange(devices);
        // Campaign recipients stay (the campaign's counts), but one not yet sent to is not sent to now.
        var pending = await db.CampaignRecipients.Where(r => r.ProfileId == profileId && r.Status == Campaigns.RecipientStatus.Pending).ToListAsync(ct);
        foreach (var r in pending) r.Status = Campaigns.RecipientStatus.NoAddress;
        var answers = await db.SurveyInvitations.Where(i => i.ProfileId == profileId).ToListAsync(ct);
        foreach (var a in answers) (a.Comment, a.Agent) = (null, null);
        return rows.Count + runs.Count + tasks.Count + messages.Count + sandbox.Count + devices.Count + pending.Count + answers.Count;
    }

    /// <summary>
    /// The survivor keeps its own memberships; the merged profile's others move over with their dates, as do its walks, tasks,
    /// messages and push devices.
    /// </summary>
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
        // A campaign that reached both keeps the survivor's row; one that reached only the merged profile moves over.
        var campaigns = (await db.CampaignRecipients.Where(r => r.ProfileId == toProfileId).Select(r => r.CampaignId).ToListAsync(ct)).ToHashSet();
        foreach (var r in await db.CampaignRecipients.Where(r => r.ProfileId == fromProfileId).ToListAsync(ct))
        {
            db.CampaignRecipients.Remove(r);
            if (campaigns.Add(r.CampaignId))
                db.CampaignRecipients.Add(new Campaigns.CampaignRecipient { CampaignId = r.CampaignId, ProfileId = toProfileId, Variant = r.Variant, Status = r.Status, At = r.At });
        }
        // Messages follow the person; their send keys stay unique (a key names one intended send, whoever it went to).
        await db.EngagementMessages.Where(m => m.ProfileId == fromProfileId)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProfileId, toProfileId), ct);
        // A device is the person's wherever they signed in; its endpoint stays unique.
        foreach (var d in await db.PushSubscriptions.Where(s => s.ProfileId == fromProfileId).ToListAsync(ct)) d.ProfileId = toProfileId;
        // Survey answers are one per invitation, so they simply follow the person.
        foreach (var i in await db.SurveyInvitations.Where(i => i.ProfileId == fromProfileId).ToListAsync(ct)) i.ProfileId = toProfileId;
    }
}
