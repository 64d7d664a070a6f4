using Centric.Analytics.Lifetime;

namespace Centric.Analytics.Tests.Lifetime;

public class LifetimeValueModelTests
{
    private static readonly LifetimeValueModel Model = new(
        new BgNbdModel(0.5, 20.0, 0.8, 1.5, PurchaseTimeUnit.Days), new GammaGammaModel(4.0, 3.0, 12.0));

    [Fact]
    public void Lifetime_value_is_the_discounted_sum_of_monthly_purchases_times_expected_spend()
    {
        const int x = 3;
        const double tx = 50, t = 90, mean = 40;
        var horizon = new LifetimeValueHorizon(Months: 3, MonthlyDiscountRate: 0.05, DaysPerMonth: 30, Margin: 0.4);
        var bg = Model.Purchases;
        var spend = Model.Spend.ConditionalExpectedSpend(x, mean);
        var expected = 0.0;
        for (var m = 1; m <= 3; m++)
        {
            var inMonth = bg.ConditionalExpectedPurchases(30 * m, x, tx, t) - bg.ConditionalExpectedPurchases(30 * (m - 1), x, tx, t);
            expected += 0.4 * spend * inMonth / Math.Pow(1.05, m);
        }
        var score = Model.Score(x, tx, t, mean, horizon);
        Assert.Equal(expected, score.LifetimeValue, 10);
        Assert.Equal(bg.ConditionalExpectedPurchases(90, x, tx, t), score.ExpectedPurchases, 10);
        Assert.Equal(bg.ProbabilityAlive(x, tx, t), score.ProbabilityAlive, 12);
        Assert.Equal(spend, score.ExpectedSpend, 12);
    }

    [Fact]
    public void Without_discounting_lifetime_value_is_expected_purchases_times_spend()
    {
        var score = Model.Score(2, 30, 60, 25, new LifetimeValueHorizon(Months: 12, MonthlyDiscountRate: 0));
        Assert.Equal(score.ExpectedPurchases * score.ExpectedSpend, score.LifetimeValue, 9);
        var discounted = Model.Score(2, 30, 60, 25, new LifetimeValueHorizon(Months: 12, MonthlyDiscountRate: 0.01));
        Assert.True(discounted.LifetimeValue < score.LifetimeValue);
    }

    [Fact]
    public void A_weekly_model_counts_a_month_as_thirty_days_of_weeks()
    {
        var weekly = new LifetimeValueModel(new BgNbdModel(0.5, 20.0 / 7, 0.8, 1.5, PurchaseTimeUnit.Weeks), Model.Spend);
        var daily = Model.Score(2, 35, 63, 25, new LifetimeValueHorizon());
        var sameInWeeks = weekly.Score(2, 5, 9, 25, new LifetimeValueHorizon());
        Assert.Equal(daily.LifetimeValue, sameInWeeks.LifetimeValue, 9);
    }

    [Fact]
    public void Saved_model_loads_back_with_the_same_forecasts()
    {
        using var stream = new MemoryStream();
        Model.Save(stream);
        stream.Position = 0;
        var loaded = LifetimeValueModel.Load(stream);
        Assert.Equal(PurchaseTimeUnit.Days, loaded.Purchases.TimeUnit);
        var horizon = new LifetimeValueHorizon();
        Assert.Equal(Model.Score(4, 80, 100, 33, horizon), loaded.Score(4, 80, 100, 33, horizon));
    }

    [Theory]
    [InlineData("""{"format":"centric.clv","version":2,"timeUnit":"Days","bgNbd":{"r":1,"alpha":1,"a":1,"b":1},"gammaGamma":{"p":1,"q":2,"gamma":1}}""")]
    [InlineData("""{"format":"centric.churn","version":1}""")]
    [InlineData("""{"format":"centric.clv","version":1,"timeUnit":"Days","bgNbd":{"r":-1,"alpha":1,"a":1,"b":1},"gammaGamma":{"p":1,"q":2,"gamma":1}}""")]
    [InlineData("""{"format":"centric.clv","version":1,"timeUnit":"Fortnights","bgNbd":{"r":1,"alpha":1,"a":1,"b":1},"gammaGamma":{"p":1,"q":2,"gamma":1}}""")]
    [InlineData("not json")]
    public void Loading_a_wrong_or_damaged_model_fails_clearly(string json)
    {
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json));
        Assert.Throws<AnalyticsException>(() => LifetimeValueModel.Load(stream));
    }

    [Fact]
    public void Bad_horizons_and_rows_are_refused_clearly()
    {
        Assert.Throws<AnalyticsException>(() => Model.Score(2, 30, 60, 25, new LifetimeValueHorizon(Months: 0)));
        Assert.Throws<AnalyticsException>(() => Model.Score(2, 30, 60, 25, new LifetimeValueHorizon(MonthlyDiscountRate: double.NaN)));
        Assert.Throws<AnalyticsException>(() => Model.Score(2, 70, 60, 25, new LifetimeValueHorizon()));
        Assert.Throws<AnalyticsException>(() => Model.Score(2, 30, 60, -25, new LifetimeValueHorizon()));
    }
}
