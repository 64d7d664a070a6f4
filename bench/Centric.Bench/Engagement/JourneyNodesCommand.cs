using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Bench.Platform;
using Npgsql;

namespace Centric.Bench.Engagement;

/// <summary>
/// `journey-nodes`: two server nodes on one PostgreSQL database run the same journeys, and the duplicates are counted. Both nodes
/// take events (half the batches each) while their stream dispatchers and journey runners compete for the same work: a journey
/// answers every product view of a known customer with a one-minute wait (so the walks sit in the database and either node's
/// runner may claim them) and then an in-app notice. When every walk has ended, the database is asked for walks begun twice
/// from one event, messages sent twice for one walk's step, and notices beyond one per message.
/// </summary>
public static class JourneyNodesCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rate = options.GetInt("rate", 1000);
        var seconds = options.GetInt("seconds", 30);
        var batchSize = options.GetInt("batch", 100);
        var clients = options.GetInt("clients", 4);
        var customers = options.GetInt("customers", 20_000);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("journey-nodes measures PostgreSQL: --provider postgres --pg \"Host=...\"");

        var runId = "nodes-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var batches = new EventGenerator(7, customers, runId).Generate(rate * seconds).Select(e => e with { OccurredAt = now })
            .Chunk(batchSize).Select(EventGenerator.Serialize).ToList();

        // Runners look for due walks every second on both nodes, so they meet on the same walks.
        await using var first = await BenchServer.StartOrAttachAsync(options, "nodes", new Dictionary<string, string> { ["Engagement__JourneyPollInterval"] = "00:00:01" });
        var connection = first.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        await using var second = await first.StartAnotherNodeAsync();
        using var one = first.CreateClient(clients);
        using var two = second.CreateClient(clients);
        await PublishAsync(one);

        var halves = new[] { batches.Where((_, i) => i % 2 == 0).ToList(), batches.Where((_, i) => i % 2 == 1).ToList() };
        var perSecond = (double)rate / batchSize / 2;
        var sent = await Task.WhenAll(PacedSender.SendAsync(one, halves[0], clients, perSecond), PacedSender.SendAsync(two, halves[1], clients, perSecond));
        var catchUp = await IngestCommand.CatchUpAsync(connection, TimeSpan.FromSeconds(600));

        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        // Every walk waits one minute and then sends: wait until none is still open (or ten minutes have passed).
        var deadline = TimeProvider.System.GetUtcNow().UtcDateTime.AddMinutes(10);
        while (TimeProvider.System.GetUtcNow().UtcDateTime < deadline && await ScalarAsync(conn, "SELECT count(*) FROM engagement_journey_runs WHERE \"Status\" IN ('active', 'waiting')") > 0)
            await Task.Delay(TimeSpan.FromSeconds(2));

        var walks = await ScalarAsync(conn, "SELECT count(*) FROM engagement_journey_runs");
        var open = await ScalarAsync(conn, "SELECT count(*) FROM engagement_journey_runs WHERE \"Status\" IN ('active', 'waiting')");
        var messages = await ScalarAsync(conn, "SELECT count(*) FROM engagement_messages WHERE \"SendKey\" LIKE 'journey:%'");
        var doubleWalks = await ScalarAsync(conn, """
            SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM engagement_journey_runs GROUP BY "JourneyId", "EntryKey") AS w WHERE n > 1
            """);
        var doubleSends = await ScalarAsync(conn, """
            SELECT coalesce(sum(n - 1), 0) FROM (SELECT count(*) AS n FROM engagement_messages GROUP BY "SendKey") AS m WHERE n > 1
            """);
        // A walk that sent has exactly one message; the notices the customers see must number the same.
        var notices = await ScalarAsync(conn, "SELECT count(*) FROM customers_notifications WHERE \"Topic\" = 'engagement'");
        var walksWithoutMessage = await ScalarAsync(conn, """
            SELECT count(*) FROM engagement_journey_runs r
            WHERE r."Status" = 'completed' AND NOT EXISTS (SELECT 1 FROM engagement_messages m WHERE m."SendKey" = 'journey:' || replace(r."Id"::text, '-', '') || ':thanks')
            """);
        JsonLine.Write(new
        {
            bench = "journey-nodes", provider = "postgres", nodes = 2, offeredRate = rate, seconds, events = rate * seconds, customers,
            failedBatches = sent.Sum(s => s.Failed), catchUpSeconds = catchUp is { } up ? Math.Round(up.TotalSeconds, 1) : (double?)null,
            walks, open, messages, notices, duplicateWalks = doubleWalks, duplicateSends = doubleSends, extraNotices = notices - messages, walksWithoutMessage,
        });
        if (first is { Owned: true, PostgresDatabase: { } db } && !options.Has("keep"))
        {
            await second.StopAsync();
            await IngestCommand.DropDatabaseAsync(first, db);
        }
        return doubleWalks == 0 && doubleSends == 0 && notices == messages ? 0 : 1;
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task PublishAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync(new Uri("/api/v1/journeys", UriKind.Relative), new
        {
            name = "Bench: thanks for looking, a minute later",
            definition = new
            {
                trigger = new { on = "interaction", type = "product_viewed" },
                reentry = "after_exit",
                steps = new object[]
                {
                    new { id = "pause", kind = "wait", minutes = 1 },
                    new { id = "thanks", kind = "send", channel = "in_app", purpose = "service", subject = "Thanks for looking", body = "Ask us anything." },
                },
            },
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        (await client.PostAsync(new Uri($"/api/v1/journeys/{id}/publish", UriKind.Relative), null)).EnsureSuccessStatusCode();
    }
}
