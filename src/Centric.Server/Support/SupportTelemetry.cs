using Centric.Server.Platform.Observability;
using Centric.Server.Support.Email;

namespace Centric.Server.Support;

/// <summary>
/// The message path's log lines and counters: every inbound email, SMS or social message that reaches a ticket. Ticket
/// numbers and channels only, never addresses or text (event ids 5000–5099).
/// </summary>
public sealed partial class SupportTelemetry(ILogger<SupportTelemetry> logger, CentricMetrics metrics)
{
    public void InboundReceived(string channel, InboundResult result)
    {
        metrics.InboundMessage(channel);
        LogInbound(channel, result.TicketNumber, result.Created, result.Duplicate);
    }

    [LoggerMessage(5000, LogLevel.Information, "Inbound {Channel} message on ticket {TicketNumber} (new ticket: {Created}, duplicate: {Duplicate})")]
    private partial void LogInbound(string channel, string ticketNumber, bool created, bool duplicate);
}
