using Centric.Analytics.Churn;
using Centric.Analytics.Tabular;

namespace Centric.Analytics.Tests.Churn;

public class ChurnModelTests
{
    private static readonly string[] Plans = ["basic", "plus", "premium"];

    // Older customers on the basic plan churn more; balance is noise with 10% missing.
    private static (TabularTable Customers, bool[] Churned) Synthetic(int n, int seed)
    {
        var random = new Random(seed);
        var age = new double[n];
        var balance = new double[n];
        var plan = new string?[n];
        var churned = new bool[n];
        for (var i = 0; i < n; i++)
        {
            age[i] = 18 + random.Next(60);
            balance[i] = random.NextDouble() < 0.1 ? double.NaN : random.NextDouble() * 1000;
            plan[i] = Plans[random.Next(3)];
            var logit = 0.08 * (age[i] - 45) + (plan[i] == "basic" ? 1.2 : -0.6);
            churned[i] = random.NextDouble() < 1 / (1 + Math.Exp(-logit));
        }
        var table = new TabularTable([TabularColumn.Numeric("Age", age), TabularColumn.Categorical("Plan", plan), TabularColumn.Numeric("Balance", balance)]);
        return (table, churned);
    }

    private static TabularTable OneCustomer(double age, string? plan, double balance) =>
        new([TabularColumn.Numeric("Age", [age]), TabularColumn.Categorical("Plan", [plan]), TabularColumn.Numeric("Balance", [balance])]);

    private static readonly GradientBoostingOptions Fast = new() { LearningRate = 0.1, MaxIterations = 200 };

    public static TheoryData<string> Kinds => new() { "gbt", "logistic" };

    private static ChurnModel Train(string kind, TabularTable customers, bool[] churned) => kind == "gbt"
        ? GradientBoostedChurnModel.Train(customers, churned, Fast)
        : LogisticChurnModel.Train(customers, churned);

    [Theory, MemberData(nameof(Kinds))]
    public void Models_rank_held_out_churners_above_stayers(string kind)
    {
        var (train, trainChurned) = Synthetic(3000, 1);
        var (test, testChurned) = Synthetic(1000, 2);
        var model = Train(kind, train, trainChurned);
        var p = model.PredictProbabilities(test);
        Assert.InRange(ClassificationMetrics.RocAuc(p, testChurned), 0.75, 1.0);
        Assert.InRange(ClassificationMetrics.LogLoss(p, testChurned), 0, 0.6);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Explanation_contributions_add_up_to_the_log_odds(string kind)
    {
        var (train, churned) = Synthetic(2000, 3);
        var model = Train(kind, train, churned);
        for (var row = 0; row < 20; row++)
        {
            var explanation = model.Explain(train, row);
            var logOdds = Math.Log(explanation.Probability / (1 - explanation.Probability));
            Assert.Equal(logOdds, explanation.BaseLogOdds + explanation.Contributions.Sum(c => c.LogOdds), 9);
            Assert.Equal(model.PredictProbability(train, row), explanation.Probability, 12);
            Assert.Equal(3, explanation.Contributions.Count);
        }
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Explanation_blames_age_and_plan_for_an_old_basic_customer(string kind)
    {
        var (train, churned) = Synthetic(3000, 4);
        var model = Train(kind, train, churned);
        var explanation = model.Explain(OneCustomer(79, "basic", 500), 0);
        var raising = explanation.RaisingRisk.Select(c => c.Feature).Take(2).ToArray();
        Assert.Contains("Age", raising);
        Assert.Contains("Plan", raising);
        Assert.Equal("basic", explanation.Contributions.Single(c => c.Feature == "Plan").Value);
        var young = model.Explain(OneCustomer(20, "premium", 500), 0);
        Assert.True(young.Contributions.Single(c => c.Feature == "Age").LogOdds < 0);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Unseen_category_is_scored_as_missing(string kind)
    {
        var (train, churned) = Synthetic(2000, 5);
        var model = Train(kind, train, churned);
        var unseen = model.PredictProbability(OneCustomer(50, "platinum", 100), 0);
        var missing = model.PredictProbability(OneCustomer(50, null, 100), 0);
        Assert.Equal(missing, unseen, 12);
        Assert.InRange(unseen, 0.01, 0.99);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Single_class_training_data_is_refused(string kind)
    {
        var (train, _) = Synthetic(100, 6);
        var error = Assert.Throws<AnalyticsException>(() => Train(kind, train, new bool[100]));
        Assert.Contains("only customers who stayed", error.Message, StringComparison.Ordinal);
        Assert.Throws<AnalyticsException>(() => Train(kind, train, Enumerable.Repeat(true, 100).ToArray()));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Empty_or_mismatched_training_data_is_refused(string kind)
    {
        var (train, churned) = Synthetic(100, 7);
        Assert.Throws<AnalyticsException>(() => Train(kind, train.Take([]), []));
        Assert.Throws<AnalyticsException>(() => Train(kind, train, churned[..50]));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Missing_numbers_are_handled_and_infinite_ones_refused(string kind)
    {
        var (train, churned) = Synthetic(1000, 8);
        var model = Train(kind, train, churned);
        var p = model.PredictProbability(OneCustomer(double.NaN, "plus", double.NaN), 0);
        Assert.InRange(p, 0.0, 1.0);
        Assert.False(double.IsNaN(p));
        var error = Assert.Throws<AnalyticsException>(() => model.PredictProbability(OneCustomer(double.PositiveInfinity, "plus", 1), 0));
        Assert.Contains("infinite", error.Message, StringComparison.Ordinal);

        var ages = train["Age"].Numbers.ToArray();
        ages[3] = double.NegativeInfinity;
        var broken = new TabularTable([TabularColumn.Numeric("Age", ages), train["Plan"], train["Balance"]]);
        Assert.Throws<AnalyticsException>(() => Train(kind, broken, churned));
    }

    [Theory, MemberData(nameof(Kinds))]
    public void A_missing_column_at_scoring_time_is_named(string kind)
    {
        var (train, churned) = Synthetic(500, 9);
        var model = Train(kind, train, churned);
        var error = Assert.Throws<AnalyticsException>(() => model.PredictProbabilities(train.Without("Plan")));
        Assert.Contains("Plan", error.Message, StringComparison.Ordinal);
    }

    [Theory, MemberData(nameof(Kinds))]
    public void Saved_and_loaded_model_predicts_identically(string kind)
    {
        var (train, churned) = Synthetic(2000, 10);
        var model = Train(kind, train, churned);
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = ChurnModel.Load(stream);

        Assert.Equal(model.GetType(), loaded.GetType());
        Assert.Equal(model.PredictProbabilities(train), loaded.PredictProbabilities(train));
        var before = model.Explain(train, 7);
        var after = loaded.Explain(train, 7);
        Assert.Equal(before.BaseLogOdds, after.BaseLogOdds);
        Assert.Equal(before.Contributions, after.Contributions);
    }

    [Fact]
    public void Loading_another_format_version_or_garbage_fails_clearly()
    {
        var (train, churned) = Synthetic(300, 11);
        using var stream = new MemoryStream();
        LogisticChurnModel.Train(train, churned).Save(stream);
        var bytes = stream.ToArray();
        BitConverter.GetBytes(ChurnModel.FormatVersion + 1).CopyTo(bytes, 4);
        var error = Assert.Throws<AnalyticsException>(() => ChurnModel.Load(new MemoryStream(bytes)));
        Assert.Contains("format version", error.Message, StringComparison.Ordinal);
        Assert.Throws<AnalyticsException>(() => ChurnModel.Load(new MemoryStream([1, 2, 3, 4, 5, 6, 7, 8])));
        Assert.Throws<AnalyticsException>(() => ChurnModel.Load(new MemoryStream(stream.ToArray()[..40])));
    }

    [Fact]
    public void Boosting_is_deterministic_for_a_seed_and_stops_early()
    {
        var (train, churned) = Synthetic(2000, 12);
        var a = GradientBoostedChurnModel.Train(train, churned, Fast);
        var b = GradientBoostedChurnModel.Train(train, churned, Fast);
        Assert.Equal(a.PredictProbabilities(train), b.PredictProbabilities(train));
        Assert.InRange(a.TreeCount, 1, Fast.MaxIterations - 1);
    }

    [Fact]
    public void Without_a_hold_out_boosting_runs_every_round_uncalibrated()
    {
        var (train, churned) = Synthetic(1000, 13);
        var model = GradientBoostedChurnModel.Train(train, churned, Fast with { ValidationFraction = 0, MaxIterations = 20 });
        Assert.Equal(20, model.TreeCount);
        Assert.Equal(1.0, model.Calibration.Slope);
        Assert.Equal(0.0, model.Calibration.Intercept);
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        var (train, churned) = Synthetic(200, 14);
        Assert.Throws<AnalyticsException>(() => GradientBoostedChurnModel.Train(train, churned, new GradientBoostingOptions { LearningRate = 0 }));
        Assert.Throws<AnalyticsException>(() => GradientBoostedChurnModel.Train(train, churned, new GradientBoostingOptions { MaxBins = 1000 }));
        Assert.Throws<AnalyticsException>(() => LogisticChurnModel.Train(train, churned, new LogisticOptions { L2Regularization = double.NaN }));
    }
}
