using System.Security.Claims;
using System.Text.Encodings.Web;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Identity;

/// <summary>
/// A customer's own access over the API: the bearer token ASP.NET Core Identity issues at <c>POST /api/v1/auth/login</c>
/// (<see cref="IdentityConstants.BearerScheme"/>), checked on every request against the account as it is now.
/// </summary>
/// <remarks>
/// Both kinds of credential travel as <c>Authorization: Bearer</c>. They are told apart by shape: an API key is at most
/// <see cref="ApiKeyAuthentication.MaxSecretLength"/> characters (the key handler refuses anything longer), an Identity
/// token is a data-protected ticket several hundred characters long. So each scheme looks only at its own kind, and a
/// customer token can never be mistaken for a key or the other way round.
/// </remarks>
internal sealed class CustomerTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IOptions<IdentityOptions> identity, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "CustomerToken";

    public static bool IsCustomerToken(string credential) => credential.Length > ApiKeyAuthentication.MaxSecretLength;

    /// <summary>The bearer credential of the request, or null when there is none.</summary>
    public static string? BearerCredential(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (BearerCredential(Request) is not { } credential || !IsCustomerToken(credential)) return AuthenticateResult.NoResult();
        var inner = await Context.AuthenticateAsync(IdentityConstants.BearerScheme);
        if (!inner.Succeeded) return inner.None ? AuthenticateResult.NoResult() : AuthenticateResult.Fail("Invalid or expired token.");

        // The account as it is now: signing out everywhere (a new security stamp) ends every token at once, and an
        // account that became staff or lost its profile no longer acts as a customer.
        var userId = inner.Principal.FindFirstValue(ClaimTypes.NameIdentifier);
        var stamp = inner.Principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        var db = Context.RequestServices.GetRequiredService<CentricDbContext>();
        var account = userId is null ? null : await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.SecurityStamp, u.IsStaff, u.ProfileId }).FirstOrDefaultAsync(Context.RequestAborted);
        if (account is null || stamp is null || account.SecurityStamp != stamp) return AuthenticateResult.Fail("The token was revoked.");
        if (account.IsStaff || account.ProfileId is not { } profileId) return AuthenticateResult.Fail("Not a customer account.");

        var claims = inner.Principal.Claims.Where(c => c.Type != CustomerPrincipal.ProfileClaim).Append(new Claim(CustomerPrincipal.ProfileClaim, profileId.ToString()));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName, ClaimTypes.Name, ClaimTypes.Role));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(401, ProblemTypes.Unauthorized, "A customer token is required: sign in with POST /api/v1/auth/login and send 'Authorization: Bearer <accessToken>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(403, ProblemTypes.Forbidden, "This token may not do that.");

    private async Task WriteProblem(int status, string type, string title)
    {
        Response.StatusCode = status;
        if (status == 401) Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new() { HttpContext = Context, ProblemDetails = new ProblemDetails { Status = status, Type = type, Title = title } });
    }
}

/// <summary>Who the signed-in customer of an API request is (set by <see cref="CustomerTokenAuthentication"/>).</summary>
public static class CustomerPrincipal
{
    public const string ProfileClaim = "centric:profile_id";

    /// <summary>The customer's profile. Only endpoints behind the <see cref="Policies.Customer"/> policy may ask.</summary>
    public static Guid ProfileId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ProfileClaim), out var id) ? id : throw new InvalidOperationException("Not a customer request.");

    public static string UserId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Not a signed-in request.");
}
