using System.Text;
using Centric.Analytics.Tabular;

namespace Centric.Analytics.Churn;

/// <summary>
/// A trained churn-risk model: scores customers (one row of a <see cref="TabularTable"/> each, columns
/// matched by name) with a calibrated probability of churning, explains each score feature by feature,
/// and saves to / loads from a small versioned binary format.
/// </summary>
/// <remarks>
/// Missing values (NaN numbers, null labels) are allowed when scoring. A category the model never saw in
/// training (or saw fewer than three times) is scored as missing: the trees send it the way missing values
/// went in training, the linear model uses the training average. Infinite numbers are refused.
/// </remarks>
public abstract class ChurnModel
{
    // "CHRN" in ASCII, little-endian: lets Load say "not a churn model" rather than fail obscurely.
    private const int Magic = 0x4E524843;

    /// <summary>The saved-format version this build writes and reads.</summary>
    public const int FormatVersion = 1;

    private protected ChurnModel(FeatureEncoder encoder) => Encoder = encoder;

    internal FeatureEncoder Encoder { get; }

    /// <summary>The columns the model reads, in its own order.</summary>
    public IReadOnlyList<string> FeatureNames => Encoder.Names;

    /// <summary>A short name of the model family, e.g. "gradient-boosted-trees".</summary>
    public abstract string Kind { get; }

    /// <summary>Calibrated log-odds of churning for one encoded row.</summary>
    internal abstract double LogOdds(ReadOnlySpan<double> row);

    /// <summary>Writes each feature's log-odds contribution; returns the base log-odds they add to.</summary>
    internal abstract double Contributions(ReadOnlySpan<double> row, Span<double> contributions);

    private protected abstract void WriteBody(BinaryWriter writer);

    /// <summary>The probability that the customer in <paramref name="row"/> churns.</summary>
    /// <exception cref="AnalyticsException">A needed column is absent or a value is infinite or malformed.</exception>
    public double PredictProbability(TabularTable customers, int row)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, customers.RowCount);
        Span<double> x = stackalloc double[Encoder.Count];
        Encoder.EncodeRow(Encoder.Bind(customers), row, x);
        return PlattScaling.Sigmoid(LogOdds(x));
    }

    /// <summary>The churn probability of every row.</summary>
    /// <exception cref="AnalyticsException">A needed column is absent or a value is infinite or malformed.</exception>
    public double[] PredictProbabilities(TabularTable customers)
    {
        ArgumentNullException.ThrowIfNull(customers);
        var x = Encoder.Encode(customers);
        var p = new double[customers.RowCount];
        for (var r = 0; r < p.Length; r++) p[r] = PlattScaling.Sigmoid(LogOdds(x.AsSpan(r * Encoder.Count, Encoder.Count)));
        return p;
    }

    /// <summary>The churn probability of one row and which features pushed it up or down.</summary>
    /// <exception cref="AnalyticsException">A needed column is absent or a value is infinite or malformed.</exception>
    public ChurnExplanation Explain(TabularTable customers, int row)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, customers.RowCount);
        var bound = Encoder.Bind(customers);
        var x = new double[Encoder.Count];
        Encoder.EncodeRow(bound, row, x);
        var phi = new double[Encoder.Count];
        var baseLogOdds = Contributions(x, phi);
        var contributions = new FeatureContribution[phi.Length];
        for (var f = 0; f < phi.Length; f++) contributions[f] = new FeatureContribution(Encoder.Names[f], bound[f].TextAt(row), phi[f]);
        var ordered = contributions.OrderByDescending(c => Math.Abs(c.LogOdds)).ToArray();
        return new ChurnExplanation(PlattScaling.Sigmoid(LogOdds(x)), baseLogOdds, ordered);
    }

    /// <summary>Writes the model (format version <see cref="FormatVersion"/>); the stream is left open.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(Kind);
        Encoder.Write(writer);
        WriteBody(writer);
    }

    /// <summary>Reads a model written by <see cref="Save"/>; the stream is left open.</summary>
    /// <exception cref="AnalyticsException">Not a churn model, another format version, or damaged.</exception>
    public static ChurnModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (reader.ReadInt32() != Magic) throw new AnalyticsException("not a saved churn model");
            var version = reader.ReadInt32();
            if (version != FormatVersion)
                throw new AnalyticsException($"the churn model was saved in format version {version}; this build reads version {FormatVersion} — retrain or convert it");
            var kind = reader.ReadString();
            var encoder = FeatureEncoder.Read(reader);
            return kind switch
            {
                GradientBoostedChurnModel.KindName => GradientBoostedChurnModel.ReadBody(encoder, reader),
                LogisticChurnModel.KindName => LogisticChurnModel.ReadBody(encoder, reader),
                _ => throw new AnalyticsException($"unknown churn model kind '{kind}'"),
            };
        }
        catch (EndOfStreamException e)
        {
            throw new AnalyticsException("the saved churn model is truncated", e);
        }
    }

    internal static bool[] CheckTrainingData(TabularTable customers, IReadOnlyList<bool> churned)
    {
        ArgumentNullException.ThrowIfNull(customers);
        ArgumentNullException.ThrowIfNull(churned);
        if (customers.RowCount == 0) throw new AnalyticsException("no customers to learn from");
        if (churned.Count != customers.RowCount)
            throw new AnalyticsException($"{customers.RowCount} customers but {churned.Count} churn outcomes");
        var labels = churned.ToArray();
        var positives = labels.Count(c => c);
        if (positives == 0 || positives == labels.Length)
            throw new AnalyticsException($"the training data holds only {(positives == 0 ? "customers who stayed" : "customers who churned")}; a churn model needs both");
        return labels;
    }
}
