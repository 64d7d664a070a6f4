namespace Centric.Server.Support.Chat;

/// <summary>Live chat and ticket presence log messages (event ids 5200–5299). Only ticket numbers, never personal data.</summary>
internal static partial class ChatLog
{
    [LoggerMessage(5200, LogLevel.Warning, "Live {Kind} push for ticket {Ticket} failed; what it said is stored and clients catch up when they resync")]
    public static partial void PushFailed(ILogger logger, Exception exception, string kind, string ticket);

    [LoggerMessage(5201, LogLevel.Warning, "Presence on ticket {TicketNumber} could not be shared with the other nodes; showing this node's viewers")]
    public static partial void PresenceUnshared(ILogger logger, Exception exception, string ticketNumber);
}
