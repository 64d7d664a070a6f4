using Centric.Analytics.Churn;

namespace Centric.Analytics.Tests.Churn;

public class ClassificationMetricsTests
{
    // scikit-learn's documented example: roc_auc_score = 0.75, average_precision_score = 0.8333...
    private static readonly double[] Scores = [0.1, 0.4, 0.35, 0.8];
    private static readonly bool[] Outcomes = [false, false, true, true];

    [Fact]
    public void Roc_auc_counts_correctly_ordered_pairs()
    {
        // Pairs (churner, stayer): (0.35,0.1) ok, (0.35,0.4) wrong, (0.8,0.1) ok, (0.8,0.4) ok → 3/4.
        Assert.Equal(0.75, ClassificationMetrics.RocAuc(Scores, Outcomes), 12);
    }

    [Fact]
    public void Roc_auc_counts_ties_as_half()
    {
        Assert.Equal(0.5, ClassificationMetrics.RocAuc([0.5, 0.5], [true, false]), 12);
        // One tie out of two pairs, one win: (1 + 0.5) / 2.
        Assert.Equal(0.75, ClassificationMetrics.RocAuc([0.7, 0.7, 0.2], [true, false, false]), 12);
    }

    [Fact]
    public void Roc_auc_stays_within_0_and_1_for_a_hold_out_of_a_million_customers()
    {
        // 60,000 churners: positives × (positives + 1) is past int.MaxValue, which once gave an AUC of 2.7.
        const int n = 120_000;
        var scores = new double[n];
        var churned = new bool[n];
        for (var i = 0; i < n; i++) (scores[i], churned[i]) = (i / (double)n, i % 2 == 0 ? i >= n / 4 : i >= 3 * n / 4);
        var auc = ClassificationMetrics.RocAuc(scores, churned);
        Assert.InRange(auc, 0, 1);
        Assert.True(auc > 0.7);
    }

    [Fact]
    public void Average_precision_sums_precision_at_each_recall_step()
    {
        // Descending: 0.8 (churner) P=1 R=.5; 0.4 (stayer); 0.35 (churner) P=2/3 R=1 → .5·1 + .5·2/3.
        Assert.Equal(0.5 + 0.5 * 2.0 / 3.0, ClassificationMetrics.AveragePrecision(Scores, Outcomes), 12);
    }

    [Fact]
    public void Average_precision_treats_tied_scores_as_one_threshold()
    {
        // Both rows at 0.5: one step to recall 1 at precision 1/2.
        Assert.Equal(0.5, ClassificationMetrics.AveragePrecision([0.5, 0.5], [true, false]), 12);
    }

    [Fact]
    public void Log_loss_is_mean_negative_log_likelihood()
    {
        var expected = -(Math.Log(0.9) + Math.Log(0.8)) / 2;
        Assert.Equal(expected, ClassificationMetrics.LogLoss([0.9, 0.2], [true, false]), 12);
    }

    [Fact]
    public void Log_loss_clips_certain_misses()
    {
        var loss = ClassificationMetrics.LogLoss([0.0], [true]);
        Assert.Equal(-Math.Log(ClassificationMetrics.LogLossEpsilon), loss, 6);
    }

    [Fact]
    public void Brier_is_mean_squared_error_of_probabilities()
    {
        // (0.1² + 0.2² + 0.5²) / 3 = 0.1
        Assert.Equal(0.1, ClassificationMetrics.Brier([0.9, 0.2, 0.5], [true, false, true]), 12);
    }

    [Fact]
    public void Metrics_refuse_bad_input()
    {
        Assert.Throws<AnalyticsException>(() => ClassificationMetrics.RocAuc([0.2, 0.3], [true, true]));
        Assert.Throws<AnalyticsException>(() => ClassificationMetrics.RocAuc([0.2], [true, false]));
        Assert.Throws<AnalyticsException>(() => ClassificationMetrics.RocAuc([double.NaN, 0.3], [true, false]));
        Assert.Throws<AnalyticsException>(() => ClassificationMetrics.LogLoss([1.5], [true]));
        Assert.Throws<AnalyticsException>(() => ClassificationMetrics.Brier([], []));
    }

    [Fact]
    public void Stratified_folds_share_churners_evenly()
    {
        var outcomes = Enumerable.Range(0, 103).Select(i => i % 5 == 0).ToArray(); // 21 churners
        var folds = CrossValidation.StratifiedFolds(outcomes, 5, seed: 7);
        for (var k = 0; k < 5; k++)
        {
            var rows = CrossValidation.Rows(folds, k, inFold: true);
            var churners = rows.Count(r => outcomes[r]);
            Assert.InRange(churners, 4, 5);
            Assert.InRange(rows.Length, 20, 21);
        }
        Assert.Equal(folds, CrossValidation.StratifiedFolds(outcomes, 5, seed: 7));
    }
}
