using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Measures;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

/// <summary>
/// The help sessions kept by the stream against the sessions <see cref="SupportMeasureMath.Sessions"/> makes from every help
/// event and ticket, and the deflection rate they give against figures worked out by hand.
/// </summary>
public abstract class HelpSessionTests(string provider)
{
    private const string Subscriber = "support.help-sessions";
    private static readonly TimeSpan Day24 = TimeSpan.FromHours(24);

    private static DateTime At(int day, int hour) => new(2026, 11, day, hour, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task Kept_sessions_equal_the_sessions_of_the_events_through_tickets_extensions_late_events_replays_merges_and_rebuilds()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        List<Guid> all;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            all = [.. Enumerable.Range(0, 7).Select(_ => directory.Create(ProfileKind.Known).Id)];
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        var (a, b, c, d, e, f, g) = (all[0], all[1], all[2], all[3], all[4], all[5], all[6]);

        // First batch.
        await AppendAsync(app,
            Help(a, At(2, 9)), Help(a, At(2, 10)),                  // A: one session, no ticket -> deflected
            Help(b, At(2, 9)), Ticket(b, At(2, 20)),                // B: a ticket 11 h later -> followed
            Help(c, At(2, 9)), Ticket(c, At(3, 12)),                // C: a ticket 27 h later -> deflected (for now)
            Ticket(d, At(4, 13)), Help(d, At(5, 9)),                // D: the ticket came before the session -> deflected (for now)
            Help(e, At(6, 9)),                                      // E: deflected (for now)
            Help(f, At(6, 20)), Ticket(f, At(7, 10)),               // F: followed, 14 h later
            Help(g, At(9, 8)), Help(g, At(9, 10)), Ticket(g, At(10, 9, 30)));   // G: across a week of the rebuild's reading
        await app.DispatchAsync(Subscriber);
        Assert.Equal(await SessionsOfEventsAsync(app, all, Day24), await KeptAsync(app, all));
        Assert.Equal(new[] {
            $"{a} 11-02 09:00 11-02 10:00 deflected", $"{b} 11-02 09:00 11-02 09:00 followed", $"{c} 11-02 09:00 11-02 09:00 deflected",
            $"{d} 11-05 09:00 11-05 09:00 deflected", $"{e} 11-06 09:00 11-06 09:00 deflected", $"{f} 11-06 20:00 11-06 20:00 followed",
            $"{g} 11-09 08:00 11-09 10:00 followed" }.Order(StringComparer.Ordinal), await KeptAsync(app, all));

        // Second batch: C comes back 23 h after its visit, so the ticket at 12:00 the next day is inside the window now; an older
        // event of D (imported history, say) joins its session, which then began before D's ticket.
        var second = await AppendAsync(app, Help(c, At(3, 8)), Help(d, At(4, 12)));
        await app.DispatchAsync(Subscriber);
        var kept = await KeptAsync(app, all);
        Assert.Contains($"{c} 11-02 09:00 11-03 08:00 followed", kept);
        Assert.Contains($"{d} 11-04 12:00 11-05 09:00 followed", kept);
        Assert.Equal(await SessionsOfEventsAsync(app, all, Day24), kept);

        // The same batch handed over again (after a crash) changes nothing, not even a row's id.
        var rows = await RowsAsync(app, all);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var batch = await db.Interactions.AsNoTracking().Where(i => second.Contains(i.Id)).ToListAsync();
            await HelpSessions.AddAsync(db, batch, 24, default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        Assert.Equal(rows, await RowsAsync(app, all));

        // Measures: a session counts in the period it starts in.
        Assert.Equal((7, 2), await DeflectionAsync(app, At(1, 0), At(11, 0)));   // A to G; A and E deflected
        // E and F turn out to be one person: E's visit at 09:00 and F's at 20:00 are one session, and F's ticket the next
        // morning at 10:00 falls inside its window.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await directory.MergeAsync(await db.Profiles.SingleAsync(p => p.Id == e), await db.Profiles.SingleAsync(p => p.Id == f), "same person", default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        kept = await KeptAsync(app, all);
        Assert.Contains($"{e} 11-06 09:00 11-06 20:00 followed", kept);
        Assert.DoesNotContain(kept, k => k.StartsWith(f.ToString(), StringComparison.Ordinal));
        Assert.Equal(await SessionsOfEventsAsync(app, all, Day24), kept);
        // A batch handled while the merge committed wrote F's evening visit as a session of its own (re-pointed to E as it was
        // saved): the merge's interaction, when the stream brings it, joins E's sessions again.
        await app.WithDbAsync(async db =>
        {
            db.HelpSessions.Add(new HelpSession { ProfileId = e, StartedAt = At(6, 20), LastAt = At(6, 20), WindowHours = 24 });
            return await db.SaveChangesAsync();
        });
        await app.DispatchAsync(Subscriber);
        Assert.Equal(kept, await KeptAsync(app, all));

        // By hand: A, B, C, D, E+F, G are six sessions; only A's is deflected.
        Assert.Equal((6, 1), await DeflectionAsync(app, At(1, 0), At(11, 0)));
        Assert.Equal((3, 1), await DeflectionAsync(app, At(2, 0), At(3, 0)));    // A, B, C start on the 2nd
        Assert.Equal((2, 0), await DeflectionAsync(app, At(4, 0), At(9, 0)));    // D (from the 4th) and E+F; G starts on the 9th
        var measures = await app.WithDbAsync(db => new SupportMeasuresService(db).ComputeAsync(At(2, 0), At(3, 0), default));
        Assert.Equal((3, 1 / 3.0), (measures.HelpSessions, measures.DeflectionRate!.Value));

        // A rebuild from the timeline makes the same sessions; another window is noticed and made anew.
        await app.WithDbAsync(async db =>
        {
            Assert.True(await HelpSessions.CurrentAsync(db, 24, default));
            Assert.True(await HelpSessions.RebuildAsync(db, 24, default) >= 6);
            return 0;
        });
        Assert.Equal(kept, await KeptAsync(app, all));
        Assert.False(await app.WithDbAsync(db => HelpSessions.CurrentAsync(db, 12, default)));
        await app.WithDbAsync(db => HelpSessions.RebuildAsync(db, 12, default));
        var twelve = await KeptAsync(app, all);
        Assert.Equal(await SessionsOfEventsAsync(app, all, TimeSpan.FromHours(12)), twelve);
        Assert.Contains($"{c} 11-03 08:00 11-03 08:00 followed", twelve);   // 23 h apart: two sessions with a 12 h window
        Assert.True(await app.WithDbAsync(db => HelpSessions.CurrentAsync(db, 12, default)));
        await app.WithDbAsync(async db =>
        {
            await db.HelpSessions.ExecuteDeleteAsync();
            Assert.False(await HelpSessions.CurrentAsync(db, 24, default));   // help events without sessions
            return 0;
        });
    }

    private static (Guid Profile, DateTime At, bool IsTicket) Help(Guid profile, DateTime at) => (profile, at, false);

    private static (Guid Profile, DateTime At, bool IsTicket) Ticket(Guid profile, DateTime at) => (profile, at, true);

    private static DateTime At(int day, int hour, int minute) => At(day, hour).AddMinutes(minute);

    /// <summary>Appends the events (help searches and article views in turn, and tickets) in one save; returns their ids.</summary>
    private static async Task<List<Guid>> AppendAsync(ManualClockApp app, params (Guid Profile, DateTime At, bool IsTicket)[] events)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
        var ids = new List<Guid>();
        var n = 0;
        foreach (var (profile, at, isTicket) in events)
        {
            ids.Add((isTicket
                ? log.Append(db, profile, InteractionTypes.TicketCreated, "web", new TicketCreatedProperties("T-" + n, "Help", "web", "normal"), occurredAt: at)
                : n % 2 == 0
                    ? log.Append(db, profile, InteractionTypes.HelpSearched, "web", new HelpSearchedProperties("parcel", 1, ["parcel-tracking"], "help"), occurredAt: at)
                    : log.Append(db, profile, InteractionTypes.HelpArticleViewed, "web", new HelpArticleProperties("parcel-tracking", Guid.NewGuid()), occurredAt: at)).Id);
            n++;
        }
        await db.SaveChangesAsync();
        return ids;
    }

    private static string Text(Guid profile, DateTime start, DateTime last, bool followed) =>
        $"{profile} {start:MM-dd HH:mm} {last:MM-dd HH:mm} {(followed ? "followed" : "deflected")}";

    private static Task<List<string>> KeptAsync(ManualClockApp app, List<Guid> profiles) => app.WithDbAsync(async db =>
        (await db.HelpSessions.AsNoTracking().Where(s => profiles.Contains(s.ProfileId)).ToListAsync())
            .Select(s => Text(s.ProfileId, s.StartedAt, s.LastAt, s.TicketFollowed)).Order(StringComparer.Ordinal).ToList());

    private static Task<List<string>> RowsAsync(ManualClockApp app, List<Guid> profiles) => app.WithDbAsync(async db =>
        (await db.HelpSessions.AsNoTracking().Where(s => profiles.Contains(s.ProfileId)).ToListAsync())
            .Select(s => $"{s.Id} {Text(s.ProfileId, s.StartedAt, s.LastAt, s.TicketFollowed)} {s.WindowHours}").Order(StringComparer.Ordinal).ToList());

    /// <summary>The sessions the pure rule makes from every help event and ticket of the profiles on the timeline.</summary>
    private static Task<List<string>> SessionsOfEventsAsync(ManualClockApp app, List<Guid> profiles, TimeSpan window) => app.WithDbAsync(async db =>
    {
        var types = HelpSessions.HelpTypes.Append(InteractionTypes.TicketCreated.Name).ToList();
        var events = await db.Interactions.AsNoTracking().Where(i => profiles.Contains(i.ProfileId) && types.Contains(i.Type))
            .Select(i => new HelpEvent(i.ProfileId, i.OccurredAt, i.Type == InteractionTypes.TicketCreated.Name)).ToListAsync();
        return SupportMeasureMath.Sessions(events, window).Select(s => Text(s.ProfileId, s.StartedAt, s.LastAt, s.TicketFollowed)).Order(StringComparer.Ordinal).ToList();
    });

    private static async Task<(int Sessions, int Deflected)> DeflectionAsync(ManualClockApp app, DateTime from, DateTime to)
    {
        var m = await app.WithDbAsync(db => new SupportMeasuresService(db).ComputeAsync(from, to, default));
        return (m.HelpSessions, (int)Math.Round((m.DeflectionRate ?? 0) * m.HelpSessions));
    }
}

public sealed class HelpSessionsOnSqlite() : HelpSessionTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class HelpSessionsOnPostgres() : HelpSessionTests("postgres");
