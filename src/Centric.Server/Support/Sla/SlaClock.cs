using System.Globalization;
using System.Text.Encodings.Web;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Sla;

public enum SlaState { None, Paused, OnTrack, AtRisk, Breached }

/// <summary>What the inbox and ticket page show: the nearest running target.</summary>
public sealed record SlaView(SlaState State, string? Target, DateTime? DueAt)
{
    public string Label => State switch
    {
        SlaState.None => "—",
        SlaState.Paused => "paused",
        SlaState.Breached => $"breached ({Target?.Replace('-', ' ')})",
        SlaState.AtRisk => $"at risk: {Target?.Replace('-', ' ')} due {Due}",
        _ => $"{Target?.Replace('-', ' ')} due {Due}",
    };

    // Short enough for a column of the inbox ("first response due 5 Dec 11:00"); times are UTC like every console time.
    private string Due => DueAt?.ToString("d MMM HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "";

    public string CssClass => State switch { SlaState.Breached => "badge danger", SlaState.AtRisk => "badge warning", _ => "badge" };
}

/// <summary>
/// Starts, pauses and stops SLA targets as tickets move, and the sweep that warns before and escalates after a breach.
/// Due times are working time (the business calendar) from the ticket's start; a pause moves them later by the working
/// time it lasted. The sweep claims each ticket's work row with a conditional update, so two processes never escalate twice.
/// </summary>
public sealed class SlaClock(CentricDbContext db, InteractionLog interactions, MailOutbox mail, TimeProvider clock, IOptions<SupportAutomationOptions> options)
{
    private BusinessHours? _calendar;

    public async Task<BusinessHours> CalendarAsync(CancellationToken ct)
    {
        if (_calendar is not null) return _calendar;
        var row = await db.BusinessCalendars.AsNoTracking().FirstOrDefaultAsync(ct);
        try { _calendar = row?.ToBusinessHours() ?? BusinessHours.AlwaysOpen; }
        catch (FormatException) { _calendar = BusinessHours.AlwaysOpen; }   // saved calendars are validated; this is a belt for hand-edited rows
        return _calendar;
    }

    /// <summary>The policy for a ticket: the most specific one matching its priority and the customer's tier.</summary>
    public async Task<SlaPolicy?> PolicyForAsync(TicketPriority priority, string? tier, CancellationToken ct) =>
        (await db.SlaPolicies.AsNoTracking().ToListAsync(ct))
            .Where(p => (p.Priority is null || p.Priority == priority) && (p.Tier is null || string.Equals(p.Tier, tier, StringComparison.OrdinalIgnoreCase)))
            .OrderByDescending(p => p.Specificity).ThenBy(p => p.Name, StringComparer.Ordinal).FirstOrDefault();

    public async Task StartAsync(Ticket ticket, TicketWork work, DateTime at, CancellationToken ct)
    {
        var policy = await PolicyForAsync(ticket.Priority, work.Tier, ct);
        work.PolicyId = policy?.Id;
        if (policy is null) return;
        var calendar = await CalendarAsync(ct);
        work.FirstResponseDueAt = ticket.FirstResponseAt is null ? calendar.Add(at, TimeSpan.FromMinutes(policy.FirstResponseMinutes)) : null;
        work.ResolutionDueAt = calendar.Add(at, TimeSpan.FromMinutes(policy.ResolutionMinutes));
        Reschedule(work, policy);
    }

    /// <summary>An agent answered: first and next response targets are done.</summary>
    public async Task AgentRepliedAsync(TicketWork work, DateTime at, CancellationToken ct)
    {
        work.FirstResponseDueAt = Complete(work, SlaTargets.FirstResponse, work.FirstResponseDueAt, at);
        work.NextResponseDueAt = Complete(work, SlaTargets.NextResponse, work.NextResponseDueAt, at);
        Reschedule(work, await PolicyAsync(work, ct));
    }

    /// <summary>The customer wrote again after an agent's answer: the next response is due.</summary>
    public async Task CustomerWroteAsync(Ticket ticket, TicketWork work, DateTime at, CancellationToken ct)
    {
        var policy = await PolicyAsync(work, ct);
        if (policy is null || ticket.FirstResponseAt is null || work.NextResponseDueAt is not null) return;
        // While the clock is paused the target is set from the pause's start, so that the resume (which moves running
        // targets later by the paused time) leaves exactly the policy's working time from the resume. The customer's
        // message and the reopening it causes may reach this class in either order.
        var start = StoppedAt(work, at);
        work.NextResponseDueAt = (await CalendarAsync(ct)).Add(start, TimeSpan.FromMinutes(policy.NextResponseMinutes));
        work.Warned = TicketWork.Without(work.Warned, SlaTargets.NextResponse);
        work.Breached = TicketWork.Without(work.Breached, SlaTargets.NextResponse);
        Reschedule(work, policy);
    }

    /// <summary>Pauses while pending the customer or solved (and on hold if the policy says so); resumes otherwise; settles targets on solve and close.</summary>
    public async Task StatusChangedAsync(TicketWork work, TicketStatus to, DateTime at, CancellationToken ct)
    {
        var policy = await PolicyAsync(work, ct);
        if (to is TicketStatus.Solved or TicketStatus.Closed)
            work.ResolutionDueAt = Complete(work, SlaTargets.Resolution, work.ResolutionDueAt, at);
        if (to == TicketStatus.Closed)
        {
            // Responses never given count as missed if they were already late; otherwise the ticket simply ended.
            foreach (var (target, due) in work.Running().ToList())
                if (StoppedAt(work, at) > due) work.TargetsMissed++;
            (work.FirstResponseDueAt, work.NextResponseDueAt, work.ResolutionDueAt, work.PausedSince) = (null, null, null, null);
        }
        var pause = to is TicketStatus.PendingCustomer or TicketStatus.Solved || (to == TicketStatus.OnHold && policy?.PauseOnHold == true);
        if (pause && to != TicketStatus.Closed) work.PausedSince ??= at;
        else if (!pause && work.PausedSince is { } since)
        {
            var calendar = await CalendarAsync(ct);
            DateTime? Shift(DateTime? due, string target)
            {
                if (due is not { } d || d <= since) return due;   // already late when paused: stays late
                work.Warned = TicketWork.Without(work.Warned, target);
                return calendar.Add(at, calendar.Between(since, d));
            }
            work.FirstResponseDueAt = Shift(work.FirstResponseDueAt, SlaTargets.FirstResponse);
            work.NextResponseDueAt = Shift(work.NextResponseDueAt, SlaTargets.NextResponse);
            work.ResolutionDueAt = Shift(work.ResolutionDueAt, SlaTargets.Resolution);
            work.PausedSince = null;
        }
        Reschedule(work, policy);
    }

    /// <summary>
    /// One pass: warnings and escalations that are due, then waiting tickets to available agents, then auto-close.
    /// Returns the number of tickets whose SLA was looked at.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await db.TicketWork.AsNoTracking().Where(w => w.NextCheckAt != null && w.NextCheckAt <= now && (w.ClaimedUntil == null || w.ClaimedUntil < now))
            .OrderBy(w => w.NextCheckAt).Select(w => w.TicketId).Take(100).ToListAsync(ct);
        var checkedCount = 0;
        foreach (var id in due)
        {
            var token = Guid.NewGuid();
            // Still due and unclaimed: a process that read the same list after another finished this row finds it rescheduled.
            var claimed = await db.TicketWork.Where(w => w.TicketId == id && w.NextCheckAt != null && w.NextCheckAt <= now && (w.ClaimedUntil == null || w.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(w => w.ClaimToken, token).SetProperty(w => w.ClaimedUntil, now.AddMinutes(2)), ct);
            if (claimed != 1) continue;
            var work = await db.TicketWork.FirstAsync(w => w.TicketId == id, ct);
            await db.Entry(work).ReloadAsync(ct);   // the claim was written behind the tracker's back
            var ticket = await db.Tickets.FirstAsync(t => t.Id == id, ct);
            await CheckAsync(ticket, work, now, ct);
            work.ClaimToken = null;
            work.ClaimedUntil = null;
            await db.SaveChangesAsync(ct);
            checkedCount++;
        }
        await new TicketRouter(db, clock, options).AssignWaitingAsync(ct);
        await AutoCloseAsync(now, ct);
        return checkedCount;
    }

    /// <summary>SLA state of the listed tickets (inbox, ticket page); tickets without a clock are missing from the result.</summary>
    public async Task<Dictionary<Guid, SlaView>> ViewsAsync(IReadOnlyCollection<Guid> ticketIds, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var work = await db.TicketWork.AsNoTracking().Where(w => ticketIds.Contains(w.TicketId)).ToListAsync(ct);
        var policies = await db.SlaPolicies.AsNoTracking().ToDictionaryAsync(p => p.Id, ct);
        return work.ToDictionary(w => w.TicketId, w => View(w, w.PolicyId is { } id ? policies.GetValueOrDefault(id) : null, now));
    }

    /// <summary>The nearest running target of a ticket, for the pages.</summary>
    public static SlaView View(TicketWork? work, SlaPolicy? policy, DateTime now)
    {
        if (work is null || !work.Running().Any()) return new(SlaState.None, null, null);
        var (target, dueAt) = work.Running().OrderBy(r => r.Due).First();
        if (work.PausedSince is not null) return new(SlaState.Paused, target, dueAt);
        var state = now >= dueAt ? SlaState.Breached
            : now >= dueAt.AddMinutes(-(policy?.WarnBeforeMinutes ?? 0)) ? SlaState.AtRisk : SlaState.OnTrack;
        return new(state, target, dueAt);
    }

    private async Task CheckAsync(Ticket ticket, TicketWork work, DateTime now, CancellationToken ct)
    {
        var policy = await PolicyAsync(work, ct);
        if (policy is null || work.PausedSince is not null || !ticket.IsOpen) { work.NextCheckAt = null; return; }
        var tickets = new TicketService(db, interactions, clock);
        foreach (var (target, dueAt) in work.Running().ToList())
        {
            if (TicketWork.Has(work.Breached, target)) continue;
            if (now >= dueAt)
            {
                work.Breached = TicketWork.With(work.Breached, target);
                work.Warned = TicketWork.With(work.Warned, target);
                await EscalateAsync(tickets, ticket, work, policy, target, dueAt, ct);
            }
            else if (now >= dueAt.AddMinutes(-policy.WarnBeforeMinutes) && !TicketWork.Has(work.Warned, target))
            {
                work.Warned = TicketWork.With(work.Warned, target);
                await tickets.AddMessageAsync(ticket, Note($"SLA at risk: {Name(target)} is due at {dueAt:yyyy-MM-dd HH:mm} UTC."), ct);
            }
        }
        Reschedule(work, policy);
    }

    private async Task EscalateAsync(TicketService tickets, Ticket ticket, TicketWork work, SlaPolicy policy, string target, DateTime dueAt, CancellationToken ct)
    {
        var actions = new List<string>();
        if (policy.RaisePriorityOnBreach && ticket.Priority < TicketPriority.Urgent)
        {
            ticket.Priority++;
            actions.Add($"priority raised to {ticket.Priority}");
        }
        if (policy.ReassignOnBreach)
        {
            var from = ticket.AssigneeUserId;
            if (await new TicketRouter(db, clock, options).AssignAsync(ticket, work, ct, except: from) is { } to)
                actions.Add($"reassigned to {await db.SupportAgents.Where(a => a.UserId == to).Select(a => a.Name).FirstOrDefaultAsync(ct) ?? to}");
            else actions.Add("no other agent available to reassign to");
        }
        if (policy.SupervisorEmail is { Length: > 0 } supervisor)
        {
            mail.Add(db, supervisor, $"SLA breached: {ticket.Number} ({Name(target)})",
                $"<p>The {HtmlEncoder.Default.Encode(Name(target))} target of ticket <a href=\"/console/tickets/{ticket.Number}\">{ticket.Number}</a> " +
                $"({HtmlEncoder.Default.Encode(ticket.Subject)}) was due at {dueAt.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)} UTC.</p>" +
                $"<p>Policy: {HtmlEncoder.Default.Encode(policy.Name)}. {HtmlEncoder.Default.Encode(string.Join("; ", actions))}</p>");
            actions.Add("supervisor notified");
        }
        var text = $"SLA breached: {Name(target)} was due at {dueAt:yyyy-MM-dd HH:mm} UTC." + (actions.Count > 0 ? " " + string.Join("; ", actions) + "." : "");
        await tickets.AddMessageAsync(ticket, Note(text), ct);
    }

    private async Task AutoCloseAsync(DateTime now, CancellationToken ct)
    {
        if (options.Value.AutoCloseAfterDays <= 0) return;
        var cutoff = now.AddDays(-options.Value.AutoCloseAfterDays);
        var stale = await db.Tickets.AsNoTracking().Where(t => t.Status == TicketStatus.Solved && t.UpdatedAt <= cutoff)
            .OrderBy(t => t.UpdatedAt).Select(t => t.Id).Take(100).ToListAsync(ct);
        foreach (var id in stale)
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                // The conditional update is the claim: another process closing the same ticket updates nothing and stops here.
                var closed = await db.Tickets.Where(t => t.Id == id && t.Status == TicketStatus.Solved && t.UpdatedAt <= cutoff)
                    .ExecuteUpdateAsync(s => s.SetProperty(t => t.Status, TicketStatus.Closed).SetProperty(t => t.UpdatedAt, now), ct);
                if (closed != 1) { await tx.RollbackAsync(ct); return; }
                var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == id, ct);
                interactions.Append(db, ticket.ProfileId, InteractionTypes.TicketStatusChanged, ticket.Channel,
                    new TicketStatusChangedProperties(ticket.Number, nameof(TicketStatus.Solved), nameof(TicketStatus.Closed), "auto-close"),
                    sourceKind: "ticket", sourceId: ticket.Number);
                await db.SaveChangesAsync(ct);
                await tx.CommitAsync(ct);
            });
            db.ChangeTracker.Clear();
        }
    }

    private async Task<SlaPolicy?> PolicyAsync(TicketWork work, CancellationToken ct) =>
        work.PolicyId is { } id ? await db.SlaPolicies.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) : null;

    private static DateTime? Complete(TicketWork work, string target, DateTime? due, DateTime at)
    {
        if (due is not { } d) return null;
        if (StoppedAt(work, at) <= d && !TicketWork.Has(work.Breached, target)) work.TargetsMet++;
        else work.TargetsMissed++;
        return null;
    }

    /// <summary>Where the clock stands: a paused clock stopped at the pause, so a ticket solved while pending is judged by then.</summary>
    private static DateTime StoppedAt(TicketWork work, DateTime at) => work.PausedSince is { } since && since < at ? since : at;

    private static void Reschedule(TicketWork work, SlaPolicy? policy)
    {
        if (policy is null || work.PausedSince is not null) { work.NextCheckAt = null; return; }
        work.NextCheckAt = work.Running().Where(r => !TicketWork.Has(work.Breached, r.Target))
            .Select(r => TicketWork.Has(work.Warned, r.Target) ? r.Due : r.Due.AddMinutes(-policy.WarnBeforeMinutes))
            .Cast<DateTime?>().Min();
    }

    private static NewMessage Note(string text) => new(MessageDirection.Note, SupportChannels.Web, "SLA", text);

    private static string Name(string target) => target switch
    {
        SlaTargets.FirstResponse => "first response",
        SlaTargets.NextResponse => "next response",
        _ => "resolution",
    };
}
