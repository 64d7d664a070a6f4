namespace Centric.Analytics.Segmentation;

/// <summary>
/// Value deciles: decile 1 holds the most valuable tenth of customers (by revenue, or by CLV), decile 10 the least.
/// </summary>
/// <remarks>
/// Decile = 10 − ⌊10 · w / n⌋ where w counts customers with strictly lower value. Equal values always share a
/// decile and a tie block sits in the lowest-value decile it reaches, so customers with no revenue all land in
/// decile 10 (or the deepest decile their block starts in) rather than being spread at random; decile 1 contains
/// exactly the customers worth more than at least 90% of all customers.
/// </remarks>
public static class ValueDeciles
{
    /// <summary>Number of deciles.</summary>
    public const int Count = 10;

    /// <summary>Assigns each customer's decile (1 = top 10% by value … 10 = bottom).</summary>
    /// <param name="value">Revenue or CLV per customer (finite, not negative).</param>
    /// <param name="decile">Receives 1–10.</param>
    /// <exception cref="AnalyticsException">No customers, or a NaN, infinite or negative value.</exception>
    public static void Assign(ReadOnlySpan<double> value, Span<byte> decile)
    {
        RankGroups.Assign(value, Count, higherIsBetter: true, decile, "value deciles");
        for (var i = 0; i < value.Length; i++) decile[i] = (byte)(Count + 1 - decile[i]);
    }
}
