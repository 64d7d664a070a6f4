namespace Centric.Analytics.Recommendations;

/// <summary>What a customer did with an item; each kind carries its own strength (see <see cref="InteractionWeights"/>).</summary>
public enum InteractionKind
{
    /// <summary>The customer looked at the item.</summary>
    View,
    /// <summary>The customer put the item in a cart.</summary>
    CartAdd,
    /// <summary>The customer bought the item.</summary>
    Purchase,
    /// <summary>The customer rated or reviewed the item; any rating counts as interest, whatever its stars.</summary>
    Rating,
}

/// <summary>One implicit-feedback event: a customer touched an item at a moment.</summary>
/// <param name="UserId">The customer (profile id or anonymous id).</param>
/// <param name="ItemId">The catalog item.</param>
/// <param name="Kind">What the customer did.</param>
/// <param name="OccurredAt">When; older events weigh less when a decay half-life is set.</param>
public readonly record struct Interaction(string UserId, string ItemId, InteractionKind Kind, DateTimeOffset OccurredAt);

/// <summary>A catalog entry, used for cold start: new items are matched to known ones by category and attributes.</summary>
/// <param name="ItemId">The catalog item.</param>
/// <param name="Category">Its category, or null.</param>
/// <param name="Attributes">Free-form attributes (brand, colour, "organic"...), compared as a set.</param>
public sealed record CatalogItem(string ItemId, string? Category = null, IReadOnlyList<string>? Attributes = null);

/// <summary>Why an item was recommended, so a UI can say "popular with customers like you" or "because you viewed".</summary>
public enum RecommendationSource
{
    /// <summary>Scored by the trained model from the customer's own history or from the given item.</summary>
    Model,
    /// <summary>Popular among customers of the same segment (cold start).</summary>
    Segment,
    /// <summary>Popular overall (cold start or fill-in when the model has too few candidates).</summary>
    Popular,
    /// <summary>Matched on category and attributes (new item cold start).</summary>
    Catalog,
}

/// <summary>One recommended item with its score (comparable only within one answer) and where it came from.</summary>
/// <param name="ItemId">The recommended item.</param>
/// <param name="Score">Higher is better; the scale depends on the model and the source.</param>
/// <param name="Source">Why it was picked.</param>
public readonly record struct ScoredItem(string ItemId, float Score, RecommendationSource Source);
