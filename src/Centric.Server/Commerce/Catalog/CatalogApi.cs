using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Commerce.Catalog;

public sealed record CatalogFacets(IReadOnlyList<Facet> Categories);

public sealed record CatalogSearchResult(IReadOnlyList<ProductCard> Items, int Total, int Page, int PageSize, CatalogFacets Facets, string? CorrectedQuery);

public sealed record CatalogSuggestions(string Query, IReadOnlyList<string> Suggestions);

public sealed record CategoryView(string Slug, string Name);

public sealed record SubscriptionOffer(int IntervalDays, Money Price);

public sealed record VariantView(Guid Id, string Sku, string? Gtin, string Options, Money Price, int Available, SubscriptionOffer? Subscription);

public sealed record ProductView(Guid Id, string Slug, string Name, string Description, string? Brand, CategoryView Category, Money PriceFrom,
    double Rating, int ReviewCount, string? ImageUrl, IReadOnlyList<VariantView> Variants);

/// <summary>The shop's catalogue over the API: anyone may read it; a signed-in customer's searches and views join their timeline.</summary>
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
        return app;
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
