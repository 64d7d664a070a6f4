using System.Security.Cryptography;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Journeys;
using Centric.Server.Engagement.Messages;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Campaigns;

public sealed record NewCampaign(string? Name, Guid? SegmentId, string? Channel, string? Purpose, Guid? TemplateId, string? Subject, string? SubjectB,
    string? Body, string? Link, int? TestPercent, int? TestHours, int? RatePerMinute);

public sealed record CampaignSchedule(DateTime? At);

public sealed record CampaignVariantResult(string Variant, string Subject, int Recipients, int Sent, int Skipped, int Delivered, int Opened, int Clicked, int Bounced);

public sealed record CampaignView(Guid Id, string Name, Guid SegmentId, string? SegmentName, string Channel, string Purpose, string Subject, string? SubjectB,
    string Body, string? Link, int TestPercent, int TestHours, string? Winner, int RatePerMinute, string Status, DateTime? ScheduledAt,
    DateTime? StartedAt, DateTime? FinishedAt, int Audience, int Pending, int Sent, int Skipped, int Cancelled, IReadOnlyList<CampaignVariantResult> Variants,
    DateTime CreatedAt, string? CreatedBy);

/// <summary>Campaigns: create, schedule, cancel, and read progress and results.</summary>
internal sealed class CampaignService(CentricDbContext db, TimeProvider clock)
{
    public const int MaxRatePerMinute = 1_000_000;

    public async Task<IReadOnlyList<CampaignView>> ListAsync(CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().OrderByDescending(c => c.CreatedAt).Take(200).ToListAsync(ct);
        return await ViewsAsync(campaigns, ct);
    }

    public async Task<CampaignView?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct) is { } c ? (await ViewsAsync([c], ct))[0] : null;

    private sealed record RecipientCount(Guid CampaignId, string Variant, string Status, int Count);

    private sealed record MessageCounts(int Delivered, int Opened, int Clicked, int Bounced);

    /// <summary>The campaigns with their figures, in three queries whatever their number.</summary>
    private async Task<List<CampaignView>> ViewsAsync(List<Campaign> campaigns, CancellationToken ct)
    {
        if (campaigns.Count == 0) return [];
        var ids = campaigns.Select(c => c.Id).ToList();
        var segmentIds = campaigns.Select(c => c.SegmentId).Distinct().ToList();
        var segments = await db.Segments.AsNoTracking().Where(s => segmentIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        var recipients = await db.CampaignRecipients.AsNoTracking().Where(r => ids.Contains(r.CampaignId)).GroupBy(r => new { r.CampaignId, r.Variant, r.Status })
            .Select(g => new RecipientCount(g.Key.CampaignId, g.Key.Variant, g.Key.Status, g.Count())).ToListAsync(ct);
        // Messages name their campaign and variant in Source ("campaign:{id}:{variant}").
        var sources = recipients.Select(r => Campaign.MessageSource(r.CampaignId, r.Variant)).Distinct().ToList();
        var messages = await db.EngagementMessages.AsNoTracking().Where(m => sources.Contains(m.Source)).GroupBy(m => m.Source)
            .Select(g => new
            {
                g.Key, Delivered = g.Count(m => m.DeliveredAt != null), Opened = g.Count(m => m.OpenedAt != null), Clicked = g.Count(m => m.ClickedAt != null),
                Bounced = g.Count(m => m.Status == MessageStatus.Bounced),
            }).ToDictionaryAsync(m => m.Key, m => new MessageCounts(m.Delivered, m.Opened, m.Clicked, m.Bounced), ct);
        var byCampaign = recipients.ToLookup(r => r.CampaignId);
        return campaigns.Select(c => View(c, segments.GetValueOrDefault(c.SegmentId), byCampaign[c.Id].ToList(), messages)).ToList();
    }

    private static CampaignView View(Campaign c, string? segment, IReadOnlyList<RecipientCount> recipients, IReadOnlyDictionary<string, MessageCounts> messages)
    {
        int Count(string? variant, string status) => recipients.Where(r => (variant is null || r.Variant == variant) && r.Status == status).Sum(r => r.Count);
        var variants = recipients.Select(r => r.Variant).Distinct().OrderBy(v => v == "rest").ThenBy(v => v).Select(v =>
        {
            var m = messages.GetValueOrDefault(Campaign.MessageSource(c.Id, v));
            var subject = v == "B" ? c.SubjectB ?? c.Subject : v == "rest" && c.Winner == "B" ? c.SubjectB ?? c.Subject : c.Subject;
            return new CampaignVariantResult(v, subject, recipients.Where(r => r.Variant == v).Sum(r => r.Count), Count(v, RecipientStatus.Sent),
                Count(v, RecipientStatus.NoConsent) + Count(v, RecipientStatus.NoAddress), m?.Delivered ?? 0, m?.Opened ?? 0, m?.Clicked ?? 0, m?.Bounced ?? 0);
        }).ToList();
        return new CampaignView(c.Id, c.Name, c.SegmentId, segment, c.Channel, c.Purpose, c.Subject, c.SubjectB, c.Body, c.Link, c.TestPercent, c.TestHours,
            c.Winner, c.RatePerMinute, c.Status, c.ScheduledAt, c.StartedAt, c.FinishedAt, c.Audience, Count(null, RecipientStatus.Pending),
            Count(null, RecipientStatus.Sent), Count(null, RecipientStatus.NoConsent) + Count(null, RecipientStatus.NoAddress),
            Count(null, RecipientStatus.Cancelled), variants, c.CreatedAt, c.CreatedBy);
    }

    public async Task<CampaignView> CreateAsync(NewCampaign request, string? by, CancellationToken ct)
    {
        var name = request.Name?.Trim();
        if (name is not { Length: >= 1 and <= 120 } || !StorableText.IsStorable(name)) throw RequestValidationException.For("name", "name must be 1–120 characters.");
        if (request.SegmentId is not { } segmentId || !await db.Segments.AnyAsync(s => s.Id == segmentId, ct))
            throw RequestValidationException.For("segmentId", "segmentId must name a segment.");
        var channel = request.Channel ?? "email";
        if (!JourneyDefinitions.SendChannels.Contains(channel)) throw RequestValidationException.For("channel", "channel must be one of " + string.Join(", ", JourneyDefinitions.SendChannels) + ".");
        var purpose = request.Purpose ?? ConsentPurposes.Marketing;
        if (!ConsentPurposes.All.Contains(purpose)) throw RequestValidationException.For("purpose", "purpose must be marketing or service.");
        var subject = request.Subject?.Trim();
        if (subject is not { Length: >= 1 and <= 300 } || !StorableText.IsStorable(subject)) throw RequestValidationException.For("subject", "subject must be 1–300 characters.");
        var subjectB = string.IsNullOrWhiteSpace(request.SubjectB) ? null : request.SubjectB.Trim();
        if (subjectB is { Length: > 300 } || !StorableText.IsStorable(subjectB)) throw RequestValidationException.For("subjectB", "subjectB must be at most 300 characters.");
        if (request.TemplateId is null && (request.Body is not { Length: >= 1 and <= 20_000 } || !StorableText.IsStorable(request.Body)))
            throw RequestValidationException.For("body", "body must be 1–20000 characters (or give a templateId).");
        if (request.Link is { } link && (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal) || link.Length > 300))
            throw RequestValidationException.For("link", "link must be a path on this site starting with /.");
        var testPercent = subjectB is null ? 0 : request.TestPercent ?? 20;
        if (subjectB is not null && testPercent is < 2 or > 50) throw RequestValidationException.For("testPercent", "testPercent must be 2–50 with a second subject.");
        var testHours = subjectB is null ? 0 : request.TestHours ?? 4;
        if (subjectB is not null && testHours is < 1 or > 72) throw RequestValidationException.For("testHours", "testHours must be 1–72.");
        var rate = request.RatePerMinute ?? 1000;
        if (rate is < 1 or > MaxRatePerMinute) throw RequestValidationException.For("ratePerMinute", $"ratePerMinute must be 1–{MaxRatePerMinute}.");
        var campaign = new Campaign
        {
            Name = name, SegmentId = segmentId, Channel = channel, Purpose = purpose, TemplateId = request.TemplateId, Subject = subject, SubjectB = subjectB,
            Body = request.Body ?? "", Link = request.Link, TestPercent = testPercent, TestHours = testHours, RatePerMinute = rate,
            CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = by,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync(ct);
        return (await FindAsync(campaign.Id, ct))!;
    }

    /// <summary>Schedules a draft for a moment (now when none): its audience is fixed when it starts.</summary>
    public async Task<CampaignView?> ScheduleAsync(Guid id, DateTime? at, CancellationToken ct)
    {
        if (await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } c) return null;
        if (c.Status != CampaignStatus.Draft) throw new DomainException("campaign_not_draft", "Only a draft campaign can be scheduled.");
        var now = clock.GetUtcNow().UtcDateTime;
        var when = at is { } a ? DateTime.SpecifyKind(a.Kind == DateTimeKind.Local ? a.ToUniversalTime() : a, DateTimeKind.Utc) : now;
        if (when > now.AddYears(1)) throw RequestValidationException.For("at", "at must be within a year.");
        (c.Status, c.ScheduledAt) = (CampaignStatus.Scheduled, when < now ? now : when);
        await db.SaveChangesAsync(ct);
        return await FindAsync(id, ct);
    }

    /// <summary>Stops a campaign: nothing more is sent; who got it and who did not stays on record.</summary>
    public async Task<CampaignView?> CancelAsync(Guid id, CancellationToken ct)
    {
        if (await db.Campaigns.FirstOrDefaultAsync(c => c.Id == id, ct) is not { } c) return null;
        if (c.Status is CampaignStatus.Sent or CampaignStatus.Cancelled) throw new DomainException("campaign_finished", "The campaign has finished already.");
        var now = clock.GetUtcNow().UtcDateTime;
        (c.Status, c.FinishedAt) = (CampaignStatus.Cancelled, now);
        await db.SaveChangesAsync(ct);
        // After the status: a runner mid-slice re-reads it before each slice and sends nothing more.
        await db.CampaignRecipients.Where(r => r.CampaignId == id && r.Status == RecipientStatus.Pending)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, RecipientStatus.Cancelled).SetProperty(r => r.At, now), ct);
        return await FindAsync(id, ct);
    }

    /// <summary>The variant of a recipient: a stable draw, so the test slice is the same whoever works it out.</summary>
    internal static string Variant(Guid campaignId, Guid profileId, int testPercent)
    {
        if (testPercent == 0) return "rest";
        Span<byte> bytes = stackalloc byte[32];
        campaignId.TryWriteBytes(bytes);
        profileId.TryWriteBytes(bytes[16..]);
        var bucket = BitConverter.ToUInt32(SHA256.HashData(bytes), 0) % 10_000 / 100.0;
        return bucket < testPercent / 2.0 ? "A" : bucket < testPercent ? "B" : "rest";
    }
}
