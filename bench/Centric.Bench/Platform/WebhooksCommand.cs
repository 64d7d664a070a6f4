using System.Diagnostics;
using System.Net.Http.Json;
using Npgsql;

namespace Centric.Bench.Platform;

/// <summary>
/// `webhooks`: webhook delivery to a fast receiver in this process (Kestrel on loopback), against a server on PostgreSQL.
/// Two phases, each on a fresh database:
/// <list type="bullet">
/// <item><c>drain</c>: <c>--subscriptions</c> (20) subscriptions and a backlog of <c>--backlog</c> (60,000) pending deliveries,
/// fanned out with the sender off; then the server restarts with the sender on and the phase times the backlog going out.</item>
/// <item><c>live</c>: <c>--live-subscriptions</c> (6) subscriptions to storefront event types while events arrive through the
/// events API at <c>--rate</c> (5,000) a second for <c>--seconds</c> (60); the backlog (pending deliveries, and interactions
/// not yet fanned out) is sampled every second, then the run waits for it to empty. <c>--warmup-seconds</c> (20) of the same
/// load from other customers go first, untimed, and their deliveries are all sent before the clock starts.</item>
/// </list>
/// Every phase checks the order: per subscription, a delivery that arrives after one of a later interaction in the stream
/// (the outbox's transaction and position order) is an ordering violation, and a call that arrives while the subscription's
/// previous call is still open is an overlap. Options: --provider postgres --pg "Host=...", --phases drain,live, --server-dll
/// (e.g. an older build, for a baseline), --server-env, --keep.
/// </summary>
public static class WebhooksCommand
{
    /// <summary>Storefront types the live subscriptions take in turn (see <see cref="EventGenerator"/> for their shares).</summary>
    private static readonly string[] LiveTypes = ["added_to_cart", "email_opened", "search_performed", "support_message", "order_placed", "product_viewed"];

    private static readonly Dictionary<string, string> SenderOff = new() { ["Webhooks__Enabled"] = "false", ["Webhooks__AllowPrivateNetworks"] = "true" };
    private static readonly Dictionary<string, string> SenderOn = new() { ["Webhooks__Enabled"] = "true", ["Webhooks__AllowPrivateNetworks"] = "true" };

    public static async Task<int> RunAsync(BenchOptions options)
    {
        if (options.Get("provider") != "postgres") throw new ArgumentException("webhooks runs on PostgreSQL: --provider postgres --pg \"Host=...\"");
        var phases = options.Get("phases", "drain,live").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var failed = false;
        await using var receiver = await WebhookReceiver.StartAsync();
        if (phases.Contains("drain")) failed |= !await DrainAsync(options, receiver);
        if (phases.Contains("live")) failed |= !await LiveAsync(options, receiver);
        return failed ? 1 : 0;
    }

    /// <summary>A backlog built with the sender off, then timed going out.</summary>
    private static async Task<bool> DrainAsync(BenchOptions options, WebhookReceiver receiver)
    {
        var subscriptions = options.GetInt("subscriptions", 20);
        var backlog = options.GetInt("backlog", 60_000);
        var events = Math.Max(1, backlog / subscriptions);
        var expected = (long)events * subscriptions;
        await using var server = await BenchServer.StartOrAttachAsync(options, "webhooks", SenderOff);
        var pg = server.PostgresDatabase ?? throw new InvalidOperationException("no database");
        using var client = server.CreateClient(8);
        var offset = 1000;
        for (var s = 0; s < subscriptions; s++) await SubscribeAsync(client, receiver.UrlFor(offset + s), "bench_drain");

        // One event of a type all of them take, so each event makes one delivery per subscription.
        var runId = "drain-" + TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss");
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var generated = Enumerable.Range(0, events).Select(i => new GeneratedEvent($"{runId}-{i}", "bench_drain", "web", now.AddMilliseconds(i),
            $"drain{i % 1000}@bench.example", null, false, null, w => w.WriteNumber("n", i))).ToList();
        var sent = await BatchSender.SendAsync(client, generated.Chunk(500).Select(EventGenerator.Serialize).ToList(), 4);
        if (sent.Failed > 0) throw new InvalidOperationException("events refused: " + sent.FirstError);
        await WaitUntilAsync(async () => await ScalarAsync(pg, "select count(*) from platform_webhook_deliveries") >= expected, TimeSpan.FromMinutes(10));

        // The sender starts with the server, before it reports healthy: count from before the restart.
        var before = receiver.Count;
        await server.RestartAsync(SenderOn);
        var cpuBefore = server.CpuTime();
        Console.Error.WriteLine($"drain: sender on, cpu {cpuBefore}");
        var samples = new List<object>();
        var clock = Stopwatch.StartNew();
        var timeout = TimeSpan.FromSeconds(options.GetInt("timeout", 900));
        while (receiver.Count - before < expected && clock.Elapsed < timeout)
        {
            await Task.Delay(1000);
            samples.Add(new { t = (int)Math.Round(clock.Elapsed.TotalSeconds), received = receiver.Count - before, pending = await PendingAsync(pg) });
        }
        var cpu = server.CpuTime() - cpuBefore;
        var received = receiver.Received.Where(r => r.Subscription >= offset && r.Subscription < offset + subscriptions).ToList();
        if (received.Count < 2) throw new InvalidOperationException($"the receiver got {received.Count} deliveries; see {server.LogFile}");
        var seconds = Stopwatch.GetElapsedTime(received.Min(r => r.Timestamp), received.Max(r => r.Timestamp)).TotalSeconds;
        var order = await CheckOrderAsync(pg, received);
        JsonLine.Write(new
        {
            bench = "webhooks",
            phase = "drain",
            subscriptions,
            backlog = expected,
            received = received.Count,
            distinct = received.Select(r => r.DeliveryId).Distinct().Count(),
            seconds = Math.Round(seconds, 1),
            deliveriesPerSecond = Math.Round(received.Count / seconds),
            orderingViolations = order.Violations,
            unknownInteractions = order.Unknown,
            overlaps = receiver.Overlaps,
            serverCpuMicrosecondsPerDelivery = cpu is { } c && received.Count > 0 ? Math.Round(c.TotalMicroseconds / received.Count, 1) : (double?)null,
            samples = samples.Where((_, i) => i % 5 == 4),
            serverLog = server.LogFile,
        });
        if (server is { Owned: true } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, pg);
        return received.Count >= expected && order.Violations == 0;
    }

    /// <summary>Events at a steady rate while the sender keeps up (or not); the backlog sampled every second.</summary>
    private static async Task<bool> LiveAsync(BenchOptions options, WebhookReceiver receiver)
    {
        var subscriptions = options.GetInt("live-subscriptions", 6);
        var rate = options.GetInt("rate", 5000);
        var seconds = options.GetInt("seconds", 60);
        var batchSize = options.GetInt("batch", 500);
        var clients = options.GetInt("clients", 8);
        // Warm-up: --warmup-seconds (20) of the same rate from other customers, so the server is past JIT tiering (its
        // hot paths compiled at their final tier) before the clock starts, as a server that has been running is.
        var warmup = rate * options.GetInt("warmup-seconds", 20);
        var runId = "live-" + TimeProvider.System.GetUtcNow().UtcDateTime.ToString("yyyyMMddHHmmss");
        var batches = new EventGenerator(42, 100_000, runId).Generate(rate * seconds).Chunk(batchSize).Select(EventGenerator.Serialize).ToList();
        var warmupBatches = new EventGenerator(43, 5_000, runId + "-warmup", "warmup.example").Generate(warmup).Chunk(batchSize)
            .Select(EventGenerator.Serialize).ToList();

        await using var server = await BenchServer.StartOrAttachAsync(options, "webhooks", SenderOn);
        var pg = server.PostgresDatabase ?? throw new InvalidOperationException("no database");
        using var client = server.CreateClient(clients);
        var offset = 2000;
        var types = new List<string>();
        for (var s = 0; s < subscriptions; s++)
        {
            types.Add(LiveTypes[s % LiveTypes.Length]);
            await SubscribeAsync(client, receiver.UrlFor(offset + s), types[^1]);
        }

        // Warm-up (untimed): the server past JIT tiering, its deliveries sent, before the clock starts.
        if (warmupBatches.Count > 0) await PacedSender.SendAsync(client, warmupBatches, clients, rate / (double)batchSize);
        await WaitUntilAsync(async () => await PendingAsync(pg) == 0 && await NotFannedOutAsync(pg) == 0, TimeSpan.FromMinutes(10));
        var createdBefore = await ScalarAsync(pg, "select count(*) from platform_webhook_deliveries");
        var receivedBefore = receiver.Count;

        var cpuBefore = server.CpuTime();
        var samples = new List<(double T, long Received, long Pending, long NotFannedOut)>();
        var clock = Stopwatch.StartNew();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try { await Task.Delay(1000, stop.Token); }
                catch (OperationCanceledException) { }
                samples.Add((clock.Elapsed.TotalSeconds, receiver.Count - receivedBefore, await PendingAsync(pg), await NotFannedOutAsync(pg)));
            }
        });
        var sending = await PacedSender.SendAsync(client, batches, clients, rate / (double)batchSize);
        var ingestSeconds = clock.Elapsed.TotalSeconds;
        var atEnd = (Pending: await PendingAsync(pg), NotFannedOut: await NotFannedOutAsync(pg));
        var receivedDuringIngest = receiver.Count - receivedBefore;
        await WaitUntilAsync(async () => await PendingAsync(pg) == 0 && await NotFannedOutAsync(pg) == 0, TimeSpan.FromSeconds(options.GetInt("timeout", 900)));
        var drainedAfter = clock.Elapsed.TotalSeconds - ingestSeconds;
        await stop.CancelAsync();
        await sampler;
        var cpu = server.CpuTime() - cpuBefore;
        var created = await ScalarAsync(pg, "select count(*) from platform_webhook_deliveries") - createdBefore;
        var received = receiver.Received.Where(r => r.Subscription >= offset && r.Subscription < offset + subscriptions).ToList();
        var order = await CheckOrderAsync(pg, received);

        // The backlog's trend over the second half of the ingest window: near zero when delivery keeps pace with the events.
        var window = samples.Where(s => s.T >= ingestSeconds / 2 && s.T <= ingestSeconds).ToList();
        JsonLine.Write(new
        {
            bench = "webhooks",
            phase = "live",
            subscriptions,
            types,
            rateOffered = rate,
            seconds,
            eventsPerSecond = Math.Round(sending.Accepted / sending.Seconds),
            failedBatches = sending.Failed,
            firstError = sending.FirstError,
            deliveriesCreated = created,
            deliveriesCreatedPerSecond = Math.Round(created / ingestSeconds),
            deliveriesPerSecondDuringIngest = Math.Round(receivedDuringIngest / ingestSeconds),
            backlogAtEnd = new { pendingDeliveries = atEnd.Pending, interactionsNotFannedOut = atEnd.NotFannedOut },
            backlogMax = samples.Count == 0 ? 0 : samples.Max(s => s.Pending + s.NotFannedOut),
            backlogSlopePerSecond = Math.Round(Slope(window.Select(s => (s.T, (double)(s.Pending + s.NotFannedOut))).ToList()), 1),
            drainedSecondsAfterIngest = Math.Round(drainedAfter, 1),
            received = received.Count,
            distinct = received.Select(r => r.DeliveryId).Distinct().Count(),
            orderingViolations = order.Violations,
            unknownInteractions = order.Unknown,
            overlaps = receiver.Overlaps,
            serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
            samples = samples.Where((_, i) => i % 5 == 4).Select(s => new { t = (int)Math.Round(s.T), s.Received, s.Pending, s.NotFannedOut }),
            serverLog = server.LogFile,
        });
        if (server is { Owned: true } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, pg);
        return sending.Failed == 0 && order.Violations == 0;
    }

    private static async Task SubscribeAsync(HttpClient client, string url, string type)
    {
        using var response = await client.PostAsJsonAsync(new Uri("/api/v1/webhooks", UriKind.Relative), new { url, eventTypes = new[] { type } });
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"subscribing {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>
    /// Per subscription, in arrival order (first arrival of each delivery), counts deliveries that arrive after one whose
    /// interaction comes later in the stream: (transaction, position) of the interaction's outbox row.
    /// </summary>
    private static async Task<(int Violations, int Unknown)> CheckOrderAsync(string connectionString, List<ReceivedDelivery> received)
    {
        var ids = received.Select(r => r.InteractionId).Distinct().ToArray();
        var stream = new Dictionary<Guid, (long Transaction, long Position)>(ids.Length);
        await using (var conn = new NpgsqlConnection(connectionString))
        {
            await conn.OpenAsync();
            await using var command = new NpgsqlCommand("""select "InteractionId", "TransactionId", "Position" from platform_outbox where "InteractionId" = any($1)""", conn);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = ids });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) stream[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetInt64(2));
        }
        int violations = 0, unknown = 0;
        foreach (var subscription in received.GroupBy(r => r.Subscription))
        {
            var seen = new HashSet<Guid>();
            (long, long)? latest = null;
            foreach (var r in subscription.OrderBy(r => r.Timestamp))
            {
                if (!seen.Add(r.DeliveryId)) continue;
                if (!stream.TryGetValue(r.InteractionId, out var at)) { unknown++; continue; }
                if (latest is { } l && at.CompareTo(l) < 0) violations++;
                else latest = at;
            }
        }
        return (violations, unknown);
    }

    private static double Slope(List<(double X, double Y)> points)
    {
        if (points.Count < 2) return 0;
        var mx = points.Average(p => p.X);
        var my = points.Average(p => p.Y);
        var sxx = points.Sum(p => (p.X - mx) * (p.X - mx));
        return sxx == 0 ? 0 : points.Sum(p => (p.X - mx) * (p.Y - my)) / sxx;
    }

    private static Task<long> PendingAsync(string pg) => ScalarAsync(pg, "select count(*) from platform_webhook_deliveries where \"Status\" = 0");

    private static Task<long> NotFannedOutAsync(string pg) => ScalarAsync(pg, """
        select count(*) from platform_outbox o, platform_subscriber_checkpoints c
        where c."Subscriber" = 'platform.webhooks' and (o."TransactionId", o."Position") > (c."TransactionId", c."Position")
        """);

    private static async Task<long> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > until) throw new TimeoutException("the server did not get there in " + timeout);
            await Task.Delay(500);
        }
    }
}
