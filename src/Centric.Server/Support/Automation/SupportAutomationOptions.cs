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
    /// <summary>
    /// Share of the question's searchable words the best article must contain for the assistant to answer with it (the same
    /// on SQLite and PostgreSQL, whose search scores are not comparable); below it a human takes over.
    /// </summary>
    [Range(0.0, 1.0)]
    public double AssistantMinConfidence { get; set; } = 0.5;
    /// <summary>Solved tickets without activity for this many days are closed; 0 turns it off.</summary>
    [Range(0, 365)]
    public int AutoCloseAfterDays { get; set; } = 7;
    public bool CsatSurvey { get; set; } = true;
    /// <summary>A help-centre visit counts as deflected when the same profile opens no ticket within this many hours.</summary>
    [Range(1, 720)]
    public int DeflectionWindowHours { get; set; } = 24;
}
