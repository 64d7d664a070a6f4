namespace Centric.Analytics.Segmentation;

/// <summary>
/// RFM scoring: recency, frequency and monetary quintile scores from 1 (worst fifth) to 5 (best fifth) —
/// 5 for the most recent buyers, the most frequent and the highest spenders.
/// </summary>
/// <remarks>
/// Score = 1 + ⌊5 · w / n⌋ where w counts customers strictly worse on that measure (longer since the last purchase,
/// fewer orders, less revenue). Ties always share a score and take the lowest one their block reaches: if 60% of
/// customers bought exactly once, they all get F = 1 and the remaining 40% share scores 4 and 5. O(n log n), one sort per measure.
/// </remarks>
public static class RfmScores
{
    /// <summary>Number of score levels (quintiles).</summary>
    public const int Levels = 5;

    /// <summary>Scores every customer; the inputs are parallel arrays, one entry per customer.</summary>
    /// <param name="daysSinceLastPurchase">Recency: time since the last purchase (lower is better).</param>
    /// <param name="purchases">Frequency: number of purchases (or orders) in the period.</param>
    /// <param name="revenue">Monetary: revenue in the period.</param>
    /// <param name="recencyScore">Receives R, 1–5.</param>
    /// <param name="frequencyScore">Receives F, 1–5.</param>
    /// <param name="monetaryScore">Receives M, 1–5.</param>
    /// <exception cref="AnalyticsException">No customers, mismatched lengths, or a NaN, infinite or negative value.</exception>
    public static void Score(
        ReadOnlySpan<double> daysSinceLastPurchase, ReadOnlySpan<double> purchases, ReadOnlySpan<double> revenue,
        Span<byte> recencyScore, Span<byte> frequencyScore, Span<byte> monetaryScore)
    {
        if (purchases.Length != daysSinceLastPurchase.Length || revenue.Length != daysSinceLastPurchase.Length)
        {
            throw new AnalyticsException($"RFM columns differ in length: recency {daysSinceLastPurchase.Length}, frequency {purchases.Length}, monetary {revenue.Length}");
        }
        RankGroups.Assign(daysSinceLastPurchase, Levels, higherIsBetter: false, recencyScore, "RFM recency");
        RankGroups.Assign(purchases, Levels, higherIsBetter: true, frequencyScore, "RFM frequency");
        RankGroups.Assign(revenue, Levels, higherIsBetter: true, monetaryScore, "RFM monetary");
    }

    /// <summary>Quintile scores (1–5, 5 = highest values) of one measure.</summary>
    public static void Quintiles(ReadOnlySpan<double> values, bool higherIsBetter, Span<byte> destination) =>
        RankGroups.Assign(values, Levels, higherIsBetter, destination, "quintiles");

    /// <summary>The conventional three-digit RFM cell, e.g. 545 for R = 5, F = 4, M = 5.</summary>
    public static int Cell(byte recency, byte frequency, byte monetary) => recency * 100 + frequency * 10 + monetary;
}
