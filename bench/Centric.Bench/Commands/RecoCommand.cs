using System.Diagnostics;
using System.Text.Json;
using Centric.Analytics.Recommendations;
using Centric.Bench.Reco;

namespace Centric.Bench.Commands;

/// <summary>Recommendations on MovieLens 100k with Microsoft Recommenders' protocol: every rating is an interaction,
/// each user's ratings split 75/25 at random (per user, fixed seeds), training items excluded, top 10.
/// Options: --data DIR (u.data or u.data.gz), --seeds N (default 5), --lambda L (EASE), --tune (lambda search on a
/// validation split of the first seed's training part), --popularity-ridge R, --half-life-days D (0 = no decay),
/// --scale ITEMS:INTERACTIONS (synthetic retraining time with the Auto choice).</summary>
public static class RecoCommand
{
    private const int K = 10;

    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Get("scale") is { } scale) return Scale(scale);
        var dir = options.Get("data") ?? Path.Combine(BenchOptions.DataRoot(), "movielens-100k");
        var rows = RatingsFile.Read(RatingsFile.Find(dir));
        var seeds = options.GetInt("seeds", 5);
        if (options.Has("tune")) return Tune(rows);

        var defaults = new RecommenderOptions();
        if (options.Get("lambda") is { } l) defaults = defaults with { EaseLambda = float.Parse(l, System.Globalization.CultureInfo.InvariantCulture) };
        if (options.Get("popularity-ridge") is { } pr) defaults = defaults with { PopularityRidge = float.Parse(pr, System.Globalization.CultureInfo.InvariantCulture) };
        if (options.Get("half-life-days") is { } h)
        {
            var days = double.Parse(h, System.Globalization.CultureInfo.InvariantCulture);
            defaults = defaults with { DecayHalfLife = days > 0 ? TimeSpan.FromDays(days) : null };
        }
        var models = new (string Name, RecommenderOptions Options, bool Default)[]
        {
            ("popularity", defaults with { Model = RecommenderModelKind.Popularity }, false),
            // Recommenders' SAR benchmark settings: Jaccard, 30-day time decay.
            ("sar-jaccard", defaults with { Model = RecommenderModelKind.ItemSimilarity, Similarity = ItemSimilarityMeasure.Jaccard, DecayHalfLife = TimeSpan.FromDays(30) }, false),
            ("auto", defaults, true),
        };
        foreach (var (name, modelOptions, isDefault) in models)
        {
            var result = Evaluate(rows, modelOptions, seeds);
            var line = new Dictionary<string, object>
            {
                ["model"] = name,
                ["kind"] = result.Kind.ToString(),
                ["default"] = isDefault,
                ["map"] = Math.Round(result.Map, 4),
                ["map_all_relevant"] = Math.Round(result.MapAllRelevant, 4),
                ["ndcg_at_10"] = Math.Round(result.Ndcg, 4),
                ["precision_at_10"] = Math.Round(result.Precision, 4),
                ["recall_at_10"] = Math.Round(result.Recall, 4),
                ["ndcg_at_10_min_seed"] = Math.Round(result.NdcgMin, 4),
                ["train_seconds"] = Math.Round(result.TrainSecondsMedian, 3),
                ["serve_p50_ms"] = Math.Round(result.ServeP50Ms, 4),
                ["serve_p99_ms"] = Math.Round(result.ServeP99Ms, 4),
                ["seeds"] = seeds,
                ["users"] = result.Users,
                ["items"] = result.Items,
            };
            if (modelOptions.Model is RecommenderModelKind.Ease or RecommenderModelKind.Auto && result.Kind == RecommenderModelKind.Ease)
                line["lambda"] = modelOptions.EaseLambda;
            Console.WriteLine(JsonSerializer.Serialize(line));
        }
        return 0;
    }

    private sealed record Result(RecommenderModelKind Kind, double Map, double MapAllRelevant, double Ndcg, double NdcgMin, double Precision,
        double Recall, double TrainSecondsMedian, double ServeP50Ms, double ServeP99Ms, int Users, int Items);

    private static Result Evaluate(List<Interaction> rows, RecommenderOptions options, int seeds)
    {
        double map = 0, mapAll = 0, ndcg = 0, precision = 0, recall = 0, ndcgMin = double.MaxValue;
        var trainSeconds = new List<double>();
        var latencies = new List<double>();
        var kind = RecommenderModelKind.Auto;
        int users = 0, items = 0;
        for (var s = 0; s < seeds; s++)
        {
            var (train, test) = InteractionSplit.ByUser(rows, r => r.UserId, 0.75, 42 + s);
            var clock = Stopwatch.StartNew();
            var model = RecommenderTrainer.Train(train, options);
            trainSeconds.Add(clock.Elapsed.TotalSeconds);
            kind = model.Kind;
            users = model.UserCount;
            items = model.ItemCount;
            var m = Score(model, test, latencies);
            map += m.Map; mapAll += m.MapAll; ndcg += m.Ndcg; precision += m.Precision; recall += m.Recall;
            ndcgMin = Math.Min(ndcgMin, m.Ndcg);
        }
        latencies.Sort();
        return new Result(kind, map / seeds, mapAll / seeds, ndcg / seeds, ndcgMin, precision / seeds, recall / seeds,
            Median(trainSeconds), Percentile(latencies, 0.50), Percentile(latencies, 0.99), users, items);
    }

    private static (double Map, double MapAll, double Ndcg, double Precision, double Recall) Score(RecommendationModel model,
        List<Interaction> test, List<double>? latencies)
    {
        var relevant = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var r in test)
        {
            if (!relevant.TryGetValue(r.UserId, out var set)) relevant[r.UserId] = set = new HashSet<string>(StringComparer.Ordinal);
            set.Add(r.ItemId);
        }
        double map = 0, mapAll = 0, ndcg = 0, precision = 0, recall = 0;
        foreach (var (user, truth) in relevant)
        {
            var start = Stopwatch.GetTimestamp();
            var top = model.RecommendForUser(user, K);
            latencies?.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            var ids = top.Select(t => t.ItemId).ToList();
            map += RankingMetrics.AveragePrecisionAtK(ids, truth, K);
            mapAll += RankingMetrics.AveragePrecisionAtK(ids, truth, K, divideByAllRelevant: true);
            ndcg += RankingMetrics.NdcgAtK(ids, truth, K);
            precision += RankingMetrics.PrecisionAtK(ids, truth, K);
            recall += RankingMetrics.RecallAtK(ids, truth, K);
        }
        var n = relevant.Count;
        return (map / n, mapAll / n, ndcg / n, precision / n, recall / n);
    }

    // Lambda search on a validation split cut from the training part only; the test part is never looked at.
    private static int Tune(List<Interaction> rows)
    {
        var (train, _) = InteractionSplit.ByUser(rows, r => r.UserId, 0.75, 42);
        var (fit, validation) = InteractionSplit.ByUser(train, r => r.UserId, 0.75, 4242);
        foreach (var ridge in new[] { 0.25f, 0.5f, 1f, 2f })
        foreach (var lambda in new[] { 100f, 200f, 400f, 600f, 800f })
        {
            var model = RecommenderTrainer.Train(fit, new RecommenderOptions { Model = RecommenderModelKind.Ease, EaseLambda = lambda, PopularityRidge = ridge });
            var m = Score(model, validation, null);
            Console.WriteLine(JsonSerializer.Serialize(new { model = "ease-validation", lambda, popularity_ridge = ridge, ndcg_at_10 = Math.Round(m.Ndcg, 4), precision_at_10 = Math.Round(m.Precision, 4) }));
        }
        return 0;
    }

    // Retraining time on a synthetic catalog with a long-tailed item popularity, for the choice rule of large catalogs.
    private static int Scale(string spec)
    {
        var parts = spec.Split(':');
        var itemCount = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var interactionCount = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
        var random = new Random(7);
        var userCount = Math.Max(1, interactionCount / 20);
        var start = DateTimeOffset.UnixEpoch.AddYears(50);
        var rows = new Interaction[interactionCount];
        for (var k = 0; k < interactionCount; k++)
        {
            // Zipf-like popularity: item rank ~ items^u.
            var item = (int)Math.Pow(itemCount, random.NextDouble()) - 1;
            var kind = (InteractionKind)random.Next(3);
            rows[k] = new Interaction($"u{random.Next(userCount)}", $"i{item}", kind, start.AddMinutes(random.Next(525_600)));
        }
        var clock = Stopwatch.StartNew();
        var model = RecommenderTrainer.Train(rows);
        var seconds = clock.Elapsed.TotalSeconds;
        var latencies = new List<double>();
        for (var u = 0; u < 1000; u++)
        {
            var t = Stopwatch.GetTimestamp();
            model.RecommendForUser($"u{u}", K);
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
        }
        latencies.Sort();
        Console.WriteLine(JsonSerializer.Serialize(new
        {
            model = "auto-scale", kind = model.Kind.ToString(), items = model.ItemCount, users = model.UserCount, interactions = interactionCount,
            train_seconds = Math.Round(seconds, 3), serve_p50_ms = Math.Round(Percentile(latencies, 0.5), 4), serve_p99_ms = Math.Round(Percentile(latencies, 0.99), 4),
        }));
        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
}
