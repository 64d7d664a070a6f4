using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Centric.Server.Platform.Outbox;
using Centric.Server.Platform.Webhooks;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Centric.Server.Tests.Platform;

/// <summary>Background loops off and a fake clock, so retries and the 24-hour window are stepped through exactly.</summary>
public class ManualClockApp : CentricAppFactory
{
    // Whole seconds: PostgreSQL keeps microseconds, so sub-microsecond ticks would not survive a round trip.
    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));

    public ManualClockApp(string provider) : base(provider)
    {
        With("Dispatcher:Enabled", "false");
        With("Webhooks:Enabled", "false");
        // Small turns, so a subscription's deliveries take several turns (and change hands between senders).
        With("Webhooks:BatchSize", "7");
        With("Commerce:BackgroundJobs", "false");
        WithServices(s => s.AddSingleton<TimeProvider>(Clock));
    }

    public async Task DispatchAsync(string subscriber)
    {
        var dispatcher = Services.GetRequiredService<InteractionDispatcher>();
        var until = DateTime.UtcNow.AddSeconds(30);
        for (var failed = 0; ; )
        {
            try
            {
                if (await dispatcher.RunOnceAsync(subscriber, CancellationToken.None) > 0) continue;
                // Nothing handled, yet committed rows may lie past the checkpoint: on PostgreSQL they wait behind another open
                // transaction of this database (the host's start-up work), as the running dispatcher's would. Look again soon.
                if (!await RowsAfterCheckpointAsync(subscriber) || DateTime.UtcNow > until) return;
                await Task.Delay(50);
            }
            // As the running dispatcher does, a batch that met a row written meanwhile (KpiHistory rolls up the timeline as
            // the host starts, beside the rollup subscriber) is run again.
            catch (DbUpdateException) when (++failed < 3) { }
        }
    }

    private Task<bool> RowsAfterCheckpointAsync(string subscriber) => WithDbAsync(async db =>
    {
        var at = await db.Checkpoints.Where(c => c.Subscriber == subscriber).Select(c => new { c.TransactionId, c.Position }).SingleAsync();
        return await db.Outbox.AnyAsync(o => o.TransactionId > at.TransactionId || (o.TransactionId == at.TransactionId && o.Position > at.Position));
    });
}

public sealed class ManualClockSqliteApp() : ManualClockApp("sqlite");
public sealed class ManualClockPostgresApp() : ManualClockApp("postgres");

public abstract class WebhookTests(ManualClockApp app)
{
    private static bool Verify(string secret, string header, string body)
    {
        // The receiver's recipe from docs/webhooks.md, written out independently of the server's code.
        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(parts["t"] + "." + body)));
        return parts["v1"] == expected;
    }

    private static async Task<(string Id, string Secret)> SubscribeAsync(HttpClient admin, string url, params string[] types)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes = types });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.ReadJsonAsync();
        return (body.GetProperty("id").GetString()!, body.GetProperty("secret").GetString()!);
    }

    [SkippableFact]
    public async Task Deliveries_are_signed_retried_with_backoff_and_listed_with_their_attempts()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "order_placed_" + Json.NewId()[..6];
        var (hookId, secret) = await SubscribeAsync(admin, receiver.Url, type);
        await admin.PostEventsAsync(
            new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() }, properties = new { total = 10 } },
            new { id = Json.NewId(), type = "not_subscribed", customer = new { email = Json.NewEmail() } });
        await app.DispatchAsync("platform.webhooks");

        var sender = app.Services.GetRequiredService<WebhookSender>();
        receiver.Answer(500);
        await sender.SendDueAsync(default);
        var first = Assert.Single(receiver.Received);
        Assert.True(Verify(secret, first.Signature!, first.Body), "signature must verify");
        Assert.False(Verify("whsec_wrong", first.Signature!, first.Body));
        Assert.Equal(type, first.EventType);
        Assert.Equal(type, JsonDocument.Parse(first.Body).RootElement.GetProperty("type").GetString());
        var t = long.Parse(first.Signature!.Split(',')[0][2..], CultureInfo.InvariantCulture);
        Assert.InRange(t, app.Clock.GetUtcNow().ToUnixTimeSeconds() - 5, app.Clock.GetUtcNow().ToUnixTimeSeconds() + 5);

        await sender.SendDueAsync(default);
        Assert.Single(receiver.Received);      // not due again before the backoff
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await sender.SendDueAsync(default);
        Assert.Equal(2, receiver.Received.Count);
        Assert.Equal(first.DeliveryId, receiver.Received.Last().DeliveryId);

        var deliveries = await (await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).ReadJsonAsync();
        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal("Delivered", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 200], delivery.GetProperty("attemptLog").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
    }

    [SkippableFact]
    public async Task A_delivery_that_keeps_failing_is_given_up_after_24_hours()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.DefaultStatus = 503;
        var type = "failing_" + Json.NewId()[..6];
        var (hookId, _) = await SubscribeAsync(admin, receiver.Url, type);
        await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() } });
        await app.DispatchAsync("platform.webhooks");

        var sender = app.Services.GetRequiredService<WebhookSender>();
        var start = app.Clock.GetUtcNow();
        while (app.Clock.GetUtcNow() - start < TimeSpan.FromHours(26))
        {
            await sender.SendDueAsync(default);
            app.Clock.Advance(TimeSpan.FromMinutes(10));
        }
        var delivery = (await (await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).ReadJsonAsync())[0];
        Assert.Equal("Failed", delivery.GetProperty("status").GetString());
        var attempts = delivery.GetProperty("attempts").GetInt32();
        Assert.InRange(attempts, 15, 40);   // 30 s doubling to an hourly cap fits about 30 tries into 24 hours
        Assert.Equal(attempts, receiver.Received.Count);
        var span = receiver.Received.Last().At - receiver.Received.First().At;
        Assert.True(span < TimeSpan.FromMinutes(5), "attempts were sent as the fake clock advanced, not by waiting");
    }

    [SkippableFact]
    public async Task Fan_out_handed_the_same_batch_twice_creates_one_delivery()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "replayed_" + Json.NewId()[..6];
        var (hookId, _) = await SubscribeAsync(admin, receiver.Url, type);
        await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() } });
        await app.DispatchAsync("platform.webhooks");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Centric.Server.Platform.Data.CentricDbContext>();
            var batch = await db.Interactions.Where(i => i.Type == type).ToListAsync();
            await new WebhookFanout(app.Clock, scope.ServiceProvider.GetRequiredService<IWebhookCustomers>()).HandleAsync(db, batch, default);
            await db.SaveChangesAsync();
        }
        var count = await app.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == Guid.Parse(hookId)));
        Assert.Equal(1, count);
    }

    [SkippableFact]
    public async Task Stored_properties_that_cannot_be_written_as_json_do_not_stop_the_fan_out()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "legacy_" + Json.NewId()[..6];
        var (hookId, _) = await SubscribeAsync(admin, receiver.Url, type);
        var email = Json.NewEmail();
        await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email } });
        var profileId = await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync());
        // Stored before ingestion refused such text: an escaped lone surrogate, which no JSON writer accepts.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Centric.Server.Platform.Data.CentricDbContext>();
            RawInteractions.Add(db, profileId, type, """{"note":"\udc00","total":3}""");
            await db.SaveChangesAsync();
        }
        await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email } });

        await app.DispatchAsync("platform.webhooks");

        var payloads = await app.WithDbAsync(db => db.WebhookDeliveries.Where(d => d.SubscriptionId == Guid.Parse(hookId)).Select(d => d.Payload).ToListAsync());
        Assert.Equal(3, payloads.Count);
        var legacy = payloads.Select(p => JsonDocument.Parse(p).RootElement.GetProperty("properties")).Single(p => p.TryGetProperty("total", out _));
        Assert.Equal(3, legacy.GetProperty("total").GetInt32());
        var end = await app.WithDbAsync(db => db.Outbox.MaxAsync(m => m.Position));
        Assert.Equal(end, await app.WithDbAsync(db => db.Checkpoints.Where(c => c.Subscriber == "platform.webhooks").Select(c => c.Position).SingleAsync()));
    }

    [SkippableFact]
    public async Task A_subscription_gets_its_deliveries_one_at_a_time_in_stream_order_while_subscriptions_are_sent_to_side_by_side()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "ordered_" + Json.NewId()[..6];
        await SubscribeAsync(admin, receiver.Url + "?tag=a", type);
        await SubscribeAsync(admin, receiver.Url + "?tag=b", type);
        // Three requests one after another: the stream holds the events in exactly this order.
        var posted = new List<string>();
        for (var batch = 0; batch < 3; batch++)
        {
            var events = Enumerable.Range(0, 20).Select(_ => new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() } }).ToArray();
            posted.AddRange(events.Select(e => e.id));
            await admin.PostEventsAsync(events);
        }
        await app.DispatchAsync("platform.webhooks");

        // Calls in flight per subscription; and a's first call is held open until b's first call arrives, which only
        // happens if the two subscriptions are sent to at the same time.
        var inFlight = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var most = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var bArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var aHeld = 0;
        var overlapped = false;
        receiver.OnReceive = async hook =>
        {
            var now = inFlight.AddOrUpdate(hook.Tag!, 1, (_, n) => n + 1);
            most.AddOrUpdate(hook.Tag!, now, (_, n) => Math.Max(n, now));
            if (hook.Tag == "b") bArrived.TrySetResult();
            if (hook.Tag == "a" && Interlocked.Exchange(ref aHeld, 1) == 0)
                overlapped = await Task.WhenAny(bArrived.Task, Task.Delay(TimeSpan.FromSeconds(20))) == bArrived.Task;
            await Task.Delay(2);
            inFlight.AddOrUpdate(hook.Tag!, 0, (_, n) => n - 1);
        };

        // Three senders at once, as on three nodes: each takes whatever subscription nobody holds.
        var sender = app.Services.GetRequiredService<WebhookSender>();
        async Task Drain() { while (await sender.SendDueAsync(default) > 0) { } }
        await Task.WhenAll(Drain(), Drain(), Drain());

        Assert.True(overlapped, "the two subscriptions were sent to at the same time");
        foreach (var tag in new[] { "a", "b" })
        {
            var received = receiver.Received.Where(r => r.Tag == tag).Select(r => r.EventId!).ToList();
            Assert.Equal(posted, received);
            Assert.Equal(1, most[tag]);
        }
    }

    [SkippableFact]
    public async Task A_failed_delivery_is_retried_on_its_own_schedule_and_does_not_hold_back_later_ones()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "retried_" + Json.NewId()[..6];
        var (hookId, _) = await SubscribeAsync(admin, receiver.Url, type);
        var events = Enumerable.Range(0, 3).Select(_ => new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() } }).ToArray();
        await admin.PostEventsAsync(events);
        await app.DispatchAsync("platform.webhooks");

        // Other tests' deliveries share this server, so what this receiver got is counted, not what the sender returns.
        var sender = app.Services.GetRequiredService<WebhookSender>();
        receiver.Answer(500);
        await sender.SendDueAsync(default);
        Assert.Equal([events[0].id, events[1].id, events[2].id], receiver.Received.Select(r => r.EventId!));
        await sender.SendDueAsync(default);
        Assert.Equal(3, receiver.Received.Count);
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await sender.SendDueAsync(default);

        Assert.Equal([events[0].id, events[1].id, events[2].id, events[0].id], receiver.Received.Select(r => r.EventId!));
        var deliveries = (await (await admin.GetAsync($"/api/v1/webhooks/{hookId}/deliveries")).ReadJsonAsync()).EnumerateArray().ToList();
        Assert.All(deliveries, d => Assert.Equal("Delivered", d.GetProperty("status").GetString()));
        Assert.Equal([1, 1, 2], deliveries.Select(d => d.GetProperty("attempts").GetInt32()).Order());
    }

    [SkippableFact]
    public async Task A_subscription_held_by_another_sender_is_left_alone_until_its_hold_runs_out()
    {
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        var type = "held_" + Json.NewId()[..6];
        var (hookId, _) = await SubscribeAsync(admin, receiver.Url, type);
        await admin.PostEventsAsync(new { id = Json.NewId(), type, customer = new { email = Json.NewEmail() } });
        await app.DispatchAsync("platform.webhooks");
        Assert.Equal(1, await app.WithDbAsync(db => db.WebhookDeliveries.CountAsync(d => d.SubscriptionId == Guid.Parse(hookId))));
        // Another node took the subscription a moment ago and has not given it back.
        var until = app.Clock.GetUtcNow().UtcDateTime.AddSeconds(30);
        await app.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == Guid.Parse(hookId))
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.SenderToken, Guid.NewGuid()).SetProperty(s => s.SenderUntil, until)));

        var sender = app.Services.GetRequiredService<WebhookSender>();
        await sender.SendDueAsync(default);
        Assert.Empty(receiver.Received);
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        await sender.SendDueAsync(default);
        Assert.Single(receiver.Received);
        var released = await app.WithDbAsync(db => db.WebhookSubscriptions.Where(s => s.Id == Guid.Parse(hookId)).Select(s => s.SenderToken).SingleAsync());
        Assert.Null(released);
    }

    [SkippableFact]
    public async Task Webhook_urls_are_validated()
    {
        using var admin = app.AdminClient();
        var bad = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "ftp://example.com/x" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/v1/webhooks/{Guid.NewGuid()}/deliveries")).StatusCode);
    }
}

public sealed class WebhooksOnSqlite(ManualClockSqliteApp app) : WebhookTests(app), IClassFixture<ManualClockSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class WebhooksOnPostgres(ManualClockPostgresApp app) : WebhookTests(app), IClassFixture<ManualClockPostgresApp>;
