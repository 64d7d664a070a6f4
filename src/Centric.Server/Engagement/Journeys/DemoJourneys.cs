using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// Gives the demo's journeys walks to show: the last days of the demo history are played through the live journeys on a clock
/// that follows the history, hour by hour, by the same subscriber and runner the server uses — so carts are reminded, orders
/// convert, the holdout waits, and the reports and timelines have true figures.
/// </summary>
internal static class DemoJourneys
{
    public static async Task<int> PlayAsync(DemoWorld world, DateTime now, int days, CancellationToken ct)
    {
        var from = now.AddDays(-days);
        var clock = new DemoClock(new DateTimeOffset(DateTime.SpecifyKind(from, DateTimeKind.Utc)));
        await using var provider = world.Build(clock);
        var scopes = provider.GetRequiredService<IServiceScopeFactory>();
        List<Interaction> history;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var walker = scope.ServiceProvider.GetRequiredService<JourneyWalker>();
            var types = new HashSet<string>(StringComparer.Ordinal);
            foreach (var j in await db.Journeys.AsNoTracking().Where(j => j.Status == JourneyStatus.Live).ToListAsync(ct))
            {
                if (await walker.DefinitionAsync(j.Id, j.LiveVersion!.Value, ct) is not { } d) continue;
                if (d.Trigger?.Type is { } t && d.Trigger.On == "interaction") types.Add(t);
                if (d.Goal?.Type is { } g) types.Add(g);
                foreach (var s in d.Steps ?? []) if (s.Event?.Type is { } e) types.Add(e);
            }
            history = await db.Interactions.AsNoTracking().Where(i => i.OccurredAt >= from && i.OccurredAt <= now && types.Contains(i.Type))
                .OrderBy(i => i.OccurredAt).ToListAsync(ct);
        }
        foreach (var hour in history.GroupBy(i => new DateTime(i.OccurredAt.Year, i.OccurredAt.Month, i.OccurredAt.Day, i.OccurredAt.Hour, 0, 0, DateTimeKind.Utc)))
        {
            clock.MoveTo(hour.Key.AddHours(1));
            while (await JourneyRunner.RunDueAsync(scopes, NullLogger.Instance, ct) > 0) { }
            await using var scope = scopes.CreateAsyncScope();
            var subscriber = scope.ServiceProvider.GetServices<IInteractionSubscriber>().First(s => s is JourneySubscriber);
            await subscriber.HandleAsync(scope.ServiceProvider.GetRequiredService<CentricDbContext>(), [.. hour], ct);
        }
        clock.MoveTo(now);
        while (await JourneyRunner.RunDueAsync(scopes, NullLogger.Instance, ct) > 0) { }
        await using (var scope = scopes.CreateAsyncScope())
            return await scope.ServiceProvider.GetRequiredService<CentricDbContext>().JourneyRuns.CountAsync(ct);
    }
}
