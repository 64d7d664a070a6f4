namespace Centric.Server.Personalisation;

/// <summary>A product a customer saved for later (personalisation_wish_list_items): one row per customer and product.</summary>
public sealed class WishListItem
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public Guid ProductId { get; set; }
    public DateTime AddedAt { get; set; }
}

public enum RecommendationRuleKind
{
    /// <summary>The product comes first wherever it may be shown (in stock, not bought, not the product itself).</summary>
    Pin,
    /// <summary>Nothing of the category is recommended.</summary>
    ExcludeCategory,
}

/// <summary>A business rule staff set in the console (personalisation_rules), for one placement or all of them.</summary>
public sealed class RecommendationRule
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public RecommendationRuleKind Kind { get; set; }
    /// <summary>The pinned product (<see cref="RecommendationRuleKind.Pin"/>).</summary>
    public Guid? ProductId { get; set; }
    /// <summary>The excluded category's slug (<see cref="RecommendationRuleKind.ExcludeCategory"/>).</summary>
    public string? Category { get; set; }
    /// <summary>The placement it applies to; null for every placement.</summary>
    public string? Placement { get; set; }
    public DateTime CreatedAt { get; set; }
    public string CreatedBy { get; set; } = "";
}

/// <summary>
/// What a placement shows (personalisation_placements, one row per placement staff changed): the model's answer, popular
/// products, or an A/B test of the two, each shopper always in the same arm.
/// </summary>
public sealed class PlacementSetting
{
    /// <summary>The placement's key (<see cref="Recommendations.Placements"/>).</summary>
    public string Placement { get; set; } = "";
    public PlacementMode Mode { get; set; }
    public DateTime ChangedAt { get; set; }
    public string ChangedBy { get; set; } = "";
}

public enum PlacementMode
{
    Model,
    Popularity,
    /// <summary>Half the shoppers (by a hash of who they are) get the model, the other half popular products.</summary>
    Split,
}

public enum ProductAlertKind
{
    /// <summary>Tell me when the product is back in stock: sent once, then done.</summary>
    BackInStock,
    /// <summary>Tell me when the price drops: sent each time the price falls below the lowest price the customer has heard of.</summary>
    PriceDrop,
}

public enum ProductAlertStatus
{
    /// <summary>Waiting for its news.</summary>
    Waiting,
    /// <summary>A back-in-stock alert that was sent; it stays on the list until the customer removes it.</summary>
    Sent,
}

/// <summary>
/// A customer asked to be told about a product (personalisation_alerts): when it is back in stock, or when its price drops. One
/// row per customer, product and kind.
/// </summary>
public sealed class ProductAlert
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public Guid ProductId { get; set; }
    public ProductAlertKind Kind { get; set; }
    public ProductAlertStatus Status { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>A price-drop alert's bar, in minor units: the price when it was asked for, then each lower price the customer was told of.</summary>
    public long? PriceMinor { get; set; }
    public DateTime? LastSentAt { get; set; }
    public int SentCount { get; set; }
}
