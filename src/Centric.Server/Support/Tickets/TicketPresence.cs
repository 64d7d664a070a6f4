using System.Collections.Concurrent;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Centric.Server.Support.Chat;
using Microsoft.AspNetCore.SignalR;
using StackExchange.Redis;

namespace Centric.Server.Support.Tickets;

/// <summary>One agent's connection on a ticket page: who, and whether they are writing a reply or note right now.</summary>
public sealed record TicketViewer(string ConnectionId, string UserId, string Name, bool Composing);

/// <summary>
/// Which agents have a ticket open and who is typing, so two agents do not answer the same customer at once. Each node
/// knows its own agent connections; with several nodes (Redis configured) the viewers of every node meet in
/// <see cref="SharedTicketViewers"/>, and the list goes to the watchers on every node through the hub's backplane.
/// Should Redis be away, each node falls back to the viewers it holds itself.
/// </summary>
public sealed class TicketPresence(IHubContext<AgentChatHub> agents, ILogger<TicketPresence> logger, SharedTicketViewers? shared = null)
{
    private sealed record Watching(string Ticket, TicketViewer Viewer);

    // Every agent connection on this node, with the ticket it has open (null on the inbox and other pages).
    private readonly ConcurrentDictionary<string, Watching?> _connections = new();

    public static string Group(string ticketNumber) => "w:" + ticketNumber;

    public void Connected(string connectionId) => _connections.TryAdd(connectionId, null);

    /// <summary>This node's agent connections. Updates fed from the interaction stream go to these only: every node runs its own feed.</summary>
    public IReadOnlyList<string> LocalConnections => [.. _connections.Keys];

    /// <summary>This node's connections that have the ticket open.</summary>
    public IReadOnlyList<string> LocalWatchers(string ticketNumber) =>
        [.. _connections.Where(c => c.Value?.Ticket == ticketNumber).Select(c => c.Key)];

    /// <summary>Everyone on the ticket, on every node, by name.</summary>
    public async Task<IReadOnlyList<TicketViewer>> ViewersAsync(string ticketNumber)
    {
        var here = _connections.Values.Where(w => w?.Ticket == ticketNumber).Select(w => w!.Viewer).ToList();
        if (shared is not null)
        {
            try
            {
                // This node's own entries are current even if a write to Redis has not landed yet.
                var mine = here.Select(v => v.ConnectionId).ToHashSet(StringComparer.Ordinal);
                here.AddRange((await shared.ViewersAsync(ticketNumber)).Where(v => !mine.Contains(v.ConnectionId)));
            }
            catch (Exception e) when (e is RedisException or TimeoutException) { ChatLog.PresenceUnshared(logger, e, ticketNumber); }
        }
        return [.. here.OrderBy(v => v.Name, StringComparer.Ordinal).ThenBy(v => v.ConnectionId, StringComparer.Ordinal)];
    }

    public async Task WatchAsync(string ticketNumber, TicketViewer viewer)
    {
        if (_connections.TryGetValue(viewer.ConnectionId, out var before) && before is not null && before.Ticket != ticketNumber)
        {
            await agents.Groups.RemoveFromGroupAsync(viewer.ConnectionId, Group(before.Ticket));
            _connections[viewer.ConnectionId] = null;
            await ShareAsync(before.Ticket, viewer.ConnectionId, null);
            await PublishAsync(before.Ticket);
        }
        _connections[viewer.ConnectionId] = new(ticketNumber, viewer);
        await ShareAsync(ticketNumber, viewer.ConnectionId, viewer);
        await agents.Groups.AddToGroupAsync(viewer.ConnectionId, Group(ticketNumber));
        await PublishAsync(ticketNumber);
    }

    public async Task ComposingAsync(string connectionId, bool composing)
    {
        if (!_connections.TryGetValue(connectionId, out var watching) || watching is null || watching.Viewer.Composing == composing) return;
        var viewer = watching.Viewer with { Composing = composing };
        _connections[connectionId] = watching with { Viewer = viewer };
        await ShareAsync(watching.Ticket, connectionId, viewer);
        await PublishAsync(watching.Ticket);
    }

    public async Task LeaveAsync(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var watching) || watching is null) return;
        await ShareAsync(watching.Ticket, connectionId, null);
        await PublishAsync(watching.Ticket);
    }

    /// <summary>Tells Redis again that this node's viewers are still there; an entry not renewed in time is a node gone.</summary>
    public async Task RefreshAsync()
    {
        foreach (var watching in _connections.Values)
            if (watching is not null) await ShareAsync(watching.Ticket, watching.Viewer.ConnectionId, watching.Viewer);
    }

    private async Task ShareAsync(string ticketNumber, string connectionId, TicketViewer? viewer)
    {
        if (shared is null) return;
        try
        {
            if (viewer is null) await shared.RemoveAsync(ticketNumber, connectionId);
            else await shared.PutAsync(ticketNumber, viewer);
        }
        catch (Exception e) when (e is RedisException or TimeoutException) { ChatLog.PresenceUnshared(logger, e, ticketNumber); }
    }

    private async Task PublishAsync(string ticketNumber)
    {
        var viewers = await ViewersAsync(ticketNumber);
        try { await agents.Clients.Group(Group(ticketNumber)).SendAsync("presence", ticketNumber, viewers); }
        catch (Exception e) when (e is RedisException or TimeoutException) { ChatLog.PushFailed(logger, e, "presence", ticketNumber); }
    }
}

/// <summary>
/// Keeps the console live from the interaction stream, whichever node or channel wrote: the inbox re-reads its list, and agents
/// with a ticket open hear that it changed. Every process runs its own copy from the end of the stream (like the live order
/// pages) and so tells only its own connections; sent through the backplane, each agent would hear it once per node.
/// </summary>
public sealed class LiveTicketUpdates(IHubContext<AgentChatHub> agents, TicketPresence presence) : IInteractionSubscriber
{
    public string Name => "support.live-tickets";

    public bool IsLive => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var changes = batch.Where(i => i.SourceKind == "ticket" && i.SourceId is not null).GroupBy(i => i.SourceId!)
            .Select(g => (Number: g.Key, At: DateTime.SpecifyKind(g.Max(i => i.OccurredAt), DateTimeKind.Utc))).ToList();
        if (changes.Count == 0) return;
        var everyone = presence.LocalConnections;
        foreach (var (number, at) in changes)
        {
            // One connection at a time: a connection of this node is written to directly, never through the backplane.
            foreach (var connection in everyone) await agents.Clients.Client(connection).SendAsync("inbox", number, ct);
            // With the time, so a page rendered after the change does not call itself out of date.
            foreach (var connection in presence.LocalWatchers(number)) await agents.Clients.Client(connection).SendAsync("changed", number, at, ct);
        }
    }
}
