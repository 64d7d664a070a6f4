namespace Centric.Analytics.Recommendations;

/// <summary>The scoring model behind a <see cref="RecommendationModel"/>.</summary>
public enum RecommenderModelKind
{
    /// <summary>Let the trainer choose: see <see cref="RecommenderOptions"/> for the rule.</summary>
    Auto,
    /// <summary>Most-interacted items; the baseline and the fallback when there is nothing to learn from.</summary>
    Popularity,
    /// <summary>SAR-style sparse item-to-item similarity from co-occurrence, with time-decayed user affinity.</summary>
    ItemSimilarity,
    /// <summary>EASE family: a dense item-to-item linear model with a closed-form ridge solution (Steck 2019; trained as
    /// the emphasised denoising variant, Steck 2020).</summary>
    Ease,
}

/// <summary>How co-occurrence counts become item-to-item similarity in the <see cref="RecommenderModelKind.ItemSimilarity"/> model.</summary>
public enum ItemSimilarityMeasure
{
    /// <summary>Raw count of customers who touched both items: favours popular items.</summary>
    Cooccurrence,
    /// <summary>Both / either: balanced between popular and niche items.</summary>
    Jaccard,
    /// <summary>Both / (count of one × count of other): favours niche, surprising pairs.</summary>
    Lift,
}

/// <summary>How strongly each kind of interaction signals interest. A customer's affinity for an item is the
/// sum of these over their events (each times the time decay), capped at <see cref="Saturation"/> so that
/// a hundred page views do not outweigh a purchase by a hundred to one.</summary>
public sealed record InteractionWeights
{
    /// <summary>Weight of a view.</summary>
    public float View { get; init; } = 1f;
    /// <summary>Weight of a cart add.</summary>
    public float CartAdd { get; init; } = 2f;
    /// <summary>Weight of a purchase.</summary>
    public float Purchase { get; init; } = 4f;
    /// <summary>Weight of a rating (any stars).</summary>
    public float Rating { get; init; } = 4f;
    /// <summary>Cap on a customer's summed affinity for one item; affinities are divided by it so that a
    /// saturated item counts 1 in the model input.</summary>
    public float Saturation { get; init; } = 4f;

    internal float Of(InteractionKind kind) => kind switch
    {
        InteractionKind.View => View,
        InteractionKind.CartAdd => CartAdd,
        InteractionKind.Purchase => Purchase,
        InteractionKind.Rating => Rating,
        _ => throw new AnalyticsException($"unknown interaction kind {(int)kind}"),
    };
}

/// <summary>Training settings. The defaults suit a catalog of a few thousand items with months of history.</summary>
/// <remarks>
/// Model choice when <see cref="Model"/> is <see cref="RecommenderModelKind.Auto"/>:
/// <list type="number">
/// <item>Popularity when there is nothing to learn pairs from: fewer than two items, or no customer touched two items.</item>
/// <item>EASE when the catalog with interactions has at most <see cref="MaxDenseItems"/> items: it is the most accurate
/// model here, but it holds an items × items float matrix (4·n² bytes: 100 MB at 5,000 items) and its training costs
/// about n³/2 multiply-adds (seconds at 5,000 items, under a second at 2,000).</item>
/// <item>Item similarity (SAR) otherwise: its cost grows with the interactions, not with the square of the catalog,
/// and it keeps only <see cref="NeighboursPerItem"/> neighbours per item.</item>
/// </list>
/// </remarks>
public sealed record RecommenderOptions
{
    /// <summary>Which model to train; <see cref="RecommenderModelKind.Auto"/> picks by catalog size and data.</summary>
    public RecommenderModelKind Model { get; init; } = RecommenderModelKind.Auto;

    /// <summary>Largest catalog (items with interactions) for which Auto picks the dense EASE model.</summary>
    public int MaxDenseItems { get; init; } = 5_000;

    /// <summary>EASE's ridge strength λ. With <see cref="PopularityRidge"/> = 1, λ = 400 was chosen on a validation split
    /// cut from MovieLens 100k's training part only (75/25 of each user's training ratings, seed 4242); see docs/BENCHMARKS.md.</summary>
    public float EaseLambda { get; init; } = 400f;

    /// <summary>Extra ridge on each item in proportion to its own popularity (λᵢ = λ + r·(XᵀX)ᵢᵢ), as dropout-trained
    /// autoencoders imply (Steck, 2020: r = p/(1−p) for dropout rate p). It stops popular items from dominating
    /// every list; 1 (dropout 0.5) was chosen with <see cref="EaseLambda"/> on the validation split.</summary>
    public float PopularityRidge { get; init; } = 1f;

    /// <summary>Similarity measure of the item-similarity model.</summary>
    public ItemSimilarityMeasure Similarity { get; init; } = ItemSimilarityMeasure.Jaccard;

    /// <summary>Neighbours kept per item by the item-similarity model (keeps it sparse for large catalogs).</summary>
    public int NeighboursPerItem { get; init; } = 200;

    /// <summary>Pairs seen together by fewer customers than this are ignored by the item-similarity model.</summary>
    public int MinCooccurrence { get; init; } = 1;

    /// <summary>Half-life of interest: an event this much older than the customer's latest event counts half.
    /// Null disables time decay. Measured from each customer's own latest event rather than from "now", so a customer
    /// who has been away keeps a full-strength history (which still teaches which items go together) while, within a
    /// history, newer interests outweigh older ones.</summary>
    public TimeSpan? DecayHalfLife { get; init; }

    /// <summary>Strength of each interaction kind.</summary>
    public InteractionWeights Weights { get; init; } = new();

    /// <summary>Threads used by training; training is mostly memory-bound, so more than the core count does not help.</summary>
    public int MaxThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Items kept per segment for cold-start answers.</summary>
    public int SegmentListLength { get; init; } = 200;

    internal void Validate()
    {
        if (MaxDenseItems < 0) throw new AnalyticsException("MaxDenseItems must not be negative");
        if (!(EaseLambda > 0) || float.IsInfinity(EaseLambda)) throw new AnalyticsException("EaseLambda must be a positive finite number");
        if (!(PopularityRidge >= 0) || float.IsInfinity(PopularityRidge)) throw new AnalyticsException("PopularityRidge must be a finite number, not negative");
        if (NeighboursPerItem < 1) throw new AnalyticsException("NeighboursPerItem must be at least 1");
        if (MinCooccurrence < 1) throw new AnalyticsException("MinCooccurrence must be at least 1");
        if (DecayHalfLife is { } h && h <= TimeSpan.Zero) throw new AnalyticsException("DecayHalfLife must be positive or null");
        if (SegmentListLength < 1) throw new AnalyticsException("SegmentListLength must be at least 1");
        foreach (var w in new[] { Weights.View, Weights.CartAdd, Weights.Purchase, Weights.Rating })
            if (!(w >= 0) || float.IsInfinity(w)) throw new AnalyticsException("interaction weights must be finite and not negative");
        if (!(Weights.Saturation > 0) || float.IsInfinity(Weights.Saturation)) throw new AnalyticsException("Weights.Saturation must be a positive finite number");
    }
}
