using System.Security.Claims;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Identity;

/// <summary>A customer signs in with the portal's email and password; the second factor when the account has one.</summary>
public sealed record CustomerLoginRequest(string? Email, string? Password, string? TwoFactorCode, string? RecoveryCode);

public sealed record CustomerRefreshRequest(string? RefreshToken);

/// <summary>
/// Issues customers' API tokens the way the portal signs them in: the same password check, lockout (five failures lock the
/// account for 15 minutes), confirmed email and two-factor authentication. The token is ASP.NET Core Identity's bearer
/// token; staff accounts never get one (staff use the console, integrations use API keys).
/// </summary>
public sealed class CustomerSignIn(UserManager<CentricUser> users, SignInManager<CentricUser> signIn, IOptionsMonitor<BearerTokenOptions> bearer,
    TimeProvider clock, ILogger<CustomerSignIn> logger)
{
    public const string MfaRequired = "mfa-required";

    /// <summary>Checks the credentials. On success the token answer has been written (by the bearer handler) and null is returned.</summary>
    public async Task<ProblemDetails?> SignInAsync(CustomerLoginRequest request)
    {
        var email = request.Email?.Trim() ?? "";
        if (email.Length is 0 or > 320) throw RequestValidationException.For("email", "Send the account's email address.");
        if (string.IsNullOrEmpty(request.Password) || request.Password.Length > 1000) throw RequestValidationException.For("password", "Send the account's password.");

        var user = await users.FindByEmailAsync(email);
        if (user is null) return Refused(401, "invalid-credentials", "Wrong email or password.");
        // Counts towards lockout like the portal's form; refuses an account whose email is not confirmed yet.
        var check = await signIn.CheckPasswordSignInAsync(user, request.Password, lockoutOnFailure: true);
        if (check.IsLockedOut) return Locked(user);
        if (check.IsNotAllowed) return Refused(401, "email-not-confirmed", "Confirm your email first; the link is in your inbox.", user);
        if (!check.Succeeded) return Refused(401, "invalid-credentials", "Wrong email or password.", user);
        if (user.IsStaff || user.ProfileId is null)
            return Refused(403, "not-a-customer-account", "Staff sign in to the console; integrations use API keys.", user);

        var mfa = await users.GetTwoFactorEnabledAsync(user);
        if (mfa && await SecondFactorAsync(user, request) is { } refused) return refused;

        signIn.AuthenticationScheme = IdentityConstants.BearerScheme;
        await signIn.SignInWithClaimsAsync(user, isPersistent: false, [new Claim("amr", mfa ? "mfa" : "pwd")]);
        Log.CustomerTokenIssued(logger, user.Id, mfa);
        return null;
    }

    /// <summary>The authenticator code or a recovery code (used once); failures count towards lockout like a wrong password.</summary>
    private async Task<ProblemDetails?> SecondFactorAsync(CentricUser user, CustomerLoginRequest request)
    {
        var code = (request.TwoFactorCode ?? "").Replace(" ", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal);
        var recovery = (request.RecoveryCode ?? "").Replace(" ", "", StringComparison.Ordinal);
        if (code.Length == 0 && recovery.Length == 0)
            return Refused(401, MfaRequired, "This account uses two-factor authentication: send the six-digit twoFactorCode from the authenticator app, or a recoveryCode.", user);
        var passed = code.Length is > 0 and <= 10
            ? await users.VerifyTwoFactorTokenAsync(user, users.Options.Tokens.AuthenticatorTokenProvider, code)
            : recovery.Length is > 0 and <= 100 && (await users.RedeemTwoFactorRecoveryCodeAsync(user, recovery)).Succeeded;
        if (passed)
        {
            await users.ResetAccessFailedCountAsync(user);
            return null;
        }
        await users.AccessFailedAsync(user);
        if (await users.IsLockedOutAsync(user)) return Locked(user);
        return Refused(401, "invalid-mfa-code", code.Length > 0 ? "That authenticator code is wrong or expired." : "That recovery code is wrong or already used.", user);
    }

    /// <summary>A new access token for a refresh token that has not expired, as long as the account has not signed out everywhere since.</summary>
    public async Task<ProblemDetails?> RefreshAsync(CustomerRefreshRequest request)
    {
        var token = request.RefreshToken ?? "";
        var ticket = token.Length is 0 or > 8000 ? null : bearer.Get(IdentityConstants.BearerScheme).RefreshTokenProtector.Unprotect(token);
        if (ticket?.Properties.ExpiresUtc is not { } expires || clock.GetUtcNow() >= expires
            || await signIn.ValidateSecurityStampAsync(ticket.Principal) is not { } user || user.IsStaff || user.ProfileId is null)
            return Refused(401, "invalid-refresh-token", "The refresh token is invalid, expired or revoked: sign in again.");
        var principal = await signIn.CreateUserPrincipalAsync(user);
        // How the customer signed in (with or without a second factor) stays true of the refreshed token.
        if (principal.Identity is ClaimsIdentity identity)
            foreach (var amr in ticket.Principal.FindAll("amr")) identity.AddClaim(new Claim("amr", amr.Value));
        await signIn.Context.SignInAsync(IdentityConstants.BearerScheme, principal);
        return null;
    }

    private ProblemDetails Locked(CentricUser user) =>
        Refused(401, "account-locked", "Too many failed attempts: the account is locked for 15 minutes.", user);

    private ProblemDetails Refused(int status, string code, string title, CentricUser? user = null)
    {
        if (user is not null) Log.CustomerSignInRefused(logger, user.Id, code);
        return new ProblemDetails { Status = status, Type = ProblemTypes.ForCode(code), Title = title };
    }
}

/// <summary>Token endpoints for customers' apps (mobile apps, partner storefronts acting for a signed-in customer).</summary>
internal static class CustomerAuthApi
{
    public static IEndpointRouteBuilder MapCustomerAuthApi(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/v1/auth").WithTags("Customer sign-in").AllowAnonymous();
        auth.MapPost("/login", Login).WithName("CustomerLogin")
            .WithSummary("Sign a customer in with email and password (and twoFactorCode or recoveryCode when the account has MFA); answers bearer and refresh tokens.")
            .Produces<AccessTokenResponse>(200).ProducesProblem(400).ProducesProblem(401).ProducesProblem(403);
        auth.MapPost("/refresh", Refresh).WithName("CustomerRefreshToken")
            .WithSummary("Exchange a refresh token for new tokens (refused once the customer signed out everywhere).")
            .Produces<AccessTokenResponse>(200).ProducesProblem(401);
        return app;
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Login(CustomerLoginRequest body, CustomerSignIn signIn) =>
        await signIn.SignInAsync(body) is { } refused ? TypedResults.Problem(refused) : TypedResults.Empty;

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Refresh(CustomerRefreshRequest body, CustomerSignIn signIn) =>
        await signIn.RefreshAsync(body) is { } refused ? TypedResults.Problem(refused) : TypedResults.Empty;
}
