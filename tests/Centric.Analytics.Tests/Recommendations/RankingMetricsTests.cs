using Centric.Analytics.Recommendations;

namespace Centric.Analytics.Tests.Recommendations;

public class RankingMetricsTests
{
    private static readonly string[] Recommended = ["a", "b", "c", "d", "e"];
    private static readonly HashSet<string> Relevant = ["a", "c", "f"];

    [Fact]
    public void Average_precision_sums_precision_at_each_hit_over_min_of_relevant_and_k()
    {
        // Hits at ranks 1 and 3: (1/1 + 2/3) / min(3, 5).
        Assert.Equal((1 + 2.0 / 3) / 3, RankingMetrics.AveragePrecisionAtK(Recommended, Relevant, 5), 12);
        // At k = 2 only rank 1 hits, and the divisor is min(3, 2) = 2.
        Assert.Equal(0.5, RankingMetrics.AveragePrecisionAtK(Recommended, Relevant, 2), 12);
        // The older definition divides by all 3 relevant items.
        Assert.Equal(1.0 / 3, RankingMetrics.AveragePrecisionAtK(Recommended, Relevant, 2, divideByAllRelevant: true), 12);
    }

    [Fact]
    public void Ndcg_compares_discounted_hits_with_the_ideal_order()
    {
        var dcg = 1 / Math.Log(2) + 1 / Math.Log(4);
        var ideal = 1 / Math.Log(2) + 1 / Math.Log(3) + 1 / Math.Log(4);
        Assert.Equal(dcg / ideal, RankingMetrics.NdcgAtK(Recommended, Relevant, 5), 12);
        Assert.Equal(0.703918, RankingMetrics.NdcgAtK(Recommended, Relevant, 5), 5);
        Assert.Equal(1.0, RankingMetrics.NdcgAtK(["c", "a", "x"], Relevant, 2), 12);
    }

    [Fact]
    public void Precision_divides_by_k_and_recall_by_relevant_count()
    {
        Assert.Equal(0.4, RankingMetrics.PrecisionAtK(Recommended, Relevant, 5), 12);
        Assert.Equal(2.0 / 3, RankingMetrics.RecallAtK(Recommended, Relevant, 5), 12);
        // A one-item list that hits is still only 1/k precise, as in Spark and Recommenders.
        Assert.Equal(0.2, RankingMetrics.PrecisionAtK(["a"], new HashSet<string> { "a" }, 5), 12);
        Assert.Equal(1.0, RankingMetrics.AveragePrecisionAtK(["a"], new HashSet<string> { "a" }, 5), 12);
    }

    [Fact]
    public void No_relevant_items_or_bad_k_is_refused()
    {
        Assert.Throws<AnalyticsException>(() => RankingMetrics.NdcgAtK(Recommended, new HashSet<string>(), 5));
        Assert.Throws<AnalyticsException>(() => RankingMetrics.PrecisionAtK(Recommended, Relevant, 0));
    }

    [Fact]
    public void Split_by_user_keeps_three_quarters_of_each_user_and_is_repeatable()
    {
        var rows = new List<(string User, int Row)>();
        for (var u = 0; u < 5; u++)
            for (var k = 0; k < 8 + u; k++) rows.Add(($"u{u}", rows.Count));
        var (train, test) = InteractionSplit.ByUser(rows, r => r.User, 0.75, 42);
        Assert.Equal(rows.Count, train.Count + test.Count);
        Assert.Equal(rows.Select(r => r.Row).Order(), train.Concat(test).Select(r => r.Row).Order());
        for (var u = 0; u < 5; u++)
        {
            var n = 8 + u;
            Assert.Equal((int)Math.Round(0.75 * n, MidpointRounding.ToEven), train.Count(r => r.User == $"u{u}"));
        }
        var again = InteractionSplit.ByUser(rows, r => r.User, 0.75, 42);
        Assert.Equal(train, again.Train);
        var other = InteractionSplit.ByUser(rows, r => r.User, 0.75, 43);
        Assert.NotEqual(train, other.Train);
        Assert.Throws<AnalyticsException>(() => InteractionSplit.ByUser(rows, r => r.User, 1.0, 42));
    }
}
