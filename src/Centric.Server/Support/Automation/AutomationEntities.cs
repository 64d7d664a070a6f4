using Centric.Server.Support.Tickets;

namespace Centric.Server.Support.Automation;

/// <summary>A canned answer with placeholders ({{customer.first_name}}, {{ticket.number}}, {{agent.name}} …) that can also set status and tags.</summary>
public sealed class Macro
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public required string Body { get; set; }
    public TicketStatus? SetStatus { get; set; }
    /// <summary>Tags added to the ticket, space separated.</summary>
    public string AddTags { get; set; } = "";
}

/// <summary>One satisfaction survey per ticket, sent when it is first solved; answered once.</summary>
public sealed class CsatSurvey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TicketId { get; set; }
    public Guid ProfileId { get; set; }
    public required string TicketNumber { get; set; }
    /// <summary>The secret in the survey mail's link: a customer without an account (a guest who chatted) rates with it.</summary>
    public string AccessKey { get; set; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
    public DateTime SentAt { get; set; }
    public int? Rating { get; set; }
    public string? Comment { get; set; }
    public DateTime? AnsweredAt { get; set; }
}
