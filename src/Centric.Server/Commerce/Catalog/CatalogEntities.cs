namespace Centric.Server.Commerce.Catalog;

public sealed class Category
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }
}

/// <summary>What the shop sells. Prices, stock and barcodes belong to its variants.</summary>
public sealed class Product
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Name { get; set; }
    public string Description { get; set; } = "";
    public Guid CategoryId { get; set; }
    public string? Brand { get; set; }
    /// <summary>Lower-cased name, brand, category and description words, for search.</summary>
    public string SearchText { get; set; } = "";
    public string? ImageUrl { get; set; }
    /// <summary>Average review rating ×100 (0–500), kept with the count so lists can sort and filter on it.</summary>
    public int RatingX100 { get; set; }
    public int ReviewCount { get; set; }
    public bool Active { get; set; } = true;
    public DateTime CreatedAt { get; set; }
    /// <summary>The lowest variant price, kept here so lists filter and sort without a join.</summary>
    public long PriceFromMinor { get; set; }
    public string Currency { get; set; } = "EUR";

    public double Rating => RatingX100 / 100.0;
}

public sealed class ProductVariant
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProductId { get; set; }
    public required string Sku { get; set; }
    /// <summary>Global trade item number (EAN/UPC barcode).</summary>
    public string? Gtin { get; set; }
    /// <summary>e.g. "Size M, Blue"; empty for a product with one variant.</summary>
    public string Options { get; set; } = "";
    public long PriceMinor { get; set; }
    public required string Currency { get; set; }
    public int WeightGrams { get; set; }
    /// <summary>When set, the variant can also be bought as a subscription renewing every this many days.</summary>
    public int? SubscriptionIntervalDays { get; set; }
    /// <summary>Price per renewal for subscribers (usually below the one-off price).</summary>
    public long? SubscriptionPriceMinor { get; set; }

    public Money Price => new(PriceMinor, Currency);
}

/// <summary>
/// An address a product used to have. <c>/shop/{Slug}</c> answers a permanent redirect to the product's current address, so
/// links and search results keep working after staff change it. An address is live for at most one product: when a
/// product takes it (new or moved), its former-address row goes.
/// </summary>
public sealed class ProductSlugRedirect
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public Guid ProductId { get; set; }
    public DateTime CreatedAt { get; set; }
}
