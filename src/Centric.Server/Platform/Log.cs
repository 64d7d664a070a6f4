namespace Centric.Server.Platform;

/// <summary>Platform log messages (event ids 1000–1999). Only ids, never personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(1000, LogLevel.Error, "Unhandled error while serving a request")]
    public static partial void UnhandledError(ILogger logger, Exception exception);

    [LoggerMessage(1002, LogLevel.Warning, "Answered 503 to {Path}: concurrent writers kept colliding")]
    public static partial void AnsweredBusy(ILogger logger, Exception? exception, string path);

    [LoggerMessage(1001, LogLevel.Information, "Database migrated ({Provider})")]
    public static partial void Migrated(ILogger logger, string provider);

    [LoggerMessage(1010, LogLevel.Warning, "Subscriber {Subscriber} failed on a batch starting after position {Position}; it will be retried")]
    public static partial void SubscriberFailed(ILogger logger, Exception exception, string subscriber, long position);

    [LoggerMessage(1073, LogLevel.Debug, "Subscriber {Subscriber} handled {Count} interactions in {Milliseconds} ms")]
    public static partial void SubscriberHandled(ILogger logger, string subscriber, int count, long milliseconds);

    [LoggerMessage(1074, LogLevel.Debug, "Pass of {Subscribers} subscribers: read {Count} interactions in {ReadMilliseconds} ms, handled them in {Milliseconds} ms")]
    public static partial void PassHandled(ILogger logger, int subscribers, int count, long readMilliseconds, long milliseconds);

    [LoggerMessage(1011, LogLevel.Error, "Subscriber {Subscriber} failed on interaction {InteractionId} (position {Position}) {Attempts} times; it moves on without it (parked as a dead letter unless it is a live view)")]
    public static partial void DeadLettered(ILogger logger, Exception exception, string subscriber, Guid interactionId, long position, int attempts);

    [LoggerMessage(1012, LogLevel.Information, "Dead letter {DeadLetterId} ({Subscriber}, interaction {InteractionId}) {Outcome}")]
    public static partial void DeadLetterHandled(ILogger logger, Guid deadLetterId, string subscriber, Guid interactionId, string outcome);

    [LoggerMessage(1020, LogLevel.Debug, "Webhook delivery {DeliveryId} attempt {Attempt} answered {Status}")]
    public static partial void WebhookAttempt(ILogger logger, Guid deliveryId, int attempt, int status);

    [LoggerMessage(1021, LogLevel.Warning, "Webhook delivery {DeliveryId} attempt {Attempt} failed: {Error}")]
    public static partial void WebhookAttemptFailed(ILogger logger, Guid deliveryId, int attempt, string error);

    [LoggerMessage(1030, LogLevel.Information, "Bootstrap API key created ({KeyId})")]
    public static partial void BootstrapKeyCreated(ILogger logger, Guid keyId);

    [LoggerMessage(1050, LogLevel.Warning, "The {Channel} webhook is off: set {Setting} to a secret of your own (built-in demo secrets work only in Development)")]
    public static partial void InboundChannelOff(ILogger logger, string channel, string setting);

    [LoggerMessage(1060, LogLevel.Information, "API token issued to customer account {UserId} (second factor: {Mfa})")]
    public static partial void CustomerTokenIssued(ILogger logger, string userId, bool mfa);

    [LoggerMessage(1061, LogLevel.Information, "API sign-in refused for account {UserId}: {Reason}")]
    public static partial void CustomerSignInRefused(ILogger logger, string userId, string reason);

    [LoggerMessage(1040, LogLevel.Error, "Background worker {Worker} failed; retrying")]
    public static partial void WorkerFailed(ILogger logger, Exception exception, string worker);

    [LoggerMessage(1070, LogLevel.Debug, "Mail {MailId} attempt {Attempt} sent through the SMTP relay")]
    public static partial void MailSent(ILogger logger, Guid mailId, int attempt);

    [LoggerMessage(1071, LogLevel.Warning, "Mail {MailId} attempt {Attempt} failed: {Error}")]
    public static partial void MailAttemptFailed(ILogger logger, Guid mailId, int attempt, string error);

    [LoggerMessage(1072, LogLevel.Error, "Mail {MailId} was accepted by the relay but could not be marked sent; it is not sent again by this node")]
    public static partial void MailMarkFailed(ILogger logger, Exception exception, Guid mailId);
}
