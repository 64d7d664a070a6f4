using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Centric.Server.Support.Automation;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Measures;

/// <summary>
/// Keeps the help sessions (<see cref="HelpSession"/>) current from the stream: help-centre events start or extend their
/// profile's sessions, a <c>ticket_created</c> marks the sessions it follows. Idempotent: an event already inside a session
/// changes nothing, and a ticket marks a session once. History older than the stream keeps is made by <see cref="HelpSessionHistory"/>.
/// </summary>
internal sealed class HelpSessionSubscriber(IOptions<SupportAutomationOptions> options) : IInteractionSubscriber
{
    public string Name => "support.help-sessions";

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct) =>
        HelpSessions.AddAsync(db, batch, options.Value.DeflectionWindowHours, ct);
}

/// <summary>
/// The rules of <see cref="SupportMeasureMath.Sessions"/> applied a batch at a time (the subscriber), over the whole timeline
/// (<see cref="RebuildAsync"/>) and to a merge (<see cref="MoveAsync"/>).
/// </summary>
internal static class HelpSessions
{
    public static readonly string[] HelpTypes = [InteractionTypes.HelpSearched.Name, InteractionTypes.HelpArticleViewed.Name, InteractionTypes.HelpDeflected.Name];
    private static readonly string TicketCreated = InteractionTypes.TicketCreated.Name;
    private static readonly string[] AllTypes = [.. HelpTypes, TicketCreated];

    /// <summary>The history is read this much of the timeline at a time.</summary>
    private static readonly TimeSpan Chunk = TimeSpan.FromDays(7);

    /// <summary>
    /// The subscriber and a rebuild each read sessions and then write them: on PostgreSQL they take this transaction-scoped
    /// lock first, so neither writes from a picture the other has changed meanwhile (SQLite's write transactions run one at a
    /// time already). Advisory lock namespace 0x53555050 ("SUPP"), key 1.
    /// </summary>
    private static Task LockAsync(CentricDbContext db, CancellationToken ct) =>
        db.IsPostgres ? db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_xact_lock(1398100048, 1)", ct) : Task.CompletedTask;

    /// <summary>One batch of the stream, in the dispatcher's transaction; the dispatcher saves what this adds and changes.</summary>
    public static async Task AddAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, int windowHours, CancellationToken ct)
    {
        var visits = batch.Where(i => HelpTypes.Contains(i.Type)).ToList();
        var tickets = batch.Where(i => i.Type == TicketCreated).ToList();
        var survivors = batch.Where(i => InteractionTypes.ProfileMerged.Is(i.Type)).Select(i => i.ProfileId).Distinct().ToList();
        if (visits.Count == 0 && tickets.Count == 0 && survivors.Count == 0) return;
        var window = TimeSpan.FromHours(windowHours);
        await LockAsync(db, ct);
        // A batch handled while a merge committed may have written sessions under the merged profile (the save re-points them
        // to the survivor) beside the ones the merge joined: the survivor's sessions are joined again once the merge is in the stream.
        foreach (var survivor in survivors) await JoinAsync(db, [survivor], survivor, windowHours, ct);
        if (survivors.Count > 0) await db.SaveChangesAsync(ct);
        if (visits.Count == 0 && tickets.Count == 0) return;

        // A session ending the window or more before the batch's earliest event can be neither extended nor followed by
        // anything in it: only the later ones are read (for a live stream, each profile's latest).
        var profiles = visits.Concat(tickets).Select(i => i.ProfileId).Distinct().ToList();
        var earliest = visits.Concat(tickets).Min(i => i.OccurredAt);
        var since = earliest < DateTime.MinValue + window ? DateTime.MinValue : earliest - window;
        var sessions = (await db.HelpSessions.Where(s => profiles.Contains(s.ProfileId) && s.LastAt >= since).ToListAsync(ct))
            .GroupBy(s => s.ProfileId).ToDictionary(g => g.Key, g => g.OrderBy(s => s.StartedAt).ToList());

        var remake = new List<Guid>();
        var grown = new HashSet<HelpSession>();
        foreach (var profile in visits.GroupBy(v => v.ProfileId))
        {
            var times = profile.Select(v => v.OccurredAt).Order().ToList();
            var list = sessions.TryGetValue(profile.Key, out var kept) ? kept : sessions[profile.Key] = [];
            // An event from before the profile's latest session began (imported history, a late arrival) may join or split
            // sessions: the profile's sessions are made again from its timeline.
            if (list.Count > 0 && times[0] < list[^1].StartedAt)
            {
                remake.Add(profile.Key);
                continue;
            }
            foreach (var at in times)
                if (Visit(list, profile.Key, at, window, windowHours) is { } session && grown.Add(session) && db.Entry(session).State == EntityState.Detached)
                    db.HelpSessions.Add(session);
        }

        var ticketTimes = tickets.Where(t => !remake.Contains(t.ProfileId)).Select(t => (t.ProfileId, t.OccurredAt)).ToList();
        // A session that started or grew may now reach a ticket stored before it (one earlier in the stream, later in time).
        var reaching = grown.Where(s => !s.TicketFollowed).ToList();
        if (reaching.Count > 0)
        {
            var ids = reaching.Select(s => s.ProfileId).Distinct().ToList();
            var from = reaching.Min(s => s.StartedAt);
            var until = reaching.Max(s => SupportMeasureMath.Until(s.LastAt, window));
            ticketTimes.AddRange((await db.Interactions.AsNoTracking()
                    .Where(i => ids.Contains(i.ProfileId) && i.Type == TicketCreated && i.OccurredAt >= from && i.OccurredAt <= until)
                    .Select(i => new { i.ProfileId, i.OccurredAt }).ToListAsync(ct))
                .Select(t => (t.ProfileId, t.OccurredAt)));
        }
        foreach (var (profileId, at) in ticketTimes)
            if (sessions.TryGetValue(profileId, out var list)) Mark(list, at, window);

        if (remake.Count > 0) await RemakeAsync(db, remake, windowHours, ct);
    }

    /// <summary>
    /// A help event at or after the start of the profile's latest session (<paramref name="sessions"/>, oldest first): inside
    /// it changes nothing; less than the window after its last event extends it; later starts a new one. Returns the session
    /// that started or grew, or null.
    /// </summary>
    private static HelpSession? Visit(List<HelpSession> sessions, Guid profileId, DateTime at, TimeSpan window, int windowHours)
    {
        if (sessions.Count > 0 && at - sessions[^1].LastAt < window)
        {
            var latest = sessions[^1];
            if (at <= latest.LastAt) return null;
            latest.LastAt = at;
            return latest;
        }
        var started = new HelpSession { ProfileId = profileId, StartedAt = at, LastAt = at, WindowHours = windowHours };
        sessions.Add(started);
        return started;
    }

    /// <summary>A ticket opened at <paramref name="at"/> follows the sessions that started by then and ended less than the window before.</summary>
    private static void Mark(List<HelpSession> sessions, DateTime at, TimeSpan window)
    {
        foreach (var s in sessions)
            if (!s.TicketFollowed && s.StartedAt <= at && at <= SupportMeasureMath.Until(s.LastAt, window)) s.TicketFollowed = true;
    }

    /// <summary>Makes the profiles' sessions again from their help events and tickets (added to the unit of work, unsaved).</summary>
    public static async Task RemakeAsync(CentricDbContext db, List<Guid> profiles, int windowHours, CancellationToken ct)
    {
        foreach (var entry in db.ChangeTracker.Entries<HelpSession>().Where(e => profiles.Contains(e.Entity.ProfileId)).ToList())
            entry.State = EntityState.Detached;
        await db.HelpSessions.Where(s => profiles.Contains(s.ProfileId)).ExecuteDeleteAsync(ct);
        // Answered from the interactions' (ProfileId, OccurredAt) index: a profile's own timeline, not the period's.
        var events = await db.Interactions.AsNoTracking().Where(i => profiles.Contains(i.ProfileId) && AllTypes.Contains(i.Type))
            .Select(i => new HelpEvent(i.ProfileId, i.OccurredAt, i.Type == TicketCreated)).ToListAsync(ct);
        db.HelpSessions.AddRange(SupportMeasureMath.Sessions(events, TimeSpan.FromHours(windowHours)).Select(s => new HelpSession
        {
            ProfileId = s.ProfileId, StartedAt = s.StartedAt, LastAt = s.LastAt, TicketFollowed = s.TicketFollowed, WindowHours = windowHours,
        }));
    }

    /// <summary>
    /// After a merge re-pointed the merged profile's interactions to the survivor, in the merge's transaction: the two
    /// profiles' sessions become the survivor's (<see cref="JoinAsync"/>), judged against both profiles' tickets. Saved with the merge.
    /// </summary>
    public static async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, int windowHours, CancellationToken ct)
    {
        // Waits for a stream batch changing these sessions to commit, so they are read as it left them. (No advisory lock
        // here: the merge holds both profiles, and a batch adding a row for either waits for the merge, which would then wait
        // for the batch.)
        if (db.IsPostgres)
            await db.HelpSessions.Where(s => s.ProfileId == fromProfileId || s.ProfileId == toProfileId)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.WindowHours, s => s.WindowHours), ct);
        await JoinAsync(db, [fromProfileId, toProfileId], toProfileId, windowHours, ct);
    }

    /// <summary>
    /// The sessions of <paramref name="profiles"/> become <paramref name="toProfileId"/>'s, joined where one starts less than
    /// the window after another ends (exactly the sessions their help events make together: events of one session are never
    /// the window apart, so no gap of the joined events falls inside a session), then each judged again against the
    /// survivor's tickets. Added to the unit of work, unsaved.
    /// </summary>
    private static async Task JoinAsync(CentricDbContext db, List<Guid> profiles, Guid toProfileId, int windowHours, CancellationToken ct)
    {
        var rows = await db.HelpSessions.AsNoTracking().Where(s => profiles.Contains(s.ProfileId)).OrderBy(s => s.StartedAt).ToListAsync(ct);
        if (rows.Count == 0) return;
        var window = TimeSpan.FromHours(windowHours);
        var joined = new List<HelpSession>();
        foreach (var row in rows)
        {
            if (joined.Count > 0 && row.StartedAt - joined[^1].LastAt < window)
            {
                if (row.LastAt > joined[^1].LastAt) joined[^1].LastAt = row.LastAt;
            }
            else joined.Add(new HelpSession { ProfileId = toProfileId, StartedAt = row.StartedAt, LastAt = row.LastAt, WindowHours = windowHours });
        }
        var first = joined[0].StartedAt;
        var until = SupportMeasureMath.Until(joined.Max(s => s.LastAt), window);
        var tickets = await db.Interactions.AsNoTracking()
            .Where(i => i.ProfileId == toProfileId && i.Type == TicketCreated && i.OccurredAt >= first && i.OccurredAt <= until)
            .Select(i => i.OccurredAt).ToListAsync(ct);
        foreach (var at in tickets) Mark(joined, at, window);
        await db.HelpSessions.Where(s => profiles.Contains(s.ProfileId)).ExecuteDeleteAsync(ct);
        db.HelpSessions.AddRange(joined);
    }

    /// <summary>
    /// Whether the kept sessions stand for the timeline: all made with the configured window, and the oldest help event
    /// inside a session (it is not when the table is new, or emptied).
    /// </summary>
    public static async Task<bool> CurrentAsync(CentricDbContext db, int windowHours, CancellationToken ct)
    {
        if (await db.HelpSessions.AnyAsync(s => s.WindowHours != windowHours, ct)) return false;
        if (await OldestHelpEventAsync(db, ct) is not { } oldest) return true;
        return await db.HelpSessions.AnyAsync(s => s.ProfileId == oldest.ProfileId && s.StartedAt <= oldest.At && s.LastAt >= oldest.At, ct);
    }

    /// <summary>
    /// Makes every session again from the timeline in one transaction, a week of help events and tickets at a time in time
    /// order, each read from the interactions' (Type, OccurredAt, ProfileId) index alone; in memory only the sessions that a
    /// later event could still extend or follow. Returns how many sessions it wrote.
    /// </summary>
    public static async Task<int> RebuildAsync(CentricDbContext db, int windowHours, CancellationToken ct)
    {
        var window = TimeSpan.FromHours(windowHours);
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await LockAsync(db, ct);
        await db.HelpSessions.ExecuteDeleteAsync(ct);
        var written = 0;
        if (await OldestHelpEventAsync(db, ct) is { } oldest && await NewestHelpEventAsync(db, ct) is { } newest)
        {
            var open = new Dictionary<Guid, List<HelpSession>>();
            var stop = SupportMeasureMath.Until(newest, window);
            for (var from = oldest.At; from <= stop;)
            {
                var to = from > DateTime.MaxValue - Chunk ? DateTime.MaxValue : from + Chunk;
                foreach (var visit in (await EventsAsync(db, HelpTypes, from, to, ct)).OrderBy(v => v.OccurredAt))
                    Visit(open.TryGetValue(visit.ProfileId, out var list) ? list : open[visit.ProfileId] = [], visit.ProfileId, visit.OccurredAt, window, windowHours);
                // Order within the week does not matter for tickets: whether one follows a session depends on the session's final span.
                foreach (var ticket in await EventsAsync(db, [TicketCreated], from, to, ct))
                    if (open.TryGetValue(ticket.ProfileId, out var list)) Mark(list, ticket.OccurredAt, window);
                // Sessions whose ticket window closed before the next week can change no more: written and let go.
                var done = new List<HelpSession>();
                foreach (var (profileId, list) in open.ToList())
                {
                    done.AddRange(list.Where(s => SupportMeasureMath.Until(s.LastAt, window) < to));
                    list.RemoveAll(s => SupportMeasureMath.Until(s.LastAt, window) < to);
                    if (list.Count == 0) open.Remove(profileId);
                }
                await BulkInsert.WriteAsync(db, done, ct);
                written += done.Count;
                if (to == DateTime.MaxValue) break;
                from = to;
            }
            var rest = open.Values.SelectMany(l => l).ToList();
            await BulkInsert.WriteAsync(db, rest, ct);
            written += rest.Count;
        }
        await tx.CommitAsync(ct);
        return written;
    }

    private static Task<List<TimedEvent>> EventsAsync(CentricDbContext db, string[] types, DateTime from, DateTime to, CancellationToken ct) =>
        db.Interactions.AsNoTracking().Where(i => types.Contains(i.Type) && i.OccurredAt >= from && i.OccurredAt < to)
            .Select(i => new TimedEvent(i.ProfileId, i.OccurredAt)).ToListAsync(ct);

    private sealed record TimedEvent(Guid ProfileId, DateTime OccurredAt);

    /// <summary>The oldest help event: a read per type, each the first entry of the type index.</summary>
    private static async Task<(Guid ProfileId, DateTime At)?> OldestHelpEventAsync(CentricDbContext db, CancellationToken ct)
    {
        (Guid, DateTime)? oldest = null;
        foreach (var type in HelpTypes)
            if (await db.Interactions.AsNoTracking().Where(i => i.Type == type).OrderBy(i => i.OccurredAt)
                    .Select(i => new { i.ProfileId, i.OccurredAt }).FirstOrDefaultAsync(ct) is { } first && (oldest is null || first.OccurredAt < oldest.Value.Item2))
                oldest = (first.ProfileId, first.OccurredAt);
        return oldest;
    }

    private static async Task<DateTime?> NewestHelpEventAsync(CentricDbContext db, CancellationToken ct)
    {
        DateTime? newest = null;
        foreach (var type in HelpTypes)
            if (await db.Interactions.AsNoTracking().Where(i => i.Type == type).MaxAsync(i => (DateTime?)i.OccurredAt, ct) is { } last && (newest is null || last > newest))
                newest = last;
        return newest;
    }
}

/// <summary>
/// At start, makes the help sessions again from the timeline when they do not stand for it (<see cref="HelpSessions.CurrentAsync"/>):
/// a database from before the sessions were kept, or a changed deflection window. The subscriber waits for it meanwhile
/// (they take the same lock), and both are idempotent, so what either sees twice changes nothing.
/// </summary>
internal sealed class HelpSessionHistory(IServiceScopeFactory scopes, IOptions<SupportAutomationOptions> options, ILogger<HelpSessionHistory> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var hours = options.Value.DeflectionWindowHours;
            if (await HelpSessions.CurrentAsync(db, hours, stoppingToken)) return;
            Log.HelpSessionsRebuilt(logger, await HelpSessions.RebuildAsync(db, hours, stoppingToken), hours);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(HelpSessionHistory)); }
    }
}
