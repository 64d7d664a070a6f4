using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Catalog;

public sealed record CatalogFacets(IReadOnlyList<Facet> Categories);

public sealed record CatalogSearchResult(IReadOnlyList<ProductCard> Items, int Total, int Page, int PageSize, CatalogFacets Facets, string? CorrectedQuery);

public sealed record CatalogSuggestions(string Query, IReadOnlyList<string> Suggestions);

public sealed record CategoryView(string Slug, string Name);

public sealed record SubscriptionOffer(int IntervalDays, Money Price);

public sealed record VariantView(Guid Id, string Sku, string? Gtin, string Options, Money Price, int Available, SubscriptionOffer? Subscription);

public sealed record ProductView(Guid Id, string Slug, string Name, string Description, string? Brand, CategoryView Category, Money PriceFrom,
    double Rating, int ReviewCount, string? ImageUrl, IReadOnlyList<VariantView> Variants);

/// <summary>A variant's stock at one location (its code, e.g. WH1).</summary>
public sealed record StockCount(string? Location, int? OnHand);

/// <summary>What to change on a variant: its price (before VAT, in the product's currency) and/or units on hand per location.</summary>
public sealed record VariantUpdate(decimal? Price, IReadOnlyList<StockCount>? Stock);

/// <summary>The variant after a change, and how many alerts-worthy news it made (back in stock, a lower price).</summary>
public sealed record VariantUpdated(string Sku, Money Price, int Available, int News);

/// <summary>
/// The shop's catalogue over the API: anyone may read it; a signed-in customer's searches and views join their timeline. Keys
/// with <c>catalog:write</c> change a variant's price and stock.
/// </summary>
internal static class CatalogApi
{
    public static readonly string[] Sorts = ["relevance", "price_asc", "price_desc", "rating"];

    public static IEndpointRouteBuilder MapCatalogApi(this IEndpointRouteBuilder app)
    {
        var catalog = app.MapGroup("/api/v1/catalog").WithTags("Catalog").AllowAnonymous();
        catalog.MapGet("/products", Search).WithName("SearchProducts")
            .WithSummary("Browse or search products, with filters, sorting, paging and category facets; a query with no hits is retried with spelling corrected.")
            .ProducesProblem(400);
        catalog.MapGet("/suggestions", Suggest).WithName("SuggestProducts").WithSummary("Product names for what has been typed so far (search as you type).")
            .ProducesProblem(400);
        catalog.MapGet("/products/{product}", Product).WithName("GetProduct")
            .WithSummary("One product by id or slug, with its variants, prices, stock and subscription offer; a former slug answers 301 to the current one.")
            .Produces(StatusCodes.Status301MovedPermanently).ProducesProblem(404);
        app.MapPut("/api/v1/catalog/variants/{sku}", UpdateVariant).RequireAuthorization("scope:" + ApiScopes.CatalogWrite).WithTags("Catalog")
            .WithName("UpdateVariant")
            .WithSummary("Change a variant's price and/or its units on hand per location; customers waiting for a restock or a lower price are alerted.")
            .ProducesProblem(400).ProducesProblem(404);
        return app;
    }

    private static async Task<Results<Ok<VariantUpdated>, ProblemHttpResult>> UpdateVariant(string sku, VariantUpdate? body,
        Platform.Data.CentricDbContext db, VariantChanges changes, Platform.Audit.AuditLog audit, CancellationToken ct)
    {
        if (body is null) throw RequestValidationException.For("body", "Send a JSON object with price and/or stock.");
        if (body.Price is { } p && (p < 0 || p > 10_000_000)) throw RequestValidationException.For("price", "The price must be between 0 and 10,000,000.");
        if (body.Stock is { Count: > 50 }) throw RequestValidationException.For("stock", "At most 50 locations at a time.");
        if (sku.Length is 0 or > 100) return ApiProblems.NotFound("variant");
        var variant = await db.Variants.FirstOrDefaultAsync(v => v.Sku == sku, ct);
        if (variant is null) return ApiProblems.NotFound("variant");
        var onHand = new Dictionary<Guid, int>();
        for (var i = 0; i < (body.Stock?.Count ?? 0); i++)
        {
            var count = body.Stock![i];
            if (count?.Location is not { Length: > 0 and <= 40 } code) throw RequestValidationException.For($"stock[{i}].location", "Name the location by its code.");
            if (count.OnHand is not { } units || units < 0 || units > 1_000_000) throw RequestValidationException.For($"stock[{i}].onHand", "Units on hand must be 0 to 1,000,000.");
            var upper = code.ToUpperInvariant();
            var location = await db.StockLocations.FirstOrDefaultAsync(l => l.Code == code || l.Code == upper, ct)
                ?? throw RequestValidationException.For($"stock[{i}].location", $"No stock location '{code}'.");
            onHand[location.Id] = units;
        }
        var news = await changes.ApplyAsync(variant, body.Price is { } price ? (long)Math.Round(price * 100, MidpointRounding.AwayFromZero) : null, onHand, ct);
        audit.Record("catalog.variant_changed", details: $"{variant.Sku} via API");
        await db.SaveChangesAsync(ct);
        var available = await db.StockLevels.AsNoTracking().Where(s => s.VariantId == variant.Id).SumAsync(s => s.OnHand - s.Reserved, ct);
        return TypedResults.Ok(new VariantUpdated(variant.Sku, new Money(variant.PriceMinor, variant.Currency), available, news));
    }

    private static async Task<Ok<CatalogSearchResult>> Search(CatalogService catalog, HttpContext http, string? q, string? category,
        decimal? minPrice, decimal? maxPrice, int? minRating, bool? inStock, string? sort, int? page, int? pageSize, CancellationToken ct)
    {
        var text = ApiProblems.Text(q, "q", 200);
        if (minPrice is < 0 or > CatalogService.MaxPriceFilter) throw RequestValidationException.For("minPrice", $"Between 0 and {CatalogService.MaxPriceFilter}.");
        if (maxPrice is < 0 or > CatalogService.MaxPriceFilter) throw RequestValidationException.For("maxPrice", $"Between 0 and {CatalogService.MaxPriceFilter}.");
        if (minRating is < 1 or > 5) throw RequestValidationException.For("minRating", "Between 1 and 5.");
        if (sort is not null && !Sorts.Contains(sort)) throw RequestValidationException.For("sort", $"One of {string.Join(", ", Sorts)}.");
        if (page is < 1 or > CatalogService.MaxPage) throw RequestValidationException.For("page", $"Between 1 and {CatalogService.MaxPage}.");
        if (pageSize is < 1 or > 60) throw RequestValidationException.For("pageSize", "Between 1 and 60.");
        var query = new CatalogQuery(text, ApiProblems.Text(category, "category", 100), minPrice, maxPrice, minRating, inStock == true,
            sort == "relevance" ? null : sort, page ?? 1, pageSize ?? 24);
        var result = await catalog.SearchAsync(query, ct);
        if (await SignedInProfileAsync(http) is { } profile) await catalog.RecordSearchAsync(profile, query, result, "api", ct);
        return TypedResults.Ok(new CatalogSearchResult(result.Items, result.Total, result.Page, result.PageSize, new CatalogFacets(result.Categories), result.CorrectedText));
    }

    private static async Task<Ok<CatalogSuggestions>> Suggest(CatalogService catalog, string? q, CancellationToken ct)
    {
        var text = ApiProblems.Text(q, "q", 200) ?? "";
        return TypedResults.Ok(new CatalogSuggestions(text, await catalog.SuggestAsync(text, ct)));
    }

    private static async Task<Results<Ok<ProductView>, RedirectHttpResult, ProblemHttpResult>> Product(string product, CatalogService catalog,
        ProductAddresses addresses, HttpContext http, CancellationToken ct)
    {
        var isId = Guid.TryParse(product, out var id);
        var detail = isId ? await catalog.ProductAsync(id, ct)
            : product.Length <= ProductAddresses.MaxLength ? await catalog.ProductAsync(product, ct) : null;
        if (detail is null)
        {
            // A former slug (staff changed the product's address) leads to the product's address now, as its shop page does.
            if (!isId && product.Length <= ProductAddresses.MaxLength && await addresses.CurrentSlugForAsync(product, ct) is { } current)
                return TypedResults.Redirect($"/api/v1/catalog/products/{Uri.EscapeDataString(current)}{http.Request.QueryString}", permanent: true);
            return ApiProblems.NotFound("product");
        }
        if (await SignedInProfileAsync(http) is { } profile) await catalog.RecordViewAsync(profile, detail, "api", ct);
        var p = detail.Product;
        return TypedResults.Ok(new ProductView(p.Id, p.Slug, p.Name, p.Description, p.Brand, new CategoryView(detail.Category.Slug, detail.Category.Name),
            new Money(p.PriceFromMinor, p.Currency), p.Rating, p.ReviewCount, p.ImageUrl,
            [.. detail.Variants.Select(v => new VariantView(v.Variant.Id, v.Variant.Sku, v.Variant.Gtin, v.Variant.Options, v.Variant.Price, Math.Max(0, v.Available),
                v.Variant is { SubscriptionIntervalDays: { } every, SubscriptionPriceMinor: { } price } ? new SubscriptionOffer(every, new Money(price, v.Variant.Currency)) : null))]));
    }

    /// <summary>The catalogue is public; a customer token, when sent and valid, only puts what they do on their timeline.</summary>
    private static async Task<Guid?> SignedInProfileAsync(HttpContext http) =>
        await http.AuthenticateAsync(CustomerTokenAuthentication.SchemeName) is { Succeeded: true } result ? result.Principal.ProfileId() : null;
}
