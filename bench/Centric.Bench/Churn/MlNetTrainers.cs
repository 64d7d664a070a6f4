using Centric.Analytics.Tabular;
using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Centric.Bench.Churn;

/// <summary>ML.NET's LightGBM and FastTree on the same folds, for comparison (numbers as-is, categories one-hot).</summary>
internal static class MlNetTrainers
{
    private sealed class Row
    {
        public bool Label { get; set; }
        public float[] Features { get; set; } = [];
    }

    public static Func<TabularTable, double[]> LightGbm(TabularTable features, bool[] churned, int seed) =>
        Fit(features, churned, seed, ml => ml.BinaryClassification.Trainers.LightGbm(new LightGbmBinaryTrainer.Options
        {
            NumberOfLeaves = 15,
            MinimumExampleCountPerLeaf = 20,
            // The same settings as the project's default trees (which stop early at about 260 rounds).
            LearningRate = 0.03,
            NumberOfIterations = 260,
            Seed = seed,
            NumberOfThreads = 1,
            Booster = new GradientBooster.Options { L2Regularization = 1, SubsampleFraction = 0.8, SubsampleFrequency = 1, FeatureFraction = 0.7 },
        }));

    public static Func<TabularTable, double[]> FastTree(TabularTable features, bool[] churned, int seed) =>
        Fit(features, churned, seed, ml => ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfLeaves = 15,
            MinimumExampleCountPerLeaf = 20,
            LearningRate = 0.1,
            NumberOfTrees = 100,
            NumberOfThreads = 1,
        }));

    private static Func<TabularTable, double[]> Fit(TabularTable features, bool[] churned, int seed,
        Func<MLContext, IEstimator<ITransformer>> trainer)
    {
        var ml = new MLContext(seed);
        var vocabularies = features.Columns.Select(c => c.Kind == ColumnKind.Categorical
            ? c.Labels.ToArray().Where(l => l is not null).Select(l => l!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray()
            : null).ToArray();
        var width = vocabularies.Sum(v => v?.Length ?? 1);
        var schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);

        IDataView View(TabularTable table, bool[]? labels)
        {
            var rows = new Row[table.RowCount];
            for (var r = 0; r < rows.Length; r++) rows[r] = new Row { Label = labels?[r] ?? false, Features = new float[width] };
            var offset = 0;
            for (var c = 0; c < vocabularies.Length; c++)
            {
                var column = table[features.Columns[c].Name];
                if (vocabularies[c] is not { } vocabulary)
                {
                    var numbers = column.Numbers;
                    for (var r = 0; r < rows.Length; r++) rows[r].Features[offset] = (float)numbers[r];
                    offset++;
                    continue;
                }
                var labelsOfColumn = column.Labels;
                for (var r = 0; r < rows.Length; r++)
                {
                    var k = labelsOfColumn[r] is { } l ? Array.IndexOf(vocabulary, l) : -1;
                    if (k >= 0) rows[r].Features[offset + k] = 1;
                }
                offset += vocabulary.Length;
            }
            return ml.Data.LoadFromEnumerable(rows, schema);
        }

        var model = trainer(ml).Fit(View(features, churned));
        return table => model.Transform(View(table, null)).GetColumn<float>("Probability").Select(p => (double)p).ToArray();
    }
}
