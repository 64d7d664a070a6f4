using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Engagement;

/// <summary>Configuration section "Engagement".</summary>
public sealed class EngagementOptions
{
    /// <summary>How often rule segments with a time window ("in the last 30 days") are worked out again, so expired members leave.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan SegmentRefreshInterval { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Shared secret of the email bounce webhook (<c>POST /api/v1/webhooks/email/bounce</c>). Unset turns the webhook off.</summary>
    [MinLength(16)]
    public string? BounceSecret { get; set; }
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Off in tests that step the re-evaluation themselves.</summary>
    public bool BackgroundJobs { get; set; } = true;

    /// <summary>How often the journey runner looks for walks whose next step is due.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan JourneyPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>At most this many marketing messages from journeys reach one customer within <see cref="FrequencyWindow"/>; the rest are skipped.</summary>
    [Range(1, 100)]
    public int FrequencyCap { get; set; } = 3;

    [Range(typeof(TimeSpan), "01:00:00", "90.00:00:00")]
    public TimeSpan FrequencyWindow { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Quiet hours on the customer's clock (start hour to end hour, 0–23; equal hours turn them off): journey messages wait for the end.</summary>
    [Range(0, 23)]
    public int QuietHoursStart { get; set; } = 21;

    [Range(0, 23)]
    public int QuietHoursEnd { get; set; } = 8;

    /// <summary>The business's time zone (IANA id), for customers without a "timezone" trait.</summary>
    [MaxLength(100)]
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Signs the calls of journey webhook steps (header Centric-Signature, as outgoing webhooks); unsigned when empty.</summary>
    public string? WebhookSecret { get; set; }
}
