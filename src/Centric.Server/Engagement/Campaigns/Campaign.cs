namespace Centric.Server.Engagement.Campaigns;

/// <summary>
/// A one-off send to a segment: scheduled, throttled, optionally with an A/B test of two subject lines on a slice of the
/// audience, the winner (more opens, then clicks) going to the rest.
/// </summary>
public sealed class Campaign
{
    /// <summary>What a campaign's messages carry as their source: the campaign and the variant (A, B or rest), so figures add up per variant.</summary>
    public static string MessageSource(Guid campaignId, string variant) => $"campaign:{campaignId:N}:{variant}";

    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    public Guid SegmentId { get; set; }
    public string Channel { get; set; } = "email";
    public string Purpose { get; set; } = "marketing";
    public Guid? TemplateId { get; set; }
    public string Subject { get; set; } = "";
    /// <summary>The second subject line of an A/B test; null for no test.</summary>
    public string? SubjectB { get; set; }
    public string Body { get; set; } = "";
    public string? Link { get; set; }
    /// <summary>With a second subject: the share of the audience in the test, half getting each subject (2–50).</summary>
    public int TestPercent { get; set; }
    /// <summary>How long the test runs before the winner goes to the rest.</summary>
    public int TestHours { get; set; }
    /// <summary>"A" or "B" once the test is decided.</summary>
    public string? Winner { get; set; }
    public int RatePerMinute { get; set; } = 1000;
    public string Status { get; set; } = CampaignStatus.Draft;
    public DateTime? ScheduledAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The last moment the runner sent a slice: the throttle's clock.</summary>
    public DateTime? SentUpTo { get; set; }
    public int Audience { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? CreatedBy { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
}

public static class CampaignStatus
{
    public const string Draft = "draft", Scheduled = "scheduled", Testing = "testing", Sending = "sending", Sent = "sent", Cancelled = "cancelled";
    public static readonly string[] Running = [Scheduled, Testing, Sending];
}

/// <summary>Who a campaign is for, fixed when it starts, and what became of each: the record of who got what.</summary>
public sealed class CampaignRecipient
{
    public Guid CampaignId { get; set; }
    public Guid ProfileId { get; set; }
    /// <summary>"A", "B" (the test) or "rest".</summary>
    public string Variant { get; set; } = "rest";
    public string Status { get; set; } = RecipientStatus.Pending;
    public DateTime? At { get; set; }
}

public static class RecipientStatus
{
    public const string Pending = "pending", Sent = "sent", NoConsent = "no_consent", NoAddress = "no_address", Cancelled = "cancelled";
}
