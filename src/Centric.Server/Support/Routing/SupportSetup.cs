using System.Text.RegularExpressions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Support.Sla;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Routing;

public sealed record QueueInput(string Key, string Name, AssignmentStrategy Strategy, bool IsDefault);

public sealed record RuleInput(string Name, int Position, bool Enabled, string? Channel, string? Language, string? Keywords, string? Tier,
    long? MinLifetimeSpendMinor, Guid QueueId, string? Skill);

public sealed record AgentInput(string UserId, string Name, string? Queues, string? Skills, int Capacity);

public sealed record SlaPolicyInput(string Name, TicketPriority? Priority, string? Tier, int FirstResponseMinutes, int NextResponseMinutes,
    int ResolutionMinutes, int WarnBeforeMinutes, bool PauseOnHold, bool RaisePriorityOnBreach, bool ReassignOnBreach, string? SupervisorEmail);

/// <summary>What admins configure: queues, routing rules, agents' queues, skills and capacity, SLA policies and the business calendar.</summary>
public sealed partial class SupportSetup(CentricDbContext db)
{
    public Task<List<SupportQueue>> QueuesAsync(CancellationToken ct) => db.SupportQueues.AsNoTracking().OrderBy(q => q.Key).ToListAsync(ct);

    public Task<List<RoutingRule>> RulesAsync(CancellationToken ct) => db.RoutingRules.AsNoTracking().OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(ct);

    public Task<List<SupportAgent>> AgentsAsync(CancellationToken ct) => db.SupportAgents.AsNoTracking().OrderBy(a => a.Name).ToListAsync(ct);

    public Task<List<SlaPolicy>> PoliciesAsync(CancellationToken ct) => db.SlaPolicies.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);

    public async Task<BusinessCalendar> CalendarAsync(CancellationToken ct) => await db.BusinessCalendars.AsNoTracking().FirstOrDefaultAsync(ct) ?? new BusinessCalendar();

    public async Task<SupportQueue> SaveQueueAsync(QueueInput input, CancellationToken ct)
    {
        var key = (input.Key ?? "").Trim().ToLowerInvariant();
        if (!KeyPattern().IsMatch(key)) throw RequestValidationException.For("key", "Lower-case letters, digits and dashes, at most 40.");
        var name = Required(input.Name, 100, "name");
        var queue = await db.SupportQueues.FirstOrDefaultAsync(q => q.Key == key, ct);
        if (queue is null) db.SupportQueues.Add(queue = new SupportQueue { Key = key, Name = name });
        (queue.Name, queue.Strategy, queue.IsDefault) = (name, input.Strategy, input.IsDefault);
        // One default queue: the newest choice wins.
        if (input.IsDefault) await db.SupportQueues.Where(q => q.IsDefault && q.Key != key).ExecuteUpdateAsync(s => s.SetProperty(q => q.IsDefault, false), ct);
        await db.SaveChangesAsync(ct);
        return queue;
    }

    public async Task<RoutingRule> SaveRuleAsync(Guid? id, RuleInput input, CancellationToken ct)
    {
        if (!await db.SupportQueues.AnyAsync(q => q.Id == input.QueueId, ct)) throw RequestValidationException.For("queueId", "Choose a queue.");
        if (input.Channel is { Length: > 0 } ch && ch.Length > 20) throw RequestValidationException.For("channel", "At most 20 characters.");
        if (input.MinLifetimeSpendMinor is < 0) throw RequestValidationException.For("minLifetimeSpend", "Zero or more.");
        var rule = id is { } existing ? await db.RoutingRules.FirstOrDefaultAsync(r => r.Id == existing, ct) : null;
        if (rule is null) db.RoutingRules.Add(rule = new RoutingRule { Name = "" });
        rule.Name = Required(input.Name, 100, "name");
        rule.Position = input.Position;
        rule.Enabled = input.Enabled;
        rule.Channel = Optional(input.Channel, 20)?.ToLowerInvariant();
        rule.Language = Optional(input.Language, 10)?.ToLowerInvariant();
        rule.Keywords = Optional(input.Keywords, 500);
        rule.Tier = Optional(input.Tier, 40)?.ToLowerInvariant();
        rule.MinLifetimeSpendMinor = input.MinLifetimeSpendMinor;
        rule.QueueId = input.QueueId;
        rule.Skill = Optional(input.Skill, 40)?.ToLowerInvariant();
        await db.SaveChangesAsync(ct);
        return rule;
    }

    public Task DeleteRuleAsync(Guid id, CancellationToken ct) => db.RoutingRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct);

    public async Task<SupportAgent> SaveAgentAsync(AgentInput input, CancellationToken ct)
    {
        if (input.Capacity is < 0 or > 500) throw RequestValidationException.For("capacity", "From 0 to 500 open tickets.");
        var agent = await db.SupportAgents.FirstOrDefaultAsync(a => a.UserId == input.UserId, ct);
        if (agent is null) db.SupportAgents.Add(agent = new SupportAgent { UserId = Required(input.UserId, 450, "userId"), Name = "" });
        agent.Name = Required(input.Name, 200, "name");
        agent.Queues = SupportAgent.Words(input.Queues);
        agent.Skills = SupportAgent.Words(input.Skills);
        agent.Capacity = input.Capacity;
        await db.SaveChangesAsync(ct);
        return agent;
    }

    public async Task<SlaPolicy> SavePolicyAsync(Guid? id, SlaPolicyInput input, CancellationToken ct)
    {
        foreach (var (field, minutes) in new[] { ("firstResponseMinutes", input.FirstResponseMinutes), ("nextResponseMinutes", input.NextResponseMinutes), ("resolutionMinutes", input.ResolutionMinutes) })
            if (minutes is < 1 or > 525_600) throw RequestValidationException.For(field, "From 1 minute to a year.");
        if (input.WarnBeforeMinutes is < 0 or > 10_080) throw RequestValidationException.For("warnBeforeMinutes", "From 0 to a week.");
        var email = Optional(input.SupervisorEmail, 320);
        if (email is not null && !System.Net.Mail.MailAddress.TryCreate(email, out _)) throw RequestValidationException.For("supervisorEmail", "An email address.");
        var policy = id is { } existing ? await db.SlaPolicies.FirstOrDefaultAsync(p => p.Id == existing, ct) : null;
        if (policy is null) db.SlaPolicies.Add(policy = new SlaPolicy { Name = "" });
        policy.Name = Required(input.Name, 100, "name");
        (policy.Priority, policy.Tier) = (input.Priority, Optional(input.Tier, 40)?.ToLowerInvariant());
        (policy.FirstResponseMinutes, policy.NextResponseMinutes, policy.ResolutionMinutes, policy.WarnBeforeMinutes) =
            (input.FirstResponseMinutes, input.NextResponseMinutes, input.ResolutionMinutes, input.WarnBeforeMinutes);
        (policy.PauseOnHold, policy.RaisePriorityOnBreach, policy.ReassignOnBreach, policy.SupervisorEmail) =
            (input.PauseOnHold, input.RaisePriorityOnBreach, input.ReassignOnBreach, email);
        await db.SaveChangesAsync(ct);
        return policy;
    }

    public Task DeletePolicyAsync(Guid id, CancellationToken ct) => db.SlaPolicies.Where(p => p.Id == id).ExecuteDeleteAsync(ct);

    /// <summary>Saves the business calendar after checking it parses (time zone, hours, holidays).</summary>
    public async Task SaveCalendarAsync(string timeZone, string hours, string? holidays, CancellationToken ct)
    {
        try { BusinessHours.Parse(timeZone ?? "", hours ?? "", holidays); }
        catch (FormatException e) { throw RequestValidationException.For("calendar", e.Message); }
        if (hours!.Length > 500 || (holidays?.Length ?? 0) > 4000) throw RequestValidationException.For("calendar", "Too long.");
        var calendar = await db.BusinessCalendars.FirstOrDefaultAsync(ct);
        if (calendar is null) db.BusinessCalendars.Add(calendar = new BusinessCalendar());
        (calendar.TimeZone, calendar.Hours, calendar.Holidays) = (timeZone!.Trim(), hours.Trim(), (holidays ?? "").Trim());
        await db.SaveChangesAsync(ct);
    }

    private static string Required(string? value, int max, string field) =>
        value?.Trim() is { Length: > 0 } v && v.Length <= max ? v : throw RequestValidationException.For(field, $"Required, at most {max} characters.");

    private static string? Optional(string? value, int max) =>
        string.IsNullOrWhiteSpace(value) ? null : value.Trim().Length <= max ? value.Trim() : value.Trim()[..max];

    [GeneratedRegex("^[a-z0-9-]{1,40}$")]
    private static partial Regex KeyPattern();
}
