namespace Centric.Server.Engagement.Messages;

/// <summary>A message Engagement sent to a customer, and what became of it (delivered, opened, clicked, bounced).</summary>
public sealed class EngagementMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public string Channel { get; set; } = "";
    public string Purpose { get; set; } = "";
    /// <summary>Unique: the intended send this row is (see <see cref="OutgoingMessage.SendKey"/>).</summary>
    public string SendKey { get; set; } = "";
    /// <summary>What sent it: "journey:{id}", "campaign:{id}", "survey:{id}", "test".</summary>
    public string Source { get; set; } = "";
    public Guid? TemplateId { get; set; }
    /// <summary>The address used: an email, a phone number, a push endpoint's host; null for in-app notices.</summary>
    public string? To { get; set; }
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public string Status { get; set; } = MessageStatus.Queued;
    public DateTime CreatedAt { get; set; }
    public DateTime? DeliveredAt { get; set; }
    public DateTime? OpenedAt { get; set; }
    public DateTime? ClickedAt { get; set; }
    public DateTime? FailedAt { get; set; }
}

public static class MessageStatus
{
    public const string Queued = "queued";
    public const string Sent = "sent";
    public const string Delivered = "delivered";
    public const string Bounced = "bounced";
    public const string Failed = "failed";
}
