namespace Centric.Server.Platform.Webhooks;

/// <summary>An admin's subscription of a URL to interaction types.</summary>
public sealed class WebhookSubscription
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Url { get; set; }
    /// <summary>Signing secret; shown to the admin once at creation.</summary>
    public required string Secret { get; set; }
    /// <summary>Comma-separated interaction types, or * for all.</summary>
    public required string EventTypes { get; set; }
    public string? Description { get; set; }
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    /// <summary>
    /// The node sending this subscription's deliveries right now, if any. A subscription is sent to by one node at a time,
    /// one delivery after another, so its deliveries go out in the order they were created.
    /// </summary>
    public Guid? SenderToken { get; set; }
    /// <summary>Until when <see cref="SenderToken"/> holds the subscription; after a turn ends, when it was last sent to.</summary>
    public DateTime? SenderUntil { get; set; }

    public bool Matches(string type) =>
        EventTypes.Trim() == "*" ||
        EventTypes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Contains(type, StringComparer.Ordinal);
}

public enum WebhookDeliveryStatus { Pending = 0, Delivered = 1, Failed = 2 }

/// <summary>One interaction to deliver to one subscription, retried with backoff for 24 hours.</summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid SubscriptionId { get; set; }
    /// <summary>The subscription's deliveries in interaction stream order: 1, 2, 3, … per subscription.</summary>
    public long Sequence { get; set; }
    public Guid InteractionId { get; set; }
    public Guid ProfileId { get; set; }
    public required string EventType { get; set; }
    public required string Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
}

public sealed class WebhookAttempt
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid DeliveryId { get; set; }
    public int Number { get; set; }
    public DateTime At { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public string? ResponseSnippet { get; set; }
    public int DurationMs { get; set; }
}
