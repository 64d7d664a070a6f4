namespace Centric.Bench.Platform;

/// <summary>Nearest-rank percentiles over a set of latencies in milliseconds.</summary>
public static class Percentiles
{
    public static double Of(IReadOnlyList<double> values, double percentile)
    {
        if (values.Count == 0) return double.NaN;
        var sorted = values.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static object Summary(IReadOnlyList<double> ms) => new
    {
        count = ms.Count,
        p50Ms = Math.Round(Of(ms, 50), 2),
        p90Ms = Math.Round(Of(ms, 90), 2),
        p99Ms = Math.Round(Of(ms, 99), 2),
        maxMs = ms.Count == 0 ? double.NaN : Math.Round(ms.Max(), 2),
    };
}
