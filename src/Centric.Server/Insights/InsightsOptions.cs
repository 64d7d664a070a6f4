using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Insights;

/// <summary>The "Insights" configuration section (docs/insights.md, "Settings").</summary>
public sealed class InsightsOptions
{
    /// <summary>Training on a schedule and claiming requested runs in the background. Off: only `centric models train` trains.</summary>
    public bool BackgroundTraining { get; set; } = true;

    /// <summary>The time of day (UTC) the scheduled training slots start from.</summary>
    public TimeSpan TrainAt { get; set; } = TimeSpan.FromHours(2);

    /// <summary>The time of day (UTC) on Mondays the weekly KPI report goes out to the chosen staff.</summary>
    public TimeSpan ReportAt { get; set; } = TimeSpan.FromHours(7);

    /// <summary>How often the scheduled training runs: nightly by default.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "90.00:00:00")]
    public TimeSpan TrainEvery { get; set; } = TimeSpan.FromDays(1);

    /// <summary>How often a node looks for due or requested training runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a node's claim on a run lasts without a progress update; a run whose node died is taken over after it.</summary>
    [Range(typeof(TimeSpan), "00:00:10", "1.00:00:00")]
    public TimeSpan ClaimFor { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Share of customers (or texts) held out to measure a new version against the active one.</summary>
    [Range(0.05, 0.5)]
    public double HoldoutFraction { get; set; } = 0.2;

    /// <summary>How much history the models learn from.</summary>
    [Range(30, 3650)]
    public int TrainingWindowDays { get; set; } = 730;

    /// <summary>
    /// The churn definition: a customer has churned when, in the <c>ChurnHorizonDays</c> after a cut-off, they placed no
    /// order and had no active subscription. Training puts the cut-off that many days before now; scoring predicts the next
    /// that many days.
    /// </summary>
    [Range(7, 730)]
    public int ChurnHorizonDays { get; set; } = 90;

    /// <summary>A churn risk at or above this is "high" (a crossing is recorded on the timeline).</summary>
    [Range(0.05, 0.99)]
    public double HighChurnRisk { get; set; } = 0.7;

    /// <summary>The fewest rows a model is trained on; below it the run is skipped.</summary>
    [Range(4, 1_000_000)]
    public int MinTrainingRows { get; set; } = 20;

    /// <summary>The horizon of the lifetime value (months) and its monthly discount rate.</summary>
    [Range(1, 120)]
    public int ClvMonths { get; set; } = 12;

    [Range(0.0, 0.2)]
    public double MonthlyDiscountRate { get; set; } = 0.01;

    /// <summary>What the value decile ranks by: <c>clv</c> (12-month lifetime value) or <c>revenue</c> (spend in the training window).</summary>
    [RegularExpression("^(clv|revenue)$")]
    public string DecileBy { get; set; } = "clv";
}
