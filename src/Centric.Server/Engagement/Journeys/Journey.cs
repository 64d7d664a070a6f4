namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// A journey: its draft (what the editor changes) and, once published, numbered versions. Customers walk the version they
/// entered on, so publishing a change never moves someone mid-walk.
/// </summary>
public sealed class Journey
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    /// <summary>Unique: the name folded for comparison.</summary>
    public string NameKey { get; set; } = "";
    public string Description { get; set; } = "";
    /// <summary>A journey shipped with the product ("abandoned_cart"); null for the business's own.</summary>
    public string? ShippedKey { get; set; }
    public string Status { get; set; } = JourneyStatus.Draft;
    /// <summary>The draft definition (JSON, <see cref="JourneyDefinition"/>).</summary>
    public string Draft { get; set; } = "{}";
    /// <summary>The version new customers enter; null until first published.</summary>
    public int? LiveVersion { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}

public static class JourneyStatus
{
    /// <summary>Never published: nobody enters.</summary>
    public const string Draft = "draft";
    /// <summary>Customers enter and walk.</summary>
    public const string Live = "live";
    /// <summary>Nobody enters and nobody moves on; waits fall due and are taken up when it is live again.</summary>
    public const string Paused = "paused";
}

public sealed class JourneyVersion
{
    public Guid JourneyId { get; set; }
    public int Version { get; set; }
    public string Definition { get; set; } = "{}";
    public DateTime PublishedAt { get; set; }
    public string? PublishedBy { get; set; }
}

/// <summary>One customer's walk through one version of a journey.</summary>
public sealed class JourneyRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid JourneyId { get; set; }
    public int Version { get; set; }
    public Guid ProfileId { get; set; }
    /// <summary>Unique per journey: what brought the customer in (an interaction id, a date, a stretch of inactivity), so it brings them in once.</summary>
    public string EntryKey { get; set; } = "";
    public string Status { get; set; } = JourneyRunStatus.Active;
    /// <summary>The step to run when <see cref="DueAt"/> comes (a wait_for step while <see cref="JourneyRunStatus.Waiting"/>).</summary>
    public string? StepId { get; set; }
    public DateTime? DueAt { get; set; }
    /// <summary>The split arm the customer was put in, if the journey splits.</summary>
    public string? Arm { get; set; }
    public DateTime EnteredAt { get; set; }
    public DateTime? EndedAt { get; set; }
    /// <summary>When the goal happened within the conversion window (while walking, or after, or in the holdout).</summary>
    public DateTime? ConvertedAt { get; set; }
    /// <summary>Failed attempts at the current step (a webhook that did not answer).</summary>
    public int Attempts { get; set; }
    /// <summary>Raised at every save: the stream and the runner never both move one walk from the same state.</summary>
    public int Revision { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
}

public static class JourneyRunStatus
{
    /// <summary>Walking: the runner takes the step at <see cref="JourneyRun.StepId"/> when <see cref="JourneyRun.DueAt"/> comes.</summary>
    public const string Active = "active";
    /// <summary>Waiting for an interaction until <see cref="JourneyRun.DueAt"/> (the timeout).</summary>
    public const string Waiting = "waiting";
    /// <summary>Walked to the end (or held out): still watched for the goal within the conversion window.</summary>
    public const string Completed = "completed";
    /// <summary>Taken out by the goal.</summary>
    public const string Goal = "goal";
    /// <summary>Left at an exit step, a wait's timeout without a branch, or because the customer was erased.</summary>
    public const string Exited = "exited";
    public static readonly string[] Open = [Active, Waiting];
}

/// <summary>One thing that happened to a walk at a step: the journey's report counts these.</summary>
public sealed class JourneyStepLog
{
    public long Id { get; set; }
    public Guid RunId { get; set; }
    public Guid JourneyId { get; set; }
    public int Version { get; set; }
    public string StepId { get; set; } = "";
    /// <summary><see cref="JourneyOutcomes"/>.</summary>
    public string Outcome { get; set; } = "";
    public DateTime At { get; set; }
}

public static class JourneyOutcomes
{
    public const string Done = "done", Sent = "sent", NoConsent = "no_consent", NoAddress = "no_address", Capped = "capped",
        Deferred = "quiet_hours", Yes = "yes", No = "no", Event = "event", TimedOut = "timed_out", Failed = "failed", Holdout = "holdout";
}

/// <summary>Work a journey hands to staff ("call this high-value customer"): listed in the console for the role it names.</summary>
public sealed class StaffTask
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Title { get; set; } = "";
    public Guid? ProfileId { get; set; }
    public string Role { get; set; } = "";
    /// <summary>What made it ("journey:{id}").</summary>
    public string Source { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime? DoneAt { get; set; }
    public string? DoneBy { get; set; }
}
