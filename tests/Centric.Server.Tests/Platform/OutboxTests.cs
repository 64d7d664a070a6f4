using System.Collections.Concurrent;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Centric.Server.Tests.Infrastructure;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// An idempotent subscriber: its effect per interaction happens once however often the interaction is handed
/// over. It can be told to crash part-way through a batch, as a killed process would.
/// </summary>
public sealed class RecordingSubscriber(string name) : IInteractionSubscriber
{
    public string Name { get; } = name;
    public ConcurrentDictionary<Guid, int> Deliveries { get; } = new();
    public ConcurrentDictionary<Guid, int> Effects { get; } = new();
    public int CrashAfter { get; set; } = -1;

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var handled = 0;
        foreach (var interaction in batch)
        {
            if (handled++ == CrashAfter)
            {
                CrashAfter = -1;
                throw new InvalidOperationException("simulated crash mid-batch");
            }
            Deliveries.AddOrUpdate(interaction.Id, 1, (_, n) => n + 1);
            Effects.TryAdd(interaction.Id, 1);   // the idempotency check
        }
        return Task.CompletedTask;
    }
}

/// <summary>A subscriber that always fails on interactions of one type, as a bug or bad stored data would make it.</summary>
public sealed class PickySubscriber(string name, string refusedType) : IInteractionSubscriber
{
    public string Name { get; } = name;
    public string RefusedType { get; set; } = refusedType;
    public ConcurrentDictionary<Guid, int> Handled { get; } = new();

    public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        if (batch.Any(i => i.Type == RefusedType))
            throw new InvalidOperationException("cannot handle " + RefusedType);
        foreach (var interaction in batch) Handled.AddOrUpdate(interaction.Id, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}

public abstract class OutboxTests(string provider)
{
    private string NewDatabase() =>
        provider == "sqlite" ? Path.Combine(Path.GetTempPath(), $"centric-outbox-{Guid.NewGuid():N}.db") : $"centric_t_{Guid.NewGuid():N}"[..24];

    /// <summary>Runs passes the way the background loop does: a failing pass is retried on the next.</summary>
    private static async Task PassesAsync(InteractionDispatcher dispatcher, string subscriber, int passes)
    {
        for (var i = 0; i < passes; i++)
        {
            try { await dispatcher.RunOnceAsync(subscriber, default); }
            catch (InvalidOperationException) { /* the subscriber failed; the next pass retries */ }
        }
    }

    [SkippableFact]
    public async Task An_interaction_a_subscriber_always_fails_on_is_parked_and_the_rest_are_delivered()
    {
        var picky = new PickySubscriber("test.picky-" + Json.NewId()[..8], "poison_" + Json.NewId()[..6]);
        await using var host = new CentricAppFactory(provider)
            .With("Dispatcher:Enabled", "false").With("Webhooks:Enabled", "false").With("Dispatcher:MaxAttempts", "3")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(picky));
        using var client = host.AdminClient();
        var email = Json.NewEmail();
        var poisonId = Json.NewId();
        await client.PostEventsAsync(
            new { id = Json.NewId(), type = "page_viewed", customer = new { email } },
            new { id = Json.NewId(), type = "page_viewed", customer = new { email } },
            new { id = poisonId, type = picky.RefusedType, customer = new { email } },
            new { id = Json.NewId(), type = "page_viewed", customer = new { email } },
            new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
        var dispatcher = host.Services.GetRequiredService<InteractionDispatcher>();

        await PassesAsync(dispatcher, picky.Name, 10);

        var interactions = await host.WithDbAsync(db => db.Interactions.Select(i => new { i.Id, i.EventId }).ToListAsync());
        var poison = interactions.Single(i => i.EventId == poisonId).Id;
        Assert.Equal(interactions.Count - 1, picky.Handled.Count);
        Assert.DoesNotContain(poison, picky.Handled.Keys);
        Assert.All(picky.Handled.Values, n => Assert.Equal(1, n));
        var last = await host.WithDbAsync(db => db.Outbox.MaxAsync(m => m.Position));
        Assert.Equal(last, await host.WithDbAsync(db => db.Checkpoints.Where(c => c.Subscriber == picky.Name).Select(c => c.Position).SingleAsync()));
    }

    private CentricAppFactory Host(string? database, RecordingSubscriber subscriber, bool dispatcherRunning) =>
        new CentricAppFactory(provider, database)
            .With("Dispatcher:Enabled", dispatcherRunning ? "true" : "false")
            .With("Dispatcher:Lease", "00:00:01")
            .With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(subscriber));

    private static object[] Events(int n, string email) =>
        Enumerable.Range(0, n).Select(i => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email } }).ToArray();

    [SkippableFact]
    public async Task Dead_letters_are_listed_retried_and_discarded_by_an_administrator()
    {
        var picky = new PickySubscriber("test.picky-" + Json.NewId()[..8], "poison_" + Json.NewId()[..6]);
        var parked = 0L;
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == "Centric" && instrument.Name == "centric.dispatcher.dead_letters") l.EnableMeasurementEvents(instrument);
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags) if (tag.Key == "subscriber" && Equals(tag.Value, picky.Name)) Interlocked.Add(ref parked, value);
        });
        listener.Start();
        await using var host = new CentricAppFactory(provider)
            .With("Dispatcher:Enabled", "false").With("Webhooks:Enabled", "false").With("Dispatcher:MaxAttempts", "2")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(picky));
        using var client = host.AdminClient();
        var email = Json.NewEmail();
        var (first, second) = (Json.NewId(), Json.NewId());
        await client.PostEventsAsync(
            new { id = Json.NewId(), type = "page_viewed", customer = new { email } },
            new { id = first, type = picky.RefusedType, customer = new { email } },
            new { id = second, type = picky.RefusedType, customer = new { email } },
            new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
        await PassesAsync(host.Services.GetRequiredService<InteractionDispatcher>(), picky.Name, 10);
        Assert.Equal(2, picky.Handled.Count);
        Assert.Equal(2, Interlocked.Read(ref parked));

        async Task<List<JsonElement>> ListAsync() => (await (await client.GetAsync("/api/v1/admin/dead-letters")).ReadJsonAsync())
            .EnumerateArray().Where(d => d.GetProperty("subscriber").GetString() == picky.Name).ToList();
        var letters = await ListAsync();
        Assert.Equal(2, letters.Count);
        Assert.All(letters, d => Assert.Equal(picky.RefusedType, d.GetProperty("interactionType").GetString()));
        Assert.All(letters, d => Assert.Equal(3, d.GetProperty("attempts").GetInt32()));   // two as a batch, one on its own
        Assert.All(letters, d => Assert.Contains("cannot handle", d.GetProperty("error").GetString()));
        var interactions = await host.WithDbAsync(db => db.Interactions.Where(i => i.EventId == first || i.EventId == second)
            .ToDictionaryAsync(i => i.EventId, i => i.Id));
        var retried = letters.Single(d => d.GetProperty("interactionId").GetGuid() == interactions[first]).GetProperty("id").GetString();
        var discarded = letters.Single(d => d.GetProperty("interactionId").GetGuid() == interactions[second]).GetProperty("id").GetString();

        // Still failing: it stays parked, with one more attempt.
        var again = await client.PostAsync($"/api/v1/admin/dead-letters/{retried}/retry", null);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(4, (await ListAsync()).Single(d => d.GetProperty("id").GetString() == retried).GetProperty("attempts").GetInt32());

        // The cause fixed: the retry delivers it and the dead letter is gone.
        picky.RefusedType = "nothing";
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync($"/api/v1/admin/dead-letters/{retried}/retry", null)).StatusCode);
        Assert.Contains(interactions[first], picky.Handled.Keys);
        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/admin/dead-letters/{discarded}")).StatusCode);
        Assert.DoesNotContain(interactions[second], picky.Handled.Keys);
        Assert.Empty(await ListAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await client.DeleteAsync($"/api/v1/admin/dead-letters/{discarded}")).StatusCode);

        var audit = await (await client.GetAsync("/api/v1/audit?limit=50")).ReadJsonAsync();
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "dead_letter.retried");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "dead_letter.discarded"
            && a.GetProperty("details").GetString()!.Contains(interactions[second].ToString(), StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task An_idle_dispatcher_delivers_what_this_process_commits_without_waiting_for_its_next_poll()
    {
        var subscriber = new RecordingSubscriber("test.woken-" + Json.NewId()[..8]);
        // The poll is an hour away: only the commits themselves can bring the dispatcher round in time.
        await using var host = new CentricAppFactory(provider)
            .With("Dispatcher:IdleDelay", "01:00:00").With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(subscriber));
        using var client = host.AdminClient();
        var nudged = new InteractionType<NoProperties>("test_nudged", "platform", "A test's interaction.");

        // Event ingestion commits its own transaction.
        var email = Json.NewEmail();
        await client.PostEventsAsync(new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
        var profileId = await host.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync());
        var viewed = await host.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profileId).Select(i => i.Id).SingleAsync());
        await Json.EventuallyAsync(() => Task.FromResult(subscriber.Effects.ContainsKey(viewed)), "the ingested event delivered");

        // A save with no transaction open commits as it ends; one inside a transaction, when the transaction commits.
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
        var saved = log.Append(db, profileId, nudged, "test", new NoProperties());
        await db.SaveChangesAsync();
        await Json.EventuallyAsync(() => Task.FromResult(subscriber.Effects.ContainsKey(saved.Id)), "the saved interaction delivered");

        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            log.Append(db, profileId, nudged, "test", new NoProperties());
            await db.SaveChangesAsync();
            await transaction.RollbackAsync();
            db.ChangeTracker.Clear();
        }
        await using (var transaction = await db.Database.BeginTransactionAsync())
        {
            var committed = log.Append(db, profileId, nudged, "test", new NoProperties());
            await db.SaveChangesAsync();
            await transaction.CommitAsync();
            await Json.EventuallyAsync(() => Task.FromResult(subscriber.Effects.ContainsKey(committed.Id)), "the interaction committed in a transaction delivered");
        }
    }

    /// <summary>The backlog the urgent-first test leaves for the dispatcher to find.</summary>
    private const int Backlog = 300;

    /// <summary>
    /// A backlog is worked off by the urgent subscribers first (a journey's trigger, a ticket's routing): while they read full
    /// batches, the others (rollups, scores) wait, and they catch up once the urgent have. Each still gets every interaction
    /// once. Without the priority both move through the backlog together, batch for batch.
    /// </summary>
    [SkippableFact]
    public async Task A_backlog_reaches_urgent_subscribers_first_and_the_rest_once_they_have_caught_up()
    {
        var database = NewDatabase();
        var tag = Json.NewId()[..8];
        var email = Json.NewEmail();
        await using (var before = new CentricAppFactory(provider, database).With("Dispatcher:Enabled", "false").With("Webhooks:Enabled", "false"))
        {
            using var client = before.AdminClient();
            await client.PostEventsAsync(Enumerable.Range(0, Backlog).Select(_ => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email } }).ToArray());
        }

        var later = new RecordingSubscriber("test.later-" + tag);
        var urgent = new UrgentSubscriber("test.urgent-" + tag, later);
        await using var host = new CentricAppFactory(provider, database)
            .With("Dispatcher:BatchSize", "10").With("Dispatcher:MaxDeferral", "01:00:00").With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(urgent).AddSingleton<IInteractionSubscriber>(later));
        var stored = await host.WithDbAsync(db => db.Interactions.CountAsync());
        Assert.True(stored >= Backlog, $"{stored} interactions stored");
        await Json.EventuallyAsync(() => Task.FromResult(urgent.Handled.Count >= stored && later.Effects.Count >= stored), "both worked off the backlog", 60000);

        // When the urgent subscriber had handled the backlog, the other had had a few passes (before the urgent's first
        // full batch told it to wait) at most.
        Assert.InRange(urgent.LaterHandledWhenDone, 0, 100);
        Assert.All(urgent.Handled.Values.Concat(later.Deliveries.Values), n => Assert.Equal(1, n));
    }

    /// <summary>An urgent subscriber that notes how far another had got when it had handled the test's backlog.</summary>
    private sealed class UrgentSubscriber(string name, RecordingSubscriber other) : IInteractionSubscriber
    {
        public string Name { get; } = name;
        public bool IsUrgent => true;
        public ConcurrentDictionary<Guid, int> Handled { get; } = new();
        public int LaterHandledWhenDone { get; private set; } = -1;

        public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
        {
            foreach (var interaction in batch) Handled.AddOrUpdate(interaction.Id, 1, (_, n) => n + 1);
            if (LaterHandledWhenDone < 0 && Handled.Count >= Backlog) LaterHandledWhenDone = other.Effects.Count;
            return Task.CompletedTask;
        }
    }

    [SkippableFact]
    public async Task Restarting_a_host_leaves_no_checkpoint_rows_behind()
    {
        var database = NewDatabase();
        async Task<List<string>> CheckpointsAfterAPassAsync()
        {
            await using var host = new CentricAppFactory(provider, database).With("Dispatcher:Lease", "00:00:01").With("Webhooks:Enabled", "false");
            using var client = host.AdminClient();
            var email = Json.NewEmail();
            await client.PostEventsAsync(new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
            // The aggregates subscriber has handled the event, so this process has run a full pass.
            await Json.EventuallyAsync(async () => await host.WithDbAsync(db => db.Profiles.AnyAsync(p => p.InteractionCount == 1
                && db.Identities.Any(i => i.Key == "email:" + email && i.ProfileId == p.Id))), "a dispatcher pass");
            return await host.WithDbAsync(db => db.Checkpoints.Select(c => c.Subscriber).OrderBy(c => c).ToListAsync());
        }

        var first = await CheckpointsAfterAPassAsync();
        await Task.Delay(1100);   // the first process's leases lapse
        var second = await CheckpointsAfterAPassAsync();
        Assert.Equal(first, second);
    }

    [SkippableFact]
    public async Task Profile_aggregates_count_each_interaction_once_across_merges_whether_counted_before_or_after()
    {
        await using var host = new CentricAppFactory(provider).With("Dispatcher:Enabled", "false").With("Webhooks:Enabled", "false");
        using var client = host.AdminClient();
        var dispatcher = host.Services.GetRequiredService<InteractionDispatcher>();
        const string Aggregates = "customers.profile-aggregates";
        object Viewed(string anonymousId, string at, object? customer = null) =>
            new { id = Json.NewId(), type = "page_viewed", occurredAt = at, channel = "web", anonymousId, customer, properties = new { } };

        // Two visitors browse; what they did so far is counted.
        var (first, second) = ("anon-" + Json.NewId(), "anon-" + Json.NewId());
        await client.PostEventsAsync(Viewed(first, "2026-01-02T10:00:00Z"), Viewed(first, "2026-01-03T10:00:00Z"), Viewed(second, "2026-01-01T09:00:00Z"));
        await PassesAsync(dispatcher, Aggregates, 3);
        // Each does one thing more, stored but not yet counted when they sign up (the first as a new customer, the second
        // into the first's account): one merge makes a new profile the survivor, the other an existing one.
        var email = Json.NewEmail();
        await client.PostEventsAsync(Viewed(first, "2026-01-04T10:00:00Z"), Viewed(second, "2026-01-05T10:00:00Z"));
        await client.PostEventsAsync(Viewed(first, "2026-01-06T10:00:00Z", new { email }));
        await client.PostEventsAsync(Viewed(second, "2026-01-07T10:00:00Z", new { email }));
        await PassesAsync(dispatcher, Aggregates, 3);

        var survivor = await host.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync());
        var merged = await host.WithDbAsync(db => db.Profiles.CountAsync(p => p.MergedIntoId == survivor));
        Assert.Equal(2, merged);
        var stored = await host.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == survivor).Select(i => i.OccurredAt).ToListAsync());
        Assert.Equal(9, stored.Count);   // seven page views and two profile_merged
        var profile = await host.WithDbAsync(db => db.Profiles.AsNoTracking().SingleAsync(p => p.Id == survivor));
        Assert.Equal(stored.Count, profile.InteractionCount);
        Assert.Equal(new DateTime(2026, 1, 1, 9, 0, 0, DateTimeKind.Utc), profile.FirstSeenAt);
        Assert.Equal(stored.Max(), profile.LastSeenAt);
    }

    [SkippableFact]
    public async Task A_dispatcher_killed_mid_batch_loses_nothing_and_duplicates_nothing_after_restart()
    {
        var database = provider == "sqlite" ? Path.Combine(Path.GetTempPath(), $"centric-outbox-{Guid.NewGuid():N}.db") : $"centric_t_{Guid.NewGuid():N}"[..24];
        var subscriber = new RecordingSubscriber("test.recording") { CrashAfter = 12 };
        var email = Json.NewEmail();
        Guid profileId;

        await using (var first = Host(database, subscriber, dispatcherRunning: false))
        {
            using var client = first.AdminClient();
            await client.PostEventsAsync(Events(30, email));
            profileId = await first.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync());
            var dispatcher = first.Services.GetRequiredService<InteractionDispatcher>();
            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => dispatcher.RunOnceAsync(subscriber.Name, default));
            Assert.Equal(12, subscriber.Effects.Count);   // effects happened, but the checkpoint did not move
        }

        // A new process on the same database picks up where the checkpoint stood (once the old lease lapses).
        await Task.Delay(1100);
        await using var second = Host(database, subscriber, dispatcherRunning: true);
        using var again = second.AdminClient();
        var ids = await second.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profileId).Select(i => i.Id).ToListAsync());
        Assert.Equal(30, ids.Count);
        await Json.EventuallyAsync(() => Task.FromResult(ids.All(subscriber.Effects.ContainsKey)), "every interaction handled");
        Assert.All(ids, id => Assert.Equal(1, subscriber.Effects[id]));
        Assert.True(ids.Any(id => subscriber.Deliveries[id] == 2), "the crashed part of the batch was handed over again");

        // The database-backed subscriber commits with its checkpoint: its counts are exact.
        await Json.EventuallyAsync(async () => await second.WithDbAsync(db => db.Profiles.Where(p => p.Id == profileId).Select(p => p.InteractionCount).SingleAsync()) == 30,
            "profile aggregates count every interaction exactly once");
        var position = await second.WithDbAsync(db => db.Outbox.MaxAsync(m => m.Position));
        await Json.EventuallyAsync(async () => await second.WithDbAsync(db => db.Checkpoints.Where(c => c.Subscriber == "test.recording").Select(c => c.Position).SingleAsync()) == position,
            "checkpoint at the end of the outbox");
    }
}

public sealed class OutboxOnSqlite() : OutboxTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class OutboxOnPostgres() : OutboxTests("postgres");

/// <summary>Two server processes on one PostgreSQL database: leases and claims keep every item to one worker.</summary>
[Trait("Provider", "Postgres")]
public sealed class TwoHostsOnPostgres
{
    [SkippableFact]
    public async Task Two_hosts_never_work_the_same_interaction_or_webhook_delivery()
    {
        var database = $"centric_t_{Guid.NewGuid():N}"[..24];
        var shared = new RecordingSubscriber("test.shared");
        // Small sender turns, so the subscription changes hands between the two hosts while its deliveries go out.
        CentricAppFactory Host() => new CentricAppFactory("postgres", database)
            .With("Dispatcher:Lease", "00:00:02").With("Dispatcher:BatchSize", "25").With("Webhooks:Enabled", "false").With("Webhooks:BatchSize", "3")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(shared));
        await using var a = Host();
        using var clientA = a.AdminClient();
        await using var b = Host();
        using var clientB = b.AdminClient();

        await Task.WhenAll(
            Task.Run(async () => { for (var i = 0; i < 10; i++) await clientA.PostEventsAsync(Events(20)); }),
            Task.Run(async () => { for (var i = 0; i < 10; i++) await clientB.PostEventsAsync(Events(20)); }));
        await Json.EventuallyAsync(() => Task.FromResult(shared.Effects.Count >= 400), "all 400 interactions handled", 30000);
        Assert.Equal(400, shared.Deliveries.Count);
        Assert.All(shared.Deliveries.Values, n => Assert.Equal(1, n));

        // Webhook deliveries: both senders race for the same due rows; each is sent once.
        await using var receiver = await WebhookReceiver.StartAsync();
        using var admin = a.AdminClient();
        var type = "race_" + Json.NewId()[..6];
        await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, eventTypes = new[] { type } });
        var ids = Enumerable.Range(0, 40).Select(_ => Json.NewId()).ToList();
        await admin.PostEventsAsync(ids.Select(id => (object)new { id, type, customer = new { email = Json.NewEmail() } }).ToArray());
        await Json.EventuallyAsync(async () => await a.WithDbAsync(db => db.WebhookDeliveries.CountAsync()) == 40, "fan-out");
        var senderA = a.Services.GetRequiredService<Centric.Server.Platform.Webhooks.WebhookSender>();
        var senderB = b.Services.GetRequiredService<Centric.Server.Platform.Webhooks.WebhookSender>();
        async Task Drain(Centric.Server.Platform.Webhooks.WebhookSender s) { while (await s.SendDueAsync(default) > 0) { } }
        await Task.WhenAll(Drain(senderA), Drain(senderB), Drain(senderA), Drain(senderB));
        Assert.Equal(40, receiver.Received.Count);
        Assert.Equal(40, receiver.Received.Select(r => r.DeliveryId).Distinct().Count());
        // Whichever host sent them, they arrived in the order of the stream.
        Assert.Equal(ids, receiver.Received.Select(r => r.EventId!));
    }

    private static object[] Events(int n) =>
        Enumerable.Range(0, n).Select(_ => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email = Json.NewEmail() } }).ToArray();
}

/// <summary>
/// On PostgreSQL the subscribers standing at the same place in the stream handle a batch side by side, each in its own
/// transaction, so a pass lasts as long as the slowest of them rather than all of them added up.
/// </summary>
[Trait("Provider", "Postgres")]
public sealed class SideBySideOnPostgres
{
    /// <summary>Refuses to handle a batch unless its partner is inside the same batch at the same moment.</summary>
    private sealed class PairedSubscriber(string name, Barrier pair, bool startsAtEnd = false) : IInteractionSubscriber
    {
        public string Name { get; } = name;
        public bool StartsAtEnd => startsAtEnd;
        public ConcurrentDictionary<Guid, int> Handled { get; } = new();

        public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
        {
            if (!pair.SignalAndWait(TimeSpan.FromSeconds(5), ct)) throw new InvalidOperationException("handled alone");
            foreach (var interaction in batch) Handled.AddOrUpdate(interaction.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    private sealed class OwnContextLog(string name)
    {
        public string Name { get; } = name;
        public ConcurrentDictionary<Guid, int> Handled { get; } = new();
    }

    /// <summary>Handles a batch only on the context it was given in its constructor, as module services do.</summary>
    private sealed class OwnContextSubscriber(CentricDbContext given, OwnContextLog log) : IInteractionSubscriber
    {
        public string Name => log.Name;

        public Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
        {
            if (!ReferenceEquals(db, given)) throw new InvalidOperationException("handed another scope's context");
            foreach (var interaction in batch) log.Handled.AddOrUpdate(interaction.Id, 1, (_, n) => n + 1);
            return Task.CompletedTask;
        }
    }

    [SkippableFact]
    public async Task Subscribers_at_the_same_place_handle_a_batch_together()
    {
        using var pair = new Barrier(2);
        var tag = Json.NewId()[..8];
        var (left, right) = (new PairedSubscriber("test.left-" + tag, pair), new PairedSubscriber("test.right-" + tag, pair));
        await using var host = new CentricAppFactory("postgres")
            .With("Dispatcher:Enabled", "true").With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(left).AddSingleton<IInteractionSubscriber>(right));
        using var client = host.AdminClient();
        var email = Json.NewEmail();
        await client.PostEventsAsync(Enumerable.Range(0, 30).Select(_ => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email } }).ToArray());

        var stored = await host.WithDbAsync(db => db.Interactions.CountAsync());
        await Json.EventuallyAsync(() => Task.FromResult(left.Handled.Count >= stored && right.Handled.Count >= stored), "both handled every interaction", 30000);
        Assert.All(left.Handled.Values.Concat(right.Handled.Values), n => Assert.Equal(1, n));
        Assert.Equal(0, await host.WithDbAsync(db => db.DeadLetters.CountAsync()));
    }

    /// <summary>
    /// Subscribers at different places read their own batches, and still handle them side by side: one after another, a
    /// pass would last as long as all of them added up, and under load they would never draw level again.
    /// </summary>
    [SkippableFact]
    public async Task Subscribers_at_different_places_handle_their_batches_together()
    {
        var database = "centric_t_" + Guid.NewGuid().ToString("N")[..12];
        var tag = Json.NewId()[..8];
        object[] Events(string email) =>
            Enumerable.Range(0, 20).Select(_ => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email } }).ToArray();
        // History stored while no dispatcher runs: the subscriber from the start has it to work through, the one that starts
        // at the end does not, and a third, resolved from DI with a context of its own, stands alone at its fifth row.
        var alone = new OwnContextLog("test.alone-" + tag);
        await using (var before = new CentricAppFactory("postgres", database).With("Dispatcher:Enabled", "false").With("Webhooks:Enabled", "false"))
        {
            using var client = before.AdminClient();
            await client.PostEventsAsync(Events(Json.NewEmail()));
            await before.WithDbAsync(async db =>
            {
                var fifth = await db.Outbox.OrderBy(o => o.TransactionId).ThenBy(o => o.Position).Skip(4).FirstAsync();
                db.Checkpoints.Add(new SubscriberCheckpoint { Subscriber = alone.Name, TransactionId = fifth.TransactionId, Position = fifth.Position, UpdatedAt = DateTime.UtcNow });
                return await db.SaveChangesAsync();
            });
        }

        using var pair = new Barrier(2);
        var (fromStart, fromEnd) = (new PairedSubscriber("test.from-start-" + tag, pair), new PairedSubscriber("test.from-end-" + tag, pair, startsAtEnd: true));
        await using var host = new CentricAppFactory("postgres", database)
            .With("Dispatcher:Enabled", "true").With("Dispatcher:MaxAttempts", "1000").With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(fromStart).AddSingleton<IInteractionSubscriber>(fromEnd)
                .AddSingleton(alone).AddInteractionSubscriber<OwnContextSubscriber>());
        using var admin = host.AdminClient();
        // The subscriber that starts at the end takes its place when the dispatcher first meets it: after the history and
        // before the new events, which it then handles beside the one working through the history.
        await Json.EventuallyAsync(() => host.WithDbAsync(db => db.Checkpoints.AnyAsync(c => c.Subscriber == fromEnd.Name)),
            "the dispatcher placed the subscriber that starts at the end", 30000);
        await admin.PostEventsAsync(Events(Json.NewEmail()));

        var stored = await host.WithDbAsync(db => db.Interactions.CountAsync());
        await Json.EventuallyAsync(() => Task.FromResult(fromStart.Handled.Count >= stored && fromEnd.Handled.Count >= 20 && alone.Handled.Count >= stored - 5),
            "each handled its part of the stream", 30000);
        Assert.Equal(stored - 5, alone.Handled.Count);   // on the context its module services were given
        Assert.Equal(stored, fromStart.Handled.Count);
        Assert.InRange(fromEnd.Handled.Count, 20, stored - 20);
        Assert.All(fromStart.Handled.Values.Concat(fromEnd.Handled.Values), n => Assert.Equal(1, n));
        Assert.Equal(0, await host.WithDbAsync(db => db.DeadLetters.CountAsync()));
    }
}

/// <summary>
/// A write whose transaction commits long after later ones (a row lock held, a slow client): its outbox position is
/// taken at insert, so it appears behind rows already dispatched. No amount of waiting may make it count as rolled back.
/// </summary>
[Trait("Provider", "Postgres")]
public sealed class SlowCommitsOnPostgres
{
    [SkippableFact]
    public async Task A_write_committed_long_after_later_ones_still_reaches_every_subscriber()
    {
        var recording = new RecordingSubscriber("test.slow-commits");
        await using var app = new ManualClockPostgresApp();
        app.WithServices(s => s.AddSingleton<IInteractionSubscriber>(recording));
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "slow_" + Json.NewId()[..6];
        var hook = (await (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, eventTypes = new[] { type } })).ReadJsonAsync())
            .GetProperty("id").GetString()!;
        var email = Json.NewEmail();
        await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email } });
        var profileId = await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync());
        var dispatcher = app.Services.GetRequiredService<InteractionDispatcher>();
        List<string> subscribers;
        await using (var scope = app.Services.CreateAsyncScope())
            subscribers = scope.ServiceProvider.GetServices<IInteractionSubscriber>().Select(s => s.Name).ToList();
        async Task DispatchAllAsync()
        {
            foreach (var subscriber in subscribers)
                while (await dispatcher.RunOnceAsync(subscriber, default) > 0) { }
        }
        await DispatchAllAsync();

        // An older transaction (its id taken first) that writes its outbox row after the held one and commits at once.
        await using var earlyScope = app.Services.CreateAsyncScope();
        var early = earlyScope.ServiceProvider.GetRequiredService<CentricDbContext>();
        await using var earlyTx = await BeginWriterAsync(early);

        // The held write: stored, position taken, not committed.
        await using var heldScope = app.Services.CreateAsyncScope();
        var held = heldScope.ServiceProvider.GetRequiredService<CentricDbContext>();
        await using var heldTx = await held.Database.BeginTransactionAsync();
        var slow = RawInteractions.Add(held, profileId, type, """{"note":"held"}""");
        await held.SaveChangesAsync();

        var quick = RawInteractions.Add(early, profileId, type, """{"note":"early"}""");
        await early.SaveChangesAsync();
        await earlyTx.CommitAsync();
        for (var i = 0; i < 3; i++) await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email } });

        // However long the held transaction stays open (by the clock the dispatcher reads, and really), it is waited for.
        await DispatchAllAsync();
        app.Clock.Advance(TimeSpan.FromHours(1));
        await DispatchAllAsync();
        var until = DateTime.UtcNow.AddSeconds(5);
        while (DateTime.UtcNow < until)
        {
            app.Clock.Advance(TimeSpan.FromMinutes(10));
            await DispatchAllAsync();
            await Task.Delay(250);
        }
        Assert.Contains(quick.Id, recording.Effects.Keys);   // an older transaction's row is not held up by the slow one
        Assert.DoesNotContain(slow.Id, recording.Effects.Keys);

        await heldTx.CommitAsync();
        await DispatchAllAsync();

        var all = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profileId).Select(i => i.Id).ToListAsync());
        Assert.Equal(6, all.Count);
        Assert.All(all, id => Assert.Contains(id, recording.Effects.Keys));
        var hooked = await app.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.SubscriptionId == Guid.Parse(hook)).Select(d => d.InteractionId).ToListAsync());
        Assert.Equal(all.Order(), hooked.Order());
        Assert.Equal(6, await app.WithDbAsync(db => db.Profiles.Where(p => p.Id == profileId).Select(p => p.InteractionCount).SingleAsync()));
    }
    [SkippableFact]
    public async Task A_commit_held_back_by_another_open_transaction_is_delivered_when_it_ends_without_waiting_for_the_poll()
    {
        var subscriber = new RecordingSubscriber("test.held-" + Json.NewId()[..8]);
        // The poll is an hour away: only the commit's own signal, and looking again while the row is held back, deliver it in time.
        await using var host = new CentricAppFactory("postgres")
            .With("Dispatcher:IdleDelay", "01:00:00").With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(subscriber));
        using var client = host.AdminClient();
        var email = Json.NewEmail();
        await client.PostEventsAsync(new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
        var profileId = await host.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync());
        await Json.EventuallyAsync(() => Task.FromResult(subscriber.Effects.Count == 1), "the first event delivered");

        // Another writer of this database opens a transaction (it takes an id) and holds it, writing no interaction.
        await using var otherScope = host.Services.CreateAsyncScope();
        var other = otherScope.ServiceProvider.GetRequiredService<CentricDbContext>();
        await using var otherTx = await BeginWriterAsync(other);

        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var committed = scope.ServiceProvider.GetRequiredService<InteractionLog>()
            .Append(db, profileId, new InteractionType<NoProperties>("test_held", "platform", "A test's interaction."), "test", new NoProperties());
        await db.SaveChangesAsync();   // commits and signals; the open transaction is older, so the row is not settled yet
        await Task.Delay(1000);
        Assert.DoesNotContain(committed.Id, subscriber.Effects.Keys);

        await otherTx.RollbackAsync();   // ends without committing any interaction: no signal
        await Json.EventuallyAsync(() => Task.FromResult(subscriber.Effects.ContainsKey(committed.Id)), "the held-back interaction delivered");
    }

    /// <summary>Opens a transaction that takes its id at once, as a writer's does: it holds the horizon back until it ends.</summary>
    private static async Task<IDbContextTransaction> BeginWriterAsync(CentricDbContext db)
    {
        var transaction = await db.Database.BeginTransactionAsync();
        await db.Database.ExecuteSqlRawAsync("SELECT pg_current_xact_id()");
        return transaction;
    }
}
