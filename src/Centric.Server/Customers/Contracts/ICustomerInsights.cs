namespace Centric.Server.Customers.Contracts;

/// <summary>RFM quintile scores, 1–5 (5 best).</summary>
public sealed record RfmView(int Recency, int Frequency, int Monetary);

/// <summary>
/// The scores on a profile as the customer 360 and the API show them (staff and keys with <c>insights:read</c> only):
/// 12-month lifetime value, P(alive), expected purchases in 12 months, churn risk 0–1 with its main reasons, value
/// decile (1 = the most valuable tenth), RFM, sentiment −1…1 over 90 days, when they were scored, and whether the churn
/// risk is at or above the business's "high" line (Insights:HighChurnRisk), and the shop's currency the lifetime value is in.
/// </summary>
public sealed record CustomerInsights(double? Clv12m, double? PAlive, double? ExpectedPurchases12m, double? ChurnRisk,
    IReadOnlyList<string> ChurnReasons, int? Decile, RfmView? Rfm, double? Sentiment, DateTime ScoredAt, bool ChurnRiskHigh = false,
    string Currency = "EUR");

/// <summary>How the customer list ranks scored customers: the most valuable first (decile 1, then lifetime value), or the highest churn risk first.</summary>
public enum InsightsOrder { Value, ChurnRisk }

/// <summary>Which scored customers the list shows: one value decile, only those at high churn risk, or both.</summary>
public sealed record InsightsFilter(int? Decile, bool HighChurnRiskOnly, InsightsOrder Order);

/// <summary>
/// What serving a customer cost the business over a range of days (<c>From</c> inclusive, <c>To</c> exclusive), priced with
/// the business's cost model, in the shop's currency: the total and its parts (support, shipping, returns, payments,
/// messages; only those with a cost).
/// </summary>
public sealed record CustomerCostToServe(DateOnly From, DateOnly To, string Currency, double Total, IReadOnlyList<CostToServePart> Parts);

public sealed record CostToServePart(string Part, double Amount);

/// <summary>
/// Customers asks, Insights answers (it sits above Customers): the scores on a profile, or null when it has not been scored.
/// </summary>
public interface ICustomerInsights
{
    Task<CustomerInsights?> FindAsync(Guid profileId, CancellationToken ct);

    /// <summary>The scores of each of these profiles that has been scored.</summary>
    Task<IReadOnlyDictionary<Guid, CustomerInsights>> FindManyAsync(IReadOnlyCollection<Guid> profileIds, CancellationToken ct);

    /// <summary>
    /// A page of scored profiles that match <paramref name="filter"/>, in its order; only among <paramref name="among"/> when
    /// given (a text search's matches). One more than <paramref name="take"/> when there are more.
    /// </summary>
    Task<IReadOnlyList<Guid>> RankAsync(InsightsFilter filter, IReadOnlyCollection<Guid>? among, int skip, int take, CancellationToken ct);

    /// <summary>What serving the customer cost over the last 365 days, today included.</summary>
    Task<CustomerCostToServe> CostToServeAsync(Guid profileId, CancellationToken ct);
}
