using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Support.Messaging;

public sealed class MessagingOptions
{
    /// <summary>Shared secret of the inbound messaging webhook. Unset means the webhook refuses everything.</summary>
    [MinLength(16)]
    public string? InboundSecret { get; set; }
    /// <summary>Where agents' replies are POSTed (the provider's or a bridge's HTTP endpoint). Unset keeps replies on the thread only.</summary>
    public Uri? OutboundUrl { get; set; }
    /// <summary>Signs outbound requests (header Support-Signature), so the provider can tell they come from here.</summary>
    [MinLength(16)]
    public string? OutboundSecret { get; set; }
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(30);
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 12;
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public bool SenderEnabled { get; set; } = true;
}

/// <summary>
/// The provider webhook's shape: one message from a customer on SMS, WhatsApp or a social network. <see cref="FromName"/> is the
/// sender's display name where the network gives one.
/// </summary>
public sealed record InboundChannelMessage(string? Channel, string? From, string? To, string? Text, string? MessageId,
    IReadOnlyList<ChannelAttachment>? Attachments, string? FromName = null);

public sealed record ChannelAttachment(string? FileName, string? ContentType, long? Size, string? Url);

public enum OutboundStatus { Pending, Sent, Failed }

/// <summary>
/// An agent's reply waiting to go out through the messaging provider. Written in the same SaveChanges as the reply, then
/// claimed and sent by <see cref="OutboundMessageSender"/>; the claim makes sure two nodes never send the same one.
/// </summary>
public sealed class OutboundMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TicketMessageId { get; set; }
    public Guid ProfileId { get; set; }
    public required string TicketNumber { get; set; }
    public required string Channel { get; set; }
    public required string To { get; set; }
    public required string Text { get; set; }
    public OutboundStatus Status { get; set; }
    public int Attempts { get; set; }
    public DateTime NextAttemptAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SentAt { get; set; }
}
