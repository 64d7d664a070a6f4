namespace Centric.Server.Engagement;

/// <summary>Engagement's log lines (event ids 8000–8999). Ids and figures only, never personal data.</summary>
internal static partial class EngagementLog
{
    [LoggerMessage(8000, LogLevel.Information, "Segment {SegmentId} re-evaluated: {Entered} entered, {Left} left")]
    public static partial void SegmentRefreshed(ILogger logger, Guid segmentId, int entered, int left);

    [LoggerMessage(8001, LogLevel.Warning, "Segment {SegmentId} could not be re-evaluated; it is tried again next round")]
    public static partial void SegmentRefreshFailed(ILogger logger, Exception e, Guid segmentId);

    [LoggerMessage(8100, LogLevel.Warning, "Journey {JourneyId} step {StepId}: webhook failed (attempt {Attempt}): {Reason}")]
    public static partial void JourneyWebhookFailed(ILogger logger, Guid journeyId, string stepId, int attempt, string reason);

    [LoggerMessage(8101, LogLevel.Warning, "Journey walk {RunId} could not take its step; it is tried again")]
    public static partial void JourneyWalkFailed(ILogger logger, Exception e, Guid runId);

    [LoggerMessage(8103, LogLevel.Debug, "Journeys: this node claimed {Claimed} of {Due} due walks")]
    public static partial void JourneyWalksClaimed(ILogger logger, int claimed, int due);

    [LoggerMessage(8102, LogLevel.Information, "Journeys: {Entered} customers entered on dates and inactivity")]
    public static partial void JourneysScheduled(ILogger logger, int entered);

    [LoggerMessage(8200, LogLevel.Warning, "Push delivery {DeliveryId} (attempt {Attempt}) was not taken: {Reason}")]
    public static partial void PushRefused(ILogger logger, Guid deliveryId, int attempt, string reason);

    [LoggerMessage(8201, LogLevel.Information, "Push subscription {SubscriptionId} expired (the push service answered {Status}); removed")]
    public static partial void PushSubscriptionExpired(ILogger logger, Guid subscriptionId, int status);

    [LoggerMessage(8202, LogLevel.Information, "VAPID keys: none configured, so a pair was generated and stored in the database")]
    public static partial void PushKeysGenerated(ILogger logger);
}
