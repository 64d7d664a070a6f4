namespace Centric.Server.Engagement.Push;

/// <summary>
/// A browser (one device) that accepted the customer's push notifications: where the push service takes messages for it
/// (<see cref="Endpoint"/>, unique) and the keys the browser gave to encrypt them (RFC 8291).
/// </summary>
public sealed class PushSubscription
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>The push service's address for this browser; it is the device's credential, so only its owner sees it.</summary>
    public string Endpoint { get; set; } = "";
    /// <summary>The browser's P-256 public key, base64url (65 bytes).</summary>
    public string P256dh { get; set; } = "";
    /// <summary>The browser's authentication secret, base64url (16 bytes).</summary>
    public string Auth { get; set; } = "";
    /// <summary>The browser's own description of itself when it subscribed, shortened; how the customer tells their devices apart.</summary>
    public string? UserAgent { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? LastSuccessAt { get; set; }
}

/// <summary>
/// One push message on its way to one of the customer's devices: queued with the message in the sender's unit of work, then
/// claimed and sent by <see cref="PushSender"/>, retried with a growing delay until the push service takes it.
/// </summary>
public sealed class PushDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid MessageId { get; set; }
    public Guid SubscriptionId { get; set; }
    public string Status { get; set; } = PushDeliveryStatus.Queued;
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    /// <summary>The push service's last refusal (its status code and words), for the console and the logs.</summary>
    public string? LastError { get; set; }
}

public static class PushDeliveryStatus
{
    public const string Queued = "queued";
    /// <summary>The push service took it (201).</summary>
    public const string Sent = "sent";
    /// <summary>The push service said the subscription is gone (404 or 410); the subscription was removed.</summary>
    public const string Expired = "expired";
    /// <summary>Refused for good, or still failing after the last attempt.</summary>
    public const string Failed = "failed";
    /// <summary>Not sent: the device was removed or the customer erased before its turn.</summary>
    public const string Cancelled = "cancelled";
}

/// <summary>
/// The application server's VAPID key pair (RFC 8292) when none is configured: generated once and kept in the database, so
/// every node signs with the same pair and the browsers' subscriptions, made for its public key, keep working.
/// </summary>
public sealed class PushKeyPair
{
    /// <summary>Always <see cref="TheOne"/>: one row, so two nodes generating at once cannot both store a pair.</summary>
    public int Id { get; set; } = TheOne;
    public string PublicKey { get; set; } = "";
    public string PrivateKey { get; set; } = "";
    public DateTime CreatedAt { get; set; }

    public const int TheOne = 1;
}
