using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Analytics.Recommendations;
using Centric.Bench.Commerce;
using Centric.Bench.Platform;
using Centric.Testing;
using Npgsql;

namespace Centric.Bench.Reco;

/// <summary>
/// `reco-replay`: MovieLens 100k replayed through the live product. The ratings are cut by time (default: the 80th
/// percentile of their timestamps); everything before is written as an orders file (one order per rating: customer = user,
/// sku = movie, at the rating's time, moved forward so the cut-off is an hour ago) and loaded with `centric import orders`
/// into a fresh server; the recommendations model is trained with `centric models train --kind recommendations`; then each
/// user with history and later ratings is asked for through `GET /api/v1/customers/{id}/recommendations?limit=10`, the code
/// the shop calls. Hit rate@10 and nDCG@10 against the user's later movies, beside popularity and the offline EASE of
/// `reco` trained on the same history in the same run. Then the endpoint's latency at a fixed rate over every customer.
/// Options: --pg (PostgreSQL), --cut 0.8, --rate 100, --seconds 30, --keep (leave the database).
/// </summary>
public static class RecoReplayCommand
{
    private const int K = 10;

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var dir = options.Get("data") ?? Path.Combine(BenchOptions.DataRoot(), "movielens-100k");
        var cutQuantile = double.Parse(options.Get("cut", "0.8"), CultureInfo.InvariantCulture);
        var rate = options.GetInt("rate", 100);
        var seconds = options.GetInt("seconds", 30);
        var rows = RatingsFile.Read(RatingsFile.Find(dir));
        var times = rows.Select(r => r.OccurredAt).Order().ToList();
        var cut = times[(int)(cutQuantile * (times.Count - 1))];
        var history = rows.Where(r => r.OccurredAt < cut).ToList();
        var later = rows.Where(r => r.OccurredAt >= cut).ToList();
        var historyUsers = history.Select(r => r.UserId).ToHashSet(StringComparer.Ordinal);
        var truth = later.Where(r => historyUsers.Contains(r.UserId)).GroupBy(r => r.UserId, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlySet<string>)g.Select(r => r.ItemId).ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);
        var coldUsers = later.Select(r => r.UserId).Distinct().Count(u => !historyUsers.Contains(u));
        Console.Error.WriteLine($"cut-off {cut:yyyy-MM-dd HH:mm}: {history.Count} history ratings of {historyUsers.Count} users; {truth.Count} of them rated later ({later.Count} later ratings; {coldUsers} later users had no history)");

        // Offline, in this process, on the same split: the `reco` bench's models.
        var offline = Offline(history, truth);
        foreach (var o in offline) JsonLine.Write(o);

        // The live path: import, train, ask.
        var scratch = Directory.CreateTempSubdirectory("centric-reco-replay-").FullName;
        var shift = TimeProvider.System.GetUtcNow().AddHours(-1) - cut;
        var file = Path.Combine(scratch, "orders.csv");
        WriteOrders(file, history, shift);
        var dll = options.Get("server-dll") ?? ServerBinary.Find();
        var server = await BenchServer.StartOrAttachAsync(options, "reco_replay", new Dictionary<string, string>
        {
            // The run trains once, through the CLI; no nightly slot in between.
            ["Insights__BackgroundTraining"] = "false",
        });
        try
        {
            var pg = server.PostgresDatabase ?? throw new ArgumentException("reco-replay needs --provider postgres --pg \"Host=...\"");
            var cli = new Dictionary<string, string>
            {
                ["Database__Provider"] = "postgres", ["ConnectionStrings__Default"] = pg, ["Database__SeedDemoData"] = "false",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            var (importSeconds, importOutput) = await ImportBench.RunAsync(dll, cli, "import", "orders", "--file", file);
            var (trainSeconds, trainOutput) = await ImportBench.RunAsync(dll, cli, "models", "train", "--kind", "recommendations");
            var trained = trainOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .FirstOrDefault(l => l.StartsWith("recommendations version", StringComparison.Ordinal)) ?? trainOutput.Trim();
            Console.Error.WriteLine(trained);
            await using (var db = new NpgsqlConnection(pg))
            {
                await db.OpenAsync();
                await PutOnSaleAsync(db);
            }

            using var http = server.CreateClient(64);
            var profiles = await ProfilesAsync(http, historyUsers);
            var live = await LiveAsync(http, profiles, truth);
            JsonLine.Write(new
            {
                bench = "reco-replay", model = "live-api", users = live.Users, hitRateAt10 = Math.Round(live.HitRate, 4), ndcgAt10 = Math.Round(live.Ndcg, 4),
                precisionAt10 = Math.Round(live.Precision, 4), shortLists = live.Short, modelLine = trained,
                importSeconds = Math.Round(importSeconds, 1), trainSeconds = Math.Round(trainSeconds, 1),
                import = importOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault(),
            });

            // Latency of the endpoint over every customer at a fixed rate, after /health at the same rate.
            var ids = profiles.Values.ToArray();
            var random = new Random(5);
            await OpenLoopAsync(http, rate, 5, _ => "/health");
            var baseline = await OpenLoopAsync(http, rate, seconds, _ => "/health");
            string Next(Random r) => $"/api/v1/customers/{ids[r.Next(ids.Length)]}/recommendations?limit=10";
            await OpenLoopAsync(http, rate, 5, Next);
            var cpuBefore = server.CpuTime();
            var measured = await OpenLoopAsync(http, rate, seconds, Next);
            var cpu = server.CpuTime() - cpuBefore;
            JsonLine.Write(new
            {
                bench = "reco-replay-latency", provider = server.Provider, customers = ids.Length, rate, seconds,
                achievedPerSecond = Math.Round(measured.Latencies.Count / measured.Seconds, 1),
                recommendations = Percentiles.Summary(measured.Latencies), baseline = Percentiles.Summary(baseline.Latencies),
                p99OverBaselineP99 = Math.Round(Percentiles.Of(measured.Latencies, 99) / Percentiles.Of(baseline.Latencies, 99), 2),
                errors = measured.Errors + baseline.Errors, firstError = measured.FirstError ?? baseline.FirstError,
                serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
            });
            return 0;
        }
        finally
        {
            await server.DisposeAsync();
            Directory.Delete(scratch, recursive: true);
            if (server.Owned || server.PostgresDatabase is not null) await DropAsync(server, options);
        }
    }

    private static async Task DropAsync(BenchServer server, BenchOptions options)
    {
        if (options.Has("keep") || options.Get("url") is not null || server.PostgresDatabase is not { } pg) return;
        var name = new NpgsqlConnectionStringBuilder(pg).Database;
        await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres" }.ConnectionString);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }

    /// <summary>One order per rating, moved forward by <paramref name="shift"/> so the history ends just before now.</summary>
    private static void WriteOrders(string path, List<Interaction> history, TimeSpan shift)
    {
        using var writer = new StreamWriter(path);
        writer.WriteLine("order_id,customer_id,ordered_at,sku,product_name,category,quantity,unit_price,currency");
        foreach (var r in history.OrderBy(r => r.OccurredAt))
            writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"ml-{r.UserId}-{r.ItemId},ml-{r.UserId},{(r.OccurredAt + shift).UtcDateTime:yyyy-MM-ddTHH:mm:ssZ},ML{r.ItemId},Movie {r.ItemId},Movies,1,9.99,EUR"));
    }

    /// <summary>
    /// Imported skus become products kept off the shop (history, not stock). A shop would import its catalogue; here every
    /// movie is put on sale with stock in one warehouse, so nothing but the model and the shopper's history decides a list.
    /// </summary>
    private static async Task PutOnSaleAsync(NpgsqlConnection db)
    {
        await ShopDatabase.ExecuteAsync(db, """update commerce_products set "Active" = true""");
        var location = Guid.CreateVersion7();
        await ShopDatabase.ExecuteAsync(db, """insert into commerce_stock_locations ("Id", "Code", "Name", "IsStore") values (@id, 'BENCH', 'Bench warehouse', false)""", ("id", location));
        await ShopDatabase.ExecuteAsync(db, """
            insert into commerce_stock_levels ("VariantId", "LocationId", "OnHand", "Reserved", "LowStockThreshold")
            select "Id", @loc, 1000, 0, 5 from commerce_variants
            """, ("loc", location));
    }

    private static async Task<Dictionary<string, Guid>> ProfilesAsync(HttpClient http, IEnumerable<string> users)
    {
        var found = new ConcurrentDictionary<string, Guid>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (user, ct) =>
        {
            using var doc = JsonDocument.Parse(await http.GetStringAsync(new Uri($"/api/v1/customers?externalId=ml-{user}", UriKind.Relative), ct));
            var items = doc.RootElement.GetProperty("items");
            if (items.GetArrayLength() == 1) found[user] = items[0].GetProperty("id").GetGuid();
        });
        if (found.IsEmpty) throw new InvalidOperationException("no imported customer found by externalId");
        return new Dictionary<string, Guid>(found, StringComparer.Ordinal);
    }

    private sealed record Quality(int Users, double HitRate, double Ndcg, double Precision, int Short);

    private static async Task<Quality> LiveAsync(HttpClient http, Dictionary<string, Guid> profiles, Dictionary<string, IReadOnlySet<string>> truth)
    {
        var lists = new ConcurrentDictionary<string, List<string>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(truth.Keys.Where(profiles.ContainsKey), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (user, ct) =>
        {
            using var response = await http.GetAsync(new Uri($"/api/v1/customers/{profiles[user]}/recommendations?limit={K}", UriKind.Relative), ct);
            response.EnsureSuccessStatusCode();
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
            lists[user] = [.. doc.RootElement.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sku").GetString()!["ML".Length..])];
        });
        return Measure(lists, truth);
    }

    private static Quality Measure(IReadOnlyDictionary<string, List<string>> lists, Dictionary<string, IReadOnlySet<string>> truth)
    {
        double hits = 0, ndcg = 0, precision = 0;
        var shortLists = 0;
        foreach (var (user, ids) in lists)
        {
            var relevant = truth[user];
            if (ids.Take(K).Any(relevant.Contains)) hits++;
            ndcg += RankingMetrics.NdcgAtK(ids, relevant, K);
            precision += RankingMetrics.PrecisionAtK(ids, relevant, K);
            if (ids.Count < K) shortLists++;
        }
        var n = Math.Max(1, lists.Count);
        return new Quality(lists.Count, hits / n, ndcg / n, precision / n, shortLists);
    }

    /// <summary>
    /// Popularity and EASE as the `reco` bench runs them, trained on the history part, each user's history left out. Two
    /// diagnostics mirror what the product does differently: scoring from only the latest 50 items, and a model fitted on
    /// 80 % of each user's history (the product holds out 20 % to measure a version against the active one).
    /// </summary>
    private static List<object> Offline(List<Interaction> history, Dictionary<string, IReadOnlySet<string>> truth)
    {
        var byUser = history.GroupBy(r => r.UserId, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.OrderByDescending(r => r.OccurredAt).Select(r => r.ItemId).ToList(), StringComparer.Ordinal);
        var results = new List<object>();
        void Add(string name, RecommendationModel model, Func<RecommendationModel, string, List<string>> recommend, double seconds)
        {
            var lists = truth.Keys.ToDictionary(u => u, u => recommend(model, u), StringComparer.Ordinal);
            var q = Measure(lists, truth);
            results.Add(new
            {
                bench = "reco-replay", model = name, kind = model.Kind.ToString(), users = q.Users, hitRateAt10 = Math.Round(q.HitRate, 4),
                ndcgAt10 = Math.Round(q.Ndcg, 4), precisionAt10 = Math.Round(q.Precision, 4), trainSeconds = Math.Round(seconds, 2),
            });
        }
        List<string> ForUser(RecommendationModel m, string u) => [.. m.RecommendForUser(u, K).Select(s => s.ItemId)];
        List<string> FromItems(RecommendationModel m, IEnumerable<string> items, string u)
        {
            var own = byUser[u].ToHashSet(StringComparer.Ordinal);
            return [.. m.RecommendForItems(items, K, i => !own.Contains(i)).Select(s => s.ItemId)];
        }
        (RecommendationModel, double) Train(IReadOnlyList<Interaction> rows, RecommenderOptions o)
        {
            var clock = Stopwatch.StartNew();
            var m = RecommenderTrainer.Train(rows, o);
            return (m, clock.Elapsed.TotalSeconds);
        }

        var (popularity, ps) = Train(history, new RecommenderOptions { Model = RecommenderModelKind.Popularity });
        Add("popularity", popularity, ForUser, ps);
        var (ease, es) = Train(history, new RecommenderOptions());
        Add("offline-ease", ease, ForUser, es);
        Add("offline-ease-latest-50", ease, (m, u) => FromItems(m, byUser[u].Take(50), u), es);
        var (fitted, _) = InteractionSplit.ByUser(history, r => r.UserId, 0.8, seed: 17);
        var (partial, fs) = Train(fitted, new RecommenderOptions());
        Add("offline-ease-80pct-fit", partial, (m, u) => FromItems(m, byUser[u], u), fs);
        Add("offline-ease-80pct-fit-latest-50", partial, (m, u) => FromItems(m, byUser[u].Take(50), u), fs);
        return results;
    }

    private sealed record Run(List<double> Latencies, int Errors, string? FirstError, double Seconds);

    /// <summary>Open loop: requests start on schedule whether or not earlier ones answered; latency counts from the scheduled start.</summary>
    private static async Task<Run> OpenLoopAsync(HttpClient http, int rate, int seconds, Func<Random, string> next)
    {
        var random = new Random(rate * 31 + seconds);
        var total = rate * seconds;
        var results = new ConcurrentBag<(double Ms, bool Ok, string? Error)>();
        var inFlight = new List<Task>(total);
        var start = Stopwatch.GetTimestamp();
        for (var i = 0; i < total; i++)
        {
            var due = start + (long)(i * (double)Stopwatch.Frequency / rate);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
            if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
            var path = next(random);
            inFlight.Add(Task.Run(async () =>
            {
                var (ok, error) = (false, (string?)null);
                try
                {
                    using var response = await http.GetAsync(new Uri(path, UriKind.Relative), HttpCompletionOption.ResponseContentRead);
                    ok = response.IsSuccessStatusCode;
                    if (!ok) error = $"{(int)response.StatusCode} {path}";
                }
                catch (HttpRequestException e) { error = e.Message; }
                results.Add((Stopwatch.GetElapsedTime(due).TotalMilliseconds, ok, error));
            }));
        }
        await Task.WhenAll(inFlight);
        var all = results.ToList();
        return new Run([.. all.Select(r => r.Ms)], all.Count(r => !r.Ok), all.FirstOrDefault(r => r.Error is not null).Error, Stopwatch.GetElapsedTime(start).TotalSeconds);
    }
}
