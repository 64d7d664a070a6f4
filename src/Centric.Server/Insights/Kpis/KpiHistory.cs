using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// The stream keeps only recent rows, so the rollup subscriber alone would start the KPIs and the cost to serve from the
/// day it was installed. At start, when the timeline's oldest rollup interactions are not rolled up yet and the stream no
/// longer holds them for the subscriber (an older database whose stream was pruned, a rollup added by an upgrade), this
/// rolls up the whole history from the timeline, a page at a time, oldest first, then the day rows (<see cref="KpiDay"/>)
/// when they do not add up to the facts. History the stream still holds (a demo just seeded, a young database) is left to
/// the subscriber: both reading it at once would do the work twice and collide. Idempotent like the subscriber, so both
/// may still run at once (and on several nodes): a page that meets a row the other just wrote is read again.
/// </summary>
internal sealed class KpiHistory(IServiceScopeFactory scopes, ILogger<KpiHistory> logger) : BackgroundService
{
    private const int PageSize = 2000;

    /// <summary>A visit per customer, channel and UTC day with a product view ({day}: the provider's date of "OccurredAt").</summary>
    private const string VisitsSql = """
        INSERT INTO insights_product_visits ("Day", "Channel", "ProfileId")
        SELECT DISTINCT {day}, "Channel", "ProfileId" FROM customers_interactions WHERE "Type" = {0}
        ON CONFLICT DO NOTHING
        """;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var rolled = await RollUpAsync(db, stoppingToken);
            if (rolled > 0) InsightsLog.KpiHistoryRolledUp(logger, rolled);
            var visits = await RollUpVisitsAsync(db, stoppingToken);
            if (visits > 0) InsightsLog.KpiVisitsRolledUp(logger, visits);
            // A database from before the day rows: make them from the facts.
            if (!await KpiDays.AddUpAsync(db, stoppingToken))
                InsightsLog.KpiDaysRebuilt(logger, await KpiDays.RebuildAsync(db, stoppingToken));
            // A database from before the customer-day sets: make them from the facts.
            if (!await CustomerDays.UpToDateAsync(db, stoppingToken))
                InsightsLog.CustomerDaysRebuilt(logger, await CustomerDays.RebuildAsync(db, stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(KpiHistory)); }
    }

    /// <summary>Rolls up the timeline's history when its oldest rollup interactions are missing; returns how many interactions it read.</summary>
    public static async Task<int> RollUpAsync(CentricDbContext db, CancellationToken ct)
    {
        var oldest = await PageAsync(db, null, ct);
        if (oldest.Count == 0 || await KpiRollups.RolledUpAsync(db, oldest, ct) || await StreamHoldsAsync(db, oldest[0].Id, ct)) return 0;
        var read = 0;
        var page = oldest;
        while (page.Count > 0)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await KpiRollups.AddAsync(db, page, ct);
                    break;
                }
                catch (DbUpdateException) when (attempt < 3)
                {
                    db.ChangeTracker.Clear();   // the subscriber wrote one of these rows meanwhile: read the page again
                }
            }
            db.ChangeTracker.Clear();
            read += page.Count;
            page = await PageAsync(db, (page[^1].OccurredAt, page[^1].Id), ct);
        }
        return read;
    }

    /// <summary>
    /// Makes the visits of every product view on the timeline in one statement, when the oldest view has none (views are
    /// most of a timeline: a page at a time would take hours on a large one), then the day rows. Returns how many visits it added.
    /// </summary>
    public static async Task<int> RollUpVisitsAsync(CentricDbContext db, CancellationToken ct)
    {
        var viewed = InteractionTypes.ProductViewed.Name;
        var oldest = await db.Interactions.AsNoTracking().Where(i => i.Type == viewed).OrderBy(i => i.OccurredAt)
            .Select(i => new { i.Id, i.OccurredAt, i.Channel, i.ProfileId }).FirstOrDefaultAsync(ct);
        if (oldest is null) return 0;
        var day = DateOnly.FromDateTime(oldest.OccurredAt);
        if (await db.ProductVisits.AnyAsync(v => v.Day == day && v.Channel == oldest.Channel && v.ProfileId == oldest.ProfileId, ct)
            || await StreamHoldsAsync(db, oldest.Id, ct)) return 0;
        // The subscriber may add the same visits meanwhile: those already there are left as they are.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        var added = await db.Database.ExecuteSqlRawAsync(db.IsPostgres ? VisitsSql.Replace("{day}", """("OccurredAt" AT TIME ZONE 'UTC')::date""", StringComparison.Ordinal)
            : VisitsSql.Replace("{day}", """substr("OccurredAt", 1, 10)""", StringComparison.Ordinal), [viewed], ct);
        // Visits made in bulk were not added to the day rows one by one: make those again from the facts.
        if (added > 0) await KpiDays.RebuildAsync(db, ct);
        return added;
    }

    /// <summary>
    /// Whether the stream still holds the interaction beyond the rollup subscriber's checkpoint (or before it has one): the
    /// subscriber then rolls it up, and everything after it, itself.
    /// </summary>
    private static async Task<bool> StreamHoldsAsync(CentricDbContext db, Guid interactionId, CancellationToken ct)
    {
        var at = await db.Checkpoints.AsNoTracking().Where(c => c.Subscriber == KpiRollupSubscriber.SubscriberName)
            .Select(c => new StreamPosition(c.TransactionId, c.Position)).FirstOrDefaultAsync(ct);   // none yet: the beginning
        return await db.Outbox.After(at).AnyAsync(m => m.InteractionId == interactionId, ct);
    }

    private static Task<List<Interaction>> PageAsync(CentricDbContext db, (DateTime At, Guid Id)? after, CancellationToken ct)
    {
        var query = db.Interactions.AsNoTracking().Where(i => KpiRollups.Types.Contains(i.Type));
        if (after is { } a) query = query.Where(i => i.OccurredAt > a.At || (i.OccurredAt == a.At && i.Id.CompareTo(a.Id) > 0));
        return query.OrderBy(i => i.OccurredAt).ThenBy(i => i.Id).Take(PageSize).ToListAsync(ct);
    }
}
