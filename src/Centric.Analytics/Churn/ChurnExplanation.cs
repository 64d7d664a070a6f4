namespace Centric.Analytics.Churn;

/// <summary>How much one feature pushed a customer's churn risk up (positive) or down (negative), in log-odds.</summary>
/// <param name="Feature">The column name.</param>
/// <param name="Value">The customer's value as text; null when missing.</param>
/// <param name="LogOdds">The push on the log-odds of churning; positive raises the risk.</param>
public sealed record FeatureContribution(string Feature, string? Value, double LogOdds);

/// <summary>
/// A churn prediction broken down by feature: <see cref="BaseLogOdds"/> plus every contribution equals
/// the log-odds of <see cref="Probability"/>. Contributions are ordered by size, largest push first.
/// </summary>
public sealed class ChurnExplanation
{
    internal ChurnExplanation(double probability, double baseLogOdds, IReadOnlyList<FeatureContribution> contributions)
    {
        Probability = probability;
        BaseLogOdds = baseLogOdds;
        Contributions = contributions;
    }

    /// <summary>The calibrated probability that this customer churns.</summary>
    public double Probability { get; }

    /// <summary>The log-odds for a customer about whom nothing is known (the model's average view).</summary>
    public double BaseLogOdds { get; }

    /// <summary>Every feature's push, largest magnitude first.</summary>
    public IReadOnlyList<FeatureContribution> Contributions { get; }

    /// <summary>Features that raised the risk, strongest first.</summary>
    public IEnumerable<FeatureContribution> RaisingRisk => Contributions.Where(c => c.LogOdds > 0);

    /// <summary>Features that lowered the risk, strongest first.</summary>
    public IEnumerable<FeatureContribution> LoweringRisk => Contributions.Where(c => c.LogOdds < 0);
}
