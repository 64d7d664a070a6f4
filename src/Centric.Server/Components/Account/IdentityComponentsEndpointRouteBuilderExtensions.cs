using System.Security.Claims;
using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Primitives;

// In the app's namespace (not the template's Microsoft.AspNetCore.Routing) so the architecture tests see what it uses.
namespace Centric.Server.Components.Account;

internal static class IdentityComponentsEndpointRouteBuilderExtensions
{
    // These endpoints are required by the Identity Razor components defined in the /Components/Account/Pages directory of this project.
    public static IEndpointConventionBuilder MapAdditionalIdentityEndpoints(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);

        var accountGroup = endpoints.MapGroup("/Account");

        accountGroup.MapPost("/Logout", async (
            ClaimsPrincipal user,
            [FromServices] SignInManager<CentricUser> signInManager,
            [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(LocalReturnUrl(returnUrl));
        });

        // These posts bind no form fields, so minimal APIs would not ask for their antiforgery token: ask for it here (the
        // antiforgery middleware checks it and FailedAntiforgery answers a failure), or a page on another site could sign
        // the customer out everywhere or make their browser download their data.
        var manageGroup = accountGroup.MapGroup("/Manage").RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute());

        // Rotating the security stamp invalidates every other session's cookie at its next validation.
        manageGroup.MapPost("/SignOutEverywhere", async (
            HttpContext context,
            [FromServices] UserManager<CentricUser> userManager,
            [FromServices] SignInManager<CentricUser> signInManager) =>
        {
            if (await userManager.GetUserAsync(context.User) is { } user) await userManager.UpdateSecurityStampAsync(user);
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect("~/Account/Login");
        });

        // A customer downloads everything held about them: the same export staff and integrators get.
        manageGroup.MapPost("/DownloadPersonalData", async (
            HttpContext context,
            [FromServices] UserManager<CentricUser> userManager,
            [FromServices] ICustomerAccounts accounts) =>
        {
            var user = await userManager.GetUserAsync(context.User);
            if (user is null) return Results.NotFound();
            var export = user.ProfileId is { } profileId ? await accounts.ExportAsync(profileId, context.RequestAborted) : null;
            var document = new System.Text.Json.Nodes.JsonObject
            {
                ["account"] = JsonSerializer.SerializeToNode(new { user.Id, user.Email, user.EmailConfirmed, user.DisplayName, user.TwoFactorEnabled, user.CreatedAt }, JsonSerializerOptions.Web),
                ["customer"] = export,
            };
            return TypedResults.File(JsonSerializer.SerializeToUtf8Bytes(document, JsonSerializerOptions.Web), "application/json", "my-data.json");
        });

        return accountGroup;
    }

    /// <summary>
    /// Where to go after signing out: always a path on this site. Leading slashes are dropped ("/evil.example" and
    /// "//evil.example" become "/evil.example" here, never another host), and anything but printable ASCII (which a
    /// Location header could not carry) goes home.
    /// </summary>
    internal static string LocalReturnUrl(string? returnUrl)
    {
        var path = (returnUrl ?? "").TrimStart('/', '\\');
        return path.All(c => c is > ' ' and < '\x7f' and not '\\') ? "~/" + path : "~/";
    }
}
