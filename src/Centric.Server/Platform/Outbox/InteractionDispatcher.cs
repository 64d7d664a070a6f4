using System.Collections.Concurrent;
using System.Diagnostics;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Observability;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Outbox;

/// <summary>
/// A consumer of the interaction stream. Its work for a batch and the checkpoint advance commit in one
/// transaction on the same DbContext, so database effects happen exactly once; effects outside the
/// database (HTTP calls) must be idempotent because a batch can be handed over again after a crash.
/// Register it with <see cref="InteractionSubscriberRegistration.AddInteractionSubscriber{T}"/>: the dispatcher resolves
/// it afresh from a DI scope for each pass (one batch per subscriber), so it takes the module services it needs in its
/// constructor, and their <see cref="CentricDbContext"/> is the one the batch's transaction runs on.
/// </summary>
public interface IInteractionSubscriber
{
    /// <summary>Stable name: the checkpoint key.</summary>
    string Name { get; }

    /// <summary>A new subscriber starts at the end of the stream instead of replaying history.</summary>
    bool StartsAtEnd => false;

    /// <summary>
    /// Live fan-out to this process's open pages: every process runs its own copy from the end of the stream, its
    /// position kept in memory only (no checkpoint row, no lease). What it misses while a process is down nobody was
    /// watching there.
    /// </summary>
    bool IsLive => false;

    /// <summary>
    /// Acts for a customer while they wait (a journey's trigger, a ticket's routing, an integration's webhook): when the
    /// stream falls behind, the dispatcher serves it before the rest, which keep figures (rollups, scores, segments) and
    /// catch up once it has. Live subscribers always count as urgent.
    /// </summary>
    bool IsUrgent => false;

    Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct);
}

public static class InteractionSubscriberRegistration
{
    /// <summary>A subscriber resolved from the dispatcher's scope for each pass, with its scoped dependencies.</summary>
    /// <remarks>Also registered as itself, so a pass can resolve one subscriber without building them all.</remarks>
    public static IServiceCollection AddInteractionSubscriber<T>(this IServiceCollection services) where T : class, IInteractionSubscriber =>
        services.AddScoped<T>().AddScoped<IInteractionSubscriber>(s => s.GetRequiredService<T>());
}

public sealed class DispatcherOptions
{
    public int BatchSize { get; set; } = 500;
    /// <summary>
    /// The wait after a pass that found nothing. What this process commits ends it at once (<see cref="OutboxSignal"/>), and
    /// while those rows wait behind another open transaction the dispatcher looks again every <see cref="BusyDelay"/>, so
    /// it bounds only how late the interactions other nodes (or outside writers) commit are seen here.
    /// </summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(250);
    /// <summary>After a pass that found less than a full batch, a short pause lets the next batch gather (fewer, larger passes under load).</summary>
    public TimeSpan BusyDelay { get; set; } = TimeSpan.FromMilliseconds(50);
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>Failed attempts at one batch before the interaction it fails on is found and parked as a dead letter.</summary>
    public int MaxAttempts { get; set; } = 5;
    /// <summary>
    /// How long the subscribers that are not urgent may wait while the urgent ones are behind (see
    /// <see cref="IInteractionSubscriber.IsUrgent"/>); after that they get a pass beside them whatever the backlog.
    /// </summary>
    public TimeSpan MaxDeferral { get; set; } = TimeSpan.FromSeconds(2);
    public bool Enabled { get; set; } = true;
}

/// <summary>A place in the stream: rows are ordered by writing transaction, then position (see <see cref="OutboxMessage.TransactionId"/>).</summary>
public readonly record struct StreamPosition(long TransactionId, long Position);

/// <summary>
/// Delivers interactions to every subscriber at least once, in stream order, each with its own checkpoint.
/// A subscriber is worked by one node at a time: the node holding its lease in the checkpoint row.
/// A pass reads the outbox once for all subscribers standing at the same position (usually all of them).
/// An interaction a subscriber fails on <see cref="DispatcherOptions.MaxAttempts"/> times is parked as a
/// <see cref="DeadLetter"/> so the rest of the stream still reaches it.
/// </summary>
public sealed class InteractionDispatcher(
    IServiceScopeFactory scopes, IOptions<DispatcherOptions> options, IOptions<DatabaseOptions> database, OutboxSignal signal,
    TimeProvider clock, CentricMetrics metrics, ILogger<InteractionDispatcher> logger) : BackgroundService
{
    /// <summary>
    /// PostgreSQL: the oldest transaction that may still write to this database, from the statement's own snapshot:
    /// its oldest running transaction id, leaving out ones that belong to other databases of the cluster (they cannot
    /// write here, and a long one there must not hold this stream back) and autovacuum's (it writes no outbox rows, and
    /// its vacuum of a large table held an id for seconds, holding every later commit back with it), and at most the
    /// snapshot's xmax, from which on every id is still unassigned or running. Rows of transactions below it are final:
    /// none can still appear.
    /// </summary>
    private const string Horizon = """
        (SELECT LEAST(pg_snapshot_xmax(s.snap)::text::bigint,
            (SELECT min(t.x::text::bigint) FROM pg_snapshot_xip(s.snap) AS t(x)
             WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                               WHERE (a.datname <> current_database() OR a.backend_type = 'autovacuum worker')
                               AND a.backend_xid::text::bigint = (t.x::text::bigint & 4294967295))
               AND NOT EXISTS (SELECT 1 FROM pg_prepared_xacts p WHERE p.database <> current_database()
                               AND p.transaction::text::bigint = (t.x::text::bigint & 4294967295))))
         FROM (SELECT pg_current_snapshot() AS snap) s)
        """;

    /// <summary>
    /// PostgreSQL: only rows whose writing transaction is below the <see cref="Horizon"/>, in (transaction, position)
    /// order, so a row that commits later, however late, is never passed over. A long-running writer holds the stream
    /// back until it ends; it never loses a row.
    /// </summary>
    private const string SettledRows = $$"""
        SELECT * FROM platform_outbox
        WHERE ("TransactionId", "Position") > ({0}, {1}) AND "TransactionId" < {{Horizon}}
        ORDER BY "TransactionId", "Position"
        LIMIT {2}
        """;

    /// <summary>
    /// PostgreSQL: whether any committed row lies after a position. Asked after a pass that handled nothing, so such a row
    /// was held back (at or above the <see cref="Horizon"/>) when the pass read, and may be settled by now: the holding
    /// transaction can end between the pass and this question, and then nothing else would wake the dispatcher.
    /// </summary>
    private const string RowsAfter = """
        SELECT EXISTS (SELECT 1 FROM platform_outbox WHERE ("TransactionId", "Position") > ({0}, {1})) AS "Value"
        """;

    private readonly Guid _node = Guid.NewGuid();
    private readonly SemaphoreSlim _urgentPass = new(1, 1), _othersPass = new(1, 1);
    private readonly ConcurrentDictionary<string, bool> _checkpointsKnown = [];   // both lanes look here

    /// <summary>Whether the last pass left an urgent subscriber behind (it read a full batch), and when the rest last had a pass.</summary>
    private volatile bool _urgentBehind;
    private DateTime _othersRanAt;

    /// <summary>
    /// Leases this node holds, with the checkpoint position: while a lease is held nobody else can move that
    /// checkpoint, so neither needs reading again until the lease is half spent.
    /// </summary>
    private readonly ConcurrentDictionary<string, (DateTime Until, StreamPosition Position)> _held = [];

    /// <summary>Live subscribers' positions: in memory only, per process.</summary>
    private readonly ConcurrentDictionary<string, StreamPosition> _live = [];

    /// <summary>Consecutive failed attempts per subscriber at the batch after a position.</summary>
    private readonly ConcurrentDictionary<string, (StreamPosition At, int Attempts, DateTime FirstAt)> _failures = [];

    private readonly record struct Batch(IReadOnlyList<Interaction> Interactions, IReadOnlyList<StreamPosition> Positions, StreamPosition Last);

    /// <summary>Which subscribers a loop of passes works: the urgent, the rest, or (SQLite, one writer at a time) all.</summary>
    private enum Lane { All, Urgent, Others }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        // Under a backlog the urgent subscribers go first (IInteractionSubscriber.IsUrgent). On PostgreSQL they have a loop
        // of passes of their own, so a slow pass of the rest (a rollup waiting on a lock, a checkpoint's slow commits) never
        // holds up a journey's trigger; the other loop stands aside while they are behind. On SQLite, one writer at a time,
        // one loop takes them in turn and leaves the rest out of its passes while the urgent are behind.
        if (database.Value.IsPostgres) await Task.WhenAll(LoopAsync(Lane.Urgent, stoppingToken), LoopAsync(Lane.Others, stoppingToken));
        else await LoopAsync(Lane.All, stoppingToken);
    }

    private async Task LoopAsync(Lane lane, CancellationToken stoppingToken)
    {
        // This process committed rows that no pass has yet been seen to settle: on PostgreSQL they may wait behind another
        // writer's open transaction (the horizon), a writer that may commit nothing and so never signal. Until no row is left
        // after an empty pass, another pass follows soon instead of the idle wait.
        var woken = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            var committed = signal.Next;   // taken before the pass, so a commit during it is not missed
            var (handled, fullBatch, waiting) = (0, false, false);
            try
            {
                if (lane == Lane.Others && OthersWait(clock.GetUtcNow().UtcDateTime)) waiting = true;
                else
                {
                    (handled, fullBatch) = await RunPassAsync(lane, only: null, rethrow: false, stoppingToken);
                    if (handled == 0 && woken) woken = waiting = await RowsWaitingAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.SubscriberFailed(logger, e, "*", -1);
            }
            try
            {
                if (fullBatch) { /* straight on */ }
                else if (handled > 0 || waiting) await Task.Delay(options.Value.BusyDelay, clock, stoppingToken);
                else await IdleAsync(committed, stoppingToken);
            }
            catch (OperationCanceledException) { return; }
            woken |= committed.IsCompleted;
        }
    }

    /// <summary>
    /// Whether the subscribers that are not urgent stand aside now: an urgent one was left behind by its last pass (it read a
    /// full batch), and the rest have not waited <see cref="DispatcherOptions.MaxDeferral"/> yet.
    /// </summary>
    private bool OthersWait(DateTime now) => _urgentBehind && now - _othersRanAt < options.Value.MaxDeferral;

    /// <summary>
    /// Waits out <see cref="DispatcherOptions.IdleDelay"/>, or less when this process commits interactions meanwhile. (Under
    /// load the busy delay applies instead, unbroken, so batches still gather.)
    /// </summary>
    private async Task IdleAsync(Task committed, CancellationToken stoppingToken)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        await Task.WhenAny(Task.Delay(options.Value.IdleDelay, clock, idle.Token), committed);
        await idle.CancelAsync();   // stops the timer when the commit came first
        stoppingToken.ThrowIfCancellationRequested();
    }

    /// <summary>
    /// Handles at most one batch for the subscriber of that name. Returns the number of interactions handled. A failure is
    /// thrown (and counted) unless it was the last allowed attempt, after which the failing interaction is parked.
    /// </summary>
    public async Task<int> RunOnceAsync(string subscriber, CancellationToken ct) =>
        (await RunPassAsync(Lane.All, subscriber, rethrow: true, ct)).Handled;

    /// <summary>
    /// One batch for each subscriber (or the one named <paramref name="only"/>) whose lease this node holds. The subscribers
    /// and their dependencies come from this pass's own scope, as does the DbContext they work on. A subscriber that
    /// fails is logged and retried next pass.
    /// </summary>
    private async Task<(int Handled, bool FullBatch)> RunPassAsync(Lane lane, string? only, bool rethrow, CancellationToken ct)
    {
        // A lane's passes follow one another; a pass for one named subscriber (tests, the demo's seeding) waits for both lanes.
        SemaphoreSlim[] turns = lane switch { Lane.Urgent => [_urgentPass], Lane.Others => [_othersPass], _ => [_urgentPass, _othersPass] };
        var taken = 0;
        try
        {
            for (; taken < turns.Length; taken++) await turns[taken].WaitAsync(ct);
            return await RunPassAsync(lane, only, rethrow, clock.GetUtcNow().UtcDateTime, ct);
        }
        finally
        {
            for (var i = 0; i < taken; i++) turns[i].Release();
        }
    }

    private async Task<(int Handled, bool FullBatch)> RunPassAsync(Lane lane, string? only, bool rethrow, DateTime now, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var due = scope.ServiceProvider.GetServices<IInteractionSubscriber>()
            .Where(s => only is not null ? s.Name == only : lane == Lane.All || (lane == Lane.Urgent) == Urgent(s)).ToList();
        if (only is not null && due.Count == 0) throw new InvalidOperationException($"No subscriber named {only} runs in this server.");
        // One loop for all (SQLite): while the urgent are behind, its passes are theirs alone.
        if (only is null && lane == Lane.All && OthersWait(now)) due = due.Where(Urgent).ToList();
        else if (only is null && lane != Lane.Urgent) _othersRanAt = now;
        var positions = new List<(IInteractionSubscriber Subscriber, StreamPosition Position)>();
        foreach (var subscriber in due)
        {
            if (subscriber.IsLive) positions.Add((subscriber, await LivePositionAsync(db, subscriber, ct)));
            else if (await LeasedPositionAsync(db, subscriber, now, ct) is { } position) positions.Add((subscriber, position));
        }

        var groups = positions.GroupBy(p => p.Position, p => p.Subscriber).ToList();
        IReadOnlyList<(int Handled, bool FullBatch)> results;
        if (db.IsPostgres && groups.Count > 1)
        {
            // Subscribers at different positions (one fell behind on a failure, a slow pass or a late lease) read and run
            // side by side too. One after another, a pass would take the sum of their times instead of the longest, and
            // under load they would never draw level again: that turned a checkpoint's slow seconds into a stall lasting
            // as long as the load did.
            results = await Task.WhenAll(groups.Select(group => Task.Run(async () =>
            {
                await using var own = scopes.CreateAsyncScope();
                return await RunGroupAsync(own.ServiceProvider, group.Key, [.. group], now, rethrow, ct);
            }, ct)));
        }
        else
        {
            var list = new List<(int, bool)>();
            foreach (var group in groups) list.Add(await RunGroupAsync(scope.ServiceProvider, group.Key, [.. group], now, rethrow, ct));
            results = list;
        }
        if (only is null && lane != Lane.Others) _urgentBehind = groups.Zip(results).Any(g => g.Second.FullBatch && g.First.Any(Urgent));
        return (results.Sum(r => r.Handled), results.Any(r => r.FullBatch));
    }

    /// <summary>
    /// One batch after <paramref name="position"/>, read once and handed to every subscriber standing there. Each subscriber
    /// is resolved from the scope whose <see cref="CentricDbContext"/> it works on, so the module services it was given share
    /// its batch's transaction.
    /// </summary>
    private async Task<(int Handled, bool FullBatch)> RunGroupAsync(IServiceProvider services, StreamPosition position,
        IReadOnlyList<IInteractionSubscriber> group, DateTime now, bool rethrow, CancellationToken ct)
    {
        var db = services.GetRequiredService<CentricDbContext>();
        var reading = Stopwatch.GetTimestamp();
        if (await ReadBatchAsync(db, position, ct) is not { } batch) return (0, false);
        var fullBatch = batch.Positions.Count >= options.Value.BatchSize;
        var handling = Stopwatch.GetTimestamp();
        var handled = 0;
        if (db.IsPostgres && group.Count > 1)
        {
            // Side by side, each on the thread pool in a scope, a connection and a transaction of its own: a pass then
            // takes as long as its slowest subscriber rather than all of them added up, and their commits wait on the
            // disk together. Each keeps its own checkpoint, so the order within every subscriber is unchanged. (SQLite
            // has one writer at a time: there they take turns, on the pass's context.)
            var lanes = group.Select(subscriber => Task.Run(async () =>
            {
                await using var lane = scopes.CreateAsyncScope();
                return await DeliverAsync(lane.ServiceProvider.GetRequiredService<CentricDbContext>(), Resolve(lane.ServiceProvider, subscriber),
                    position, batch, now, rethrow, ct);
            }, ct));
            handled += (await Task.WhenAll(lanes)).Sum();
        }
        else
        {
            foreach (var subscriber in group)
                handled += await DeliverAsync(db, Resolve(services, subscriber), position, batch, now, rethrow, ct);
        }
        if (logger.IsEnabled(LogLevel.Debug))
            Log.PassHandled(logger, group.Count, batch.Interactions.Count, (long)Stopwatch.GetElapsedTime(reading, handling).TotalMilliseconds,
                (long)Stopwatch.GetElapsedTime(handling).TotalMilliseconds);
        return (handled, fullBatch);
    }

    private static bool Urgent(IInteractionSubscriber subscriber) => subscriber.IsUrgent || subscriber.IsLive;

    /// <summary>The subscriber's own instance in <paramref name="services"/>' scope (the same one when it came from there).</summary>
    private static IInteractionSubscriber Resolve(IServiceProvider services, IInteractionSubscriber subscriber) =>
        services.GetService(subscriber.GetType()) as IInteractionSubscriber
        ?? services.GetServices<IInteractionSubscriber>().First(s => s.Name == subscriber.Name);

    /// <summary>
    /// One subscriber's turn at a batch: handled, or on a failure logged and counted (and rethrown when asked), or after the
    /// last allowed attempt taken apart so the failing interaction is parked.
    /// </summary>
    private async Task<int> DeliverAsync(CentricDbContext db, IInteractionSubscriber subscriber, StreamPosition position, Batch batch, DateTime now,
        bool rethrow, CancellationToken ct)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var handled = await HandleAsync(db, subscriber, position, batch, now, ct);
            // Debug level: where a pass spends its time, subscriber by subscriber, when the stream falls behind.
            if (logger.IsEnabled(LogLevel.Debug))
                Log.SubscriberHandled(logger, subscriber.Name, batch.Interactions.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            _failures.TryRemove(subscriber.Name, out _);
            return handled;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Log.SubscriberFailed(logger, e, subscriber.Name, position.Position);
            if (Failed(subscriber.Name, position, now) is var (attempts, firstAt) && attempts >= options.Value.MaxAttempts)
            {
                var handled = await IsolateAsync(db, subscriber, position, batch, attempts, firstAt, now, ct);
                _failures.TryRemove(subscriber.Name, out _);
                return handled;
            }
            if (rethrow) throw;
            return 0;
        }
    }

    /// <summary>Counts a failed attempt at the batch after <paramref name="at"/>; a subscriber that moved on starts counting afresh.</summary>
    private (int Attempts, DateTime FirstAt) Failed(string name, StreamPosition at, DateTime now)
    {
        var (attempts, firstAt) = _failures.TryGetValue(name, out var f) && f.At == at ? (f.Attempts + 1, f.FirstAt) : (1, now);
        _failures[name] = (at, attempts, firstAt);
        return (attempts, firstAt);
    }

    private async Task<Batch?> ReadBatchAsync(CentricDbContext db, StreamPosition after, CancellationToken ct)
    {
        var rows = db.IsPostgres
            ? await db.Outbox.FromSqlRaw(SettledRows, after.TransactionId, after.Position, options.Value.BatchSize).AsNoTracking().ToListAsync(ct)
            // SQLite has one writer at a time and its positions are assigned inside the write lock, so rows become
            // visible in position order, and a rolled-back write returns its positions (AUTOINCREMENT's counter rolls
            // back with it): every row below a visible one is visible, and nothing can appear behind the checkpoint.
            : await db.Outbox.AsNoTracking().Where(m => m.Position > after.Position)
                .OrderBy(m => m.Position).Take(options.Value.BatchSize).ToListAsync(ct);
        if (rows.Count == 0) return null;
        var ids = rows.Select(r => r.InteractionId).ToList();
        var found = await db.Interactions.AsNoTracking().Where(i => ids.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        var present = rows.Where(r => found.ContainsKey(r.InteractionId)).ToList();
        return new Batch(present.Select(r => found[r.InteractionId]).ToList(), present.Select(At).ToList(), At(rows[^1]));
    }

    /// <summary>
    /// PostgreSQL: whether rows past the furthest-behind position this node works from are still to be delivered, after a
    /// pass that delivered none of them: held back, or settled since. SQLite's rows are settled once visible.
    /// </summary>
    private async Task<bool> RowsWaitingAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        if (!db.IsPostgres) return false;
        var positions = _held.Values.Select(h => h.Position).Concat(_live.Values).ToList();
        if (positions.Count == 0) return false;
        var (transaction, position) = positions.Min(p => (p.TransactionId, p.Position));
        return await db.Database.SqlQueryRaw<bool>(RowsAfter, transaction, position).SingleAsync(ct);
    }

    private static StreamPosition At(OutboxMessage row) => new(row.TransactionId, row.Position);

    /// <summary>The subscriber's work for the batch and its checkpoint move, in one transaction.</summary>
    private async Task<int> HandleAsync(CentricDbContext db, IInteractionSubscriber subscriber, StreamPosition position, Batch batch, DateTime now, CancellationToken ct)
    {
        if (subscriber.IsLive)
        {
            try
            {
                await subscriber.HandleAsync(db, batch.Interactions, ct);
                await db.SaveChangesAsync(ct);
            }
            finally
            {
                db.ChangeTracker.Clear();
            }
            _live[subscriber.Name] = batch.Last;
            return batch.Interactions.Count;
        }

        var moved = false;
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await subscriber.HandleAsync(db, batch.Interactions, ct);
                await db.SaveChangesAsync(ct);
                moved = await MoveCheckpointAsync(db, subscriber.Name, position, batch.Last, now, ct);
                if (moved) await tx.CommitAsync(ct);
                else await tx.RollbackAsync(ct);
            });
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
        return moved ? batch.Interactions.Count : 0;
    }

    /// <summary>Only the lease holder may move the checkpoint, and only from where it read it; otherwise the caller rolls back.</summary>
    private async Task<bool> MoveCheckpointAsync(CentricDbContext db, string name, StreamPosition from, StreamPosition to, DateTime now, CancellationToken ct)
    {
        var until = now + options.Value.Lease;
        var moved = await db.Checkpoints
            .Where(c => c.Subscriber == name && c.LeaseToken == _node && c.TransactionId == from.TransactionId && c.Position == from.Position)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.TransactionId, to.TransactionId).SetProperty(c => c.Position, to.Position)
                .SetProperty(c => c.UpdatedAt, now).SetProperty(c => c.LeaseUntil, until), ct) == 1;
        if (moved) _held[name] = (until, to);
        else _held.TryRemove(name, out _);
        return moved;
    }

    /// <summary>
    /// The batch failed on its last allowed attempt: hand it over one interaction at a time, so the ones before the
    /// culprit are delivered, and park the culprit. The rest of the batch follows in the next pass as usual.
    /// </summary>
    private async Task<int> IsolateAsync(CentricDbContext db, IInteractionSubscriber subscriber, StreamPosition position, Batch batch,
        int attempts, DateTime firstAt, DateTime now, CancellationToken ct)
    {
        var at = position;
        var handled = 0;
        for (var i = 0; i < batch.Interactions.Count; i++)
        {
            var single = new Batch([batch.Interactions[i]], [batch.Positions[i]], batch.Positions[i]);
            try
            {
                var moved = await HandleAsync(db, subscriber, at, single, now, ct);
                if (moved == 0 && !subscriber.IsLive) return handled;   // the lease was lost
                handled += moved;
                at = single.Last;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await ParkAsync(db, subscriber, at, single, e, attempts + 1, firstAt, now, ct);
                return handled;
            }
        }
        // Every interaction went through on its own (the failure was the batch's, or passed): the batch is done.
        if (!subscriber.IsLive && at != batch.Last) await MoveCheckpointAsync(db, subscriber.Name, at, batch.Last, now, ct);
        else if (subscriber.IsLive) _live[subscriber.Name] = batch.Last;
        return handled;
    }

    /// <summary>Records the dead letter and moves the checkpoint past it in one transaction (a live view just moves on).</summary>
    private async Task ParkAsync(CentricDbContext db, IInteractionSubscriber subscriber, StreamPosition from, Batch single, Exception error,
        int attempts, DateTime firstAt, DateTime now, CancellationToken ct)
    {
        var interaction = single.Interactions[0];
        metrics.DeadLettered(subscriber.Name);
        Log.DeadLettered(logger, error, subscriber.Name, interaction.Id, single.Last.Position, attempts);
        if (subscriber.IsLive)
        {
            _live[subscriber.Name] = single.Last;
            return;
        }
        var text = error.ToString();
        try
        {
            var strategy = db.Database.CreateExecutionStrategy();
            await strategy.ExecuteAsync(async () =>
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                var letter = await db.DeadLetters.FirstOrDefaultAsync(d => d.Subscriber == subscriber.Name && d.InteractionId == interaction.Id, ct);
                if (letter is null)
                {
                    db.DeadLetters.Add(letter = new DeadLetter
                    {
                        Subscriber = subscriber.Name, InteractionId = interaction.Id, Error = "", FirstFailedAt = firstAt,
                    });
                }
                letter.TransactionId = single.Last.TransactionId;
                letter.Position = single.Last.Position;
                letter.Error = text.Length > 4000 ? text[..4000] : text;
                letter.Attempts += attempts;
                letter.LastFailedAt = now;
                await db.SaveChangesAsync(ct);
                if (await MoveCheckpointAsync(db, subscriber.Name, from, single.Last, now, ct)) await tx.CommitAsync(ct);
                else await tx.RollbackAsync(ct);
            });
        }
        finally
        {
            db.ChangeTracker.Clear();
        }
    }

    /// <summary>A live subscriber's position; the first time, the end of the stream.</summary>
    private async Task<StreamPosition> LivePositionAsync(CentricDbContext db, IInteractionSubscriber subscriber, CancellationToken ct)
    {
        if (_live.TryGetValue(subscriber.Name, out var position)) return position;
        return _live[subscriber.Name] = await EndOfStreamAsync(db, ct);
    }

    /// <summary>
    /// Where a subscriber that starts at the end begins: after every row that is final now. On PostgreSQL rows of
    /// transactions still running come after it, so nothing committed from here on is missed.
    /// </summary>
    private static async Task<StreamPosition> EndOfStreamAsync(CentricDbContext db, CancellationToken ct)
    {
        if (!db.IsPostgres) return new(0, await db.Outbox.MaxAsync(m => (long?)m.Position, ct) ?? 0);
        var horizon = await db.Database.SqlQueryRaw<long>("SELECT " + Horizon + " AS \"Value\"").SingleAsync(ct);
        return new(horizon - 1, long.MaxValue);
    }

    /// <summary>The subscriber's checkpoint position if this node holds (or now takes) its lease; otherwise null.</summary>
    private async Task<StreamPosition?> LeasedPositionAsync(CentricDbContext db, IInteractionSubscriber subscriber, DateTime now, CancellationToken ct)
    {
        var name = subscriber.Name;
        if (_held.TryGetValue(name, out var held) && held.Until - now > options.Value.Lease / 2) return held.Position;
        if (!_checkpointsKnown.ContainsKey(name))
        {
            if (!await db.Checkpoints.AnyAsync(c => c.Subscriber == name, ct))
            {
                var start = subscriber.StartsAtEnd ? await EndOfStreamAsync(db, ct) : default;
                db.Checkpoints.Add(new SubscriberCheckpoint { Subscriber = name, TransactionId = start.TransactionId, Position = start.Position, UpdatedAt = now });
                try { await db.SaveChangesAsync(ct); }
                catch (DbUpdateException) { /* another node created it first */ }
                db.ChangeTracker.Clear();
            }
            _checkpointsKnown[name] = true;
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
            _held.TryRemove(name, out _);
            _checkpointsKnown.TryRemove(name, out _);
            return null;
        }
        var position = await db.Checkpoints.AsNoTracking().Where(c => c.Subscriber == name)
            .Select(c => new StreamPosition(c.TransactionId, c.Position)).FirstAsync(ct);
        _held[name] = (until, position);
        return position;
    }
}
