using System.Globalization;
using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// Takes the due steps of walks (waits that ended, timeouts, quiet hours over, webhook calls) and, every hour, brings in the
/// customers whose date came (birthday, renewal) or who went quiet for the journey's number of days. Walks are claimed before they
/// are taken, so two nodes never take one walk; a wait that fell due while the server was down is taken once when it is back.
/// </summary>
internal sealed class JourneyRunner(IServiceScopeFactory scopes, IOptionsMonitor<EngagementOptions> options, TimeProvider clock,
    JourneyNudge nudge, ILogger<JourneyRunner> logger) : BackgroundService
{
    public static readonly TimeSpan ScheduleInterval = TimeSpan.FromHours(1);
    private DateTime _scheduledAt = DateTime.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.BackgroundJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var taken = 0;
            try
            {
                if (clock.GetUtcNow().UtcDateTime - _scheduledAt >= ScheduleInterval)
                {
                    _scheduledAt = clock.GetUtcNow().UtcDateTime;
                    EngagementLog.JourneysScheduled(logger, await EnterScheduledAsync(scopes, stoppingToken));
                }
                taken = await RunDueAsync(scopes, logger, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(JourneyRunner)); }
            if (taken == 0)
            {
                try { await nudge.WaitAsync(options.CurrentValue.JourneyPollInterval, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims a batch of due walks of live journeys and takes their steps, each walk in its own unit of work; returns how many.</summary>
    public static async Task<int> RunDueAsync(IServiceScopeFactory scopes, ILogger logger, CancellationToken ct)
    {
        List<Guid> claimed;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
            var live = db.Journeys.Where(j => j.Status == JourneyStatus.Live).Select(j => j.Id);
            var due = await db.JourneyRuns.AsNoTracking()
                .Where(r => (r.Status == JourneyRunStatus.Active || r.Status == JourneyRunStatus.Waiting) && r.DueAt <= now
                    && (r.ClaimedUntil == null || r.ClaimedUntil < now) && live.Contains(r.JourneyId))
                .OrderBy(r => r.DueAt).Take(100).Select(r => r.Id).ToListAsync(ct);
            if (due.Count == 0) return 0;
            // The claim re-checks the condition row by row: of two nodes racing for a walk only one wins it.
            var token = Guid.NewGuid();
            await db.JourneyRuns.Where(r => due.Contains(r.Id) && (r.ClaimedUntil == null || r.ClaimedUntil < now))
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.ClaimToken, token).SetProperty(r => r.ClaimedUntil, now.AddMinutes(2)), ct);
            claimed = await db.JourneyRuns.AsNoTracking().Where(r => r.ClaimToken == token).Select(r => r.Id).ToListAsync(ct);
            EngagementLog.JourneyWalksClaimed(logger, claimed.Count, due.Count);
        }
        foreach (var id in claimed)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
                var walker = scope.ServiceProvider.GetRequiredService<JourneyWalker>();
                if (await db.JourneyRuns.FirstOrDefaultAsync(r => r.Id == id, ct) is not { } run) continue;
                run.ClaimToken = null;
                run.ClaimedUntil = null;
                if (run.DueAt > walker.Now || !JourneyRunStatus.Open.Contains(run.Status)) { await db.SaveChangesAsync(ct); continue; }
                var journey = await db.Journeys.AsNoTracking().FirstAsync(j => j.Id == run.JourneyId, ct);
                if (await walker.DefinitionAsync(run.JourneyId, run.Version, ct) is { } d) await walker.WalkAsync(run, journey, d, ct);
                else walker.End(run, journey, JourneyRunStatus.Exited);
                JourneyRuns.Touch(db);
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (!ct.IsCancellationRequested)
            {
                // The stream moved this walk meanwhile (its goal, its awaited interaction): the claim lapses and it is looked at again.
                EngagementLog.JourneyWalkFailed(logger, e, id);
            }
        }
        return claimed.Count;
    }

    /// <summary>Brings in the customers of date and inactivity triggers (idempotent: each occurrence has its entry key).</summary>
    public static async Task<int> EnterScheduledAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var walker = scope.ServiceProvider.GetRequiredService<JourneyWalker>();
        var zone = Zone(scope.ServiceProvider.GetRequiredService<IOptionsMonitor<EngagementOptions>>().CurrentValue.TimeZone);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(walker.Now, zone));
        var entered = 0;
        foreach (var journey in await db.Journeys.AsNoTracking().Where(j => j.Status == JourneyStatus.Live && j.LiveVersion != null).ToListAsync(ct))
        {
            if (await walker.DefinitionAsync(journey.Id, journey.LiveVersion!.Value, ct) is not { Trigger: { } t } d) continue;
            if (t.On == "date")
            {
                var needle = $"\"{t.Trait}\"";
                var candidates = await new ProfileFacts(db).Live.Where(p => p.Traits.Contains(needle)).Select(p => new { p.Id, p.Traits }).ToListAsync(ct);
                var day = today.AddDays(-(t.OffsetDays ?? 0));
                foreach (var p in candidates)
                {
                    if (DateTrait(p.Traits, t.Trait!) is not { } date) continue;
                    var hit = t.Annual == true
                        ? date.Month == day.Month && Math.Min(date.Day, DateTime.DaysInMonth(day.Year, day.Month)) == day.Day
                        : date == day;
                    if (hit && await walker.EnterAsync(journey, d, p.Id, "date:" + JourneyWalker.DateKey(day), ct) is not null) entered++;
                }
            }
            else if (t.On == "inactivity")
            {
                // Those who crossed the line within the last two days (a node down for a day still catches them); once per quiet stretch.
                var line = walker.Now.AddDays(-t.Days!.Value);
                var from = line.AddDays(-2);
                var activity = db.Interactions.Where(i => i.Type != InteractionTypes.MessageSent.Name && i.Type != InteractionTypes.JourneyEntered.Name
                    && i.Type != InteractionTypes.JourneyExited.Name && i.Type != InteractionTypes.SegmentEntered.Name && i.Type != InteractionTypes.SegmentLeft.Name);
                if (t.Type is not null) activity = db.Interactions.Where(i => i.Type == t.Type);
                var quiet = await activity.GroupBy(i => i.ProfileId).Select(g => new { ProfileId = g.Key, Last = g.Max(i => i.OccurredAt) })
                    .Where(g => g.Last <= line && g.Last > from).Take(10_000).ToListAsync(ct);
                foreach (var q in quiet)
                    if (await walker.EnterAsync(journey, d, q.ProfileId, "inactive:" + q.Last.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture), ct) is not null) entered++;
            }
        }
        await db.SaveChangesAsync(ct);
        // New walks start at once: the runner takes their first steps on its next round.
        return entered;
    }

    private static DateOnly? DateTrait(string traits, string name)
    {
        try
        {
            using var doc = JsonDocument.Parse(traits);
            return doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
                && DateOnly.TryParseExact(v.GetString()!.Length >= 10 ? v.GetString()![..10] : v.GetString(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
                ? d : null;
        }
        catch (JsonException) { return null; }
    }

    private static TimeZoneInfo Zone(string? id) => TimeZones.Find(id) ?? TimeZoneInfo.Utc;
}
