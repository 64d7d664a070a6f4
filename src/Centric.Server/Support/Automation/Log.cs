namespace Centric.Server.Support.Automation;

/// <summary>Support routing, SLA and automation log messages (event ids 5100–5199). Only ids, never personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Information, "Automatic step for ticket {Ticket} on {Type} skipped: {Reason}")]
    public static partial void AutomationSkipped(ILogger logger, string ticket, string type, string reason);

    [LoggerMessage(5101, LogLevel.Information, "Help sessions: {Sessions} made again from the timeline (deflection window {WindowHours} h)")]
    public static partial void HelpSessionsRebuilt(ILogger logger, int sessions, int windowHours);
}
