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
    /// <summary>After a pass that found less than a full batch, a short pause lets the next batch gather (fewer, larger passes under load).</summary>
    public TimeSpan BusyDelay { get; set; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long a missing position may stay missing before it counts as a rolled-back write.</summary>
    public TimeSpan GapTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Delivers interactions to every subscriber at least once, in position order, each with its own
/// checkpoint. A subscriber is worked by one node at a time: the node holding its lease in the checkpoint row.
/// A pass reads the outbox once for all subscribers standing at the same position (usually all of them).
/// </summary>
public sealed class InteractionDispatcher(
    IServiceScopeFactory scopes, IEnumerable<IInteractionSubscriber> subscribers, IOptions<DispatcherOptions> options,
    TimeProvider clock, ILogger<InteractionDispatcher> logger) : BackgroundService
{
    private readonly Guid _node = Guid.NewGuid();
    private readonly Dictionary<long, DateTime> _gapsSeen = [];
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly HashSet<string> _checkpointsKnown = [];

    /// <summary>
    /// Leases this node holds, with the checkpoint position: while a lease is held nobody else can move that
    /// checkpoint, so neither needs reading again until the lease is half spent.
    /// </summary>
    private readonly Dictionary<string, (DateTime Until, long Position)> _held = [];

    private readonly record struct Batch(IReadOnlyList<Interaction> Interactions, long Last);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var all = subscribers.ToList();
        while (!stoppingToken.IsCancellationRequested)
        {
            var (handled, fullBatch) = (0, false);
            try
            {
                (handled, fullBatch) = await RunPassAsync(all, rethrow: false, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SubscriberFailed(logger, e, "*", -1);
            }
            if (fullBatch) continue;
            try { await Task.Delay(handled == 0 ? options.Value.IdleDelay : options.Value.BusyDelay, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Handles at most one batch for one subscriber. Returns the number of interactions handled.</summary>
    public async Task<int> RunOnceAsync(IInteractionSubscriber subscriber, CancellationToken ct) =>
        (await RunPassAsync([subscriber], rethrow: true, ct)).Handled;

    /// <summary>One batch for each subscriber whose lease this node holds. A subscriber that fails is logged and retried next pass.</summary>
    private async Task<(int Handled, bool FullBatch)> RunPassAsync(IReadOnlyList<IInteractionSubscriber> due, bool rethrow, CancellationToken ct)
    {
        await _pass.WaitAsync(ct);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var now = clock.GetUtcNow().UtcDateTime;
            var positions = new List<(IInteractionSubscriber Subscriber, long Position)>();
            foreach (var subscriber in due)
                if (await LeasedPositionAsync(db, subscriber, now, ct) is { } position) positions.Add((subscriber, position));

            var handled = 0;
            var fullBatch = false;
            foreach (var group in positions.GroupBy(p => p.Position))
            {
                if (await ReadBatchAsync(db, group.Key, now, ct) is not { } batch) continue;
                fullBatch |= batch.Interactions.Count >= options.Value.BatchSize;
                foreach (var (subscriber, position) in group)
                {
                    try
                    {
                        handled += await HandleAsync(db, subscriber, position, batch, now, ct);
                    }
                    catch (Exception e) when (e is not OperationCanceledException && !rethrow)
                    {
                        Log.SubscriberFailed(logger, e, subscriber.Name, position);
                    }
                }
            }
            return (handled, fullBatch);
        }
        finally
        {
            _pass.Release();
        }
    }

    private async Task<Batch?> ReadBatchAsync(CentricDbContext db, long after, DateTime now, CancellationToken ct)
    {
        var rows = await db.Outbox.AsNoTracking().Where(m => m.Position > after)
            .OrderBy(m => m.Position).Take(options.Value.BatchSize).ToListAsync(ct);
        var ready = ContiguousPrefix(after, rows, now);
        if (ready.Count == 0) return null;
        var ids = ready.Select(r => r.InteractionId).ToList();
        var found = await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        return new Batch(ready.Where(r => found.ContainsKey(r.InteractionId)).Select(r => found[r.InteractionId]).ToList(), ready[^1].Position);
    }

    /// <summary>The subscriber's work for the batch and its checkpoint move, in one transaction.</summary>
    private async Task<int> HandleAsync(CentricDbContext db, IInteractionSubscriber subscriber, long position, Batch batch, DateTime now, CancellationToken ct)
    {
        var name = subscriber.Name;
        var until = now + options.Value.Lease;
        var moved = 0;
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                try
                {
                    await subscriber.HandleAsync(db, batch.Interactions, ct);
                    await db.SaveChangesAsync(ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    Log.SubscriberFailed(logger, e, name, position);
                    throw;
                }
                // Only the lease holder may move the checkpoint; losing the lease rolls the batch back.
                moved = await db.Checkpoints
                    .Where(c => c.Subscriber == name && c.LeaseToken == _node && c.Position == position)
                    .ExecuteUpdateAsync(s => s.SetProperty(c => c.Position, batch.Last).SetProperty(c => c.UpdatedAt, now)
                        .SetProperty(c => c.LeaseUntil, until), ct);
                if (moved == 1) await tx.CommitAsync(ct);
                else await tx.RollbackAsync(ct);
            });
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        if (moved == 1) _held[name] = (until, batch.Last);
        else _held.Remove(name);
        return moved == 1 ? batch.Interactions.Count : 0;
    }

    /// <summary>The subscriber's checkpoint position if this node holds (or now takes) its lease; otherwise null.</summary>
    private async Task<long?> LeasedPositionAsync(CentricDbContext db, IInteractionSubscriber subscriber, DateTime now, CancellationToken ct)
    {
        var name = subscriber.Name;
        if (_held.TryGetValue(name, out var held) && held.Until - now > options.Value.Lease / 2) return held.Position;
        if (!_checkpointsKnown.Contains(name))
        {
            if (!await db.Checkpoints.AnyAsync(c => c.Subscriber == name, ct))
            {
                var start = subscriber.StartsAtEnd ? await db.Outbox.MaxAsync(m => (long?)m.Position, ct) ?? 0 : 0;
                db.Checkpoints.Add(new SubscriberCheckpoint { Subscriber = name, Position = start, UpdatedAt = now });
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException) { /* another node created it first */ }
                db.ChangeTracker.Clear();
            }
            _checkpointsKnown.Add(name);
        }
        var until = now + options.Value.Lease;
        var token = _node;
        // A conditional update is atomic on both providers: exactly one node wins an expired lease.
        var taken = await db.Checkpoints
            .Where(c => c.Subscriber == name && (c.LeaseToken == null || c.LeaseToken == token || c.LeaseUntil == null || c.LeaseUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.LeaseToken, token).SetProperty(c => c.LeaseUntil, until), ct);
        if (taken != 1)
        {
            // Another node holds it, or the row is gone: look again next pass.
            _held.Remove(name);
            _checkpointsKnown.Remove(name);
            return null;
        }
        var position = await db.Checkpoints.AsNoTracking().Where(c => c.Subscriber == name).Select(c => c.Position).FirstAsync(ct);
        _held[name] = (until, position);
        return position;
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
