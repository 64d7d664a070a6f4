namespace Centric.Server.Insights.Models;

/// <summary>What a model predicts. The wire names are what `centric models train --kind` and the console use.</summary>
public enum ModelKind
{
    Churn,
    Clv,
    Recommendations,
    Sentiment,
}

public static class ModelKinds
{
    public static readonly ModelKind[] All = [ModelKind.Churn, ModelKind.Clv, ModelKind.Recommendations, ModelKind.Sentiment];

    public static string Name(this ModelKind kind) => kind switch
    {
        ModelKind.Churn => "churn",
        ModelKind.Clv => "clv",
        ModelKind.Recommendations => "recommendations",
        ModelKind.Sentiment => "sentiment",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static ModelKind? Parse(string? name) => All.Cast<ModelKind?>().FirstOrDefault(k => string.Equals(k!.Value.Name(), name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One trained version of a model (insights_model_versions): what it learnt from, how well it did on a held-out slice,
/// and its parameters. At most one version per kind is active; the others stay for rollback.
/// </summary>
public sealed class ModelVersion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ModelKind Kind { get; set; }
    /// <summary>1, 2, 3… per kind.</summary>
    public int Version { get; set; }
    /// <summary>The training window: the data the model saw lies between these two instants.</summary>
    public DateTime WindowFrom { get; set; }
    public DateTime WindowTo { get; set; }
    /// <summary>Rows (customers, interactions or texts) the model was fitted on, and rows held out to measure it.</summary>
    public int Rows { get; set; }
    public int HoldoutRows { get; set; }
    /// <summary>Churn: ranking quality and calibration on the held-out customers.</summary>
    public double? RocAuc { get; set; }
    public double? LogLoss { get; set; }
    /// <summary>Recommendations: nDCG@10 of the held-out purchases and views.</summary>
    public double? NdcgAt10 { get; set; }
    /// <summary>Lifetime value: mean log-likelihood per held-out customer (BG/NBD plus Gamma-Gamma).</summary>
    public double? LogLikelihood { get; set; }
    /// <summary>Sentiment: share of held-out labelled texts classified right.</summary>
    public double? Accuracy { get; set; }
    /// <summary>The active version's score on this version's hold-out, when there was one to compare with.</summary>
    public double? ActiveScoreOnHoldout { get; set; }
    public DateTime TrainedAt { get; set; }
    public bool IsActive { get; set; }
    /// <summary>When it last became the active version (promotion or rollback); null while it never was.</summary>
    public DateTime? ActivatedAt { get; set; }
    /// <summary>Why it was or was not promoted, in words (e.g. "kept: ROC AUC 0.712 below the active version's 0.744").</summary>
    public string Decision { get; set; } = "";
    /// <summary>The model as written by its Analytics class (<c>Save</c>), read back with <c>Load</c>.</summary>
    public byte[] Payload { get; set; } = [];
}

public enum TrainingStatus
{
    Pending,
    Running,
    Succeeded,
    /// <summary>Nothing to learn from yet (no orders, no labelled texts): not an error, nothing was kept.</summary>
    Skipped,
    Failed,
}

/// <summary>
/// A training run (insights_training_runs): asked for by the schedule, by staff or by the CLI, claimed by one node with a
/// conditional update, with its progress written as it goes so the console can show it.
/// </summary>
public sealed class TrainingRun
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ModelKind Kind { get; set; }
    /// <summary>schedule, console or cli.</summary>
    public string Trigger { get; set; } = "";
    /// <summary>Who asked (a staff email, "schedule", "cli").</summary>
    public string RequestedBy { get; set; } = "";
    /// <summary>
    /// For scheduled runs, the slot and kind (<c>schedule:2026-12-03T02:00:00Z:churn</c>), unique, so that when every node
    /// finds the slot due only one insert succeeds. Null for runs asked for by someone.
    /// </summary>
    public string? SlotKey { get; set; }
    public TrainingStatus Status { get; set; }
    /// <summary>0–100.</summary>
    public int Progress { get; set; }
    public string Stage { get; set; } = "";
    public DateTime RequestedAt { get; set; }
    public DateTime? StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
    /// <summary>The node's claim: another node may take the run over only once this has passed (a node that died).</summary>
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public string? Error { get; set; }
    public Guid? ModelVersionId { get; set; }
}
