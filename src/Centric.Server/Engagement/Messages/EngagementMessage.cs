namespace Centric.Server.Engagement.Messages;

/// <summary>A message Engagement sent to a customer, and what became of it (delivered, opened, clicked, bounced).</summary>
public sealed class EngagementMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public string Channel { get; set; } = "";
    public string Purpose { get; set; } = "";
    /// <summary>Unique: the intended send this row is (see <see cref="Contracts.OutgoingMessage.SendKey"/>).</summary>
    public string SendKey { get; set; } = "";
    /// <summary>What sent it: "journey:{id}", "campaign:{id}", "survey:{id}", "test".</summary>
    public string Source { get; set; } = "";
    public Guid? TemplateId { get; set; }
    /// <summary>The address used: an email, a phone number, the push service's host (of the first device); null for in-app notices.</summary>
    public string? To { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    /// <summary>The page the message leads to, when it has one (what a push notification opens when clicked).</summary>
    public string? Link { get; set; }
    public string Status { get; set; } = MessageStatus.Queued;
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? OpenedAt { get; set; }
    public DateTime? ClickedAt { get; set; }
    public DateTime? FailedAt { get; set; }
    /// <summary>Why it failed or bounced (the relay's or provider's words), for the console.</summary>
    public string? FailureReason { get; set; }

    // Delivery of an SMS through the provider (email goes through the mail outbox, push has a delivery per device, in-app notices need none).
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    /// <summary>The provider's id for the message, which its delivery receipts name.</summary>
    public string? ProviderMessageId { get; set; }
}

public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Bounced = "bounced";
    public const string Failed = "failed";
}
