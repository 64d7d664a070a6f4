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
}
