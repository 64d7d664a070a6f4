using Centric.Server.Customers.Interactions;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Outbox;

/// <summary>
/// A consumer of the interaction stream. Its work for a batch and the checkpoint advance commit in one
/// transaction on the same DbContext, so database effects happen exactly once; effects outside the
/// database (HTTP calls) must be idempotent because a batch can be handed over again after a crash.
/// </summary>
public interface IInteractionSubscriber
{
    /// <summary>Stable name: the checkpoint key.</summary>
    string Name { get; }

    /// <summary>A new subscriber starts at the end of the stream instead of replaying history (live views).</summary>
    bool StartsAtEnd => false;

    Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct);
}

public sealed class DispatcherOptions
{
    public int BatchSize { get; set; } = 500;
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a missing position may stay missing before it counts as a rolled-back write.</summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Delivers interactions to every subscriber at least once, in position order, each with its own
/// checkpoint. A subscriber is worked by one node at a time: the node holding its lease in the checkpoint row.
/// </summary>
public sealed class InteractionDispatcher(
    IServiceScopeFactory scopes, IEnumerable<IInteractionSubscriber> subscribers, IOptions<DispatcherOptions> options,
    TimeProvider clock, ILogger<InteractionDispatcher> logger) : BackgroundService
{
    private readonly Guid _node = Guid.NewGuid();
    private readonly Dictionary<long, DateTime> _gapsSeen = [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var worked = 0;
            foreach (var subscriber in subscribers)
            {
                try
                {
                    worked += await RunOnceAsync(subscriber, stoppingToken);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    Log.SubscriberFailed(logger, e, subscriber.Name, -1);
                }
            }
            if (worked == 0)
            {
                try { await Task.Delay(options.Value.IdleDelay, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Handles at most one batch for one subscriber. Returns the number of interactions handled.</summary>
    public async Task<int> RunOnceAsync(IInteractionSubscriber subscriber, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var token = _node;

        if (!await TryTakeLeaseAsync(db, subscriber, token, now, ct)) return 0;
        var checkpoint = await db.Checkpoints.AsNoTracking().FirstAsync(c => c.Subscriber == subscriber.Name, ct);

        var rows = await db.Outbox.AsNoTracking().Where(m => m.Position > checkpoint.Position)
            .OrderBy(m => m.Position).Take(options.Value.BatchSize).ToListAsync(ct);
        var ready = ContiguousPrefix(checkpoint.Position, rows, now);
        if (ready.Count == 0) return 0;

        var ids = ready.Select(r => r.InteractionId).ToList();
        var found = await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var batch = ready.Where(r => found.ContainsKey(r.InteractionId)).Select(r => found[r.InteractionId]).ToList();
        var last = ready[^1].Position;

        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await subscriber.HandleAsync(db, batch, ct);
                await db.SaveChangesAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Log.SubscriberFailed(logger, e, subscriber.Name, checkpoint.Position);
                throw;
            }
            // Only the lease holder may move the checkpoint; losing the lease rolls the batch back.
            var moved = await db.Checkpoints
                .Where(c => c.Subscriber == subscriber.Name && c.LeaseToken == token && c.Position == checkpoint.Position)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, last).SetProperty(c => c.UpdatedAt, now)
                    .SetProperty(c => c.LeaseUntil, now + options.Value.Lease), ct);
            if (moved == 1) await tx.CommitAsync(ct);
            else await tx.RollbackAsync(ct);
        });
        db.ChangeTracker.Clear();
        return batch.Count;
    }

    private async Task<bool> TryTakeLeaseAsync(CentricDbContext db, IInteractionSubscriber subscriber, Guid token, DateTime now, CancellationToken ct)
    {
        var name = subscriber.Name;
        if (!await db.Checkpoints.AnyAsync(c => c.Subscriber == name, ct))
        {
            var start = subscriber.StartsAtEnd ? await db.Outbox.MaxAsync(m => (long?)m.Position, ct) ?? 0 : 0;
            db.Checkpoints.Add(new SubscriberCheckpoint { Subscriber = name, Position = start, UpdatedAt = now });
            try { await db.SaveChangesAsync(ct); }
            catch (DbUpdateException) { /* another node created it first */ }
            db.ChangeTracker.Clear();
        }
        var until = now + options.Value.Lease;
        // A conditional update is atomic on both providers: exactly one node wins an expired lease.
        var taken = await db.Checkpoints
            .Where(c => c.Subscriber == name && (c.LeaseToken == null || c.LeaseToken == token || c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseToken, token).SetProperty(c => c.LeaseUntil, until), ct);
        return taken == 1;
    }

    /// <summary>
    /// Rows up to the first gap. On PostgreSQL a position can be allocated by a transaction that commits later
    /// than a higher one; waiting at a gap means such a row is never skipped. A gap that outlives
    /// <see cref="DispatcherOptions.GapTimeout"/> came from a rolled-back write and is passed over.
    /// </summary>
    private List<OutboxMessage> ContiguousPrefix(long after, List<OutboxMessage> rows, DateTime now)
    {
        var ready = new List<OutboxMessage>(rows.Count);
        var expected = after + 1;
        foreach (var row in rows)
        {
            if (row.Position != expected)
            {
                if (!_gapsSeen.TryGetValue(expected, out var since)) _gapsSeen[expected] = since = now;
                if (now - since < options.Value.GapTimeout) break;
                Log.GapSkipped(logger, expected, (now - since).TotalSeconds);
                _gapsSeen.Remove(expected);
            }
            ready.Add(row);
            expected = row.Position + 1;
        }
        return ready;
    }
}
