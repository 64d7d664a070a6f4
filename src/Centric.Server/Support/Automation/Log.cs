namespace Centric.Server.Support.Automation;

/// <summary>Support routing, SLA and automation log messages (event ids 5100–5199). Only ids, never personal data.</summary>
internal static partial class Log
{
    [LoggerMessage(5100, LogLevel.Information, "Automatic step for ticket {Ticket} on {Type} skipped: {Reason}")]
    public static partial void AutomationSkipped(ILogger logger, string ticket, string type, string reason);
}
