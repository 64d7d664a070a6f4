namespace Centric.Server.Customers.Contracts;

/// <summary>RFM quintile scores, 1–5 (5 best).</summary>
public sealed record RfmView(int Recency, int Frequency, int Monetary);

/// <summary>
/// The scores on a profile as the customer 360 and the API show them (staff and keys with <c>insights:read</c> only):
/// 12-month lifetime value, P(alive), expected purchases in 12 months, churn risk 0–1 with its main reasons, value
/// decile (1 = the most valuable tenth), RFM, sentiment −1…1 over 90 days, when they were scored, and whether the churn
/// risk is at or above the business's "high" line (Insights:HighChurnRisk).
/// </summary>
public sealed record CustomerInsights(double? Clv12m, double? PAlive, double? ExpectedPurchases12m, double? ChurnRisk,
    IReadOnlyList<string> ChurnReasons, int? Decile, RfmView? Rfm, double? Sentiment, DateTime ScoredAt, bool ChurnRiskHigh = false);

/// <summary>
/// Customers asks, Insights answers (it sits above Customers): the scores on a profile, or null when it has not been scored.
/// </summary>
public interface ICustomerInsights
{
    Task<CustomerInsights?> FindAsync(Guid profileId, CancellationToken ct);
}
