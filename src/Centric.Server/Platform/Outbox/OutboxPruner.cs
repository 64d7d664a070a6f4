using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Outbox;

public sealed class OutboxRetentionOptions
{
    /// <summary>Outbox rows every durable subscriber has handled are kept this long, then deleted (interactions stay).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);
    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// Keeps the outbox from growing for ever: rows behind the slowest durable checkpoint (in stream order) and older than
/// the retention period are deleted in bounded chunks (and API idempotency keys past their 30 days). The interactions themselves are the record and are never pruned
/// here; the outbox is only the delivery queue. Every node may run it: the delete is idempotent.
/// </summary>
public sealed class OutboxPruner(IServiceScopeFactory scopes, IOptions<OutboxRetentionOptions> options, TimeProvider clock,
    ILogger<OutboxPruner> logger) : BackgroundService
{
    private const int Chunk = 5000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await PruneAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WorkerFailed(logger, e, nameof(OutboxPruner));
            }
            try { await Task.Delay(options.Value.Interval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Deletes what may go now; returns how many rows were deleted.</summary>
    public async Task<int> PruneAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        // Idempotency keys are answered for 30 days (the orders and payments they made keep their own keys for ever).
        await db.IdempotencyRecords.Where(r => r.CreatedAt < clock.GetUtcNow().UtcDateTime - Http.IdempotencyKeys.Kept).ExecuteDeleteAsync(ct);
        var checkpoints = await db.Checkpoints.AsNoTracking().Select(c => new StreamPosition(c.TransactionId, c.Position)).ToListAsync(ct);
        if (checkpoints.Count == 0) return 0;
        var slowest = checkpoints.OrderBy(c => c.TransactionId).ThenBy(c => c.Position).First();
        var before = clock.GetUtcNow().UtcDateTime - options.Value.Retention;
        var deleted = 0;
        while (true)
        {
            var chunk = await db.Outbox.AsNoTracking()
                .Where(m => (m.TransactionId < slowest.TransactionId || (m.TransactionId == slowest.TransactionId && m.Position <= slowest.Position))
                    && m.CreatedAt < before)
                .OrderBy(m => m.Position).Select(m => m.Position).Take(Chunk).ToListAsync(ct);
            if (chunk.Count == 0) return deleted;
            deleted += await db.Outbox.Where(m => chunk.Contains(m.Position)).ExecuteDeleteAsync(ct);
        }
    }
}
