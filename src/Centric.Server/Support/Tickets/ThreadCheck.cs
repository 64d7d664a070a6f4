using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Tickets;

/// <summary>
/// Stops an agent's reply from going out blindly when the thread moved on after the agent opened it: the customer wrote again
/// or a colleague answered or left a note. The page then shows what is new and the agent decides whether to send.
/// </summary>
public sealed class ThreadCheck(CentricDbContext db)
{
    /// <summary>Messages after <paramref name="seenSequence"/> that someone other than <paramref name="userId"/> wrote, oldest first.</summary>
    public Task<List<TicketMessage>> NewerAsync(Guid ticketId, long seenSequence, string? userId, CancellationToken ct) =>
        db.TicketMessages.AsNoTracking()
            .Where(m => m.TicketId == ticketId && m.Sequence > seenSequence && (userId == null || m.AuthorUserId == null || m.AuthorUserId != userId))
            .OrderBy(m => m.Sequence).ToListAsync(ct);

    public async Task EnsureCurrentAsync(Ticket ticket, long seenSequence, string? userId, CancellationToken ct)
    {
        var newer = await NewerAsync(ticket.Id, seenSequence, userId, ct);
        if (newer.Count == 0) return;
        var who = string.Join(", ", newer.Select(m => m.AuthorName).Distinct());
        throw new DomainException("ticket-thread-changed",
            $"Not sent: {newer.Count} new message{(newer.Count == 1 ? "" : "s")} from {who} arrived since you opened the ticket. Read {(newer.Count == 1 ? "it" : "them")} below, then send again.");
    }
}
