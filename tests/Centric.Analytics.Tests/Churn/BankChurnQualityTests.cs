using System.IO.Compression;
using Centric.Analytics.Churn;
using Centric.Analytics.Tabular;

namespace Centric.Analytics.Tests.Churn;

/// <summary>The published protocol: bank churn, target Exited, ids dropped, stratified 5-fold CV with a fixed seed.</summary>
public class BankChurnQualityTests
{
    private static (TabularTable Customers, bool[] Churned) Load()
    {
        using var file = File.OpenRead(TestData.PathOf("bank-churn", "Churn_Modelling.csv.gz"));
        using var reader = new StreamReader(new GZipStream(file, CompressionMode.Decompress));
        var table = CsvTable.Read(reader);
        var (churned, rows) = ChurnLabels.FromColumn(table["Exited"]);
        Assert.Equal(table.RowCount, rows.Length);
        return (table.Without("RowNumber", "CustomerId", "Surname", "Exited"), churned);
    }

    private static double[] CrossValidatedAuc(Func<TabularTable, bool[], ChurnModel> train, out double logLoss, out double brier)
    {
        var (customers, churned) = Load();
        var folds = CrossValidation.StratifiedFolds(churned, 5, seed: 42);
        var auc = new double[5];
        (logLoss, brier) = (0, 0);
        for (var k = 0; k < 5; k++)
        {
            var trainRows = CrossValidation.Rows(folds, k, inFold: false);
            var testRows = CrossValidation.Rows(folds, k, inFold: true);
            var model = train(customers.Take(trainRows), [.. trainRows.Select(r => churned[r])]);
            var p = model.PredictProbabilities(customers.Take(testRows));
            bool[] outcome = [.. testRows.Select(r => churned[r])];
            auc[k] = ClassificationMetrics.RocAuc(p, outcome);
            logLoss += ClassificationMetrics.LogLoss(p, outcome) / 5;
            brier += ClassificationMetrics.Brier(p, outcome) / 5;
        }
        return auc;
    }

    [Fact]
    public void Boosted_trees_reach_the_published_roc_auc()
    {
        var auc = CrossValidatedAuc((x, y) => GradientBoostedChurnModel.Train(x, y), out var logLoss, out var brier);
        Assert.True(auc.Average() >= 0.866, $"mean ROC AUC {auc.Average():F4} (folds {string.Join(", ", auc.Select(a => a.ToString("F4")))})");
        Assert.InRange(logLoss, 0, 0.34);
        Assert.InRange(brier, 0, 0.104);
    }

    [Fact]
    public void Logistic_baseline_is_clearly_weaker_but_sound()
    {
        var auc = CrossValidatedAuc((x, y) => LogisticChurnModel.Train(x, y), out var logLoss, out _);
        Assert.InRange(auc.Average(), 0.74, 0.80);
        Assert.InRange(logLoss, 0, 0.45);
    }
}
