using Centric.Server.Commerce.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Sla;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Routing;

/// <summary>
/// Puts tickets into queues by the routing rules and assigns them to available agents within their capacity.
/// A ticket is claimed for an agent with a conditional update (still unassigned), so two processes never assign it twice.
/// </summary>
public sealed class TicketRouter(CentricDbContext db, TimeProvider clock, IOptions<SupportAutomationOptions> options)
{
    private static readonly TicketStatus[] Done = [TicketStatus.Solved, TicketStatus.Closed];

    /// <summary>Chooses queue and skill for a new ticket from the first matching rule (else the default queue).</summary>
    public async Task RouteAsync(Ticket ticket, TicketWork work, string text, CancellationToken ct)
    {
        var traits = await new ProfileTraits(db).ReadAsync(ticket.ProfileId, ct);
        work.Tier = traits.GetValueOrDefault("tier") is { Length: > 0 and <= 40 } tier ? tier : null;
        var language = traits.GetValueOrDefault("language") ?? (traits.GetValueOrDefault("locale") is { Length: >= 2 } locale ? locale[..2] : null);
        long? spend = null;
        var haystack = (ticket.Subject + "\n" + text).ToLowerInvariant();
        foreach (var rule in await db.RoutingRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.Position).ThenBy(r => r.Name).ToListAsync(ct))
        {
            if (rule.Channel is { } channel && channel != ticket.Channel) continue;
            if (rule.Language is { } lang && !string.Equals(lang, language, StringComparison.OrdinalIgnoreCase)) continue;
            if (rule.Tier is { } wanted && !string.Equals(wanted, work.Tier, StringComparison.OrdinalIgnoreCase)) continue;
            if (rule.Keywords is { Length: > 0 } keywords && !keywords.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                    .Any(k => haystack.Contains(k.ToLowerInvariant(), StringComparison.Ordinal))) continue;
            if (rule.MinLifetimeSpendMinor is { } min && (spend ??= await new OrderLookup(db).LifetimeSpendMinorAsync(ticket.ProfileId, ct)) < min) continue;
            (work.QueueId, work.Skill, work.RuleName) = (rule.QueueId, rule.Skill, rule.Name);
            return;
        }
        work.QueueId = await db.SupportQueues.Where(q => q.IsDefault).OrderBy(q => q.Key).Select(q => (Guid?)q.Id).FirstOrDefaultAsync(ct);
        (work.Skill, work.RuleName) = (null, null);
    }

    /// <summary>
    /// Assigns an unassigned ticket to an available agent of its queue with the skill and room under their capacity,
    /// round-robin or least-loaded as the queue says. <paramref name="except"/> is skipped (reassignment). Returns the agent or null.
    /// </summary>
    public async Task<string?> AssignAsync(Ticket ticket, TicketWork work, CancellationToken ct, string? except = null)
    {
        if (work.QueueId is not { } queueId || !ticket.IsOpen) return null;
        var queue = await db.SupportQueues.FirstOrDefaultAsync(q => q.Id == queueId, ct);
        if (queue is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var timeout = options.Value.PresenceTimeout;
        var agents = (await db.SupportAgents.Where(a => a.Presence == AgentPresence.Online).ToListAsync(ct))
            .Where(a => a.UserId != except && a.InQueue(queue.Key) && a.HasSkill(work.Skill) && a.IsAvailable(now, timeout))
            .OrderBy(a => a.UserId, StringComparer.Ordinal).ToList();
        if (agents.Count == 0) return null;
        var ids = agents.Select(a => a.UserId).ToList();
        var load = await db.Tickets.Where(t => t.AssigneeUserId != null && ids.Contains(t.AssigneeUserId) && !Done.Contains(t.Status))
            .GroupBy(t => t.AssigneeUserId!).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, ct);
        var open = agents.Where(a => load.GetValueOrDefault(a.UserId) < a.Capacity).ToList();
        if (open.Count == 0) return null;
        var agent = queue.Strategy == AssignmentStrategy.LeastLoaded
            ? open.OrderBy(a => load.GetValueOrDefault(a.UserId)).ThenBy(a => a.LastAssignedAt ?? DateTime.MinValue).ThenBy(a => a.UserId, StringComparer.Ordinal).First()
            : open.FirstOrDefault(a => string.CompareOrdinal(a.UserId, queue.LastAssignedUserId) > 0) ?? open[0];

        var previous = ticket.AssigneeUserId;
        var claimed = await db.Tickets.Where(t => t.Id == ticket.Id && t.AssigneeUserId == previous)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.AssigneeUserId, agent.UserId), ct);
        if (claimed != 1) return null;
        // The claim was written behind the change tracker's back; tell it so a later save does not undo it.
        var entry = db.Entry(ticket).Property(t => t.AssigneeUserId);
        (entry.CurrentValue, entry.OriginalValue) = (agent.UserId, agent.UserId);
        queue.LastAssignedUserId = agent.UserId;
        agent.LastAssignedAt = now;
        await db.SaveChangesAsync(ct);
        return agent.UserId;
    }

    /// <summary>Assigns waiting (unassigned, queued) tickets, most urgent and oldest first. Runs when an agent becomes available and on every sweep.</summary>
    public async Task<int> AssignWaitingAsync(CancellationToken ct, int limit = 100)
    {
        var waiting = await db.TicketWork.Where(w => w.QueueId != null)
            .Join(db.Tickets, w => w.TicketId, t => t.Id, (w, t) => new { w, t })
            .Where(x => x.t.AssigneeUserId == null && !Done.Contains(x.t.Status))
            .OrderByDescending(x => x.t.Priority).ThenBy(x => x.t.CreatedAt).Take(limit).ToListAsync(ct);
        var assigned = 0;
        foreach (var x in waiting)
            if (await AssignAsync(x.t, x.w, ct) is not null) assigned++;
        return assigned;
    }

    /// <summary>Sets an agent's presence (creating their agent record on first use); going online picks up waiting tickets.</summary>
    public async Task<SupportAgent> SetPresenceAsync(string userId, string name, AgentPresence presence, CancellationToken ct)
    {
        var agent = await db.SupportAgents.FirstOrDefaultAsync(a => a.UserId == userId, ct);
        if (agent is null)
        {
            agent = new SupportAgent { UserId = userId, Name = name.Length > 200 ? name[..200] : name };
            db.SupportAgents.Add(agent);
        }
        agent.Presence = presence;
        agent.LastSeenAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        if (presence == AgentPresence.Online) await AssignWaitingAsync(ct);
        return agent;
    }

    /// <summary>Records that an agent is looking at the console (keeps "online" from timing out).</summary>
    public Task TouchAsync(string userId, CancellationToken ct) =>
        db.SupportAgents.Where(a => a.UserId == userId).ExecuteUpdateAsync(s => s.SetProperty(a => a.LastSeenAt, clock.GetUtcNow().UtcDateTime), ct);

    public Task<SupportAgent?> AgentAsync(string userId, CancellationToken ct) => db.SupportAgents.AsNoTracking().FirstOrDefaultAsync(a => a.UserId == userId, ct);
}
