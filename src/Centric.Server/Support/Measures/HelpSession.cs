namespace Centric.Server.Support.Measures;

/// <summary>
/// One help-centre session of a profile (docs/support.md, "Support measures"): its help events with less than the deflection
/// window between one and the next. Kept current from the stream by <see cref="HelpSessionSubscriber"/> so the deflection rate
/// counts rows instead of grouping every help event of a period on each load. No personal text: kept on erasure.
/// </summary>
public sealed class HelpSession
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>The first help event; the session belongs to the period this falls in.</summary>
    public DateTime StartedAt { get; set; }
    /// <summary>The last help event so far.</summary>
    public DateTime LastAt { get; set; }
    /// <summary>The profile opened a ticket from <see cref="StartedAt"/> until the window after <see cref="LastAt"/> (not deflected).</summary>
    public bool TicketFollowed { get; set; }
    /// <summary>The deflection window (hours) the session was made with: another configured window means the rows are made again.</summary>
    public int WindowHours { get; set; }
}
