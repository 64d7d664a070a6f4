using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Centric.Server.Platform.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Observability;

/// <summary>How far the interaction stream's consumers are behind, as of the last sample.</summary>
public sealed record StreamState(long OutboxDepth, double LagSeconds, long WebhookBacklog);

public sealed class ObservabilityOptions
{
    public const string Section = "Observability";

    /// <summary>How often the stream's depth, lag and webhook backlog are read from the database.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>/health/ready answers Unhealthy while the slowest durable subscriber is further behind than this.</summary>
    public TimeSpan ReadyMaxDispatcherLag { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Serve Prometheus metrics at /metrics (restrict it to the scraper at the proxy).</summary>
    public bool PrometheusEndpoint { get; set; } = true;
}

/// <summary>
/// Samples the stream's health in the background, so metrics scrapes and readiness probes never query the
/// database themselves. Only subscribers this process runs count: a checkpoint left by a subscriber that no longer
/// exists would otherwise look like a stream that never moves.
/// </summary>
public sealed class StreamSampler(IServiceScopeFactory scopes,
    IOptions<ObservabilityOptions> options, TimeProvider clock, ILogger<StreamSampler> logger) : BackgroundService
{
    public StreamState Current { get; private set; } = new(0, 0, 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                Current = await SampleAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Log.WorkerFailed(logger, e, nameof(StreamSampler));
            }
            try { await Task.Delay(options.Value.SampleInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task<StreamState> SampleAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var subscribers = scope.ServiceProvider.GetServices<IInteractionSubscriber>().ToList();
        var names = subscribers.Select(s => s.Name).ToList();
        var checkpoints = await db.Checkpoints.AsNoTracking().Where(c => names.Contains(c.Subscriber))
            .ToDictionaryAsync(c => c.Subscriber, c => new StreamPosition(c.TransactionId, c.Position), ct);
        // A durable subscriber that has not started yet will read the stream from its beginning (unless it starts at the end).
        var slowest = subscribers.Where(s => !s.IsLive && (checkpoints.ContainsKey(s.Name) || !s.StartsAtEnd))
            .Select(s => checkpoints.TryGetValue(s.Name, out var at) ? at : new StreamPosition(0, 0))
            .OrderBy(p => p.TransactionId).ThenBy(p => p.Position).Select(p => (StreamPosition?)p).FirstOrDefault();
        var now = clock.GetUtcNow().UtcDateTime;
        long depth = 0;
        double lag = 0;
        if (slowest is { } from)
        {
            // Rows are handed over in (writing transaction, position) order; everything past the slowest checkpoint is waiting.
            var waiting = db.Outbox.AsNoTracking().After(from);
            depth = await waiting.LongCountAsync(ct);
            var oldest = depth == 0 ? null : await waiting.MinAsync(m => (DateTime?)m.CreatedAt, ct);
            lag = oldest is { } at ? Math.Max(0, (now - at).TotalSeconds) : 0;
        }
        var backlog = await db.WebhookDeliveries.AsNoTracking().LongCountAsync(d => d.Status == WebhookDeliveryStatus.Pending, ct);
        return new StreamState(depth, lag, backlog);
    }
}
