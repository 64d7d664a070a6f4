using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Centric.Server.Support.Chat;

/// <summary>
/// Pushes stored chat changes to the live clients of this server process: the customer's devices (grouped by visitor
/// id and by profile) and the agents who have the ticket open or watch the inbox. Clients drop a sequence they have
/// seen, so a message that arrives twice (two groups, or a resync racing a push) shows once. With several nodes the groups
/// span them through Redis; a push lost while Redis is away is only a push (the message is stored, clients resync on reconnect).
/// </summary>
public sealed class ChatRelay(IHubContext<ChatHub> customers, IHubContext<AgentChatHub> agents, ILogger<ChatRelay> logger)
{
    public const string InboxGroup = "inbox";

    public static string TicketGroup(Guid ticketId) => "t:" + ticketId.ToString("N");
    public static string VisitorGroup(string visitorId) => "v:" + visitorId;
    public static string ProfileGroup(Guid profileId) => "p:" + profileId.ToString("N");

    private static List<string> CustomerGroups(ChatConversation c) =>
        c.VisitorId is { } v ? [VisitorGroup(v), ProfileGroup(c.ProfileId)] : [ProfileGroup(c.ProfileId)];

    public async Task MessageAsync(ChatConversation conversation, string ticketNumber, ChatMessageView message, bool newTicket)
    {
        var sends = new List<Task> { agents.Clients.Group(TicketGroup(conversation.TicketId)).SendAsync("message", ticketNumber, message) };
        if (message.From != "note") sends.Add(customers.Clients.Groups(CustomerGroups(conversation)).SendAsync("message", ticketNumber, message));
        if (message.From == "customer" || newTicket) sends.Add(agents.Clients.Group(InboxGroup).SendAsync("inbox", ticketNumber));
        await PushAsync("message", ticketNumber, Task.WhenAll(sends));
    }

    public Task TypingAsync(ChatConversation conversation, bool byCustomer, bool typing) => PushAsync("typing", conversation.TicketId.ToString("N"), byCustomer
        ? agents.Clients.Group(TicketGroup(conversation.TicketId)).SendAsync("typing", "customer", typing)
        : customers.Clients.Groups(CustomerGroups(conversation)).SendAsync("typing", "agent", typing));

    public Task ReadAsync(ChatConversation conversation, bool byCustomer, long sequence) => PushAsync("read", conversation.TicketId.ToString("N"), byCustomer
        ? agents.Clients.Group(TicketGroup(conversation.TicketId)).SendAsync("read", "customer", sequence)
        : customers.Clients.Groups(CustomerGroups(conversation)).SendAsync("read", "agent", sequence));

    private async Task PushAsync(string kind, string ticket, Task push)
    {
        try { await push; }
        catch (Exception e) when (e is RedisException or TimeoutException) { ChatLog.PushFailed(logger, e, kind, ticket); }
    }
}
