using System.Security.Claims;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>
/// <c>/api/v1/loyalty/program</c> and a customer's points at <c>/api/v1/customers/{id}/loyalty</c> for integrators (scopes
/// <c>loyalty:read</c>, <c>loyalty:write</c>), <c>/api/v1/me/loyalty</c> for
/// the signed-in customer (their own points only), and the referral link <c>/r/{code}</c>.
/// </summary>
internal static class LoyaltyApi
{
    public static IEndpointRouteBuilder MapLoyaltyApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/loyalty/program", GetProgram).RequireAuthorization("scope:" + ApiScopes.LoyaltyRead).WithTags("Loyalty")
            .WithName("GetLoyaltyProgram").WithSummary("The loyalty programme's rules: earning, point value, minimum, expiry, referrals and tiers");
        app.MapPut("/api/v1/loyalty/program", PutProgram).RequireAuthorization("scope:" + ApiScopes.LoyaltyWrite).WithTags("Loyalty")
            .WithName("UpdateLoyaltyProgram").WithSummary("Changes the programme's rules; fields left out keep their value, tiers when sent replace all tiers")
            .ProducesProblem(400).ProducesProblem(409);
        app.MapGet("/api/v1/customers/{id:guid}/loyalty", Member).RequireAuthorization("scope:" + ApiScopes.LoyaltyRead).WithTags("Loyalty")
            .WithName("GetCustomerLoyalty").WithSummary("A customer's points: balance, tier, points expiring soon, the statement and their referrals")
            .ProducesProblem(404);
        app.MapPost("/api/v1/customers/{id:guid}/loyalty/adjustments", Adjust).RequireAuthorization("scope:" + ApiScopes.LoyaltyWrite).WithTags("Loyalty")
            .WithName("AdjustCustomerPoints").WithSummary("Adds points (e.g. goodwill) or takes them off (a correction) with a reason the customer sees on their statement")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        app.MapGet("/api/v1/me/loyalty", Mine).RequireAuthorization(Policies.Customer).WithTags("Loyalty")
            .WithName("GetMyLoyalty").WithSummary("The customer's points: balance, tier and progress, points expiring soon, the statement and their referrals");
        // A friend's share link: remembers the code for the checkout (30 days) and opens the shop.
        app.MapGet("/r/{code}", async (string code, HttpContext http, Referrals referrals, CancellationToken ct) =>
        {
            if (Referrals.Normalise(code) is { } normal && await referrals.ExistsAsync(normal, ct))
                http.Response.Cookies.Append(Referrals.Cookie, normal, new CookieOptions
                {
                    HttpOnly = true, IsEssential = true, SameSite = SameSiteMode.Lax, Secure = http.Request.IsHttps, MaxAge = TimeSpan.FromDays(30),
                });
            return Results.Redirect("/shop");
        }).ExcludeFromDescription();
        return app;
    }

    private static async Task<Ok<LoyaltyProgramView>> GetProgram(LoyaltyProgramService programs, CancellationToken ct) =>
        TypedResults.Ok(await programs.ViewAsync(ct));

    private static async Task<Ok<LoyaltyProgramView>> PutProgram(LoyaltyProgramDraft request, LoyaltyProgramService programs, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await programs.UpdateAsync(request, "api:" + (http.User.Identity?.Name ?? "key"), ct));

    private static async Task<Results<Ok<MemberLoyaltyView>, ProblemHttpResult>> Member(Guid id, ICustomerDirectory customers, MemberLoyalty loyalty, CancellationToken ct) =>
        await customers.FindAsync(id, ct) is { } profile ? TypedResults.Ok(await loyalty.ForAsync(profile.Id, ct)) : ApiProblems.NotFound("customer", id);

    private static async Task<Results<Ok<MemberLoyaltyView>, ProblemHttpResult>> Adjust(Guid id, PointsAdjustment request, ICustomerDirectory customers,
        MemberLoyalty loyalty, CancellationToken ct) =>
        await customers.FindAsync(id, ct) is { } profile
            ? TypedResults.Ok(await loyalty.AdjustAsync(profile.Id, request.Points ?? 0, request.Reason, ct))
            : ApiProblems.NotFound("customer", id);

    private static async Task<Ok<MemberLoyaltyView>> Mine(ClaimsPrincipal user, MemberLoyalty loyalty, CancellationToken ct) =>
        TypedResults.Ok(await loyalty.ForAsync(user.ProfileId(), ct));
}

/// <summary>Points to add (positive) or take off (negative), and why, in words the customer reads on their statement.</summary>
public sealed record PointsAdjustment(int? Points, string? Reason);
