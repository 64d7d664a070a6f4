using System.Globalization;
using System.Text.Json;
using Centric.Analytics;
using Centric.Analytics.Churn;
using Centric.Bench.Churn;

namespace Centric.Bench.Commands;

/// <summary>
/// Churn risk: stratified k-fold cross-validation of the boosted trees (default), the logistic baseline
/// and ML.NET's LightGBM / FastTree on any CSV with a binary target.
/// Options: --csv FILE (gz or plain) --target COLUMN [--positive VALUE] [--drop A,B,C] [--folds 5] [--seed 42]
/// [--models gbt,logistic,mlnet-lightgbm,mlnet-fasttree] and GBT settings --learning-rate --leaves --depth
/// --min-leaf --l2 --row-fraction --feature-fraction --validation --patience.
/// </summary>
public static class ChurnCommand
{
    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var csv = options.Get("csv") ?? Path.Combine(BenchOptions.DataRoot(), "bank-churn", "Churn_Modelling.csv.gz");
        var isDefaultData = options.Get("csv") is null;
        var target = options.Get("target", "Exited");
        var drop = (options.Get("drop") ?? (isDefaultData ? "RowNumber,CustomerId,Surname" : ""))
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var folds = options.GetInt("folds", 5);
        var seed = options.GetInt("seed", 42);
        var models = options.Get("models", "gbt,logistic,mlnet-lightgbm,mlnet-fasttree").Split(',', StringSplitOptions.TrimEntries);

        ChurnData data;
        try
        {
            data = ChurnData.Load(csv, target, options.Get("positive"), drop);
        }
        catch (AnalyticsException e)
        {
            Console.Error.WriteLine($"churn: {e.Message}");
            return 1;
        }
        if (data.DroppedWithoutOutcome > 0)
            Console.Error.WriteLine($"churn: {data.DroppedWithoutOutcome} rows without a '{target}' value were left out");
        Console.Error.WriteLine($"churn: {data.Features.RowCount} rows, features: {string.Join(", ", data.Features.Columns.Select(c => $"{c.Name}:{c.Kind}"))}");

        var gbt = GbtOptions(options, seed);
        foreach (var model in models)
        {
            var treeCounts = new List<int>();
            double? singleRowMicros = null;
            long? modelBytes = null;
            ChurnTrainer trainer = model switch
            {
                "gbt" => (x, y) =>
                {
                    var trained = GradientBoostedChurnModel.Train(x, y, gbt);
                    treeCounts.Add(trained.TreeCount);
                    if (treeCounts.Count == 1)
                    {
                        singleRowMicros = SingleRowMicroseconds(trained, x);
                        using var saved = new MemoryStream();
                        trained.Save(saved);
                        modelBytes = saved.Length;
                    }
                    return trained.PredictProbabilities;
                },
                "logistic" => (x, y) => LogisticChurnModel.Train(x, y).PredictProbabilities,
                "mlnet-lightgbm" => (x, y) => MlNetTrainers.LightGbm(x, y, seed),
                "mlnet-fasttree" => (x, y) => MlNetTrainers.FastTree(x, y, seed),
                _ => throw new ArgumentException($"unknown model '{model}': expected gbt, logistic, mlnet-lightgbm or mlnet-fasttree"),
            };
            var run = CrossValidatedRun.Evaluate(data, folds, seed, trainer);
            var line = new Dictionary<string, object>
            {
                ["model"] = model,
                ["roc_auc"] = Math.Round(run.RocAuc, 4),
                ["pr_auc"] = Math.Round(run.PrAuc, 4),
                ["log_loss"] = Math.Round(run.LogLoss, 4),
                ["brier"] = Math.Round(run.Brier, 4),
                ["train_seconds"] = Math.Round(run.TrainSecondsMedian, 3),
                ["train_cpu_seconds"] = Math.Round(run.TrainCpuSecondsMedian, 3),
                ["score_microseconds_per_row"] = Math.Round(run.ScoreMicroseconds, 2),
                ["roc_auc_folds"] = run.FoldRocAuc.Select(a => Math.Round(a, 4)).ToArray(),
                ["rows"] = data.Features.RowCount,
                ["folds"] = folds,
                ["seed"] = seed,
                ["data"] = Path.GetFileName(csv),
            };
            if (singleRowMicros is { } micros) line["score_one_microseconds"] = Math.Round(micros, 2);
            if (modelBytes is { } bytes) line["model_bytes"] = bytes;
            if (treeCounts.Count > 0) line["trees_median"] = treeCounts.Order().ElementAt(treeCounts.Count / 2);
            if (model == "gbt") line["default"] = true;
            Console.WriteLine(JsonSerializer.Serialize(line));
        }
        return 0;
    }

    // Scoring one customer at a time, as the product would: median of five passes over 1,000 rows.
    private static double SingleRowMicroseconds(ChurnModel model, Centric.Analytics.Tabular.TabularTable customers)
    {
        var rows = Math.Min(1000, customers.RowCount);
        var passes = new double[5];
        double sink = 0;
        for (var pass = 0; pass < passes.Length; pass++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            for (var r = 0; r < rows; r++) sink += model.PredictProbability(customers, r);
            passes[pass] = clock.Elapsed.TotalMicroseconds / rows;
        }
        GC.KeepAlive(sink);
        return passes.Order().ElementAt(passes.Length / 2);
    }

    private static GradientBoostingOptions GbtOptions(BenchOptions options, int seed)
    {
        var d = new GradientBoostingOptions();
        double Num(string name, double fallback) => options.Get(name) is { } v ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
        return d with
        {
            LearningRate = Num("learning-rate", d.LearningRate),
            MaxLeaves = options.GetInt("leaves", d.MaxLeaves),
            MaxDepth = options.GetInt("depth", d.MaxDepth),
            MinRowsPerLeaf = options.GetInt("min-leaf", d.MinRowsPerLeaf),
            L2Regularization = Num("l2", d.L2Regularization),
            RowFraction = Num("row-fraction", d.RowFraction),
            FeatureFraction = Num("feature-fraction", d.FeatureFraction),
            ValidationFraction = Num("validation", d.ValidationFraction),
            EarlyStoppingRounds = options.GetInt("patience", d.EarlyStoppingRounds),
            MaxIterations = options.GetInt("iterations", d.MaxIterations),
            MaxBins = options.GetInt("max-bins", d.MaxBins),
            Calibrate = !options.Has("no-calibration"),
            Seed = options.GetInt("model-seed", seed),
        };
    }
}
