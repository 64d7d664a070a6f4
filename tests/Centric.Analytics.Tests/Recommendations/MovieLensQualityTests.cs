using System.Globalization;
using System.IO.Compression;
using Centric.Analytics.Recommendations;

namespace Centric.Analytics.Tests.Recommendations;

/// <summary>MovieLens 100k with Microsoft Recommenders' protocol (75/25 per-user random split, training items excluded,
/// top 10). Published there: SAR nDCG@10 0.382, BPR 0.442, BiVAE 0.475 (precision@10 0.412).</summary>
public class MovieLensQualityTests
{
    private const int K = 10;

    private static readonly Lazy<List<Interaction>> Ratings = new(() =>
    {
        using var file = File.OpenRead(TestData.PathOf("movielens-100k", "u.data.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        var rows = new List<Interaction>();
        while (reader.ReadLine() is { Length: > 0 } line)
        {
            var f = line.Split('\t');
            rows.Add(new Interaction(f[0], f[1], InteractionKind.Rating,
                DateTimeOffset.FromUnixTimeSeconds(long.Parse(f[3], CultureInfo.InvariantCulture))));
        }
        return rows;
    });

    private static (double Ndcg, double Precision, double Map, double Recall) Evaluate(RecommenderOptions options, int seed, out RecommendationModel model)
    {
        var (train, test) = InteractionSplit.ByUser(Ratings.Value, r => r.UserId, 0.75, seed);
        model = RecommenderTrainer.Train(train, options);
        double ndcg = 0, precision = 0, map = 0, recall = 0;
        var groups = test.GroupBy(t => t.UserId).ToList();
        foreach (var g in groups)
        {
            var relevant = g.Select(t => t.ItemId).ToHashSet();
            var top = model.RecommendForUser(g.Key, K).Select(t => t.ItemId).ToList();
            ndcg += RankingMetrics.NdcgAtK(top, relevant, K);
            precision += RankingMetrics.PrecisionAtK(top, relevant, K);
            map += RankingMetrics.AveragePrecisionAtK(top, relevant, K);
            recall += RankingMetrics.RecallAtK(top, relevant, K);
        }
        return (ndcg / groups.Count, precision / groups.Count, map / groups.Count, recall / groups.Count);
    }

    [Fact]
    public void Default_model_reaches_the_targets_on_MovieLens_100k()
    {
        int[] seeds = [42, 43];
        double ndcg = 0, precision = 0;
        foreach (var seed in seeds)
        {
            var m = Evaluate(new RecommenderOptions(), seed, out var model);
            Assert.Equal(RecommenderModelKind.Ease, model.Kind);
            ndcg += m.Ndcg / seeds.Length;
            precision += m.Precision / seeds.Length;
        }
        Assert.True(ndcg >= 0.475, $"nDCG@10 {ndcg:F4} below the 0.475 target");
        Assert.True(precision >= 0.41, $"precision@10 {precision:F4} below the 0.41 target");
        // Training time (budget 1 s) is measured by `bench reco` (docs/BENCHMARKS.md), never by a wall clock here.
    }

    [Fact]
    public void Popularity_baseline_lands_where_the_protocol_says_and_item_similarity_beats_it()
    {
        var popularity = Evaluate(new RecommenderOptions { Model = RecommenderModelKind.Popularity }, 42, out _);
        Assert.InRange(popularity.Ndcg, 0.23, 0.28);
        var sar = Evaluate(new RecommenderOptions { Model = RecommenderModelKind.ItemSimilarity, DecayHalfLife = TimeSpan.FromDays(30) }, 42, out _);
        Assert.InRange(sar.Ndcg, 0.34, 0.42);
        Assert.True(sar.Precision > popularity.Precision + 0.05);
    }
}
