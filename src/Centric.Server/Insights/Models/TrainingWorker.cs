using Microsoft.Extensions.Options;

namespace Centric.Server.Insights.Models;

/// <summary>
/// Adds the scheduled runs when their slot comes (nightly by default) and works the waiting runs one at a time, on
/// whichever node claims each first. Training never runs on a request's thread.
/// </summary>
internal sealed class TrainingWorker(IServiceScopeFactory scopes, TimeProvider clock, IOptions<InsightsOptions> options, ILogger<TrainingWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundTraining) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await WorkOnceAsync(stoppingToken)) { }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(TrainingWorker)); }
            try { await Task.Delay(options.Value.PollInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass: the schedule, then at most one run. True when a run was worked (so look again at once).</summary>
    internal async Task<bool> WorkOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var runs = scope.ServiceProvider.GetRequiredService<TrainingRuns>();
        await runs.EnsureScheduledAsync(ct);
        if (await runs.ClaimNextAsync(ct) is not { } claim) return false;
        var run = await runs.FindAsync(claim.Run, ct);
        InsightsLog.TrainingStarted(logger, claim.Run, run?.Kind ?? "?", run?.Trigger ?? "?");
        try
        {
            var outcome = await runs.ExecuteAsync(claim.Run, claim.Token, null, ct);
            if (outcome.Status == TrainingStatus.Skipped) InsightsLog.TrainingSkipped(logger, claim.Run, outcome.Kind.Name(), outcome.Message);
            if (await ScoreAfterAsync(scope.ServiceProvider, outcome, ct) is { } scored)
                InsightsLog.ProfilesScored(logger, scored.Customers, (scored.Read + scored.Score + scored.Save).TotalSeconds,
                    scored.Read.TotalSeconds, scored.Score.TotalSeconds, scored.Save.TotalSeconds);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            InsightsLog.TrainingFailed(logger, e, claim.Run, run?.Kind ?? "?");
        }
        return true;
    }

    /// <summary>After a churn or lifetime value model is trained, every customer is scored again (in a scope of its own).</summary>
    internal static async Task<Scores.FullScoring?> ScoreAfterAsync(IServiceProvider services, TrainingOutcome outcome, CancellationToken ct)
    {
        if (outcome.Status != TrainingStatus.Succeeded || outcome.Kind is not (ModelKind.Churn or ModelKind.Clv)) return null;
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<Scores.ProfileScoring>()
            .ScoreAllAsync(scope.ServiceProvider.GetRequiredService<Platform.Data.CentricDbContext>(), ct);
    }
}
