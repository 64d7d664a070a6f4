using Centric.Server.Commerce.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>One recommended product over the API.</summary>
public sealed record RecommendedItem(Guid ProductId, string Sku, double Score, string Reason);

/// <summary>A list of recommendations; <c>ModelVersion</c> is the recommendations model that scored it, null when popularity answered.</summary>
public sealed record RecommendationsResult(IReadOnlyList<RecommendedItem> Items, int? ModelVersion);

/// <summary>The public v1 recommendations API (DESIGN.md, "Personalisation"), answered by the same code as the shop's pages.</summary>
internal static class RecommendationsApi
{
    public const int DefaultLimit = 10;

    public static IEndpointRouteBuilder MapRecommendationsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1/customers").WithTags("Personalisation").RequireAuthorization("scope:" + ApiScopes.CustomersRead)
            .MapGet("/{id:guid}/recommendations", ForCustomer).WithName("GetCustomerRecommendations")
            .WithSummary("Products recommended for a customer from everything they bought and their latest views, cart adds and orders; never what they bought (unless bought again and again), out of stock or not for sale.")
            .ProducesProblem(400).ProducesProblem(404);
        app.MapGroup("/api/v1/products").WithTags("Personalisation").AllowAnonymous()
            .MapGet("/{sku}/related", Related).WithName("GetRelatedProducts")
            .WithSummary("Products customers bought together with this one (by any of its SKUs), in stock and for sale.")
            .ProducesProblem(400).ProducesProblem(404);
        // The shop's recommendation tiles link here: the click is recorded, then the product opens.
        app.MapGet("/" + RecommendationTracking.ClickPath, RecommendationTracking.ClickAsync).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Ok<RecommendationsResult>, ProblemHttpResult>> ForCustomer(Guid id, int? limit, ICustomerDirectory customers,
        Recommender recommender, CancellationToken ct)
    {
        var count = Limit(limit);
        if (await customers.FindAsync(id, ct) is not { } profile) return ApiProblems.NotFound("customer");
        return TypedResults.Ok(Result(await recommender.ForShopperAsync(Placement.Api, profile.Id, count, ct)));
    }

    private static async Task<Results<Ok<RecommendationsResult>, ProblemHttpResult>> Related(string sku, int? limit, ShopItems shop,
        Recommender recommender, CancellationToken ct)
    {
        var count = Limit(limit);
        var code = ApiProblems.Text(sku, "sku", 100);
        if (code is null || !(await shop.SnapshotAsync(ct)).BySku.TryGetValue(code, out var product)) return ApiProblems.NotFound("product");
        return TypedResults.Ok(Result(await recommender.RelatedAsync(Placement.Api, product, null, count, ct)));
    }

    private static int Limit(int? limit) =>
        limit is null ? DefaultLimit
        : limit is >= 1 and <= Recommender.MaxLimit ? limit.Value
        : throw RequestValidationException.For("limit", $"Between 1 and {Recommender.MaxLimit}.");

    private static RecommendationsResult Result(RecommendationList list) =>
        new([.. list.Items.Select(r => new RecommendedItem(r.Item.ProductId, r.Item.Sku, Math.Round(r.Score, 6), r.Reason))], list.ModelVersion);
}
