namespace Centric.Analytics.Churn;

/// <summary>
/// Maps one feature's values to small integer bins so trees can be grown from histograms.
/// Bin 0 is always "missing". Numeric features get up to <c>maxBins - 1</c> value ranges cut at
/// quantiles (every distinct value gets its own bin when there are few); categorical features get one
/// bin per known category code.
/// </summary>
internal sealed class FeatureBinning
{
    private FeatureBinning(bool categorical, double[] thresholds, int binCount)
    {
        IsCategorical = categorical;
        Thresholds = thresholds;
        BinCount = binCount;
    }

    public bool IsCategorical { get; }

    /// <summary>Numeric only: bin k (1-based) holds values in (Thresholds[k-2], Thresholds[k-1]].</summary>
    public double[] Thresholds { get; }

    /// <summary>Number of bins including the missing bin.</summary>
    public int BinCount { get; }

    public static FeatureBinning Categorical(int categories) => new(true, [], categories + 1);

    public static FeatureBinning FromThresholds(double[] thresholds) => new(false, thresholds, thresholds.Length + 2);

    /// <summary>Quantile cuts of the non-missing values (a strided column of a row-major matrix).</summary>
    public static FeatureBinning Numeric(ReadOnlySpan<double> matrix, int stride, int offset, int maxBins)
    {
        var values = new List<double>(matrix.Length / stride);
        for (var i = offset; i < matrix.Length; i += stride)
            if (!double.IsNaN(matrix[i])) values.Add(matrix[i]);
        values.Sort();
        var distinct = new List<(double Value, int Count)>();
        foreach (var v in values)
        {
            if (distinct.Count > 0 && distinct[^1].Value == v) distinct[^1] = (v, distinct[^1].Count + 1);
            else distinct.Add((v, 1));
        }
        var thresholds = new List<double>();
        var ranges = maxBins - 1;
        if (distinct.Count <= ranges)
        {
            for (var i = 0; i + 1 < distinct.Count; i++) thresholds.Add(Midpoint(distinct[i].Value, distinct[i + 1].Value));
        }
        else
        {
            // Equal-frequency ranges; a heavy single value takes a bin of its own.
            var perBin = (double)values.Count / ranges;
            double filled = 0;
            for (var i = 0; i + 1 < distinct.Count && thresholds.Count < ranges - 1; i++)
            {
                filled += distinct[i].Count;
                if (filled >= perBin * (thresholds.Count + 1) || distinct[i + 1].Count >= perBin)
                    thresholds.Add(Midpoint(distinct[i].Value, distinct[i + 1].Value));
            }
        }
        return FromThresholds([.. thresholds]);
    }

    private static double Midpoint(double a, double b) => a + (b - a) / 2;

    /// <summary>The bin of an encoded value (NaN → 0).</summary>
    public byte BinOf(double x)
    {
        if (double.IsNaN(x)) return 0;
        if (IsCategorical) return (byte)(x + 1);
        // First threshold ≥ x; values above every threshold land in the last bin.
        int lo = 0, hi = Thresholds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (Thresholds[mid] < x) lo = mid + 1;
            else hi = mid;
        }
        return (byte)(lo + 1);
    }
}
