using Centric.Server.Support.Automation;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Sla;

/// <summary>Runs the SLA sweep (warnings, escalations, waiting assignments, auto-close) every Support:Automation:SweepInterval.</summary>
internal sealed class SlaSweep(IServiceScopeFactory scopes, TimeProvider clock, IOptions<SupportAutomationOptions> options, ILogger<SlaSweep> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SlaClock>().RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(SlaSweep)); }
            try { await Task.Delay(options.Value.SweepInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
