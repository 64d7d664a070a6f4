using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Centric.Bench.Platform;

/// <summary>
/// `timeline`: one profile with --interactions 10000 (sent through the events API), then --requests 2000
/// sequential timeline reads of --limit 50: the first page, and deeper pages reached through the `next` cursor
/// (each walk goes --depth 40 pages down, then starts again at the top). Latency is measured at the client over
/// loopback and, from the Server-Timing header the server adds when started by this harness, inside the server.
/// </summary>
public static class TimelineCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var interactions = options.GetInt("interactions", 10_000);
        var requests = options.GetInt("requests", 2_000);
        var limit = options.GetInt("limit", 50);
        var depth = options.GetInt("depth", 40);
        var runId = "timeline-" + TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
        var email = runId + "@bench.example";

        await using var server = await BenchServer.StartOrAttachAsync(options, "timeline");
        using var client = server.CreateClient(4);

        // Other customers' traffic around the one profile, so the index holds more than one person.
        var background = new EventGenerator(7, 10_000, runId + "-other").Generate(options.GetInt("background", 50_000));
        var own = new EventGenerator(8, 1, runId).ForOneCustomer(email, interactions);
        var batches = background.Concat(own).Chunk(500).Select(EventGenerator.Serialize).ToList();
        var load = await BatchSender.SendAsync(client, batches, 4);
        if (load.Failed > 0) throw new InvalidOperationException("loading failed: " + load.FirstError);

        using var found = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/customers?email={Uri.EscapeDataString(email)}", UriKind.Relative)));
        var profileId = found.RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
        var path = $"/api/v1/customers/{profileId}/timeline?limit={limit}";

        // Let the dispatcher finish with the load so it does not run beside the reads, then warm up.
        await Task.Delay(TimeSpan.FromSeconds(options.GetInt("settle", 10)));
        await WalkAsync(client, path, 100, depth, new(), new(), new(), new());

        List<double> firstClient = [], firstServer = [], deepClient = [], deepServer = [];
        await WalkAsync(client, path, requests, depth, firstClient, firstServer, deepClient, deepServer);
        // The profile's own count (kept by the aggregates subscriber) confirms every interaction landed on it.
        using var detail = JsonDocument.Parse(await client.GetStringAsync(new Uri($"/api/v1/customers/{profileId}", UriKind.Relative)));
        var count = detail.RootElement.GetProperty("interactionCount").GetInt64();
        var all = firstClient.Concat(deepClient).ToList();
        var allServer = firstServer.Concat(deepServer).ToList();
        JsonLine.Write(new
        {
            bench = "timeline",
            provider = server.Provider,
            interactions,
            profileInteractionCount = count,
            limit,
            depth,
            requests,
            client = Percentiles.Summary(all),
            server = Percentiles.Summary(allServer),
            firstPage = new { client = Percentiles.Summary(firstClient), server = Percentiles.Summary(firstServer) },
            deeperPages = new { client = Percentiles.Summary(deepClient), server = Percentiles.Summary(deepServer) },
            serverLog = server.LogFile,
        });
        if (server is { Owned: true, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return 0;
    }

    /// <summary>Reads pages until <paramref name="requests"/> are done.</summary>
    private static async Task WalkAsync(HttpClient client, string path, int requests, int depth,
        List<double> firstClient, List<double> firstServer, List<double> deepClient, List<double> deepServer)
    {
        string? next = null;
        var page = 0;
        for (var i = 0; i < requests; i++)
        {
            var uri = new Uri(next is null ? path : $"{path}&before={Uri.EscapeDataString(next)}", UriKind.Relative);
            var t0 = Stopwatch.GetTimestamp();
            using var response = await client.GetAsync(uri);
            var body = await response.Content.ReadAsByteArrayAsync();
            var ms = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(body);
            (page == 0 ? firstClient : deepClient).Add(ms);
            if (ServerMs(response) is { } server) (page == 0 ? firstServer : deepServer).Add(server);
            next = doc.RootElement.TryGetProperty("next", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            page++;
            if (next is null || page >= depth) { next = null; page = 0; }
        }
    }

    /// <summary>The `app;dur=` value of a Server-Timing header, in milliseconds.</summary>
    private static double? ServerMs(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values)) return null;
        foreach (var value in values)
        {
            var at = value.IndexOf("dur=", StringComparison.Ordinal);
            if (at >= 0 && double.TryParse(value.AsSpan(at + 4).TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) return ms;
        }
        return null;
    }
}
