using Centric.Analytics.Tabular;

namespace Centric.Analytics.Churn;

/// <summary>
/// Histogram-based gradient-boosted trees for churn: features are binned once, trees grow leaf-wise on
/// gradient/hessian histograms with L2-regularised leaves and native categorical splits, boosting stops
/// early on a stratified hold-out, and Platt scaling on that hold-out calibrates the probabilities.
/// Explanations are exact TreeSHAP values in calibrated log-odds.
/// </summary>
public sealed class GradientBoostedChurnModel : ChurnModel
{
    internal const string KindName = "gradient-boosted-trees";

    private readonly FeatureBinning[] _binnings;
    private readonly double _initialLogOdds;
    private readonly RegressionTree[] _trees;
    private readonly PlattScaling _calibration;
    private readonly double _expectedRaw;

    private GradientBoostedChurnModel(FeatureEncoder encoder, FeatureBinning[] binnings, double initialLogOdds, RegressionTree[] trees, PlattScaling calibration)
        : base(encoder)
    {
        _binnings = binnings;
        _initialLogOdds = initialLogOdds;
        _trees = trees;
        _calibration = calibration;
        _expectedRaw = initialLogOdds + trees.Sum(t => t.ExpectedValue());
    }

    /// <inheritdoc />
    public override string Kind => KindName;

    /// <summary>Number of trees kept after early stopping.</summary>
    public int TreeCount => _trees.Length;

    internal RegressionTree[] Trees => _trees;

    internal PlattScaling Calibration => _calibration;

    /// <summary>Learns from one row per customer and whether each churned.</summary>
    /// <param name="customers">Feature columns only (drop ids and the outcome first).</param>
    /// <param name="churned">The outcome per row.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    /// <exception cref="AnalyticsException">No rows, a single class, mismatched lengths, infinite values or bad options.</exception>
    public static GradientBoostedChurnModel Train(TabularTable customers, IReadOnlyList<bool> churned, GradientBoostingOptions? options = null)
    {
        options ??= new GradientBoostingOptions();
        options.Validate();
        var labels = CheckTrainingData(customers, churned);
        var encoder = FeatureEncoder.Fit(customers);
        var x = encoder.Encode(customers);
        var features = encoder.Count;
        var binnings = new FeatureBinning[features];
        for (var f = 0; f < features; f++)
            binnings[f] = encoder.Kinds[f] == ColumnKind.Categorical
                ? FeatureBinning.Categorical(encoder.Categories[f].Length)
                : FeatureBinning.Numeric(x, features, f, options.MaxBins);

        var random = new Random(options.Seed);
        var (fitRows, holdOutRows) = HoldOut(labels, options.ValidationFraction, random);
        var fitBins = BinRows(x, fitRows, binnings);
        var holdOutBins = BinRows(x, holdOutRows, binnings);
        var fitLabels = fitRows.Select(r => labels[r]).ToArray();
        var holdOutLabels = holdOutRows.Select(r => labels[r]).ToArray();

        var positives = fitLabels.Count(c => c);
        var initial = Math.Log((double)positives / (fitLabels.Length - positives));
        var fitRaw = Enumerable.Repeat(initial, fitRows.Length).ToArray();
        var holdOutRaw = Enumerable.Repeat(initial, holdOutRows.Length).ToArray();
        var gradients = new double[fitRows.Length];
        var hessians = new double[fitRows.Length];
        var grower = new HistogramTreeGrower(fitBins, binnings, options);
        var trees = new List<RegressionTree>();
        var allRows = Enumerable.Range(0, fitRows.Length).ToArray();
        var sampleSize = Math.Max(1, (int)Math.Round(options.RowFraction * fitRows.Length));
        var usable = new bool[features];
        var leafRanges = new List<(int Node, int Start, int Count)>();
        var sampled = new bool[fitRows.Length];
        var bestLoss = double.PositiveInfinity;
        var bestCount = 0;

        for (var iteration = 0; iteration < options.MaxIterations; iteration++)
        {
            for (var i = 0; i < fitRaw.Length; i++)
            {
                var p = PlattScaling.Sigmoid(fitRaw[i]);
                gradients[i] = p - (fitLabels[i] ? 1 : 0);
                hessians[i] = Math.Max(p * (1 - p), 1e-16);
            }
            var rows = allRows;
            if (sampleSize < fitRows.Length)
            {
                random.Shuffle(allRows);
                rows = allRows[..sampleSize];
            }
            else
            {
                rows = (int[])allRows.Clone();
            }
            ChooseFeatures(usable, options.FeatureFraction, random);
            var tree = grower.Grow(gradients, hessians, rows, usable, leafRanges);
            if (tree.Nodes.Length == 1) break; // no split improves the fit any more
            trees.Add(tree);
            // Rows the tree was grown on are already grouped by leaf; only the others need walking down the tree.
            Array.Fill(sampled, false);
            foreach (var (node, start, count) in leafRanges)
            {
                var value = tree.Nodes[node].Value;
                foreach (var r in rows.AsSpan(start, count))
                {
                    fitRaw[r] += value;
                    sampled[r] = true;
                }
            }
            if (rows.Length < fitRaw.Length)
                for (var i = 0; i < fitRaw.Length; i++)
                    if (!sampled[i]) fitRaw[i] += tree.Predict(fitBins.AsSpan(i * features, features));
            if (holdOutRows.Length == 0)
            {
                bestCount = trees.Count;
                continue;
            }
            double loss = 0;
            for (var i = 0; i < holdOutRaw.Length; i++)
            {
                holdOutRaw[i] += tree.Predict(holdOutBins.AsSpan(i * features, features));
                loss += PlattScaling.Softplus(holdOutRaw[i]) - (holdOutLabels[i] ? holdOutRaw[i] : 0);
            }
            if (loss < bestLoss - 1e-9)
            {
                bestLoss = loss;
                bestCount = trees.Count;
            }
            else if (trees.Count - bestCount >= options.EarlyStoppingRounds) break;
        }

        var kept = trees.Take(bestCount).ToArray();
        var calibration = PlattScaling.Identity;
        if (options.Calibrate && holdOutRows.Length > 0)
        {
            var raw = new double[holdOutRows.Length];
            for (var i = 0; i < raw.Length; i++)
            {
                raw[i] = initial;
                foreach (var t in kept) raw[i] += t.Predict(holdOutBins.AsSpan(i * features, features));
            }
            calibration = PlattScaling.Fit(raw, holdOutLabels);
        }
        return new GradientBoostedChurnModel(encoder, binnings, initial, kept, calibration);
    }

    // A stratified hold-out; empty when it would lack a churner or a stayer.
    private static (int[] Fit, int[] HoldOut) HoldOut(bool[] labels, double fraction, Random random)
    {
        var all = Enumerable.Range(0, labels.Length).ToArray();
        if (fraction <= 0) return (all, []);
        var holdOut = new List<int>();
        foreach (var cls in new[] { true, false })
        {
            var rows = all.Where(r => labels[r] == cls).ToArray();
            random.Shuffle(rows);
            var take = (int)Math.Floor(rows.Length * fraction);
            if (take == 0) return (all, []);
            holdOut.AddRange(rows.Take(take));
        }
        var held = new bool[labels.Length];
        foreach (var r in holdOut) held[r] = true;
        holdOut.Sort();
        return ([.. all.Where(r => !held[r])], [.. holdOut]);
    }

    private static byte[] BinRows(double[] x, int[] rows, FeatureBinning[] binnings)
    {
        var features = binnings.Length;
        var bins = new byte[rows.Length * features];
        for (var i = 0; i < rows.Length; i++)
            for (var f = 0; f < features; f++)
                bins[i * features + f] = binnings[f].BinOf(x[rows[i] * features + f]);
        return bins;
    }

    private static void ChooseFeatures(bool[] usable, double fraction, Random random)
    {
        if (fraction >= 1)
        {
            Array.Fill(usable, true);
            return;
        }
        var order = Enumerable.Range(0, usable.Length).ToArray();
        random.Shuffle(order);
        var take = Math.Max(1, (int)Math.Round(fraction * usable.Length));
        Array.Fill(usable, false);
        for (var i = 0; i < take; i++) usable[order[i]] = true;
    }

    private void Bin(ReadOnlySpan<double> row, Span<byte> bins)
    {
        for (var f = 0; f < bins.Length; f++) bins[f] = _binnings[f].BinOf(row[f]);
    }

    internal double RawScore(ReadOnlySpan<byte> bins)
    {
        var raw = _initialLogOdds;
        foreach (var tree in _trees) raw += tree.Predict(bins);
        return raw;
    }

    internal override double LogOdds(ReadOnlySpan<double> row)
    {
        Span<byte> bins = stackalloc byte[_binnings.Length];
        Bin(row, bins);
        return _calibration.Apply(RawScore(bins));
    }

    internal override double Contributions(ReadOnlySpan<double> row, Span<double> contributions)
    {
        Span<byte> bins = stackalloc byte[_binnings.Length];
        Bin(row, bins);
        contributions.Clear();
        foreach (var tree in _trees) tree.AddShapleyValues(bins, contributions);
        // Platt scaling is linear in the raw score, so scaling every contribution keeps the sum exact.
        for (var f = 0; f < contributions.Length; f++) contributions[f] *= _calibration.Slope;
        return _calibration.Apply(_expectedRaw);
    }

    private protected override void WriteBody(BinaryWriter writer)
    {
        foreach (var b in _binnings)
        {
            writer.Write(b.IsCategorical);
            if (b.IsCategorical)
            {
                writer.Write(b.BinCount - 1);
                continue;
            }
            writer.Write(b.Thresholds.Length);
            foreach (var t in b.Thresholds) writer.Write(t);
        }
        writer.Write(_initialLogOdds);
        writer.Write(_calibration.Slope);
        writer.Write(_calibration.Intercept);
        writer.Write(_trees.Length);
        foreach (var tree in _trees) tree.Write(writer);
    }

    internal static GradientBoostedChurnModel ReadBody(FeatureEncoder encoder, BinaryReader reader)
    {
        var binnings = new FeatureBinning[encoder.Count];
        for (var f = 0; f < binnings.Length; f++)
        {
            if (reader.ReadBoolean())
            {
                binnings[f] = FeatureBinning.Categorical(reader.ReadInt32());
                continue;
            }
            var thresholds = new double[reader.ReadInt32()];
            for (var i = 0; i < thresholds.Length; i++) thresholds[i] = reader.ReadDouble();
            binnings[f] = FeatureBinning.FromThresholds(thresholds);
        }
        var initial = reader.ReadDouble();
        var calibration = new PlattScaling(reader.ReadDouble(), reader.ReadDouble());
        var trees = new RegressionTree[reader.ReadInt32()];
        for (var i = 0; i < trees.Length; i++) trees[i] = RegressionTree.Read(reader, encoder.Count);
        return new GradientBoostedChurnModel(encoder, binnings, initial, trees, calibration);
    }
}
