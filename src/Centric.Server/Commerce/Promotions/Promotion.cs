namespace Centric.Server.Commerce.Promotions;

/// <summary>What a promotion gives.</summary>
public enum PromotionKind { PercentOff = 0, AmountOff = 1, FreeShipping = 2, BuyXGetY = 3 }

/// <summary>Who may have a promotion: <see cref="Tier"/> is the members of a loyalty tier (or any tier above it).</summary>
public enum PromotionAudience { Everyone = 0, FirstOrder = 1, Segment = 2, Decile = 3, Tier = 4 }

/// <summary>
/// An offer: a discount code (<see cref="Code"/> set) or an automatic promotion applied to every eligible cart (no code).
/// For a promotion with a <see cref="TotalLimit"/>, <see cref="Redeemed"/> counts the redemptions held by placed orders; it is
/// raised with a conditional update that also checks the limit, so a single-use code is redeemed once however many checkouts
/// try at the same moment. Unlimited promotions keep no count on the row (pages count their redemptions).
/// </summary>
public sealed class Promotion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Name { get; set; }
    /// <summary>Upper case; null for an automatic promotion.</summary>
    public string? Code { get; set; }
    public PromotionKind Kind { get; set; }
    /// <summary>Percent off the goods (<see cref="PromotionKind.PercentOff"/>), or off the free units of a buy X get Y (100 = free).</summary>
    public int PercentOff { get; set; }
    public long AmountOffMinor { get; set; }
    public string Currency { get; set; } = "EUR";
    /// <summary>Buy X get Y: the units to buy (X) and the units that are free or cheaper (Y), among a product or a category.</summary>
    public int BuyQuantity { get; set; }
    public int GetQuantity { get; set; }
    /// <summary>The product (by SKU) or category (by slug) a buy X get Y counts units of.</summary>
    public string? TargetSku { get; set; }
    public string? TargetCategory { get; set; }
    public long MinimumSubtotalMinor { get; set; }
    public DateTime? StartsAt { get; set; }
    public DateTime? EndsAt { get; set; }
    public int? TotalLimit { get; set; }
    public int? PerCustomerLimit { get; set; }
    public PromotionAudience Audience { get; set; }
    public Guid? SegmentId { get; set; }
    /// <summary>The segment's name when it was chosen, for the console and explanations.</summary>
    public string? SegmentName { get; set; }
    /// <summary>Value deciles 1 (the most valuable tenth) to 10, inclusive.</summary>
    public int? DecileFrom { get; set; }
    public int? DecileTo { get; set; }
    /// <summary>The loyalty tier (by name) a <see cref="PromotionAudience.Tier"/> promotion is for; higher tiers qualify too.</summary>
    public string? LoyaltyTier { get; set; }
    /// <summary>May combine with other stackable promotions; a promotion that may not is applied alone or not at all.</summary>
    public bool Stackable { get; set; }
    public bool Paused { get; set; }
    public int Redeemed { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? CreatedBy { get; set; }

    public bool IsAutomatic => Code is null;
}

/// <summary>
/// A promotion applied to a placed order. <see cref="CustomerSlot"/> is the customer's n-th use (1 … the per-customer limit),
/// unique per promotion and customer, so two checkouts of the same customer at once cannot both take the last use; it is
/// null when the promotion has no per-customer limit or once the redemption is released (the order was cancelled).
/// </summary>
public sealed class PromotionRedemption
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid PromotionId { get; set; }
    public Guid ProfileId { get; set; }
    public Guid OrderId { get; set; }
    public required string OrderNumber { get; set; }
    public string? Code { get; set; }
    public long AmountMinor { get; set; }
    public required string Currency { get; set; }
    public int? CustomerSlot { get; set; }
    public DateTime RedeemedAt { get; set; }
    public DateTime? ReleasedAt { get; set; }
}
