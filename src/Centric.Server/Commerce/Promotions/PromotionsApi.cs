using Centric.Server.Platform.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Centric.Server.Platform.Errors;

namespace Centric.Server.Commerce.Promotions;

/// <summary><c>/api/v1/promotions</c> for integrators: scopes <c>promotions:read</c> (list, one) and <c>promotions:write</c> (create, change, pause).</summary>
internal static class PromotionsApi
{
    public static IEndpointRouteBuilder MapPromotionsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/promotions").RequireAuthorization("scope:" + ApiScopes.PromotionsRead).WithTags("Promotions");
        var write = app.MapGroup("/api/v1/promotions").RequireAuthorization("scope:" + ApiScopes.PromotionsWrite).WithTags("Promotions");
        read.MapGet("", List).WithName("ListPromotions").WithSummary("Every promotion, newest first, with its status and redemptions so far");
        write.MapPost("", Create).WithName("CreatePromotion")
            .WithSummary("Creates a discount code, or an automatic promotion when it has no code").ProducesProblem(400).ProducesProblem(409);
        read.MapGet("/{id:guid}", Get).WithName("GetPromotion").WithSummary("One promotion").ProducesProblem(404);
        write.MapPut("/{id:guid}", Update).WithName("UpdatePromotion")
            .WithSummary("Changes a promotion (the whole of it, as created); paused: true pauses it").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static async Task<Ok<PromotionList>> List(PromotionService promotions, CancellationToken ct) =>
        TypedResults.Ok(new PromotionList(await promotions.ListAsync(ct)));

    private static async Task<Created<PromotionView>> Create(PromotionDraft request, PromotionService promotions, HttpContext http, CancellationToken ct)
    {
        var created = await promotions.CreateAsync(request, "api:" + (http.User.Identity?.Name ?? "key"), ct);
        return TypedResults.Created($"/api/v1/promotions/{created.Id}", created);
    }

    private static async Task<Results<Ok<PromotionView>, ProblemHttpResult>> Get(Guid id, PromotionService promotions, CancellationToken ct) =>
        await promotions.FindAsync(id, ct) is { } p ? TypedResults.Ok(p) : NotFound(id);

    private static async Task<Results<Ok<PromotionView>, ProblemHttpResult>> Update(Guid id, PromotionDraft request, PromotionService promotions,
        CancellationToken ct) =>
        await promotions.UpdateAsync(id, request, ct) is { } p ? TypedResults.Ok(p) : NotFound(id);

    private static ProblemHttpResult NotFound(Guid id) => TypedResults.Problem(new ProblemDetails
    {
        Status = 404, Type = ProblemTypes.NotFound, Title = "No such promotion.", Detail = $"No promotion has the id {id}.",
    });
}
