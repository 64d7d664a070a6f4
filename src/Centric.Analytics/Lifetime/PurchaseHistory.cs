namespace Centric.Analytics.Lifetime;

/// <summary>
/// The per-customer summary the BG/NBD and Gamma-Gamma models are fitted on, as parallel arrays
/// (struct of arrays): for customer <c>i</c>, <see cref="Frequency"/>[i] repeat purchases (x),
/// the last of them at <see cref="Recency"/>[i] time units after the first purchase (t_x, 0 when x = 0),
/// observed for <see cref="Age"/>[i] units since the first purchase (T), with a mean repeat purchase value of
/// <see cref="MeanRepeatValue"/>[i] (0 when x = 0).
/// </summary>
/// <remarks>The constructor validates every row, so a model never sees NaN, negative values or t_x &gt; T.</remarks>
public sealed class PurchaseHistory
{
    private readonly int[] _frequency;
    private readonly double[] _recency;
    private readonly double[] _age;
    private readonly double[] _meanRepeatValue;

    /// <summary>Wraps the arrays (not copied) after checking them.</summary>
    /// <param name="frequency">Repeat purchases x per customer (whole, non-negative).</param>
    /// <param name="recency">Time of the last repeat purchase t_x since the first purchase; 0 when x = 0.</param>
    /// <param name="age">Time T from the first purchase to the end of observation; t_x ≤ T.</param>
    /// <param name="meanRepeatValue">Mean value of the repeat purchases (excluding the first); 0 when x = 0.
    /// May be null when only the purchase-count model is wanted.</param>
    /// <param name="timeUnit">The unit of <paramref name="recency"/> and <paramref name="age"/>.</param>
    /// <exception cref="AnalyticsException">Empty input, mismatched lengths, NaN/infinite or negative values, t_x &gt; T,
    /// or a recency for a customer with no repeat purchase.</exception>
    public PurchaseHistory(int[] frequency, double[] recency, double[] age, double[]? meanRepeatValue, PurchaseTimeUnit timeUnit)
    {
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(recency);
        ArgumentNullException.ThrowIfNull(age);
        if (frequency.Length == 0) throw new AnalyticsException("purchase history is empty: no customers to fit on");
        if (recency.Length != frequency.Length || age.Length != frequency.Length
            || (meanRepeatValue is not null && meanRepeatValue.Length != frequency.Length))
        {
            throw new AnalyticsException(
                $"purchase history columns differ in length: frequency {frequency.Length}, recency {recency.Length}, age {age.Length}"
                + (meanRepeatValue is null ? "" : $", mean repeat value {meanRepeatValue.Length}"));
        }
        _ = timeUnit.Days();
        for (var i = 0; i < frequency.Length; i++)
        {
            Validate(i, frequency[i], recency[i], age[i], meanRepeatValue is null ? 0 : meanRepeatValue[i]);
        }
        _frequency = frequency;
        _recency = recency;
        _age = age;
        _meanRepeatValue = meanRepeatValue ?? new double[frequency.Length];
        HasValues = meanRepeatValue is not null;
        TimeUnit = timeUnit;
    }

    /// <summary>Number of customers.</summary>
    public int Count => _frequency.Length;

    /// <summary>Repeat purchases x.</summary>
    public ReadOnlySpan<int> Frequency => _frequency;

    /// <summary>Time of the last repeat purchase t_x, measured from the first purchase.</summary>
    public ReadOnlySpan<double> Recency => _recency;

    /// <summary>Time T from the first purchase to the end of observation.</summary>
    public ReadOnlySpan<double> Age => _age;

    /// <summary>Mean value of the repeat purchases (all zero when no values were given).</summary>
    public ReadOnlySpan<double> MeanRepeatValue => _meanRepeatValue;

    /// <summary>Whether purchase values were supplied (needed by the Gamma-Gamma spend model).</summary>
    public bool HasValues { get; }

    /// <summary>The unit of <see cref="Recency"/> and <see cref="Age"/>.</summary>
    public PurchaseTimeUnit TimeUnit { get; }

    /// <summary>Checks one customer's summary; throws <see cref="AnalyticsException"/> naming the row when it is impossible.</summary>
    public static void Validate(int row, int frequency, double recency, double age, double meanRepeatValue)
    {
        if (frequency < 0) throw new AnalyticsException($"customer row {row}: repeat purchases x = {frequency} is negative");
        if (!double.IsFinite(recency) || !double.IsFinite(age) || !double.IsFinite(meanRepeatValue))
        {
            throw new AnalyticsException($"customer row {row}: t_x, T and mean value must be finite numbers (got {recency}, {age}, {meanRepeatValue})");
        }
        if (recency < 0 || age < 0 || meanRepeatValue < 0)
        {
            throw new AnalyticsException($"customer row {row}: t_x, T and mean value must not be negative (got {recency}, {age}, {meanRepeatValue})");
        }
        if (recency > age) throw new AnalyticsException($"customer row {row}: last repeat purchase t_x = {recency} is after the end of observation T = {age}");
        if (frequency == 0 && recency != 0) throw new AnalyticsException($"customer row {row}: t_x = {recency} but there is no repeat purchase (x = 0)");
    }
}
