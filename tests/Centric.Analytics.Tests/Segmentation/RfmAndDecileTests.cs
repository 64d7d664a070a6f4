using Centric.Analytics.Segmentation;

namespace Centric.Analytics.Tests.Segmentation;

public class RfmAndDecileTests
{
    private static byte[] Quintiles(double[] values, bool higherIsBetter)
    {
        var scores = new byte[values.Length];
        RfmScores.Quintiles(values, higherIsBetter, scores);
        return scores;
    }

    private static byte[] Deciles(double[] values)
    {
        var deciles = new byte[values.Length];
        ValueDeciles.Assign(values, deciles);
        return deciles;
    }

    [Fact]
    public void Ten_distinct_values_fill_each_quintile_with_two_customers()
    {
        Assert.Equal([3, 1, 5, 2, 4, 1, 2, 3, 4, 5], Quintiles([5, 1, 10, 3, 8, 2, 4, 6, 7, 9], higherIsBetter: true));
    }

    [Fact]
    public void Recency_scores_the_most_recent_buyers_highest()
    {
        Assert.Equal([5, 5, 4, 4, 3, 3, 2, 2, 1, 1], Quintiles([0, 10, 20, 30, 40, 50, 60, 70, 80, 90], higherIsBetter: false));
    }

    [Fact]
    public void Tied_values_share_the_lowest_score_their_block_reaches()
    {
        // Six one-time buyers: nobody is strictly below them, so all score 1; a value of 2 beats 6 of 10 → 1 + ⌊5·6/10⌋ = 4.
        Assert.Equal([1, 1, 1, 1, 1, 1, 4, 4, 5, 5], Quintiles([1, 1, 1, 1, 1, 1, 2, 3, 4, 5], higherIsBetter: true));
        Assert.Equal([1, 1, 1, 1, 1], Quintiles([7, 7, 7, 7, 7], higherIsBetter: true));
        Assert.Equal([1, 1, 1, 1, 1], Quintiles([7, 7, 7, 7, 7], higherIsBetter: false));
    }

    [Fact]
    public void Rfm_scores_all_three_measures_and_forms_the_cell()
    {
        double[] recency = [3, 200, 40, 90, 10];
        double[] frequency = [8, 1, 3, 2, 5];
        double[] revenue = [400, 20, 150, 60, 260];
        var r = new byte[5];
        var f = new byte[5];
        var m = new byte[5];
        RfmScores.Score(recency, frequency, revenue, r, f, m);
        Assert.Equal([5, 1, 3, 2, 4], r);
        Assert.Equal([5, 1, 3, 2, 4], f);
        Assert.Equal([5, 1, 3, 2, 4], m);
        Assert.Equal(555, RfmScores.Cell(r[0], f[0], m[0]));
        Assert.Equal(111, RfmScores.Cell(r[1], f[1], m[1]));
    }

    [Fact]
    public void Decile_one_holds_the_top_tenth_by_value()
    {
        var values = Enumerable.Range(1, 20).Select(v => (double)v).ToArray();
        var deciles = Deciles(values);
        Assert.Equal(1, deciles[19]);
        Assert.Equal(1, deciles[18]);
        Assert.Equal(2, deciles[17]);
        Assert.Equal(10, deciles[0]);
        Assert.Equal(10, deciles[1]);
        Assert.All(Enumerable.Range(1, 10), d => Assert.Equal(2, deciles.Count(x => x == d)));
    }

    [Fact]
    public void Customers_without_revenue_all_sit_in_the_bottom_decile()
    {
        double[] values = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4, 5];
        // Value 1 beats 15 of 20 → 10 − ⌊7.5⌋ = 3; value 5 beats 19 → 10 − 9 = 1.
        Assert.Equal([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3, 2, 2, 1, 1], Deciles(values));
    }

    [Fact]
    public void Groups_agree_with_a_brute_force_count_of_strictly_worse_customers()
    {
        var random = new Random(5);
        var values = Enumerable.Range(0, 997).Select(_ => (double)random.Next(0, 60)).ToArray();
        var deciles = Deciles(values);
        var recency = Quintiles(values, higherIsBetter: false);
        for (var i = 0; i < values.Length; i++)
        {
            var lower = values.Count(v => v < values[i]);
            var higher = values.Count(v => v > values[i]);
            Assert.Equal(10 - 10 * lower / values.Length, deciles[i]);
            Assert.Equal(1 + 5 * higher / values.Length, recency[i]);
        }
    }

    [Fact]
    public void Bad_input_is_refused_clearly()
    {
        var one = new byte[3];
        Assert.Throws<AnalyticsException>(() => ValueDeciles.Assign([], []));
        Assert.Throws<AnalyticsException>(() => ValueDeciles.Assign([1, double.NaN, 3], one));
        Assert.Throws<AnalyticsException>(() => ValueDeciles.Assign([1, -2, 3], one));
        Assert.Throws<AnalyticsException>(() => ValueDeciles.Assign([1, double.PositiveInfinity, 3], one));
        Assert.Throws<AnalyticsException>(() => RfmScores.Score([1, 2, 3], [1, 2], [1, 2, 3], one, new byte[3], new byte[3]));
        Assert.Throws<AnalyticsException>(() => RfmScores.Score([1, 2, 3], [1, 2, -1], [1, 2, 3], one, new byte[3], new byte[3]));
    }
}
