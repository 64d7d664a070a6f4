namespace Centric.Server.Engagement.Segments;

/// <summary>Rule: membership follows a rule and is kept current. Static: a list staff upload or edit; nobody joins or leaves by themselves.</summary>
public enum SegmentKind { Rule = 0, Static = 1 }

/// <summary>A named group of customers (engagement_segments): by rule, or a static list.</summary>
public sealed class Segment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    /// <summary>The name in lower case: unique, so two segments cannot be told apart only by case.</summary>
    public required string NameKey { get; set; }
    public string? Description { get; set; }
    public SegmentKind Kind { get; set; }
    /// <summary>The rule as JSON (<see cref="SegmentRule"/>); null for a static list.</summary>
    public string? Rule { get; set; }
    /// <summary>The rule has a time window ("in the last 30 days"): the periodic re-evaluation looks at it.</summary>
    public bool TimeBased { get; set; }
    public int MemberCount { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>When the whole membership was last worked out again (rule segments).</summary>
    public DateTime? EvaluatedAt { get; set; }
    public string? CreatedBy { get; set; }
}

/// <summary>One customer in a segment (engagement_segment_members), since when.</summary>
public sealed class SegmentMember
{
    public Guid SegmentId { get; set; }
    public Guid ProfileId { get; set; }
    public DateTime EnteredAt { get; set; }
}
