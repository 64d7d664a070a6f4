using Centric.Analytics.Segmentation;

namespace Centric.Analytics.Tests.Segmentation;

public class ReapScorecardTests
{
    // Six customers: three in decile 1, two in decile 2, one in decile 10; a 10-category catalog.
    private static readonly byte[] Decile = [1, 1, 1, 2, 2, 10];
    private static readonly double[] Revenue = [500, 300, 200, 80, 20, 0];
    private static readonly bool[] Active = [true, false, true, true, false, false];
    private static readonly bool[] New = [false, false, true, false, false, true];
    private static readonly double[] Cost = [25, 0, 25, 10, 10, 5];
    private static readonly int[] Categories = [6, 4, 2, 1, 3, 0];

    [Fact]
    public void Scorecard_matches_the_figures_worked_out_by_hand()
    {
        var card = ReapScorecard.Compute(Decile, Revenue, Active, New, Cost, Categories, 10, [0.9, 0.5, 1.0, 0.8, 0.2, 1.0]);
        Assert.Equal(10, card.Length);
        var top = card[0];
        Assert.Equal(1, top.Decile);
        Assert.Equal(3, top.Customers);
        Assert.Equal(1000, top.Revenue);
        Assert.Equal(1000 / 1100.0, top.RevenueShare, 12);
        Assert.Equal(2, top.ExistingCustomers);     // the third is new in the period
        Assert.Equal(1, top.RetainedCustomers);
        Assert.Equal(0.5, top.Retention);
        Assert.Equal(0.8, top.MeanProbabilityAlive, 12);
        Assert.Equal(50, top.CostToServe);
        Assert.Equal(0.05, top.Efficiency, 12);
        Assert.Equal(1.0 / 3, top.Acquisition, 12);
        Assert.Equal(0.4, top.Penetration, 12);       // (6 + 4 + 2) / 3 / 10

        var second = card[1];
        Assert.Equal(0.5, second.Retention);
        Assert.Equal(0.2, second.Efficiency, 12);     // 20 cost / 100 revenue
        Assert.Equal(0, second.Acquisition);
        Assert.Equal(0.2, second.Penetration, 12);

        var bottom = card[9];
        Assert.True(double.IsNaN(bottom.Retention));  // its only customer is new: no one to retain
        Assert.True(double.IsNaN(bottom.Efficiency)); // no revenue to divide by
        Assert.Equal(1, bottom.Acquisition);
        Assert.Equal(0, card[4].Customers);
        Assert.True(double.IsNaN(card[4].Acquisition));
    }

    [Fact]
    public void Probability_alive_is_optional()
    {
        var card = ReapScorecard.Compute(Decile, Revenue, Active, New, Cost, Categories, 10);
        Assert.True(double.IsNaN(card[0].MeanProbabilityAlive));
        Assert.Equal(0.5, card[0].Retention);
    }

    [Fact]
    public void Bad_input_is_refused_clearly()
    {
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([], [], [], [], [], [], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 11], [1, 1], [true, true], [false, false], [0, 0], [1, 1], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 0], [1, 1], [true, true], [false, false], [0, 0], [1, 1], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 2], [1, double.NaN], [true, true], [false, false], [0, 0], [1, 1], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 2], [1, 1], [true, true], [false, false], [0, -3], [1, 1], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 2], [1, 1], [true, true], [false, false], [0, 0], [1, 11], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 2], [1, 1], [true, true], [false, false], [0, 0], [1, 1], 0));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 2], [1, 1], [true], [false, false], [0, 0], [1, 1], 10));
        Assert.Throws<AnalyticsException>(() => ReapScorecard.Compute([1, 2], [1, 1], [true, true], [false, false], [0, 0], [1, 1], 10, [0.5, 1.5]));
    }
}
