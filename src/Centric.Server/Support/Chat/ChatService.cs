using System.Text.RegularExpressions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Chat;

/// <summary>
/// Who is on the customer's side of a chat: a signed-in customer's profile, a widget visitor's id, or both
/// (a visitor who has signed in on this device). They only ever reach conversations holding one of these.
/// </summary>
public sealed record ChatParticipant(Guid? ProfileId, string? VisitorId)
{
    public string Key => ProfileId is { } p ? "p:" + p : "v:" + VisitorId;
}

public sealed record ChatFile(Guid Id, string FileName, string ContentType, long Size);

/// <summary>One message as live clients see it. <see cref="From"/> is customer, agent or note (agents only).</summary>
public sealed record ChatMessageView(long Sequence, Guid Id, string? ClientMessageId, string From, string? Kind, string Channel,
    string Author, string Text, DateTime At, ChatFile? Attachment, int? CallSeconds, string? CallOutcome, string? RecordingUrl);

/// <summary>A conversation from <see cref="ChatState.AfterSequence"/> on, with both sides' read positions.</summary>
public sealed record ChatState(string? TicketNumber, string? Status, long AfterSequence, IReadOnlyList<ChatMessageView> Messages,
    long CustomerReadSequence, long AgentReadSequence);

/// <summary>The telephony provider's record of one call.</summary>
public sealed record CallRecord(string? CallId, string? From, string? To, int? DurationSeconds, string? Outcome, string? RecordingUrl,
    string? Reference, string? Notes);

public sealed record CallResult(string TicketNumber, bool Duplicate);

/// <summary>
/// Web chat on top of tickets: a chat is a ticket on the <c>chat</c> channel whose messages carry a per-ticket
/// sequence (clients resume after the last one they saw) and the client's own message id (a resend is not stored
/// twice). Calls and call-back requests join the same thread. Every change is pushed to both sides through
/// <see cref="ChatRelay"/> after it is stored.
/// </summary>
public sealed partial class ChatService(CentricDbContext db, TicketService tickets, ICustomerDirectory customers, InteractionLog interactions,
    TimeProvider clock, ChatRelay relay)
{
    public const int MaxChatText = 4_000;
    public const int HistoryLimit = 500;

    [GeneratedRegex("^[A-Za-z0-9_-]{8,64}$")]
    private static partial Regex ClientIdShape();

    [GeneratedRegex(@"^\+?[0-9 ()-]{6,24}$")]
    private static partial Regex PhoneShape();

    /// <summary>The participant's open conversation (or the named one, if it is theirs), after linking a visitor who has signed in.</summary>
    public async Task<ChatConversation?> FindAsync(ChatParticipant who, string? ticketNumber, CancellationToken ct)
    {
        await LinkSignedInVisitorAsync(who, ct);
        var mine = db.ChatConversations.Where(c => (who.VisitorId != null && c.VisitorId == who.VisitorId) || (who.ProfileId != null && c.ProfileId == who.ProfileId));
        if (ticketNumber is not null)
        {
            return await mine.Join(db.Tickets.Where(t => t.Number == ticketNumber), c => c.TicketId, t => t.Id, (c, t) => c).FirstOrDefaultAsync(ct)
                ?? throw new DomainException("chat-not-found", "No such conversation.", StatusCodes.Status404NotFound);
        }
        return await mine.Join(db.Tickets.Where(t => t.Status != TicketStatus.Closed), c => c.TicketId, t => t.Id, (c, t) => c)
            .OrderByDescending(c => c.UpdatedAt).FirstOrDefaultAsync(ct);
    }

    public async Task<ChatState> ResumeAsync(ChatParticipant who, string? ticketNumber, long afterSequence, CancellationToken ct)
    {
        var conversation = await FindAsync(who, ticketNumber, ct);
        if (conversation is null) return new ChatState(null, null, afterSequence, [], 0, 0);
        return await StateAsync(conversation, afterSequence, forAgent: false, ct);
    }

    public async Task<ChatState> StateAsync(ChatConversation conversation, long afterSequence, bool forAgent, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().FirstAsync(t => t.Id == conversation.TicketId, ct);
        var messages = await db.TicketMessages.AsNoTracking()
            .Where(m => m.TicketId == conversation.TicketId && m.Sequence > afterSequence && (forAgent || m.Direction != MessageDirection.Note))
            .OrderBy(m => m.Sequence).Take(HistoryLimit).ToListAsync(ct);
        var files = await FilesAsync(messages.Select(m => m.Id).ToList(), ct);
        return new ChatState(ticket.Number, forAgent ? TicketText.Status(ticket.Status) : TicketText.ForCustomer(ticket.Status), afterSequence,
            [.. messages.Select(m => View(m, files.GetValueOrDefault(m.Id)))], conversation.CustomerReadSequence, conversation.AgentReadSequence);
    }

    /// <summary>The customer writes. The first message opens the chat ticket; a resent client id answers the stored message.</summary>
    public Task<ChatMessageView> SendAsync(ChatParticipant who, string clientMessageId, string text, CancellationToken ct) =>
        CustomerMessageAsync(who, clientMessageId, text, null, null, ct);

    /// <summary>The customer asks to be called back; the request joins the thread for the agent to act on.</summary>
    public Task<ChatMessageView> RequestCallbackAsync(ChatParticipant who, string clientMessageId, string phone, string? preferredTime, CancellationToken ct)
    {
        phone = (phone ?? "").Trim();
        if (!PhoneShape().IsMatch(phone)) throw RequestValidationException.For("phone", "A phone number, digits with an optional leading +.");
        var when = string.IsNullOrWhiteSpace(preferredTime) ? "as soon as possible" : preferredTime.Trim()[..Math.Min(preferredTime.Trim().Length, 100)];
        return CustomerMessageAsync(who, clientMessageId, $"Please call me back on {phone}, {when}.", MessageKinds.CallbackRequest, null, ct);
    }

    public Task<ChatMessageView> SendFileAsync(ChatParticipant who, string clientMessageId, string? text, ChatUpload file, CancellationToken ct) =>
        CustomerMessageAsync(who, clientMessageId, string.IsNullOrWhiteSpace(text) ? "Sent a file: " + file.FileName : text, MessageKinds.Attachment, file, ct);

    private async Task<ChatMessageView> CustomerMessageAsync(ChatParticipant who, string clientMessageId, string text, string? kind, ChatUpload? file, CancellationToken ct)
    {
        CheckClientId(clientMessageId);
        text = (text ?? "").Trim();
        if (text.Length == 0) throw RequestValidationException.For("text", "Required.");
        if (text.Length > MaxChatText) throw RequestValidationException.For("text", $"At most {MaxChatText} characters.");
        var (view, ticket, conversation, fresh) = await RetryAsync(async () =>
        {
            var conversation = await FindAsync(who, null, ct);
            var now = clock.GetUtcNow().UtcDateTime;
            var messageId = Guid.CreateVersion7();
            if (conversation is not null)
            {
                var ticket = await db.Tickets.FirstAsync(t => t.Id == conversation.TicketId, ct);
                if (await ExistingAsync(ticket.Id, clientMessageId, ct) is { } seen) return (seen, ticket, conversation, false);
                conversation.UpdatedAt = now;
                var attached = AddFile(file, ticket.Id, ticket.ProfileId, messageId);
                var stored = await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Inbound, SupportChannels.Chat,
                    await NameAsync(conversation.ProfileId, ct), text, Kind: kind, ClientMessageId: clientMessageId, Id: messageId), ct);
                return (View(stored, attached), ticket, conversation, true);
            }
            // The first message opens the ticket; the conversation row and any file commit in the same SaveChanges.
            var profileId = who.ProfileId ?? await VisitorProfileAsync(who.VisitorId!, ct);
            var ticketId = Guid.CreateVersion7();
            conversation = new ChatConversation { TicketId = ticketId, ProfileId = profileId, VisitorId = who.VisitorId, CreatedAt = now, UpdatedAt = now };
            db.ChatConversations.Add(conversation);
            var file0 = AddFile(file, ticketId, profileId, messageId);
            var subject = text.Length > 80 ? text[..80] + "…" : text;
            var opened = await tickets.OpenAsync(profileId, subject, new NewMessage(MessageDirection.Inbound, SupportChannels.Chat,
                await NameAsync(profileId, ct), text, Kind: kind, ClientMessageId: clientMessageId, Id: messageId), null, ct, ticketId);
            var first = await db.TicketMessages.AsNoTracking().FirstAsync(m => m.Id == messageId, ct);
            return (View(first, file0), opened, conversation, true);
        }, ct);
        if (fresh) await relay.MessageAsync(conversation, ticket.Number, view, newTicket: view.Sequence == 1);
        return view;
    }

    private ChatFile? AddFile(ChatUpload? file, Guid ticketId, Guid profileId, Guid messageId)
    {
        if (file is null) return null;
        var attachment = new ChatAttachment
        {
            TicketId = ticketId, ProfileId = profileId, MessageId = messageId, FileName = file.FileName, ContentType = file.ContentType,
            Size = file.Content.Length, Content = file.Content, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.ChatAttachments.Add(attachment);
        return new ChatFile(attachment.Id, attachment.FileName, attachment.ContentType, attachment.Size);
    }

    /// <summary>An agent answers in the chat (or offers a call back).</summary>
    public async Task<ChatMessageView> AgentSendAsync(string ticketNumber, string agentUserId, string agentName, string clientMessageId, string text,
        string? kind, CancellationToken ct)
    {
        CheckClientId(clientMessageId);
        text = (text ?? "").Trim();
        if (text.Length == 0) throw RequestValidationException.For("text", "Required.");
        if (text.Length > MaxChatText) throw RequestValidationException.For("text", $"At most {MaxChatText} characters.");
        var (view, conversation, fresh) = await RetryAsync(async () =>
        {
            var ticket = await tickets.FindAsync(ticketNumber, ct) ?? throw new DomainException("ticket-not-found", "No such ticket.", StatusCodes.Status404NotFound);
            var conversation = await db.ChatConversations.FirstOrDefaultAsync(c => c.TicketId == ticket.Id, ct)
                ?? throw new DomainException("chat-not-found", "This ticket is not a chat.", StatusCodes.Status404NotFound);
            if (await ExistingAsync(ticket.Id, clientMessageId, ct) is { } seen) return (seen, conversation, false);
            conversation.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            var direction = kind == "note" ? MessageDirection.Note : MessageDirection.Outbound;
            var message = await tickets.AddMessageAsync(ticket, new NewMessage(direction, SupportChannels.Chat, agentName, text, Author: agentUserId,
                Kind: kind == "note" ? null : kind, ClientMessageId: clientMessageId), ct, direction == MessageDirection.Outbound ? TicketStatus.Open : null);
            return (View(message, null), conversation, true);
        }, ct);
        if (fresh) await relay.MessageAsync(conversation, ticketNumber, view, newTicket: false);
        return view;
    }

    /// <summary>Publishes a message stored elsewhere (a call logged on the ticket page) to a chat's live clients; other tickets are ignored.</summary>
    public async Task PublishAsync(Ticket ticket, TicketMessage message, CancellationToken ct)
    {
        if (await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.TicketId == ticket.Id, ct) is not { } conversation) return;
        await relay.MessageAsync(conversation, ticket.Number, View(message, null), newTicket: false);
    }

    /// <summary>A call reported by the telephony provider joins the referenced ticket; a repeated call id changes nothing.</summary>
    public async Task<CallResult> ReceiveCallAsync(CallRecord call, CancellationToken ct)
    {
        var callId = call.CallId?.Trim() ?? "";
        if (callId.Length is 0 or > 200) throw RequestValidationException.For("callId", "Required, at most 200 characters.");
        if (string.IsNullOrWhiteSpace(call.Reference)) throw RequestValidationException.For("reference", "The ticket number the call belongs to.");
        if (call.DurationSeconds is not (>= 0 and <= 86_400)) throw RequestValidationException.For("durationSeconds", "0 to 86400.");
        var outcome = string.IsNullOrWhiteSpace(call.Outcome) ? "completed" : call.Outcome.Trim().ToLowerInvariant();
        if (outcome.Length > 50) throw RequestValidationException.For("outcome", "At most 50 characters.");
        if (call.RecordingUrl is { Length: > 0 } url && (url.Length > 1000 || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http")))
            throw RequestValidationException.For("recordingUrl", "An absolute http(s) URL.");
        var externalId = "call:" + callId;
        var (ticket, view, fresh) = await RetryAsync(async () =>
        {
            var ticket = await tickets.FindAsync(call.Reference.Trim(), ct) ?? throw new DomainException("ticket-not-found", "No ticket with that reference.", StatusCodes.Status404NotFound);
            if (await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.ExternalMessageId == externalId, ct) is { } seen)
                return (ticket, View(seen, null), false);
            var minutes = TimeSpan.FromSeconds(call.DurationSeconds.Value);
            var text = string.IsNullOrWhiteSpace(call.Notes)
                ? $"Phone call {Clip(call.From, 40)} → {Clip(call.To, 40)}, {(int)minutes.TotalMinutes}:{minutes.Seconds:00}, {outcome.Replace('_', ' ')}."
                : call.Notes.Trim();
            var message = await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, SupportChannels.Phone, "Phone", text,
                ExternalMessageId: externalId, CallSeconds: call.DurationSeconds, CallOutcome: outcome, CallRecordingUrl: string.IsNullOrWhiteSpace(call.RecordingUrl) ? null : call.RecordingUrl),
                ct, outcome == "resolved" ? TicketStatus.Solved : TicketStatus.Open);
            return (ticket, View(message, null), true);
        }, ct);
        if (fresh && await db.ChatConversations.AsNoTracking().FirstOrDefaultAsync(c => c.TicketId == ticket.Id, ct) is { } conversation)
            await relay.MessageAsync(conversation, ticket.Number, view, newTicket: false);
        return new CallResult(ticket.Number, !fresh);
    }

    public Task TypingAsync(ChatConversation conversation, bool byCustomer, bool typing) => relay.TypingAsync(conversation, byCustomer, typing);

    /// <summary>Records how far one side has read and tells the other side.</summary>
    public async Task MarkReadAsync(ChatConversation conversation, bool byCustomer, long sequence, CancellationToken ct)
    {
        var ticket = await db.Tickets.AsNoTracking().Where(t => t.Id == conversation.TicketId).Select(t => new { t.Number, t.LastSequence }).FirstAsync(ct);
        sequence = Math.Min(sequence, ticket.LastSequence);
        // Only ever forward: an old tab reporting late must not move the receipt back.
        var rows = byCustomer
            ? await db.ChatConversations.Where(c => c.TicketId == conversation.TicketId && c.CustomerReadSequence < sequence)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.CustomerReadSequence, sequence), ct)
            : await db.ChatConversations.Where(c => c.TicketId == conversation.TicketId && c.AgentReadSequence < sequence)
                .ExecuteUpdateAsync(u => u.SetProperty(c => c.AgentReadSequence, sequence), ct);
        if (rows > 0) await relay.ReadAsync(conversation, byCustomer, sequence);
    }

    /// <summary>The address as given, checked; a validation error otherwise.</summary>
    public static string CheckEmail(string? email)
    {
        email = (email ?? "").Trim();
        if (email.Length > 320 || !System.Net.Mail.MailAddress.TryCreate(email, out var address) || address.Address != email)
            throw RequestValidationException.For("email", "An email address.");
        return email;
    }

    /// <summary>
    /// A signed-in customer gives their own address: their session proves it, so the device's anonymous chats join them now.
    /// False when the caller is not signed in as the customer holding this address (a claim that needs a code).
    /// </summary>
    public async Task<bool> IdentifyBySessionAsync(ChatParticipant who, string email, CancellationToken ct)
    {
        if (who.ProfileId is not { } profileId) return false;
        if ((await customers.FindByIdentityAsync(IdentityKinds.Email, email.ToLowerInvariant(), ct))?.Id != profileId) return false;
        if (who.VisitorId is { } visitor) await AttachVisitorAsync(visitor, email, "chat visitor signed in", ct);
        return true;
    }

    /// <summary>A visitor proved an address (a code sent there, or a sign-in): their chats and anonymous history join the profile holding it.</summary>
    public async Task AttachVisitorAsync(string visitorId, string email, string reason, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var known = await customers.FindOrCreateByEmailAsync(email, null, ct);
        await db.SaveChangesAsync(ct);
        await MergeVisitorAsync(visitorId, known, reason, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    public Task<ChatConversation?> ConversationOfAsync(Guid ticketId, CancellationToken ct) =>
        db.ChatConversations.FirstOrDefaultAsync(c => c.TicketId == ticketId, ct);

    /// <summary>A visitor's file, for its conversation's customer (by profile or visitor id) or for staff (<paramref name="who"/> null).</summary>
    public Task<ChatAttachment?> FileAsync(Guid id, ChatParticipant? who, CancellationToken ct)
    {
        var files = db.ChatAttachments.AsNoTracking().Where(a => a.Id == id);
        if (who is not null)
        {
            var mine = db.ChatConversations.Where(c => (who.VisitorId != null && c.VisitorId == who.VisitorId) || (who.ProfileId != null && c.ProfileId == who.ProfileId))
                .Select(c => c.TicketId);
            files = files.Where(a => mine.Contains(a.TicketId));
        }
        return files.FirstOrDefaultAsync(ct);
    }

    /// <summary>A signed-in customer whose device chatted anonymously: the visitor's profile and chats join the customer's.</summary>
    private async Task LinkSignedInVisitorAsync(ChatParticipant who, CancellationToken ct)
    {
        if (who is not { ProfileId: { } profileId, VisitorId: { } visitor }) return;
        if (!await db.ChatConversations.AnyAsync(c => c.VisitorId == visitor && c.ProfileId != profileId, ct)) return;
        if (await customers.FindAsync(profileId, ct) is not { } known) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await MergeVisitorAsync(visitor, known.Id, "chat visitor signed in", ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private async Task MergeVisitorAsync(string visitorId, Guid known, string reason, CancellationToken ct)
    {
        var anonymous = await customers.MergeVisitorAsync(visitorId, known, reason, ct);
        // Support rows are ours to move: the visitor's chats (and anything else filed on the anonymous profile) now belong to the customer.
        var from = await db.ChatConversations.Where(c => c.VisitorId == visitorId && c.ProfileId != known).Select(c => c.ProfileId).Distinct().ToListAsync(ct);
        if (anonymous is { } a && a != known && !from.Contains(a)) from.Add(a);
        foreach (var old in from)
        {
            if (await customers.FindAsync(old, ct) is { IsKnown: true } other && other.Id != known) continue;
            await db.Tickets.Where(t => t.ProfileId == old).ExecuteUpdateAsync(u => u.SetProperty(t => t.ProfileId, known), ct);
            await db.TicketMessages.Where(m => m.ProfileId == old).ExecuteUpdateAsync(u => u.SetProperty(m => m.ProfileId, known), ct);
            await db.ChatAttachments.Where(f => f.ProfileId == old).ExecuteUpdateAsync(u => u.SetProperty(f => f.ProfileId, known), ct);
            await db.ChatConversations.Where(c => c.ProfileId == old).ExecuteUpdateAsync(u => u.SetProperty(c => c.ProfileId, known), ct);
        }
        interactions.Append(db, known, InteractionTypes.ChatVisitorIdentified, SupportChannels.Chat, new ChatVisitorIdentifiedProperties(reason), sourceKind: "chat", sourceId: visitorId);
    }

    private Task<Guid> VisitorProfileAsync(string visitorId, CancellationToken ct) => customers.VisitorProfileAsync(visitorId, ct);

    private async Task<string> NameAsync(Guid profileId, CancellationToken ct)
    {
        var profile = await customers.FindAsync(profileId, ct);
        return profile?.DisplayName ?? "Visitor";
    }

    private async Task<ChatMessageView?> ExistingAsync(Guid ticketId, string clientMessageId, CancellationToken ct)
    {
        var seen = await db.TicketMessages.AsNoTracking().FirstOrDefaultAsync(m => m.TicketId == ticketId && m.ClientMessageId == clientMessageId, ct);
        if (seen is null) return null;
        var files = await FilesAsync([seen.Id], ct);
        return View(seen, files.GetValueOrDefault(seen.Id));
    }

    private async Task<Dictionary<Guid, ChatFile>> FilesAsync(List<Guid> messageIds, CancellationToken ct) =>
        messageIds.Count == 0 ? [] : await db.ChatAttachments.AsNoTracking().Where(a => messageIds.Contains(a.MessageId))
            .Select(a => new { a.MessageId, File = new ChatFile(a.Id, a.FileName, a.ContentType, a.Size) })
            .ToDictionaryAsync(a => a.MessageId, a => a.File, ct);

    /// <summary>Two writers on one thread collide on its sequence (or the same client id); the loser runs again on fresh state.</summary>
    private async Task<T> RetryAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await work(); }
            catch (DbUpdateException) when (attempt < 4)
            {
                db.ChangeTracker.Clear();
                await Task.Delay(Random.Shared.Next(5, 25) * attempt, ct);
            }
        }
    }

    private static void CheckClientId(string clientMessageId)
    {
        if (clientMessageId is null || !ClientIdShape().IsMatch(clientMessageId))
            throw RequestValidationException.For("clientMessageId", "8 to 64 letters, digits, '-' or '_' (a UUID works).");
    }

    private static string Clip(string? value, int max) => string.IsNullOrWhiteSpace(value) ? "unknown" : value.Trim()[..Math.Min(value.Trim().Length, max)];

    public static ChatMessageView View(TicketMessage m, ChatFile? file) => new(m.Sequence, m.Id, m.ClientMessageId,
        m.Direction switch { MessageDirection.Inbound => "customer", MessageDirection.Outbound => "agent", _ => "note" },
        m.Kind, m.Channel, m.AuthorName, m.BodyText, m.CreatedAt, file, m.CallSeconds, m.CallOutcome, m.CallRecordingUrl);
}
