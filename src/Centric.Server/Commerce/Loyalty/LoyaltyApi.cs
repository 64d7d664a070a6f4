using System.Security.Claims;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>
/// <c>/api/v1/loyalty/program</c> for integrators (scopes <c>loyalty:read</c>, <c>loyalty:write</c>), <c>/api/v1/me/loyalty</c> for
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

    private static async Task<Ok<MemberLoyaltyView>> Mine(ClaimsPrincipal user, MemberLoyalty loyalty, CancellationToken ct) =>
        TypedResults.Ok(await loyalty.ForAsync(user.ProfileId(), ct));
}
