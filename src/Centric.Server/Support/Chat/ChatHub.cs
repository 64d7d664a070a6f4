using System.Security.Claims;
using System.Threading.RateLimiting;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Chat;

/// <summary>
/// The customer's side of web chat (<c>/chat/hub</c>): a signed-in customer or a widget visitor. Everything it reaches is
/// looked up through the caller's own profile or visitor id, so another conversation's number is simply not found.
/// </summary>
public sealed class ChatHub(ChatService chat, ChatVisitors visitors, ChatEmailVerification verification) : Hub
{
    private const string Participant = "participant";

    private ChatParticipant Who => (ChatParticipant)Context.Items[Participant]!;

    public override async Task OnConnectedAsync()
    {
        var who = await visitors.ResolveAsync(Context.GetHttpContext()!, Context.ConnectionAborted)
            ?? throw new HubException("unauthorized: Start a visitor session first (POST /chat/api/visitor).");
        Context.Items[Participant] = who;
        if (who.VisitorId is { } v) await Groups.AddToGroupAsync(Context.ConnectionId, ChatRelay.VisitorGroup(v));
        if (who.ProfileId is { } p) await Groups.AddToGroupAsync(Context.ConnectionId, ChatRelay.ProfileGroup(p));
    }

    /// <summary>The conversation (the current one, or a named one of the caller's) from after a sequence number: the resync after a reconnect.</summary>
    public Task<ChatState> Resume(string? ticketNumber, long afterSequence) => chat.ResumeAsync(Who, ticketNumber, Math.Max(0, afterSequence), Context.ConnectionAborted);

    [ChatRateLimited]
    public Task<ChatMessageView> Send(string clientMessageId, string text) => chat.SendAsync(Who, clientMessageId, text, Context.ConnectionAborted);

    [ChatRateLimited]
    public Task<ChatMessageView> RequestCallback(string clientMessageId, string phone, string? preferredTime) =>
        chat.RequestCallbackAsync(Who, clientMessageId, phone, preferredTime, Context.ConnectionAborted);

    /// <summary>The visitor gives an email: attached at once when their sign-in proves it, otherwise a code is mailed there.</summary>
    [ChatRateLimited]
    public Task<ChatIdentity> Identify(string email) => verification.IdentifyAsync(Who, email, Context.ConnectionAborted);

    /// <summary>The visitor enters the code mailed to the address they gave: the chat joins that customer.</summary>
    [ChatRateLimited]
    public Task<ChatIdentity> ConfirmEmail(string code) => verification.ConfirmAsync(Who, code, Context.ConnectionAborted);

    public async Task Typing(bool typing)
    {
        if (await chat.FindAsync(Who, null, Context.ConnectionAborted) is { } c) await chat.TypingAsync(c, byCustomer: true, typing);
    }

    public async Task Read(long sequence)
    {
        if (await chat.FindAsync(Who, null, Context.ConnectionAborted) is { } c)
            await chat.MarkReadAsync(c, byCustomer: true, sequence, Context.ConnectionAborted);
    }
}

/// <summary>
/// The agents' side (<c>/console/chat/hub</c>), for staff allowed to open customer data. Connections hear the inbox
/// (new chats and customer messages) and join the tickets they open.
/// </summary>
[Authorize(Policy = Policies.CustomerData)]
public sealed class AgentChatHub(ChatService chat, Tickets.TicketService tickets, Tickets.TicketPresence presence, Platform.Identity.StaffDirectory staff) : Hub
{
    private string UserId => Context.User?.FindFirstValue(ClaimTypes.NameIdentifier) ?? "";
    private string UserName => Context.User?.FindFirstValue(ClaimTypes.Name) ?? "Support";

    public override Task OnConnectedAsync()
    {
        presence.Connected(Context.ConnectionId);
        return Groups.AddToGroupAsync(Context.ConnectionId, ChatRelay.InboxGroup);
    }

    public override Task OnDisconnectedAsync(Exception? exception) => presence.LeaveAsync(Context.ConnectionId);

    /// <summary>This connection has the ticket open: the other agents on it see who is there (collision warning).</summary>
    public async Task<IReadOnlyList<Tickets.TicketViewer>> Watch(string ticketNumber)
    {
        var ticket = await tickets.FindAsync(ticketNumber ?? "", Context.ConnectionAborted)
            ?? throw new DomainException("ticket-not-found", "No such ticket.", StatusCodes.Status404NotFound);
        var name = (await staff.ListAsync(Context.ConnectionAborted)).FirstOrDefault(s => s.Id == UserId) is { } me ? me.DisplayName ?? me.Email : UserName;
        await presence.WatchAsync(ticket.Number, new Tickets.TicketViewer(Context.ConnectionId, UserId, name, false));
        return await presence.ViewersAsync(ticket.Number);
    }

    /// <summary>The agent started or stopped writing a reply or note on the ticket they watch.</summary>
    public Task Composing(bool composing) => presence.ComposingAsync(Context.ConnectionId, composing);

    public async Task<ChatState> Join(string ticketNumber, long afterSequence)
    {
        var conversation = await ConversationAsync(ticketNumber);
        await Groups.AddToGroupAsync(Context.ConnectionId, ChatRelay.TicketGroup(conversation.TicketId));
        return await chat.StateAsync(conversation, Math.Max(0, afterSequence), forAgent: true, Context.ConnectionAborted);
    }

    public Task<ChatMessageView> Send(string ticketNumber, string clientMessageId, string text) =>
        chat.AgentSendAsync(ticketNumber, UserId, UserName, clientMessageId, text, null, Context.ConnectionAborted);

    public Task<ChatMessageView> Note(string ticketNumber, string clientMessageId, string text) =>
        chat.AgentSendAsync(ticketNumber, UserId, UserName, clientMessageId, text, "note", Context.ConnectionAborted);

    public Task<ChatMessageView> OfferCallback(string ticketNumber, string clientMessageId, string? text) =>
        chat.AgentSendAsync(ticketNumber, UserId, UserName, clientMessageId,
            string.IsNullOrWhiteSpace(text) ? "Would you like us to call you? Leave your number and a good time." : text, Tickets.MessageKinds.CallbackOffer, Context.ConnectionAborted);

    public async Task Typing(string ticketNumber, bool typing) => await chat.TypingAsync(await ConversationAsync(ticketNumber), byCustomer: false, typing);

    public async Task Read(string ticketNumber, long sequence) =>
        await chat.MarkReadAsync(await ConversationAsync(ticketNumber), byCustomer: false, sequence, Context.ConnectionAborted);

    private async Task<ChatConversation> ConversationAsync(string ticketNumber)
    {
        var ticket = await tickets.FindAsync(ticketNumber ?? "", Context.ConnectionAborted)
            ?? throw new DomainException("ticket-not-found", "No such ticket.", StatusCodes.Status404NotFound);
        return await chat.ConversationOfAsync(ticket.Id, Context.ConnectionAborted)
            ?? throw new DomainException("chat-not-found", "This ticket is not a chat.", StatusCodes.Status404NotFound);
    }
}

/// <summary>Marks customer hub methods that count against <see cref="ChatOptions.MessagesPerMinute"/>.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class ChatRateLimitedAttribute : Attribute;

/// <summary>
/// Turns rule and validation failures into hub errors the client can read ("code: message"), and limits how fast one
/// customer or visitor may send, since hub calls do not pass through the HTTP rate limiter.
/// </summary>
public sealed class ChatHubFilter : IHubFilter, IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public ChatHubFilter(IOptions<ChatOptions> options)
    {
        var perMinute = options.Value.MessagesPerMinute;
        _limiter = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute, TokensPerPeriod = Math.Max(1, perMinute / 6), ReplenishmentPeriod = TimeSpan.FromSeconds(10), QueueLimit = 0,
        }));
    }

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (invocationContext.HubMethod.IsDefined(typeof(ChatRateLimitedAttribute), false))
        {
            var key = invocationContext.Context.Items.TryGetValue("participant", out var who) && who is ChatParticipant p ? p.Key : invocationContext.Context.ConnectionId;
            using var lease = _limiter.AttemptAcquire(key);
            if (!lease.IsAcquired) throw new HubException("rate-limited: Too many messages; wait a few seconds.");
        }
        try
        {
            return await next(invocationContext);
        }
        catch (DomainException e) { throw new HubException($"{e.Code}: {e.Message}"); }
        catch (RequestValidationException e) { throw new HubException($"validation: {e.Message}"); }
    }

    public void Dispose() => _limiter.Dispose();
}
