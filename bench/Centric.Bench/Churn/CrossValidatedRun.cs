using System.Diagnostics;
using Centric.Analytics.Churn;
using Centric.Analytics.Tabular;

namespace Centric.Bench.Churn;

/// <summary>Trains a model: returns a scorer giving churn probabilities for a table.</summary>
internal delegate Func<TabularTable, double[]> ChurnTrainer(TabularTable features, bool[] churned);

/// <summary>Per-fold figures of stratified k-fold cross-validation, averaged like scikit-learn's cross_validate.</summary>
internal sealed record CrossValidatedRun(double RocAuc, double PrAuc, double LogLoss, double Brier, double TrainSecondsMedian, double TrainCpuSecondsMedian, double[] FoldRocAuc, double ScoreMicroseconds)
{
    public static CrossValidatedRun Evaluate(ChurnData data, int folds, int seed, ChurnTrainer trainer)
    {
        var assignment = CrossValidation.StratifiedFolds(data.Churned, folds, seed);
        var auc = new double[folds];
        var ap = new double[folds];
        var logLoss = new double[folds];
        var brier = new double[folds];
        var seconds = new double[folds];
        var cpuSeconds = new double[folds];
        var scoreMicros = new double[folds];
        for (var fold = 0; fold < folds; fold++)
        {
            var trainRows = CrossValidation.Rows(assignment, fold, inFold: false);
            var testRows = CrossValidation.Rows(assignment, fold, inFold: true);
            var train = data.Features.Take(trainRows);
            var test = data.Features.Take(testRows);
            var trainLabels = trainRows.Select(r => data.Churned[r]).ToArray();
            var testLabels = testRows.Select(r => data.Churned[r]).ToArray();
            // CPU time beside wall time: the reference machine is shared, so wall time includes waiting for a core.
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var score = trainer(train, trainLabels);
            seconds[fold] = clock.Elapsed.TotalSeconds;
            cpuSeconds[fold] = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
            clock.Restart();
            var p = score(test);
            scoreMicros[fold] = clock.Elapsed.TotalMicroseconds / testRows.Length;
            auc[fold] = ClassificationMetrics.RocAuc(p, testLabels);
            ap[fold] = ClassificationMetrics.AveragePrecision(p, testLabels);
            logLoss[fold] = ClassificationMetrics.LogLoss(p, testLabels);
            brier[fold] = ClassificationMetrics.Brier(p, testLabels);
        }
        return new CrossValidatedRun(auc.Average(), ap.Average(), logLoss.Average(), brier.Average(), Median(seconds), Median(cpuSeconds), auc, Median(scoreMicros));
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }
}
