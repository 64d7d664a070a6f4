namespace Centric.Analytics.Churn;

/// <summary>Quality measures for predicted churn probabilities against what happened.</summary>
public static class ClassificationMetrics
{
    /// <summary>Probabilities are clipped to [ε, 1-ε] in <see cref="LogLoss"/> so a confident miss costs a lot but not infinity.</summary>
    public const double LogLossEpsilon = 1e-15;

    /// <summary>
    /// Area under the ROC curve: the chance a random churner scores above a random stayer (ties count half).
    /// </summary>
    /// <exception cref="AnalyticsException">Lengths differ, a score is NaN, or only one class is present.</exception>
    public static double RocAuc(ReadOnlySpan<double> scores, ReadOnlySpan<bool> churned)
    {
        var (positives, negatives) = Check(scores, churned, needBothClasses: true);
        var order = Order(scores, descending: false);
        // Mann–Whitney U with mid-ranks for ties.
        double positiveRankSum = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            var midRank = (i + j) / 2.0 + 1;
            for (var k = i; k <= j; k++)
                if (churned[order[k]]) positiveRankSum += midRank;
            i = j + 1;
        }
        // In doubles: positives × (positives + 1) passes int.MaxValue from 46,341 churners.
        return (positiveRankSum - positives * (positives + 1.0) / 2.0) / ((double)positives * negatives);
    }

    /// <summary>
    /// Average precision (area under the precision-recall curve, step-wise): Σ (Rₖ − Rₖ₋₁)·Pₖ over
    /// descending score thresholds, tied scores forming one threshold — scikit-learn's definition.
    /// </summary>
    /// <exception cref="AnalyticsException">Lengths differ, a score is NaN, or no churner is present.</exception>
    public static double AveragePrecision(ReadOnlySpan<double> scores, ReadOnlySpan<bool> churned)
    {
        var (positives, _) = Check(scores, churned, needBothClasses: false);
        if (positives == 0) throw new AnalyticsException("average precision needs at least one churner");
        var order = Order(scores, descending: true);
        double ap = 0, previousRecall = 0;
        var truePositives = 0;
        for (var i = 0; i < order.Length;)
        {
            var j = i;
            while (j + 1 < order.Length && scores[order[j + 1]] == scores[order[i]]) j++;
            for (var k = i; k <= j; k++)
                if (churned[order[k]]) truePositives++;
            var recall = (double)truePositives / positives;
            var precision = (double)truePositives / (j + 1);
            ap += (recall - previousRecall) * precision;
            previousRecall = recall;
            i = j + 1;
        }
        return ap;
    }

    /// <summary>Mean negative log-likelihood of the outcomes (natural log), probabilities clipped by <see cref="LogLossEpsilon"/>.</summary>
    /// <exception cref="AnalyticsException">Lengths differ, empty input, or a probability outside [0, 1] or NaN.</exception>
    public static double LogLoss(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> churned)
    {
        CheckProbabilities(probabilities, churned);
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var p = Math.Clamp(probabilities[i], LogLossEpsilon, 1 - LogLossEpsilon);
            sum -= churned[i] ? Math.Log(p) : Math.Log(1 - p);
        }
        return sum / probabilities.Length;
    }

    /// <summary>Brier score: mean squared difference between probability and outcome (0 or 1).</summary>
    /// <exception cref="AnalyticsException">Lengths differ, empty input, or a probability outside [0, 1] or NaN.</exception>
    public static double Brier(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> churned)
    {
        CheckProbabilities(probabilities, churned);
        double sum = 0;
        for (var i = 0; i < probabilities.Length; i++)
        {
            var d = probabilities[i] - (churned[i] ? 1 : 0);
            sum += d * d;
        }
        return sum / probabilities.Length;
    }

    private static void CheckProbabilities(ReadOnlySpan<double> probabilities, ReadOnlySpan<bool> churned)
    {
        Check(probabilities, churned, needBothClasses: false);
        foreach (var p in probabilities)
            if (!(p >= 0 && p <= 1)) throw new AnalyticsException($"probability {p} is outside [0, 1]");
    }

    private static (int Positives, int Negatives) Check(ReadOnlySpan<double> scores, ReadOnlySpan<bool> churned, bool needBothClasses)
    {
        if (scores.Length != churned.Length) throw new AnalyticsException($"{scores.Length} scores but {churned.Length} outcomes");
        if (scores.Length == 0) throw new AnalyticsException("no scores to evaluate");
        var positives = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i])) throw new AnalyticsException($"score {i} is NaN");
            if (churned[i]) positives++;
        }
        var negatives = scores.Length - positives;
        if (needBothClasses && (positives == 0 || negatives == 0))
            throw new AnalyticsException("ROC AUC needs both churners and stayers");
        return (positives, negatives);
    }

    private static int[] Order(ReadOnlySpan<double> scores, bool descending)
    {
        var keys = scores.ToArray();
        var order = new int[keys.Length];
        for (var i = 0; i < order.Length; i++) order[i] = i;
        if (descending) for (var i = 0; i < keys.Length; i++) keys[i] = -keys[i];
        Array.Sort(keys, order);
        return order;
    }
}
