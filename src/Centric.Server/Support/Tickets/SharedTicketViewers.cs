using System.Text.Json;
using Centric.Server.Platform.Nodes;

namespace Centric.Server.Support.Tickets;

/// <summary>
/// The viewers of each ticket across nodes, in Redis: one hash per ticket (<c>&lt;prefix&gt;:presence:&lt;ticket&gt;</c>), a
/// field per agent connection. Each entry carries the time it lapses; the node holding the connection renews it every
/// <see cref="Renewal"/> (<see cref="PresenceRefresh"/>), so the viewers of a node that stopped without saying goodbye
/// drop out within <see cref="Lifetime"/>.
/// </summary>
public sealed class SharedTicketViewers(SharedRedis redis, TimeProvider clock)
{
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(45);

    private sealed record Entry(TicketViewer Viewer, DateTimeOffset Until);

    public async Task PutAsync(string ticketNumber, TicketViewer viewer)
    {
        var db = await redis.DatabaseAsync();
        var key = redis.Key("presence:" + ticketNumber);
        await db.HashSetAsync(key, viewer.ConnectionId, JsonSerializer.Serialize(new Entry(viewer, clock.GetUtcNow() + Lifetime)));
        await db.KeyExpireAsync(key, Lifetime);
    }

    public async Task RemoveAsync(string ticketNumber, string connectionId) =>
        await (await redis.DatabaseAsync()).HashDeleteAsync(redis.Key("presence:" + ticketNumber), connectionId);

    public async Task<IReadOnlyList<TicketViewer>> ViewersAsync(string ticketNumber)
    {
        var db = await redis.DatabaseAsync();
        var key = redis.Key("presence:" + ticketNumber);
        var now = clock.GetUtcNow();
        var viewers = new List<TicketViewer>();
        foreach (var field in await db.HashGetAllAsync(key))
        {
            var entry = field.Value.HasValue ? JsonSerializer.Deserialize<Entry>(field.Value.ToString()) : null;
            if (entry is not null && entry.Until > now) viewers.Add(entry.Viewer);
            else await db.HashDeleteAsync(key, field.Name);
        }
        return viewers;
    }
}

/// <summary>Renews this node's ticket viewers in Redis while their connections last.</summary>
internal sealed class PresenceRefresh(TicketPresence presence, TimeProvider clock, ILogger<PresenceRefresh> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try { await Task.Delay(SharedTicketViewers.Renewal, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
            try { await presence.RefreshAsync(); }
            catch (Exception e) when (e is not OperationCanceledException) { Platform.Log.WorkerFailed(logger, e, nameof(PresenceRefresh)); }
        }
    }
}
