using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Segments;

/// <summary>
/// Time moves membership too: someone who bought 29 days ago is "bought in the last 30 days" today and not in two days, with no
/// interaction to say so. Every <see cref="EngagementOptions.SegmentRefreshInterval"/> (on the injected clock) this works out
/// again every rule segment whose rule has a time window or a score condition (scores are recomputed without an interaction
/// for every change), the longest-unevaluated first.
/// </summary>
internal sealed class SegmentRefreshWorker(IServiceScopeFactory scopes, IOptions<EngagementOptions> options, TimeProvider clock,
    ILogger<SegmentRefreshWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs) return;
        using var timer = new PeriodicTimer(options.Value.SegmentRefreshInterval, clock);
        do
        {
            await RefreshTimeBasedAsync(scopes, logger, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>One round: each time-based rule segment in its own unit of work, so one failing does not hold up the others.</summary>
    public static async Task<int> RefreshTimeBasedAsync(IServiceScopeFactory scopes, ILogger logger, CancellationToken ct)
    {
        List<Guid> ids;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var rules = await db.Segments.Where(s => s.Kind == SegmentKind.Rule && s.Rule != null).OrderBy(s => s.EvaluatedAt)
                .Select(s => new { s.Id, s.Rule }).ToListAsync(ct);
            ids = [.. rules.Where(s => SegmentRules.NeedsPeriodicRefresh(SegmentRules.Parse(s.Rule!))).Select(s => s.Id)];
        }
        foreach (var id in ids)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
                if (await db.Segments.FirstOrDefaultAsync(s => s.Id == id, ct) is not { } segment) continue;
                var (entered, left) = await scope.ServiceProvider.GetRequiredService<SegmentMembership>().RefreshAsync(segment, ct);
                EngagementLog.SegmentRefreshed(logger, id, entered, left);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                // A concurrent change of the same members (the stream subscriber, another node): the next round settles it.
                EngagementLog.SegmentRefreshFailed(logger, e, id);
            }
        }
        return ids.Count;
    }
}
