using System.Collections.Concurrent;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Centric.Server.Support.Chat;
using Microsoft.AspNetCore.SignalR;

namespace Centric.Server.Support.Tickets;

/// <summary>One agent's connection on a ticket page: who, and whether they are writing a reply or note right now.</summary>
public sealed record TicketViewer(string ConnectionId, string UserId, string Name, bool Composing);

/// <summary>
/// Which agents have a ticket open and who is typing, so two agents do not answer the same customer at once. Held in memory per
/// server process (it is gone with the connections anyway); with several nodes, agents of one team share a node through sticky
/// sessions, like the chat hubs.
/// </summary>
public sealed class TicketPresence(IHubContext<AgentChatHub> agents)
{
    private readonly ConcurrentDictionary<string, (string Ticket, TicketViewer Viewer)> _viewers = new();

    public static string Group(string ticketNumber) => "w:" + ticketNumber;

    public IReadOnlyList<TicketViewer> Viewers(string ticketNumber) =>
        [.. _viewers.Values.Where(v => v.Ticket == ticketNumber).Select(v => v.Viewer).OrderBy(v => v.Name, StringComparer.Ordinal)];

    public async Task WatchAsync(string ticketNumber, TicketViewer viewer)
    {
        if (_viewers.TryGetValue(viewer.ConnectionId, out var before) && before.Ticket != ticketNumber)
        {
            await agents.Groups.RemoveFromGroupAsync(viewer.ConnectionId, Group(before.Ticket));
            _viewers.TryRemove(viewer.ConnectionId, out _);
            await PublishAsync(before.Ticket);
        }
        _viewers[viewer.ConnectionId] = (ticketNumber, viewer);
        await agents.Groups.AddToGroupAsync(viewer.ConnectionId, Group(ticketNumber));
        await PublishAsync(ticketNumber);
    }

    public async Task ComposingAsync(string connectionId, bool composing)
    {
        if (!_viewers.TryGetValue(connectionId, out var entry) || entry.Viewer.Composing == composing) return;
        _viewers[connectionId] = (entry.Ticket, entry.Viewer with { Composing = composing });
        await PublishAsync(entry.Ticket);
    }

    public async Task LeaveAsync(string connectionId)
    {
        if (_viewers.TryRemove(connectionId, out var entry)) await PublishAsync(entry.Ticket);
    }

    private Task PublishAsync(string ticketNumber) =>
        agents.Clients.Group(Group(ticketNumber)).SendAsync("presence", ticketNumber, Viewers(ticketNumber));
}

/// <summary>
/// Keeps the console live from the interaction stream, whichever node or channel wrote: the inbox re-reads its list, and agents
/// with a ticket open hear that it changed. Every process runs its own copy from the end of the stream (like the live order pages).
/// </summary>
public sealed class LiveTicketUpdates(IHubContext<AgentChatHub> agents) : IInteractionSubscriber
{
    public string Name => "support.live-tickets";

    public bool IsLive => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var changes = batch.Where(i => i.SourceKind == "ticket" && i.SourceId is not null).GroupBy(i => i.SourceId!)
            .Select(g => (Number: g.Key, At: DateTime.SpecifyKind(g.Max(i => i.OccurredAt), DateTimeKind.Utc)));
        foreach (var (number, at) in changes)
        {
            await agents.Clients.Group(ChatRelay.InboxGroup).SendAsync("inbox", number, ct);
            // With the time, so a page rendered after the change does not call itself out of date.
            await agents.Clients.Group(TicketPresence.Group(number)).SendAsync("changed", number, at, ct);
        }
    }
}
