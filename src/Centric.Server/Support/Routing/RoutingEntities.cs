namespace Centric.Server.Support.Routing;

public enum AssignmentStrategy { RoundRobin = 0, LeastLoaded = 1 }

public enum AgentPresence { Offline = 0, Away = 1, Online = 2 }

/// <summary>A line of work that agents take tickets from, e.g. "general" or "priority" for VIP customers.</summary>
// "Queue" is the support team's word for it; the type is an entity, not a collection, which is what CA1711 guards against.
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711:Identifiers should not have incorrect suffix", Justification = "Business term, not a collection.")]
public sealed class SupportQueue
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    /// <summary>Short lower-case key agents are listed under ("priority").</summary>
    public required string Key { get; set; }
    public required string Name { get; set; }
    public AssignmentStrategy Strategy { get; set; }
    /// <summary>Tickets no rule claims land here.</summary>
    public bool IsDefault { get; set; }
    /// <summary>Round-robin position: the agent who got the last ticket.</summary>
    public string? LastAssignedUserId { get; set; }
}

/// <summary>
/// "When a ticket matches all of these conditions, put it in this queue (and require this skill)". Rules are tried in
/// <see cref="Position"/> order; the first match wins. Empty conditions match anything.
/// </summary>
public sealed class RoutingRule
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public int Position { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;
    public string? Channel { get; set; }
    /// <summary>The customer's language (profile trait "language", or the first two letters of "locale").</summary>
    public string? Language { get; set; }
    /// <summary>Words separated by commas; any of them in the subject or first message matches.</summary>
    public string? Keywords { get; set; }
    /// <summary>The customer's "tier" trait, e.g. "vip".</summary>
    public string? Tier { get; set; }
    /// <summary>Customers who have spent at least this much (paid orders, in minor units of any currency) match.</summary>
    public long? MinLifetimeSpendMinor { get; set; }
    public Guid QueueId { get; set; }
    /// <summary>Only agents with this skill take the ticket.</summary>
    public string? Skill { get; set; }
}

/// <summary>A staff member who works tickets: their queues, skills, how many open tickets they can hold, and presence.</summary>
public sealed class SupportAgent
{
    public required string UserId { get; set; }
    public required string Name { get; set; }
    /// <summary>Queue keys separated by spaces.</summary>
    public string Queues { get; set; } = "";
    /// <summary>Lower-case skills separated by spaces ("billing spanish").</summary>
    public string Skills { get; set; } = "";
    /// <summary>Most open tickets assigned at once.</summary>
    public int Capacity { get; set; } = 10;
    public AgentPresence Presence { get; set; }
    /// <summary>Last sign of life in the console; an online agent not seen for Support:Automation:PresenceTimeout counts as away.</summary>
    public DateTime? LastSeenAt { get; set; }
    public DateTime? LastAssignedAt { get; set; }

    public bool InQueue(string key) => Queues.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(key, StringComparer.Ordinal);

    public bool HasSkill(string? skill) => skill is null || Skills.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(skill, StringComparer.Ordinal);

    public bool IsAvailable(DateTime now, TimeSpan timeout) => Presence == AgentPresence.Online && LastSeenAt is { } seen && now - seen <= timeout;

    public static string Words(string? text) =>
        string.Join(' ', (text ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(w => w.ToLowerInvariant()).Distinct().Take(30));
}
