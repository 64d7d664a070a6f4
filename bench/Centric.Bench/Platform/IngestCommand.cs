using System.Globalization;
using Npgsql;

namespace Centric.Bench.Platform;

/// <summary>
/// `ingest`: event ingestion over HTTP on loopback, then (PostgreSQL) the binary COPY ceiling for the same rows.
/// Options: --provider sqlite|postgres, --events 1000000, --batch 500, --clients 8, --customers 100000,
/// --warmup 50000 (events sent first, untimed, so the server is past JIT tiering), --seed 42, --pg "Host=...;Port=...;Username=..." (PostgreSQL),
/// --url and --key to use a running server instead of starting one, --no-copy, --keep (keep the database).
/// </summary>
public static class IngestCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var events = options.GetInt("events", 1_000_000);
        var batchSize = options.GetInt("batch", 500);
        var clients = options.GetInt("clients", 8);
        var customers = options.GetInt("customers", 100_000);
        var warmup = options.GetInt("warmup", 50_000);
        var seed = options.GetInt("seed", 42);
        var runId = "bench-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);

        // Everything is generated and serialised before the clock starts; the load generator only sends.
        var generator = new EventGenerator(seed, customers, runId);
        var generated = generator.Generate(events);
        var batches = generated.Chunk(batchSize).Select(EventGenerator.Serialize).ToList();
        var warmupBatches = new EventGenerator(seed + 1, Math.Max(warmup / 5, 1), runId + "-warmup", "warmup.example")
            .Generate(warmup).Chunk(batchSize).Select(EventGenerator.Serialize).ToList();
        var bytes = batches.Sum(b => (long)b.Length);

        await using var server = await BenchServer.StartOrAttachAsync(options, "ingest");
        using var client = server.CreateClient(clients);
        if (warmupBatches.Count > 0) await BatchSender.SendAsync(client, warmupBatches, clients);

        var cpuBefore = server.CpuTime();
        var result = await BatchSender.SendAsync(client, batches, clients);
        var serverCpu = server.CpuTime() - cpuBefore;
        var lag = server.PostgresDatabase is { } pgDb ? await DispatcherLagAsync(pgDb) : null;
        // Whether the dispatcher keeps up: how long after the last answer its subscribers have handled every event.
        var catchUp = server.PostgresDatabase is { } lagDb ? await CatchUpAsync(lagDb, TimeSpan.FromSeconds(options.GetInt("catch-up-limit", 300))) : null;
        JsonLine.Write(new
        {
            bench = "ingest",
            phase = "http",
            provider = server.Provider,
            events,
            batch = batchSize,
            clients,
            customers,
            seed,
            requestMiB = Math.Round(bytes / 1048576.0, 1),
            seconds = Math.Round(result.Seconds, 2),
            eventsPerSecond = Math.Round(events / result.Seconds),
            batchLatency = Percentiles.Summary(result.LatenciesMs),
            accepted = result.Accepted,
            duplicates = result.Duplicates,
            failedBatches = result.Failed,
            firstError = result.FirstError,
            dispatcherBacklogAtEnd = lag,
            dispatcherCatchUpSeconds = catchUp is { } up ? Math.Round(up.TotalSeconds, 1) : (double?)null,
            dispatchedEventsPerSecond = catchUp is { } all ? Math.Round(events / (result.Seconds + all.TotalSeconds)) : (double?)null,
            // Server CPU (all threads, including the outbox dispatcher) per event: steadier than wall time on a busy machine.
            serverCpuMicrosecondsPerEvent = serverCpu is { } cpu ? Math.Round(cpu.TotalMicroseconds / events, 1) : (double?)null,
            serverLog = server.LogFile,
        });

        if (server.PostgresDatabase is { } connection && !options.Has("no-copy"))
        {
            // The ceiling runs on a quiet machine: the server (and its dispatcher) stop first when this harness owns it.
            await server.StopAsync();
            var (seconds, rows) = await CopyCeiling.RunAsync(connection);
            var ceiling = events / seconds;
            JsonLine.Write(new
            {
                bench = "ingest",
                phase = "copy-ceiling",
                provider = "postgres",
                events,
                rows,
                seconds = Math.Round(seconds, 2),
                eventsPerSecond = Math.Round(ceiling),
                httpShareOfCeiling = Math.Round(events / result.Seconds / ceiling, 3),
            });
        }
        if (server is { Owned: true, PostgresDatabase: { } db } && !options.Has("keep")) await DropDatabaseAsync(server, db);
        return result.Failed == 0 ? 0 : 1;
    }

    // Outbox rows the slowest subscriber has not handled yet, in stream order (transaction, then position).
    private const string Backlog = """
        SELECT count(*) FROM platform_outbox o
        WHERE (o."TransactionId", o."Position") > (SELECT c."TransactionId", c."Position" FROM platform_subscriber_checkpoints c
                                                   ORDER BY c."TransactionId", c."Position" LIMIT 1)
        """;

    /// <summary>How far the outbox dispatcher trails the writers when the last batch is answered.</summary>
    private static async Task<object> DispatcherLagAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(Backlog, conn);
        return new { outboxRowsNotYetDispatched = (long)(await command.ExecuteScalarAsync())! };
    }

    /// <summary>Seconds until no outbox row is left undispatched, or null when that takes longer than <paramref name="limit"/>.</summary>
    internal static async Task<TimeSpan?> CatchUpAsync(string connectionString, TimeSpan limit)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        while (watch.Elapsed < limit)
        {
            await using var conn = new NpgsqlConnection(connectionString);
            await conn.OpenAsync();
            await using var command = new NpgsqlCommand(Backlog, conn);
            if ((long)(await command.ExecuteScalarAsync())! <= 0) return watch.Elapsed;
            await Task.Delay(500);
        }
        return null;
    }

    internal static async Task DropDatabaseAsync(BenchServer server, string connectionString)
    {
        await server.StopAsync();
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var name = csb.Database!;
        csb.Database = "postgres";
        csb.Pooling = false;
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(csb.ConnectionString);
        await conn.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", conn);
        await drop.ExecuteNonQueryAsync();
    }
}
