using System.Buffers;
using System.Diagnostics;
using System.Text.Json;
using Centric.Bench.Platform;
using Centric.Bench.Sentiment;

namespace Centric.Bench.Insights;

/// <summary>
/// `sentiment-stream`: free text arriving at --rate (5,000) interactions a second for --seconds (60) through
/// `POST /api/v1/events` (batches of --batch 500, --clients 8 connections): CSAT answers with a comment, the comments being
/// the 3,000 labelled review sentences in turn, from --customers (10,000) known customers. Every second the bench samples
/// how many texts the sentiment subscriber has scored (insights_text_sentiments) and how far its checkpoint trails the
/// outbox; at the end it reports the lag, the scored rate while sending and how long it takes to score the rest.
/// </summary>
internal static class SentimentStreamCommand
{
    private const string Lag = """
        SELECT count(*) FROM platform_outbox o
        WHERE (o."TransactionId", o."Position") > (SELECT c."TransactionId", c."Position" FROM platform_subscriber_checkpoints c WHERE c."Subscriber" = 'insights.sentiment')
        """;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rate = options.GetInt("rate", 5000);
        var seconds = options.GetInt("seconds", 60);
        var batchSize = options.GetInt("batch", 500);
        var clients = options.GetInt("clients", 8);
        var customers = options.GetInt("customers", 10_000);
        var warmup = options.GetInt("warmup", 20_000);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("sentiment-stream measures PostgreSQL: --provider postgres --pg \"Host=...\"");

        var corpus = SentimentCorpus.Load(Path.Combine(options.Get("data") ?? DataLocator.Find(), "sentiment-sentences"));
        var run = "s" + TimeProvider.System.GetUtcNow().UtcDateTime.ToString("HHmmss", System.Globalization.CultureInfo.InvariantCulture);
        var warmupBatches = Batches(corpus, run + "w", warmup, batchSize, customers);
        var batches = Batches(corpus, run, rate * seconds, batchSize, customers);

        await using var server = await BenchServer.StartOrAttachAsync(options, "sentiment", InsightsData.QuietServer);
        var connection = server.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        using var client = server.CreateClient(clients);
        // Warm-up (untimed): the customers exist, the server is past JIT tiering, the subscriber has caught up.
        await BatchSender.SendAsync(client, warmupBatches, clients);
        await IngestCommand.CatchUpAsync(connection, TimeSpan.FromSeconds(300));
        var before = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_text_sentiments");

        var samples = new List<object>();
        using var sampling = new CancellationTokenSource();
        var started = Stopwatch.GetTimestamp();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                var scored = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_text_sentiments") - before;
                var lag = await InsightsData.ScalarAsync(connection, Lag);
                samples.Add(new { at = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1), scored, lag });
                try { await Task.Delay(1000, sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var sent = await PacedSender.SendAsync(client, batches, clients, (double)rate / batchSize);
        var scoredAtEnd = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_text_sentiments") - before;
        var lagAtEnd = await InsightsData.ScalarAsync(connection, Lag);
        var total = (long)rate * seconds;
        var caughtUp = Stopwatch.StartNew();
        while (await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_text_sentiments") - before < total && caughtUp.Elapsed < TimeSpan.FromSeconds(600))
            await Task.Delay(250);
        var catchUpSeconds = caughtUp.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;

        JsonLine.Write(new
        {
            bench = "sentiment-stream", rate, seconds, batch = batchSize, clients, customers,
            sendSeconds = Math.Round(sent.Seconds, 1), offeredPerSecond = Math.Round(total / sent.Seconds),
            accepted = sent.Accepted, failedBatches = sent.Failed, firstError = sent.FirstError, batchLatency = Percentiles.Summary(sent.LatenciesMs),
            scoredWhileSending = scoredAtEnd, scoredPerSecondWhileSending = Math.Round(scoredAtEnd / sent.Seconds),
            sentimentLagAtEnd = lagAtEnd, catchUpSeconds = Math.Round(catchUpSeconds, 1),
            scored = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_text_sentiments") - before,
            samples, serverLog = server.LogFile,
        });
        if (server is { Owned: true, NamedDatabase: false, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return sent.Failed == 0 ? 0 : 1;
    }

    /// <summary>CSAT answers with a comment, as an integrator's survey tool would send them; serialised before the clock starts.</summary>
    private static List<byte[]> Batches(SentimentCorpus corpus, string run, int count, int batchSize, int customers)
    {
        var batches = new List<byte[]>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        for (var start = 0; start < count; start += batchSize)
        {
            var buffer = new ArrayBufferWriter<byte>(256 * 1024);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteStartArray("events");
                for (var i = start; i < Math.Min(count, start + batchSize); i++)
                {
                    var text = corpus.Texts[i % corpus.Texts.Length];
                    w.WriteStartObject();
                    w.WriteString("id", $"{run}-{i}");
                    w.WriteString("type", "csat_submitted");
                    w.WriteString("occurredAt", now.AddMilliseconds(-i % 60_000).ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture));
                    w.WriteString("channel", "email");
                    w.WriteStartObject("customer");
                    w.WriteString("email", $"bench{1 + i % customers}@example.com");
                    w.WriteEndObject();
                    w.WriteStartObject("properties");
                    w.WriteString("ticketNumber", $"T-{i % 1_000_000:D7}");
                    w.WriteNumber("rating", corpus.Positive[i % corpus.Texts.Length] ? 5 : 2);
                    w.WriteString("comment", text);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            batches.Add(buffer.WrittenSpan.ToArray());
        }
        return batches;
    }
}
