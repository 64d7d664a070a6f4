namespace Centric.Analytics.Churn;

/// <summary>Settings for <see cref="GradientBoostedChurnModel"/>. The defaults were tuned on the bank-churn benchmark.</summary>
public sealed record GradientBoostingOptions
{
    /// <summary>Shrinkage applied to every tree's output.</summary>
    public double LearningRate { get; init; } = 0.03;

    /// <summary>Upper bound on boosting rounds; early stopping usually ends sooner.</summary>
    public int MaxIterations { get; init; } = 1000;

    /// <summary>Leaves per tree (trees grow best-gain leaf first).</summary>
    public int MaxLeaves { get; init; } = 15;

    /// <summary>Maximum depth of a tree; 0 for no limit beyond <see cref="MaxLeaves"/>.</summary>
    public int MaxDepth { get; init; } = 6;

    /// <summary>Fewest training rows in a leaf.</summary>
    public int MinRowsPerLeaf { get; init; } = 20;

    /// <summary>Smallest hessian sum in a leaf (guards near-pure leaves).</summary>
    public double MinHessianPerLeaf { get; init; } = 1e-3;

    /// <summary>L2 penalty on leaf values (λ).</summary>
    public double L2Regularization { get; init; } = 1.0;

    /// <summary>Smallest loss reduction worth a split.</summary>
    public double MinSplitGain { get; init; }

    /// <summary>Added to each category's hessian when ordering categories for a split, so rare ones do not dominate.</summary>
    public double CategorySmoothing { get; init; } = 10;

    /// <summary>Number of value ranges per numeric feature, including the missing bin (at most 255).</summary>
    public int MaxBins { get; init; } = 255;

    /// <summary>Share of rows each tree sees (1 = all).</summary>
    public double RowFraction { get; init; } = 0.8;

    /// <summary>Share of features each tree may split on (1 = all).</summary>
    public double FeatureFraction { get; init; } = 0.7;

    /// <summary>
    /// Share of training rows (stratified) held out to stop boosting when log loss stops improving and to
    /// fit the Platt calibration. 0 disables both (then <see cref="MaxIterations"/> trees are grown).
    /// </summary>
    public double ValidationFraction { get; init; } = 0.1;

    /// <summary>Rounds without improvement on the held-out rows before stopping.</summary>
    public int EarlyStoppingRounds { get; init; } = 50;

    /// <summary>Whether to fit Platt scaling on the held-out rows.</summary>
    public bool Calibrate { get; init; } = true;

    /// <summary>Seed for the validation split and row/feature sampling: same data and seed, same model.</summary>
    public int Seed { get; init; } = 42;

    internal void Validate()
    {
        if (!(LearningRate > 0 && LearningRate <= 1)) throw new AnalyticsException("learning rate must be in (0, 1]");
        if (MaxIterations < 1) throw new AnalyticsException("at least one boosting round is needed");
        if (MaxLeaves < 2) throw new AnalyticsException("trees need at least two leaves");
        if (MinRowsPerLeaf < 1) throw new AnalyticsException("leaves need at least one row");
        if (MaxBins is < 3 or > 255) throw new AnalyticsException("MaxBins must be between 3 and 255");
        if (!(L2Regularization >= 0)) throw new AnalyticsException("L2 regularisation cannot be negative");
        if (!(RowFraction > 0 && RowFraction <= 1) || !(FeatureFraction > 0 && FeatureFraction <= 1))
            throw new AnalyticsException("row and feature fractions must be in (0, 1]");
        if (!(ValidationFraction >= 0 && ValidationFraction < 0.5)) throw new AnalyticsException("validation fraction must be in [0, 0.5)");
    }
}
