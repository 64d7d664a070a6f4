using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Support.Automation;

/// <summary>Settings of routing, SLA and automation (section Support:Automation).</summary>
public sealed class SupportAutomationOptions
{
    /// <summary>Runs the SLA sweep (warnings, escalations, waiting assignments, auto-close) in this process.</summary>
    public bool BackgroundJobs { get; set; } = true;
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>An online agent not seen in the console for this long counts as away.</summary>
    public TimeSpan PresenceTimeout { get; set; } = TimeSpan.FromMinutes(10);
    public bool AutoAcknowledge { get; set; } = true;
    public bool OutOfHoursAssistant { get; set; } = true;
    /// <summary>Lowest knowledge-base score the assistant answers with; below it a human takes over.</summary>
    [Range(1, 1000)]
    public int AssistantMinScore { get; set; } = 12;
    /// <summary>Solved tickets without activity for this many days are closed; 0 turns it off.</summary>
    [Range(0, 365)]
    public int AutoCloseAfterDays { get; set; } = 7;
    public bool CsatSurvey { get; set; } = true;
    /// <summary>A help-centre visit counts as deflected when the same profile opens no ticket within this many hours.</summary>
    [Range(1, 720)]
    public int DeflectionWindowHours { get; set; } = 24;
}
