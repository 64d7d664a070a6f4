using Centric.Server.Support.Tickets;

namespace Centric.Server.Support.Sla;

/// <summary>
/// Response and resolution targets in working time. The most specific policy matching a ticket's priority and the
/// customer's tier applies (both set beats one set beats neither).
/// </summary>
public sealed class SlaPolicy
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    public TicketPriority? Priority { get; set; }
    public string? Tier { get; set; }
    public int FirstResponseMinutes { get; set; }
    /// <summary>After the customer writes again, the agent's next answer is due within this.</summary>
    public int NextResponseMinutes { get; set; }
    public int ResolutionMinutes { get; set; }
    /// <summary>A warning note is written this long (wall-clock) before a target is due.</summary>
    public int WarnBeforeMinutes { get; set; } = 30;
    /// <summary>The clock always stops while pending the customer; with this also while on hold.</summary>
    public bool PauseOnHold { get; set; }
    public bool RaisePriorityOnBreach { get; set; } = true;
    public bool ReassignOnBreach { get; set; }
    /// <summary>Mailed (through the mail outbox) when a target is breached.</summary>
    public string? SupervisorEmail { get; set; }

    public int Specificity => (Priority is null ? 0 : 1) + (Tier is null ? 0 : 1);
}

/// <summary>The team's one business calendar (row id 1); without it SLAs count round the clock.</summary>
public sealed class BusinessCalendar
{
    public int Id { get; set; } = 1;
    public string TimeZone { get; set; } = "UTC";
    /// <summary>"mon 09:00-17:00; tue 09:00-17:00; …", days not listed closed.</summary>
    public string Hours { get; set; } = "mon 09:00-17:00; tue 09:00-17:00; wed 09:00-17:00; thu 09:00-17:00; fri 09:00-17:00";
    /// <summary>ISO dates separated by spaces.</summary>
    public string Holidays { get; set; } = "";

    public BusinessHours ToBusinessHours() => BusinessHours.Parse(TimeZone, Hours, Holidays);
}

public static class SlaTargets
{
    public const string FirstResponse = "first-response";
    public const string NextResponse = "next-response";
    public const string Resolution = "resolution";
}

/// <summary>
/// The support team's working state of one ticket: where routing put it and its SLA clock. Kept beside the ticket (same id)
/// so the ticket's own table stays about the customer's request. Due times move later by the working time spent paused.
/// </summary>
public sealed class TicketWork
{
    public Guid TicketId { get; set; }
    public Guid ProfileId { get; set; }
    public Guid? QueueId { get; set; }
    public string? Skill { get; set; }
    public string? Tier { get; set; }
    public string? RuleName { get; set; }
    public Guid? PolicyId { get; set; }
    public DateTime? FirstResponseDueAt { get; set; }
    public DateTime? NextResponseDueAt { get; set; }
    public DateTime? ResolutionDueAt { get; set; }
    /// <summary>Set while the clock is stopped (pending customer, solved, or on hold when the policy says so).</summary>
    public DateTime? PausedSince { get; set; }
    /// <summary>Targets warned about / breached, space separated, so each warning and escalation happens once per due time.</summary>
    public string Warned { get; set; } = "";
    public string Breached { get; set; } = "";
    /// <summary>Targets completed in time and late (SLA attainment = met / (met + missed)).</summary>
    public int TargetsMet { get; set; }
    public int TargetsMissed { get; set; }
    /// <summary>When the SLA sweep next needs to look (a warning or a due time); null when nothing is running.</summary>
    public DateTime? NextCheckAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    /// <summary>The out-of-hours assistant answered; a customer asking for a person is then handed over.</summary>
    public bool AssistantAnswered { get; set; }
    public DateTime CreatedAt { get; set; }

    public static bool Has(string list, string target) => list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(target, StringComparer.Ordinal);

    public static string With(string list, string target) => Has(list, target) ? list : (list + " " + target).Trim();

    public static string Without(string list, string target) => string.Join(' ', list.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t != target));

    /// <summary>Targets still running and their due times.</summary>
    public IEnumerable<(string Target, DateTime Due)> Running()
    {
        if (FirstResponseDueAt is { } f) yield return (SlaTargets.FirstResponse, f);
        if (NextResponseDueAt is { } n) yield return (SlaTargets.NextResponse, n);
        if (ResolutionDueAt is { } r) yield return (SlaTargets.Resolution, r);
    }
}
