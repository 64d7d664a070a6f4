using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Chat;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Tickets;

public sealed record MergeResult(string TicketNumber, int MessagesMoved);

public sealed record SplitResult(string TicketNumber, int MessagesMoved);

/// <summary>
/// Merging two tickets of one customer into one thread, and splitting part of a thread off into a new ticket.
/// Messages keep their ids and email Message-IDs, so replies to any of them thread into wherever the message now lives.
/// </summary>
public sealed class TicketMerges(CentricDbContext db, InteractionLog interactions, TimeProvider clock)
{
    /// <summary>
    /// Moves every message of <paramref name="sourceNumber"/> into <paramref name="targetNumber"/> and closes the source with a note
    /// pointing at the target. Moved messages are appended after the target's last sequence in their time order: live clients
    /// of the target keep the numbers they have seen, and the thread (read by time) shows everything in the order it happened.
    /// </summary>
    public async Task<MergeResult> MergeAsync(string sourceNumber, string targetNumber, string? agentUserId, string agentName, CancellationToken ct)
    {
        var source = await FindAsync(sourceNumber, ct);
        var target = await FindAsync(targetNumber, ct);
        if (source.Id == target.Id) throw new DomainException("ticket-merge-same", "A ticket cannot be merged into itself.");
        // Threads of different people never mix: one customer would see the other's messages in the portal.
        if (source.ProfileId != target.ProfileId)
            throw new DomainException("ticket-merge-other-customer", $"{source.Number} and {target.Number} belong to different customers; only one customer's tickets can be merged.");
        foreach (var t in new[] { source, target })
            if (t.Status == TicketStatus.Closed) throw new DomainException("ticket-closed", $"Ticket {t.Number} is closed; it cannot be merged.");

        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var moving = await db.TicketMessages.Where(m => m.TicketId == source.Id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Sequence).ThenBy(m => m.Id).ToListAsync(ct);
        foreach (var m in moving)
        {
            m.TicketId = target.Id;
            m.Sequence = ++target.LastSequence;
        }
        await db.ChatAttachments.Where(a => a.TicketId == source.Id).ExecuteUpdateAsync(u => u.SetProperty(a => a.TicketId, target.Id), ct);
        // The customer's live chat carries on in the target when the target has no chat of its own.
        if (await db.ChatConversations.FirstOrDefaultAsync(c => c.TicketId == source.Id, ct) is { } chat
            && !await db.ChatConversations.AnyAsync(c => c.TicketId == target.Id, ct))
        {
            db.ChatConversations.Remove(chat);
            db.ChatConversations.Add(new ChatConversation
            {
                TicketId = target.Id, ProfileId = chat.ProfileId, VisitorId = chat.VisitorId, CustomerReadSequence = target.LastSequence,
                AgentReadSequence = target.LastSequence, CreatedAt = chat.CreatedAt, UpdatedAt = now,
            });
        }

        target.FirstResponseAt = Earliest(target.FirstResponseAt, source.FirstResponseAt);
        target.OrderNumber ??= source.OrderNumber;
        target.SetTags(target.Tags + " " + source.Tags);
        if (source.Priority > target.Priority) target.Priority = source.Priority;
        target.UpdatedAt = now;
        Note(target, $"Merged {source.Number} into this ticket ({Messages(moving.Count)}): {source.Subject}", agentUserId, agentName, now);

        var from = source.Status;
        source.MergedIntoTicketId = target.Id;
        source.MoveTo(TicketStatus.Closed, now);
        Note(source, $"Merged into {target.Number}.", agentUserId, agentName, now);

        interactions.Append(db, source.ProfileId, InteractionTypes.TicketMerged, source.Channel,
            new TicketMergedProperties(source.Number, target.Number, moving.Count, agentUserId),
            sourceKind: "ticket", sourceId: source.Number);
        interactions.Append(db, source.ProfileId, InteractionTypes.TicketStatusChanged, source.Channel,
            new TicketStatusChangedProperties(source.Number, from.ToString(), source.Status.ToString(), agentUserId),
            sourceKind: "ticket", sourceId: source.Number);
        await SaveAsync(ct);
        await tx.CommitAsync(ct);
        return new MergeResult(target.Number, moving.Count);
    }

    /// <summary>
    /// Moves some messages of a ticket into a new ticket for the same customer: <paramref name="messageIds"/>, or when that is empty
    /// every message from <paramref name="fromMessageId"/> on. At least one message stays behind.
    /// </summary>
    public async Task<SplitResult> SplitAsync(string sourceNumber, IReadOnlyCollection<Guid> messageIds, Guid? fromMessageId, string? subject,
        string? agentUserId, string agentName, CancellationToken ct)
    {
        var source = await FindAsync(sourceNumber, ct);
        if (source.Status == TicketStatus.Closed) throw new DomainException("ticket-closed", $"Ticket {source.Number} is closed; it cannot be split.");
        var thread = await db.TicketMessages.Where(m => m.TicketId == source.Id).OrderBy(m => m.CreatedAt).ThenBy(m => m.Sequence).ThenBy(m => m.Id).ToListAsync(ct);
        List<TicketMessage> moving;
        if (messageIds.Count > 0)
        {
            if (messageIds.Any(id => thread.All(m => m.Id != id))) throw RequestValidationException.For("messageIds", "Messages of this ticket.");
            moving = [.. thread.Where(m => messageIds.Contains(m.Id))];
        }
        else if (fromMessageId is { } start)
        {
            var at = thread.FindIndex(m => m.Id == start);
            if (at < 0) throw RequestValidationException.For("fromMessageId", "A message of this ticket.");
            moving = thread[at..];
        }
        else throw RequestValidationException.For("messageIds", "Choose the messages to split off, or the message to split from.");
        if (moving.Count == thread.Count) throw RequestValidationException.For("messageIds", "At least one message must stay on the ticket.");

        var now = clock.GetUtcNow().UtcDateTime;
        var title = string.IsNullOrWhiteSpace(subject) ? $"{source.Subject} (split from {source.Number})" : subject.Trim();
        var number = Ticket.NewNumber();
        while (await db.Tickets.AnyAsync(t => t.Number == number, ct)) number = Ticket.NewNumber();
        var first = moving.FirstOrDefault(m => m.Direction != MessageDirection.Note) ?? moving[0];
        var created = new Ticket
        {
            Number = number, ProfileId = source.ProfileId, Channel = first.Channel, Status = TicketStatus.Open, Priority = source.Priority, Type = source.Type,
            Tags = source.Tags, OrderNumber = source.OrderNumber, Subject = title[..Math.Min(title.Length, 300)],
            // Measured from when the customer first asked, not from when an agent noticed the thread held two questions.
            CreatedAt = moving[0].CreatedAt, UpdatedAt = now,
            FirstResponseAt = moving.Where(m => m.Direction == MessageDirection.Outbound).Select(m => (DateTime?)m.CreatedAt).FirstOrDefault(),
        };
        db.Tickets.Add(created);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var m in moving)
        {
            m.TicketId = created.Id;
            m.Sequence = ++created.LastSequence;
        }
        var ids = moving.Select(m => m.Id).ToList();
        // The new ticket row must exist before attachments point at it.
        await SaveAsync(ct);
        await db.ChatAttachments.Where(a => ids.Contains(a.MessageId)).ExecuteUpdateAsync(u => u.SetProperty(a => a.TicketId, created.Id), ct);
        var remaining = thread.Except(moving).ToList();
        source.FirstResponseAt = remaining.Where(m => m.Direction == MessageDirection.Outbound).Select(m => (DateTime?)m.CreatedAt).FirstOrDefault();
        source.UpdatedAt = now;
        Note(source, $"Split {Messages(moving.Count)} off into {created.Number}.", agentUserId, agentName, now);
        Note(created, $"Split from {source.Number}.", agentUserId, agentName, now);
        interactions.Append(db, source.ProfileId, InteractionTypes.TicketCreated, created.Channel,
            new TicketCreatedProperties(created.Number, created.Subject, created.Channel, created.Priority.ToString(), SplitFromTicketNumber: source.Number),
            sourceKind: "ticket", sourceId: created.Number);
        await SaveAsync(ct);
        await tx.CommitAsync(ct);
        return new SplitResult(created.Number, moving.Count);
    }

    /// <summary>The ticket a message for <paramref name="ticket"/> belongs in: itself, or the ticket it was merged into.</summary>
    public static async Task<Ticket> LiveTicketAsync(CentricDbContext db, Ticket ticket, CancellationToken ct)
    {
        for (var hops = 0; ticket.MergedIntoTicketId is { } next && hops < 20; hops++)
            ticket = await db.Tickets.FirstAsync(t => t.Id == next, ct);
        return ticket;
    }

    public Task<string?> NumberOfAsync(Guid ticketId, CancellationToken ct) =>
        db.Tickets.Where(t => t.Id == ticketId).Select(t => t.Number).FirstOrDefaultAsync(ct);

    private async Task<Ticket> FindAsync(string number, CancellationToken ct)
    {
        var key = (number ?? "").Trim().ToUpperInvariant();
        return await db.Tickets.FirstOrDefaultAsync(t => t.Number == key, ct)
            ?? throw new DomainException("ticket-not-found", $"No ticket {number}.", StatusCodes.Status404NotFound);
    }

    private void Note(Ticket ticket, string text, string? agentUserId, string agentName, DateTime now) =>
        db.TicketMessages.Add(new TicketMessage
        {
            TicketId = ticket.Id, ProfileId = ticket.ProfileId, Direction = MessageDirection.Note, Channel = SupportChannels.Web,
            AuthorUserId = agentUserId, AuthorName = agentName, BodyText = text, Sequence = ++ticket.LastSequence, CreatedAt = now,
        });

    /// <summary>A message written to either ticket meanwhile takes a sequence number this change also wanted: the agent tries again.</summary>
    private async Task SaveAsync(CancellationToken ct)
    {
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            throw new DomainException("ticket-busy", "The ticket changed while this was saved; nothing was moved. Try again.");
        }
    }

    public static string Messages(int count) => count == 1 ? "1 message" : $"{count} messages";

    private static DateTime? Earliest(DateTime? a, DateTime? b) => a is null ? b : b is null ? a : a < b ? a : b;
}
