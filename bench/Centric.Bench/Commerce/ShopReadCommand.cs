using System.Collections.Concurrent;
using System.Diagnostics;
using Centric.Bench.Platform;

namespace Centric.Bench.Commerce;

/// <summary>
/// `shop-read`: product pages and shop searches at a fixed arrival rate (open loop: requests start on schedule whether or
/// not earlier ones have finished, and latency counts from the scheduled start, so a stall cannot hide queued requests).
/// Half the requests open a product page (GET /shop/{slug}, which also writes its product_viewed interaction and renders its
/// "Customers also bought" from the recommendations model: the run waits until the demo's model is active), half search
/// (GET /shop?q=..., with its search_performed interaction), from a pool of returning visitors (each with its visitor
/// cookie). The baseline is GET /health at the same rate on the same server in the same run: the floor of this machine,
/// client and HTTP stack.
/// </summary>
public static class ShopReadCommand
{
    private static readonly string[] Searches =
        ["towel", "lamp", "running shoes", "coffee", "mug", "kettle", "shampoo", "yoga", "mouse", "puzzle", "towl", "bag", "watch", "pan", "candle"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var rate = options.GetInt("rate", 200);
        var seconds = options.GetInt("seconds", 30);
        var visitors = options.GetInt("visitors", 500);
        await using var server = await BenchServer.StartOrAttachAsync(options, "shop", new Dictionary<string, string> { ["Database__SeedDemoData"] = "true" });
        await using var db = ShopDatabase.Open(server);
        await db.OpenAsync();
        var products = await ShopDatabase.SingleVariantProductsAsync(db);
        var catalogSize = await ShopDatabase.ScalarAsync<long>(db, "select count(*) from commerce_products");
        using var http = server.CreateClient(256);
        var random = new Random(options.GetInt("seed", 11));
        var tokens = Enumerable.Range(0, visitors).Select(_ => Guid.NewGuid().ToString("N")).ToArray();

        string Next(Random r) => r.Next(2) == 0
            ? $"/shop/{products[r.Next(products.Count)].Slug}"
            : $"/shop?q={Uri.EscapeDataString(Searches[r.Next(Searches.Length)])}";

        // The demo asks for its recommendations model as it starts; the product pages measured show "Customers also bought"
        // from that model, so wait for it (the background worker trains it within a minute or two).
        var modelVersion = await WaitForRecommendationsModelAsync(db, TimeSpan.FromSeconds(options.GetInt("model-wait", 600)));
        var shelves = 0;
        foreach (var p in products.Take(10))
        {
            var page = await http.GetStringAsync(new Uri($"/shop/{p.Slug}", UriKind.Relative));
            if (page.Contains("id=\"recommendations-product\"", StringComparison.Ordinal) && page.Contains("data-arm=\"model\"", StringComparison.Ordinal)) shelves++;
        }
        Console.Error.WriteLine($"recommendations model version {modelVersion}; {shelves} of {Math.Min(10, products.Count)} product pages show the model's \"Customers also bought\"");

        // Every visitor once (their first visit creates their anonymous profile), then a warm-up at the target rate.
        await Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, ct) => await GetAsync(http, Next(new Random(t.GetHashCode(StringComparison.Ordinal))), t));
        await OpenLoopAsync(http, rate, 5, _ => "/health", tokens, random);
        var baseline = await OpenLoopAsync(http, rate, seconds, _ => "/health", tokens, random);
        // The shop's own warm-up (--warmup seconds, 5 by default): after a few seconds the JIT is still compiling the pages'
        // hot code at its final tier on a background thread, which a longer warm-up leaves out of the measured window.
        var warmupSeconds = options.GetInt("warmup", 5);
        await OpenLoopAsync(http, rate, warmupSeconds, Next, tokens, random);
        var cpuBefore = server.CpuTime();
        var measuredFrom = TimeProvider.System.GetUtcNow().UtcDateTime;
        var measured = await OpenLoopAsync(http, rate, seconds, Next, tokens, random);
        var cpu = server.CpuTime() - cpuBefore;
        var trainingRuns = await ShopDatabase.TrainingRunsDuringAsync(db, measuredFrom, TimeProvider.System.GetUtcNow().UtcDateTime);

        JsonLine.Write(new
        {
            bench = "shop-read",
            provider = server.Provider,
            products = catalogSize,
            recommendationsModelVersion = modelVersion,
            productPagesWithModelShelf = shelves,
            rate,
            seconds,
            visitors,
            warmupSeconds,
            achievedPerSecond = Math.Round(measured.Latencies.Count / measured.Seconds, 1),
            all = Percentiles.Summary(measured.Latencies),
            product = Percentiles.Summary(measured.ByKind["product"]),
            search = Percentiles.Summary(measured.ByKind["search"]),
            baseline = Percentiles.Summary(baseline.Latencies),
            p99OverBaselineP99 = Math.Round(Percentiles.Of(measured.Latencies, 99) / Percentiles.Of(baseline.Latencies, 99), 2),
            errors = measured.Errors + baseline.Errors,
            serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
            trainingRunsDuringMeasurement = trainingRuns,
        });
        await db.CloseAsync();
        if (server is { Owned: true, NamedDatabase: false, PostgresDatabase: { } pg } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, pg);
        return 0;
    }

    /// <summary>The active recommendations model's version once there is one (null when none came within <paramref name="wait"/>).</summary>
    private static async Task<int?> WaitForRecommendationsModelAsync(Npgsql.NpgsqlConnection db, TimeSpan wait)
    {
        var until = Stopwatch.GetTimestamp() + (long)(wait.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                "select max(\"Version\") from insights_model_versions where \"Kind\" = 'Recommendations' and \"IsActive\"", db);
            if (await cmd.ExecuteScalarAsync() is int version) return version;
            if (Stopwatch.GetTimestamp() > until) return null;
            await Task.Delay(2000);
        }
    }

    private sealed record Run(List<double> Latencies, Dictionary<string, List<double>> ByKind, int Errors, double Seconds);

    private static async Task<bool> GetAsync(HttpClient http, string path, string visitor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        request.Headers.Add("Cookie", $"centric_visitor={visitor}");
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead);
        return response.IsSuccessStatusCode;
    }

    private static async Task<Run> OpenLoopAsync(HttpClient http, int rate, int seconds, Func<Random, string> next, string[] visitors, Random random)
    {
        var total = rate * seconds;
        var results = new ConcurrentBag<(string Kind, double Ms, bool Ok)>();
        var inFlight = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var path = next(random);
            var visitor = visitors[random.Next(visitors.Length)];
            var kind = path.StartsWith("/shop?", StringComparison.Ordinal) ? "search" : path.StartsWith("/shop/", StringComparison.Ordinal) ? "product" : "health";
            inFlight.Add(Task.Run(async () =>
            {
                bool ok;
                try { ok = await GetAsync(http, path, visitor); }
                catch (HttpRequestException) { ok = false; }
                // From the scheduled start: time spent queued in this client counts too.
                results.Add((kind, Stopwatch.GetElapsedTime(due).TotalMilliseconds, ok));
            }));
        }
        await Task.WhenAll(inFlight);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var all = results.ToList();
        var byKind = new Dictionary<string, List<double>> { ["product"] = [], ["search"] = [], ["health"] = [] };
        foreach (var r in all) byKind[r.Kind].Add(r.Ms);
        return new Run([.. all.Select(r => r.Ms)], byKind, all.Count(r => !r.Ok), elapsed);
    }
}
