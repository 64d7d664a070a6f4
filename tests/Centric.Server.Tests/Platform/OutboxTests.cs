using System.Collections.Concurrent;
using Centric.Server.Customers.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Centric.Server.Tests.Infrastructure;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
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

public abstract class OutboxTests(string provider)
{
    private CentricAppFactory Host(string? database, RecordingSubscriber subscriber, bool dispatcherRunning) =>
        new CentricAppFactory(provider, database)
            .With("Dispatcher:Enabled", dispatcherRunning ? "true" : "false")
            .With("Dispatcher:Lease", "00:00:01")
            .With("Webhooks:Enabled", "false")
            .WithServices(s => s.AddSingleton<IInteractionSubscriber>(subscriber));

    private static object[] Events(int n, string email) =>
        Enumerable.Range(0, n).Select(i => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email } }).ToArray();

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
            await Assert.ThrowsAnyAsync<InvalidOperationException>(() => dispatcher.RunOnceAsync(subscriber, default));
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
        CentricAppFactory Host() => new CentricAppFactory("postgres", database)
            .With("Dispatcher:Lease", "00:00:02").With("Dispatcher:BatchSize", "25").With("Webhooks:Enabled", "false")
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
        await admin.PostEventsAsync(Enumerable.Range(0, 40).Select(_ => (object)new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() } }).ToArray());
        await Json.EventuallyAsync(async () => await a.WithDbAsync(db => db.WebhookDeliveries.CountAsync()) == 40, "fan-out");
        var senderA = a.Services.GetRequiredService<Centric.Server.Platform.Webhooks.WebhookSender>();
        var senderB = b.Services.GetRequiredService<Centric.Server.Platform.Webhooks.WebhookSender>();
        async Task Drain(Centric.Server.Platform.Webhooks.WebhookSender s) { while (await s.SendDueAsync(default) > 0) { } }
        await Task.WhenAll(Drain(senderA), Drain(senderB), Drain(senderA), Drain(senderB));
        Assert.Equal(40, receiver.Received.Count);
        Assert.Equal(40, receiver.Received.Select(r => r.DeliveryId).Distinct().Count());
    }

    private static object[] Events(int n) =>
        Enumerable.Range(0, n).Select(_ => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email = Json.NewEmail() } }).ToArray();
}
