using System.Globalization;
using System.Security.Cryptography;
using Centric.Server.Platform.Errors;

namespace Centric.Server.Support.Tickets;

public enum TicketStatus { New = 0, Open = 1, PendingCustomer = 2, OnHold = 3, Solved = 4, Closed = 5 }

public enum TicketPriority { Low = 0, Normal = 1, High = 2, Urgent = 3 }

public enum TicketType { Question = 0, Incident = 1, Problem = 2, Task = 3 }

public enum MessageDirection { Inbound = 0, Outbound = 1, Note = 2 }

public static class SupportChannels
{
    public const string Email = "email";
    public const string Web = "web";
    public const string Phone = "phone";
    public const string Chat = "chat";
    public const string Sms = "sms";
    public const string WhatsApp = "whatsapp";
    public const string Facebook = "facebook";
    public const string Instagram = "instagram";
    public const string X = "x";

    /// <summary>Channels that arrive through the messaging provider's webhook and are answered through its HTTP endpoint.</summary>
    public static readonly string[] Messaging = [Sms, WhatsApp, Facebook, Instagram, X];

    public static readonly string[] All = [Email, Web, Phone, Chat, .. Messaging];
}

/// <summary>A customer's request, worked by agents across channels until solved.</summary>
public sealed class Ticket
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>The number customers and agents quote, e.g. T-482193; emails carry it as "[T-482193]" in the subject.</summary>
    public required string Number { get; set; }
    public Guid ProfileId { get; set; }
    /// <summary>The channel the ticket was opened on.</summary>
    public required string Channel { get; set; }
    public TicketStatus Status { get; set; }
    public TicketPriority Priority { get; set; } = TicketPriority.Normal;
    public TicketType Type { get; set; }
    /// <summary>Lower-case tags separated by single spaces.</summary>
    public string Tags { get; set; } = "";
    public required string Subject { get; set; }
    public string? AssigneeUserId { get; set; }
    public string? OrderNumber { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When an agent first answered the customer (KPI: first response time).</summary>
    public DateTime? FirstResponseAt { get; set; }
    /// <summary>When the ticket was last solved (KPI: resolution time); cleared when it reopens.</summary>
    public DateTime? SolvedAt { get; set; }
    /// <summary>Sequence number of the thread's latest message; live clients resume after the last one they saw.</summary>
    public long LastSequence { get; set; }
    /// <summary>Set when this ticket was merged into another (and closed): mail quoting this ticket's number threads there.</summary>
    public Guid? MergedIntoTicketId { get; set; }

    public bool IsOpen => Status is not (TicketStatus.Solved or TicketStatus.Closed);

    public static string NewNumber() => "T-" + RandomNumberGenerator.GetInt32(100_000, 1_000_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>Moves the ticket; a closed ticket is final (a new message opens a new ticket instead).</summary>
    public void MoveTo(TicketStatus to, DateTime now)
    {
        if (Status == TicketStatus.Closed && to != TicketStatus.Closed)
            throw new DomainException("ticket-closed", $"Ticket {Number} is closed; open a new ticket instead.");
        Status = to;
        SolvedAt = to switch
        {
            TicketStatus.Solved => now,
            TicketStatus.Closed => SolvedAt ?? now,
            _ => null,
        };
        UpdatedAt = now;
    }

    public void SetTags(string? tags) =>
        Tags = string.Join(' ', (tags ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(t => t.ToLowerInvariant()).Distinct().Take(20));
}

/// <summary>One message of a ticket's thread: from the customer, to the customer, or an internal note between agents.</summary>
public sealed class TicketMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TicketId { get; set; }
    /// <summary>The customer's profile, as on every customer-scoped row.</summary>
    public Guid ProfileId { get; set; }
    public MessageDirection Direction { get; set; }
    public required string Channel { get; set; }
    /// <summary>Staff user id for outbound messages and notes; null for the customer.</summary>
    public string? AuthorUserId { get; set; }
    public required string AuthorName { get; set; }
    public required string BodyText { get; set; }
    /// <summary>Email HTML after sanitising (never the raw HTML); null when the message had none.</summary>
    public string? BodyHtml { get; set; }
    /// <summary>The email Message-ID (without angle brackets), so replies thread into this ticket and redelivered webhooks are ignored.</summary>
    public string? ExternalMessageId { get; set; }
    /// <summary>JSON array of attachment metadata ({fileName, contentType, size}); the files themselves are not stored yet.</summary>
    public string? Attachments { get; set; }
    /// <summary>Logged phone calls: length and outcome.</summary>
    public int? CallSeconds { get; set; }
    public string? CallOutcome { get; set; }
    /// <summary>Link to the call recording, from the telephony provider.</summary>
    public string? CallRecordingUrl { get; set; }
    /// <summary>What the message is beyond text: null for a plain message, else one of <see cref="MessageKinds"/>.</summary>
    public string? Kind { get; set; }
    /// <summary>Position in the ticket's thread (1, 2, 3…), unique per ticket; 0 on messages stored before sequences existed.</summary>
    public long Sequence { get; set; }
    /// <summary>The id a live client gave the message, so a resend after a dropped connection is not stored twice.</summary>
    public string? ClientMessageId { get; set; }
    public DateTime CreatedAt { get; set; }
}

public static class MessageKinds
{
    public const string Call = "call";
    public const string CallbackRequest = "callback_request";
    public const string CallbackOffer = "callback_offer";
    public const string Attachment = "attachment";
}

/// <summary>Words for the pages.</summary>
public static class TicketText
{
    public static string Status(TicketStatus s) => s switch
    {
        TicketStatus.PendingCustomer => "Pending customer",
        TicketStatus.OnHold => "On hold",
        _ => s.ToString(),
    };

    /// <summary>What a customer sees: internal states collapse into "we're on it".</summary>
    public static string ForCustomer(TicketStatus s) => s switch
    {
        TicketStatus.New or TicketStatus.Open or TicketStatus.OnHold => "We're on it",
        TicketStatus.PendingCustomer => "Waiting for your reply",
        TicketStatus.Solved => "Solved",
        _ => "Closed",
    };
}
