namespace Centric.Analytics.Segmentation;

/// <summary>Equal-share rank groups (quintiles, deciles) with a fixed tie rule, computed by sorting once.</summary>
/// <remarks>
/// Tie rule: a customer's group is 1 + ⌊groups · w / n⌋, where w is the number of customers with a strictly worse value.
/// Equal values therefore always share a group, and a block of ties takes the lowest group it reaches (a customer is
/// only promoted when strictly better than the required share of customers). Large tie blocks make some groups
/// bigger and leave others thinner or empty; the groups are never reshuffled at random to even them out.
/// With w ≥ m ⇔ sorted[m−1] &lt; v, the group is 1 plus the number of the groups − 1 cut points the value exceeds,
/// so after one sort each customer costs a few comparisons.
/// </remarks>
internal static class RankGroups
{
    public static void Assign(ReadOnlySpan<double> values, int groups, bool higherIsBetter, Span<byte> destination, string what)
    {
        var n = values.Length;
        if (n == 0) throw new AnalyticsException($"{what}: no customers to score");
        if (destination.Length < n) throw new ArgumentException("destination is shorter than the input", nameof(destination));
        var sorted = new double[n];
        for (var i = 0; i < n; i++)
        {
            var v = values[i];
            if (!double.IsFinite(v) || v < 0) throw new AnalyticsException($"{what}: customer {i} has value {v}; values must be finite and not negative");
            sorted[i] = v;
        }
        Array.Sort(sorted);

        Span<double> cuts = stackalloc double[groups - 1];
        for (var k = 1; k < groups; k++)
        {
            var m = (int)(((long)k * n + groups - 1) / groups); // ⌈k·n/groups⌉ ≥ 1
            cuts[k - 1] = higherIsBetter ? sorted[m - 1] : sorted[n - m];
        }
        if (higherIsBetter)
        {
            for (var i = 0; i < n; i++)
            {
                var v = values[i];
                var g = 1;
                foreach (var cut in cuts) g += v > cut ? 1 : 0;
                destination[i] = (byte)g;
            }
        }
        else
        {
            for (var i = 0; i < n; i++)
            {
                var v = values[i];
                var g = 1;
                foreach (var cut in cuts) g += v < cut ? 1 : 0;
                destination[i] = (byte)g;
            }
        }
    }
}
