using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Bench.Platform;
using Npgsql;

namespace Centric.Bench.Engagement;

/// <summary>
/// `journey-latency`: trigger → action latency while events are ingested at a fixed rate, on PostgreSQL. Starts the server on a
/// new database, publishes a journey that answers every product view of a known customer with an in-app notice, then offers
/// --rate events a second (the storefront mix of the ingest benchmark, stamped now) for --seconds, waits until the stream has
/// caught up, and measures in the database, for every walk, the time from the triggering event's arrival (its ReceivedAt) to
/// the notice's message row (its CreatedAt): the stream's lag plus the journey's own work, on the server's one clock.
/// --warmup-seconds (20) of the same load from other customers go first, untimed, and the stream catches up before the
/// measured load starts: a server serves for days, so what is measured is the server past its JIT's compiling.
/// </summary>
public static class JourneyLatencyCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rate = options.GetInt("rate", 5000);
        var seconds = options.GetInt("seconds", 60);
        var batchSize = options.GetInt("batch", 100);
        var clients = options.GetInt("clients", 8);
        var customers = options.GetInt("customers", 20_000);
        var warmupSeconds = options.GetInt("warmup-seconds", 20);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("journey-latency measures PostgreSQL: --provider postgres --pg \"Host=...\"");

        var runId = "journey-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        // Journeys start only on news: the generated events are stamped with the moment of the run.
        var batches = new EventGenerator(42, customers, runId).Generate(rate * seconds).Select(e => e with { OccurredAt = now })
            .Chunk(batchSize).Select(EventGenerator.Serialize).ToList();
        var warmup = new EventGenerator(43, customers, runId + "-warmup", "warmup.example").Generate(rate * warmupSeconds)
            .Select(e => e with { OccurredAt = now }).Chunk(batchSize).Select(EventGenerator.Serialize).ToList();

        await using var server = await BenchServer.StartOrAttachAsync(options, "journeys");
        var connection = server.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        using var client = server.CreateClient(clients);
        // --no-journey: the same load with no journey live, the stream's own lag as the baseline.
        if (!options.Has("no-journey")) await PublishAsync(client);

        if (warmup.Count > 0)
        {
            await PacedSender.SendAsync(client, warmup, clients, (double)rate / batchSize);
            await IngestCommand.CatchUpAsync(connection, TimeSpan.FromSeconds(600));
        }
        var measuredFrom = TimeProvider.System.GetUtcNow().UtcDateTime;
        var sent = await PacedSender.SendAsync(client, batches, clients, (double)rate / batchSize);
        var catchUp = await IngestCommand.CatchUpAsync(connection, TimeSpan.FromSeconds(600));

        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT count(*),
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), percentile_cont(0.9) WITHIN GROUP (ORDER BY ms),
                   percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), max(ms)
            FROM (SELECT extract(epoch FROM (m."CreatedAt" - i."ReceivedAt")) * 1000 AS ms
                  FROM engagement_journey_runs r
                  JOIN customers_interactions i ON r."EntryKey" = 'i:' || replace(i."Id"::text, '-', '')
                  JOIN engagement_messages m ON m."SendKey" = 'journey:' || replace(r."Id"::text, '-', '') || ':seen'
                  WHERE i."ReceivedAt" >= @from) AS walks
            """, conn) { CommandTimeout = 0 };
        command.Parameters.AddWithValue("from", measuredFrom);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        double? Ms(int column) => reader.IsDBNull(column) ? null : Math.Round(reader.GetDouble(column), 1);
        JsonLine.Write(new
        {
            bench = "journey-latency", provider = "postgres", offeredRate = rate, seconds, journey = !options.Has("no-journey"), events = rate * seconds, customers, warmupSeconds,
            achievedRate = Math.Round(rate * seconds / sent.Seconds), failedBatches = sent.Failed,
            // How long the events API took to answer a batch: a walk's clock starts as its event is received, before its batch commits.
            batchLatency = Percentiles.Summary(sent.LatenciesMs),
            catchUpSeconds = catchUp is { } up ? Math.Round(up.TotalSeconds, 1) : (double?)null,
            walks = reader.GetInt64(0), p50Ms = Ms(1), p90Ms = Ms(2), p99Ms = Ms(3), maxMs = Ms(4),
        });
        await reader.DisposeAsync();
        if (server is { Owned: true, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return 0;
    }

    private static async Task PublishAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync(new Uri("/api/v1/journeys", UriKind.Relative), new
        {
            name = "Bench: thanks for looking",
            definition = new
            {
                trigger = new { on = "interaction", type = "product_viewed" },
                reentry = "after_exit",
                steps = new object[] { new { id = "seen", kind = "send", channel = "in_app", purpose = "service", subject = "Thanks for looking", body = "Ask us anything." } },
            },
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await client.PostAsync(new Uri($"/api/v1/journeys/{id}/publish", UriKind.Relative), null)).EnsureSuccessStatusCode();
    }
}
