using Centric.Analytics.Tabular;

namespace Centric.Analytics.Churn;

/// <summary>Settings for <see cref="LogisticChurnModel"/>.</summary>
public sealed record LogisticOptions
{
    /// <summary>L2 penalty λ on the standardised coefficients (the intercept is not penalised): loss = Σ log-loss + λ/2 ‖w‖².</summary>
    public double L2Regularization { get; init; } = 1.0;

    /// <summary>Newton iterations at most.</summary>
    public int MaxIterations { get; init; } = 50;
}

/// <summary>
/// L2-regularised logistic regression on standardised features — the transparent baseline. Numbers are
/// standardised (missing → the training mean), each known category becomes a standardised indicator
/// (missing or unseen → the training average). A feature's contribution to a prediction is
/// coefficient × standardised value, summed over its indicators; with the intercept they add up to the log-odds.
/// </summary>
public sealed class LogisticChurnModel : ChurnModel
{
    internal const string KindName = "logistic-regression";

    // One design column per numeric feature and per known category of a categorical feature.
    private readonly int[] _feature;
    private readonly int[] _category; // -1 for a numeric feature
    private readonly double[] _mean;
    private readonly double[] _scale;
    private readonly double[] _weight;
    private readonly double _intercept;

    private LogisticChurnModel(FeatureEncoder encoder, int[] feature, int[] category, double[] mean, double[] scale, double[] weight, double intercept)
        : base(encoder)
    {
        (_feature, _category, _mean, _scale, _weight, _intercept) = (feature, category, mean, scale, weight, intercept);
    }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>Learns from one row per customer and whether each churned.</summary>
    /// <exception cref="AnalyticsException">No rows, a single class, mismatched lengths, infinite values or bad options.</exception>
    public static LogisticChurnModel Train(TabularTable customers, IReadOnlyList<bool> churned, LogisticOptions? options = null)
    {
        options ??= new LogisticOptions();
        if (!(options.L2Regularization >= 0)) throw new AnalyticsException("L2 regularisation cannot be negative");
        var labels = CheckTrainingData(customers, churned);
        var encoder = FeatureEncoder.Fit(customers);
        var x = encoder.Encode(customers);
        var n = customers.RowCount;
        var features = encoder.Count;

        var columns = new List<(int Feature, int Category, double Mean, double Scale)>();
        for (var f = 0; f < features; f++)
        {
            if (encoder.Kinds[f] == ColumnKind.Numeric)
            {
                double sum = 0, sumSquares = 0;
                var count = 0;
                for (var r = 0; r < n; r++)
                {
                    var v = x[r * features + f];
                    if (double.IsNaN(v)) continue;
                    sum += v;
                    count++;
                }
                if (count == 0) continue;
                var m = sum / count;
                for (var r = 0; r < n; r++)
                {
                    var v = x[r * features + f];
                    if (!double.IsNaN(v)) sumSquares += (v - m) * (v - m);
                }
                var sd = Math.Sqrt(sumSquares / count);
                if (sd <= 1e-12 * Math.Max(1, Math.Abs(m))) continue; // constant: nothing to learn
                columns.Add((f, -1, m, sd));
                continue;
            }
            var counts = new int[encoder.Categories[f].Length];
            for (var r = 0; r < n; r++)
                if (x[r * features + f] is var v && !double.IsNaN(v)) counts[(int)v]++;
            for (var c = 0; c < counts.Length; c++)
            {
                var p = (double)counts[c] / n;
                if (p <= 0 || p >= 1) continue;
                columns.Add((f, c, p, Math.Sqrt(p * (1 - p))));
            }
        }

        var feature = columns.Select(c => c.Feature).ToArray();
        var category = columns.Select(c => c.Category).ToArray();
        var mean = columns.Select(c => c.Mean).ToArray();
        var scale = columns.Select(c => c.Scale).ToArray();
        var d = columns.Count;
        var design = new double[n * d];
        for (var r = 0; r < n; r++)
            for (var j = 0; j < d; j++)
                design[r * d + j] = Standardise(x[r * features + feature[j]], category[j], mean[j], scale[j]);
        var (weights, intercept) = FitNewton(design, labels, d, options);
        return new LogisticChurnModel(encoder, feature, category, mean, scale, weights, intercept);
    }

    private static double Standardise(double value, int category, double mean, double scale)
    {
        if (double.IsNaN(value)) return 0;
        var raw = category < 0 ? value : (int)value == category ? 1 : 0;
        return (raw - mean) / scale;
    }

    // Newton–Raphson on the penalised log-likelihood; d is small (one column per number or category), so a Cholesky solve per step is cheap.
    private static (double[] Weights, double Intercept) FitNewton(double[] design, bool[] labels, int d, LogisticOptions options)
    {
        var n = labels.Length;
        var size = d + 1; // last entry is the intercept
        var beta = new double[size];
        var positives = labels.Count(c => c);
        beta[d] = Math.Log((double)positives / (n - positives));
        var lambda = options.L2Regularization;
        var gradient = new double[size];
        var hessian = new double[size * size];
        var row = new double[size];
        for (var iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var r = 0; r < n; r++)
            {
                design.AsSpan(r * d, d).CopyTo(row);
                row[d] = 1;
                double z = 0;
                for (var j = 0; j < size; j++) z += row[j] * beta[j];
                var p = PlattScaling.Sigmoid(z);
                var residual = p - (labels[r] ? 1 : 0);
                var w = Math.Max(p * (1 - p), 1e-12);
                for (var j = 0; j < size; j++)
                {
                    gradient[j] += residual * row[j];
                    var wj = w * row[j];
                    for (var k = 0; k <= j; k++) hessian[j * size + k] += wj * row[k];
                }
            }
            for (var j = 0; j < d; j++)
            {
                gradient[j] += lambda * beta[j];
                hessian[j * size + j] += lambda;
            }
            hessian[d * size + d] += 1e-9;
            var step = SolveCholesky(hessian, gradient, size);
            var change = 0.0;
            for (var j = 0; j < size; j++)
            {
                beta[j] -= step[j];
                change = Math.Max(change, Math.Abs(step[j]));
            }
            if (change < 1e-9) break;
        }
        return (beta[..d], beta[d]);
    }

    // Solves A·x = b for symmetric positive-definite A given by its lower triangle (row-major).
    private static double[] SolveCholesky(double[] a, double[] b, int size)
    {
        var l = new double[size * size];
        for (var i = 0; i < size; i++)
        {
            for (var j = 0; j <= i; j++)
            {
                var sum = a[i * size + j];
                for (var k = 0; k < j; k++) sum -= l[i * size + k] * l[j * size + k];
                if (i == j)
                {
                    if (sum <= 0) throw new AnalyticsException("logistic regression is ill-conditioned; raise the L2 regularisation");
                    l[i * size + i] = Math.Sqrt(sum);
                }
                else l[i * size + j] = sum / l[j * size + j];
            }
        }
        var y = new double[size];
        for (var i = 0; i < size; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++) sum -= l[i * size + k] * y[k];
            y[i] = sum / l[i * size + i];
        }
        var x = new double[size];
        for (var i = size - 1; i >= 0; i--)
        {
            var sum = y[i];
            for (var k = i + 1; k < size; k++) sum -= l[k * size + i] * x[k];
            x[i] = sum / l[i * size + i];
        }
        return x;
    }

    internal override double LogOdds(ReadOnlySpan<double> row)
    {
        var z = _intercept;
        for (var j = 0; j < _weight.Length; j++)
            z += _weight[j] * Standardise(row[_feature[j]], _category[j], _mean[j], _scale[j]);
        return z;
    }

    internal override double Contributions(ReadOnlySpan<double> row, Span<double> contributions)
    {
        contributions.Clear();
        for (var j = 0; j < _weight.Length; j++)
            contributions[_feature[j]] += _weight[j] * Standardise(row[_feature[j]], _category[j], _mean[j], _scale[j]);
        return _intercept;
    }

    private protected override void WriteBody(BinaryWriter writer)
    {
        writer.Write(_intercept);
        writer.Write(_weight.Length);
        for (var j = 0; j < _weight.Length; j++)
        {
            writer.Write(_feature[j]);
            writer.Write(_category[j]);
            writer.Write(_mean[j]);
            writer.Write(_scale[j]);
            writer.Write(_weight[j]);
        }
    }

    internal static LogisticChurnModel ReadBody(FeatureEncoder encoder, BinaryReader reader)
    {
        var intercept = reader.ReadDouble();
        var d = reader.ReadInt32();
        var (feature, category, mean, scale, weight) = (new int[d], new int[d], new double[d], new double[d], new double[d]);
        for (var j = 0; j < d; j++)
        {
            feature[j] = reader.ReadInt32();
            category[j] = reader.ReadInt32();
            mean[j] = reader.ReadDouble();
            scale[j] = reader.ReadDouble();
            weight[j] = reader.ReadDouble();
            if ((uint)feature[j] >= encoder.Count) throw new AnalyticsException("the saved churn model is damaged: a coefficient names an unknown feature");
        }
        return new LogisticChurnModel(encoder, feature, category, mean, scale, weight, intercept);
    }
}
