namespace Centric.Server.Insights.Scores;

/// <summary>
/// The scores on one profile (insights_profile_scores, one row per profile that has ordered): lifetime value, whether the
/// customer is still active, churn risk with its reasons, value decile, RFM and sentiment, with when they were scored.
/// </summary>
public sealed class ProfileInsight
{
    /// <summary>
    /// Its own key rather than the profile id: a writer that read a profile id just before a merge saves its row onto the
    /// survivor, which may hold one already; the newest is read and the next scoring keeps only it.
    /// </summary>
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>Expected value of the next 12 months' orders (discounted), in the shop's currency; null without a lifetime value model.</summary>
    public double? Clv12m { get; set; }
    public double? PAlive { get; set; }
    public double? ExpectedPurchases12m { get; set; }
    /// <summary>0–1; null without a churn model.</summary>
    public double? ChurnRisk { get; set; }
    /// <summary>The three main reasons, one per line, in plain words.</summary>
    public string? ChurnReasons { get; set; }
    /// <summary>1 = the most valuable tenth … 10 = the least.</summary>
    public int? Decile { get; set; }
    /// <summary>What the decile ranked by: clv or revenue.</summary>
    public string? DecileBy { get; set; }
    /// <summary>Quintile scores 1–5 (5 best).</summary>
    public int? RfmRecency { get; set; }
    public int? RfmFrequency { get; set; }
    public int? RfmMonetary { get; set; }
    /// <summary>Spend in the training window (what a revenue decile ranks by).</summary>
    public double Revenue { get; set; }
    /// <summary>Mean sentiment of the customer's texts over the last 90 days, −1…1; null when they wrote none.</summary>
    public double? Sentiment { get; set; }
    public int? ChurnModelVersion { get; set; }
    public int? ClvModelVersion { get; set; }
    public DateTime ScoredAt { get; set; }

    public IReadOnlyList<string> Reasons => ChurnReasons is null ? [] : ChurnReasons.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
