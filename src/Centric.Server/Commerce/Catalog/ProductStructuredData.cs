using System.Text.Json.Nodes;
using Centric.Server.Platform.Seo;

namespace Centric.Server.Commerce.Catalog;

/// <summary>
/// A product page as search engines read it: schema.org Product with an Offer (the page's price, currency, stock) and, once
/// customers have reviewed it, an AggregateRating. The price is the one the page shows first (the cheapest option) and,
/// like the page, before VAT, which the offer's price specification says.
/// </summary>
internal static class ProductStructuredData
{
    /// <summary>The page's description: the product's own text, or its name and category when it has none.</summary>
    public static string Description(ProductDetail detail) =>
        SeoText.Summary(string.IsNullOrWhiteSpace(detail.Product.Description) ? $"{detail.Product.Name} · {detail.Category.Name}" : detail.Product.Description);

    public static JsonObject For(ProductDetail detail, string url, string? imageUrl)
    {
        var p = detail.Product;
        var data = new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Product",
            ["name"] = p.Name,
            ["description"] = Description(detail),
            ["url"] = url,
            ["category"] = detail.Category.Name,
        };
        if (imageUrl is not null) data["image"] = imageUrl;
        if (p.Brand is { Length: > 0 } brand) data["brand"] = new JsonObject { ["@type"] = "Brand", ["name"] = brand };
        if (detail.Variants.Count > 0)
        {
            var first = detail.Variants[0].Variant;
            data["sku"] = first.Sku;
            if (detail.Variants.Count == 1 && first.Gtin is { Length: > 0 } gtin) data["gtin"] = gtin;
            var price = first.PriceMinor / 100m;
            data["offers"] = new JsonObject
            {
                ["@type"] = "Offer",
                ["url"] = url,
                ["price"] = price,
                ["priceCurrency"] = first.Currency,
                ["availability"] = detail.Variants.Any(v => v.Available > 0) ? "https://schema.org/InStock" : "https://schema.org/OutOfStock",
                ["itemCondition"] = "https://schema.org/NewCondition",
                ["priceSpecification"] = new JsonObject
                {
                    ["@type"] = "PriceSpecification",
                    ["price"] = price,
                    ["priceCurrency"] = first.Currency,
                    ["valueAddedTaxIncluded"] = false,
                },
            };
        }
        if (p.ReviewCount > 0)
        {
            data["aggregateRating"] = new JsonObject
            {
                ["@type"] = "AggregateRating",
                ["ratingValue"] = Math.Round(p.RatingX100 / 100m, 1),
                ["reviewCount"] = p.ReviewCount,
                ["bestRating"] = 5,
                ["worstRating"] = 1,
            };
        }
        return data;
    }
}
