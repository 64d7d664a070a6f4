using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Tickets;

/// <summary>
/// What a new message says and where it came from. <see cref="Author"/> is the staff user for outbound messages and notes;
/// <see cref="Automated"/> marks answers the product sends itself (the out-of-hours assistant), which are not an agent's first response.
/// </summary>
public sealed record NewMessage(MessageDirection Direction, string Channel, string AuthorName, string Text,
    string? Html = null, string? ExternalMessageId = null, string? Attachments = null, string? Author = null,
    int? CallSeconds = null, string? CallOutcome = null, string? Kind = null, string? ClientMessageId = null, string? CallRecordingUrl = null, Guid? Id = null, bool Automated = false);

public sealed record InboxQuery(string View = InboxViews.Open, string? UserId = null, string? Channel = null, TicketStatus? Status = null,
    TicketPriority? Priority = null, int Limit = 200);

public static class InboxViews
{
    public const string Unassigned = "unassigned";
    public const string Mine = "mine";
    public const string Open = "open";
}

/// <summary>
/// Tickets and their threads. Every change a customer would care about writes its interaction in the same
/// SaveChanges, on the customer's timeline with source "ticket" and the ticket number.
/// </summary>
public sealed class TicketService(CentricDbContext db, InteractionLog interactions, TimeProvider clock)
{
    public const int MaxText = 20_000;

    /// <summary>Opens a ticket with its first (inbound) message. Anything else the caller tracked (a new profile) commits with it.</summary>
    public async Task<Ticket> OpenAsync(Guid profileId, string subject, NewMessage first, string? orderNumber, CancellationToken ct, Guid? ticketId = null)
    {
        subject = Clean(subject, 300, "subject");
        var now = clock.GetUtcNow().UtcDateTime;
        var number = Ticket.NewNumber();
        while (await db.Tickets.AnyAsync(t => t.Number == number, ct)) number = Ticket.NewNumber();
        var ticket = new Ticket
        {
            Id = ticketId ?? Guid.CreateVersion7(), Number = number, ProfileId = profileId, Channel = first.Channel, Status = TicketStatus.New, Subject = subject,
            OrderNumber = string.IsNullOrWhiteSpace(orderNumber) ? null : orderNumber.Trim()[..Math.Min(orderNumber.Trim().Length, 20)],
            CreatedAt = now, UpdatedAt = now,
        };
        db.Tickets.Add(ticket);
        var message = Add(ticket, first, now);
        interactions.Append(db, profileId, InteractionTypes.TicketCreated, first.Channel,
            new TicketCreatedProperties(number, subject, first.Channel, ticket.Priority.ToString(), message.Id),
            sourceKind: "ticket", sourceId: number);
        await db.SaveChangesAsync(ct);
        return ticket;
    }

    /// <summary>
    /// Adds a message to the thread. A customer's message reopens a solved ticket; an agent's answer records the first response
    /// and, unless told otherwise, waits for the customer.
    /// </summary>
    public async Task<TicketMessage> AddMessageAsync(Ticket ticket, NewMessage m, CancellationToken ct, TicketStatus? then = null)
    {
        if (ticket.Status == TicketStatus.Closed)
            throw new DomainException("ticket-closed", $"Ticket {ticket.Number} is closed; open a new ticket instead.");
        var now = clock.GetUtcNow().UtcDateTime;
        var message = Add(ticket, m, now);
        var from = ticket.Status;
        switch (m.Direction)
        {
            case MessageDirection.Inbound:
                if (ticket.Status is TicketStatus.PendingCustomer or TicketStatus.Solved) ticket.MoveTo(TicketStatus.Open, now);
                interactions.Append(db, ticket.ProfileId, InteractionTypes.TicketMessageReceived, m.Channel,
                    new TicketMessageProperties(ticket.Number, message.Id), sourceKind: "ticket", sourceId: ticket.Number);
                break;
            case MessageDirection.Outbound:
                if (!m.Automated) ticket.FirstResponseAt ??= now;
                ticket.MoveTo(then ?? TicketStatus.PendingCustomer, now);
                interactions.Append(db, ticket.ProfileId, m.CallSeconds is null ? InteractionTypes.TicketReplied : InteractionTypes.TicketCallLogged, m.Channel,
                    new TicketReplyProperties(ticket.Number, message.Id, m.Author, m.CallSeconds, m.CallOutcome, m.Automated),
                    sourceKind: "ticket", sourceId: ticket.Number);
                break;
            default:
                if (then is { } status) ticket.MoveTo(status, now);
                break;
        }
        if (ticket.Status != from) StatusChanged(ticket, from, m.Author);
        ticket.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return message;
    }

    public async Task ChangeStatusAsync(Ticket ticket, TicketStatus to, string? by, CancellationToken ct)
    {
        if (ticket.Status == to) return;
        var from = ticket.Status;
        ticket.MoveTo(to, clock.GetUtcNow().UtcDateTime);
        StatusChanged(ticket, from, by);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Triage fields that stay inside the support team (no timeline entry).</summary>
    public async Task UpdateAsync(Ticket ticket, TicketPriority priority, TicketType type, string? assigneeUserId, string? tags, string? orderNumber, CancellationToken ct)
    {
        ticket.Priority = priority;
        ticket.Type = type;
        ticket.AssigneeUserId = string.IsNullOrWhiteSpace(assigneeUserId) ? null : assigneeUserId;
        ticket.SetTags(tags);
        ticket.OrderNumber = string.IsNullOrWhiteSpace(orderNumber) ? null : orderNumber.Trim()[..Math.Min(orderNumber.Trim().Length, 20)];
        ticket.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    public Task<Ticket?> FindAsync(string number, CancellationToken ct) =>
        db.Tickets.FirstOrDefaultAsync(t => t.Number == number, ct);

    /// <summary>A customer's own ticket; someone else's number is simply not found.</summary>
    public Task<Ticket?> FindOwnAsync(string number, Guid profileId, CancellationToken ct) =>
        db.Tickets.FirstOrDefaultAsync(t => t.Number == number && t.ProfileId == profileId, ct);

    public Task<List<Ticket>> ListOwnAsync(Guid profileId, CancellationToken ct) =>
        db.Tickets.AsNoTracking().Where(t => t.ProfileId == profileId).OrderByDescending(t => t.UpdatedAt).Take(100).ToListAsync(ct);

    /// <summary>The thread oldest first; customers never see internal notes.</summary>
    public Task<List<TicketMessage>> ThreadAsync(Guid ticketId, bool includeNotes, CancellationToken ct) =>
        db.TicketMessages.AsNoTracking().Where(m => m.TicketId == ticketId && (includeNotes || m.Direction != MessageDirection.Note))
            .OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).ToListAsync(ct);

    public Task<List<Ticket>> InboxAsync(InboxQuery q, CancellationToken ct)
    {
        var tickets = db.Tickets.AsNoTracking();
        tickets = q.Status is { } status ? tickets.Where(t => t.Status == status)
            : tickets.Where(t => t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed);
        if (q.View == InboxViews.Unassigned) tickets = tickets.Where(t => t.AssigneeUserId == null);
        if (q.View == InboxViews.Mine) tickets = tickets.Where(t => t.AssigneeUserId == q.UserId);
        if (!string.IsNullOrEmpty(q.Channel)) tickets = tickets.Where(t => t.Channel == q.Channel);
        if (q.Priority is { } priority) tickets = tickets.Where(t => t.Priority == priority);
        return tickets.OrderByDescending(t => t.Priority).ThenBy(t => t.UpdatedAt).Take(q.Limit).ToListAsync(ct);
    }

    /// <summary>Finds the ticket a message id belongs to (email threading).</summary>
    public async Task<Ticket?> FindByMessageIdsAsync(IReadOnlyCollection<string> messageIds, CancellationToken ct)
    {
        if (messageIds.Count == 0) return null;
        var ticketId = await db.TicketMessages.Where(m => m.ExternalMessageId != null && messageIds.Contains(m.ExternalMessageId))
            .OrderByDescending(m => m.CreatedAt).Select(m => (Guid?)m.TicketId).FirstOrDefaultAsync(ct);
        return ticketId is { } id ? await db.Tickets.FirstAsync(t => t.Id == id, ct) : null;
    }

    private TicketMessage Add(Ticket ticket, NewMessage m, DateTime now)
    {
        if (!SupportChannels.All.Contains(m.Channel)) throw RequestValidationException.For("channel", $"One of {string.Join(", ", SupportChannels.All)}.");
        var message = new TicketMessage
        {
            Id = m.Id ?? Guid.CreateVersion7(), TicketId = ticket.Id, ProfileId = ticket.ProfileId, Direction = m.Direction, Channel = m.Channel,
            AuthorUserId = m.Author, AuthorName = m.AuthorName.Trim()[..Math.Min(m.AuthorName.Trim().Length, 200)],
            BodyText = Clean(m.Text, MaxText, "text"), BodyHtml = m.Html, ExternalMessageId = m.ExternalMessageId, Attachments = m.Attachments,
            CallSeconds = m.CallSeconds, CallOutcome = m.CallOutcome, CallRecordingUrl = m.CallRecordingUrl,
            Kind = m.Kind ?? (m.CallSeconds is null ? null : MessageKinds.Call), ClientMessageId = m.ClientMessageId,
            // Unique per ticket: two writers racing on one thread collide here instead of sharing a number.
            Sequence = ++ticket.LastSequence, CreatedAt = now,
        };
        db.TicketMessages.Add(message);
        return message;
    }

    private void StatusChanged(Ticket ticket, TicketStatus from, string? by) =>
        interactions.Append(db, ticket.ProfileId, InteractionTypes.TicketStatusChanged, ticket.Channel,
            new TicketStatusChangedProperties(ticket.Number, from.ToString(), ticket.Status.ToString(), by),
            sourceKind: "ticket", sourceId: ticket.Number);

    private static string Clean(string? value, int max, string field)
    {
        var text = value?.Trim() ?? "";
        if (text.Length == 0) throw RequestValidationException.For(field, "Required.");
        return text.Length > max ? text[..max] : text;
    }
}
