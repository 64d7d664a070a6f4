using System.Security.Claims;
using System.Text.Encodings.Web;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.ApiKeys;

/// <summary>Authenticates `Authorization: Bearer &lt;api key&gt;` against the hashed keys.</summary>
internal sealed class ApiKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    IMemoryCache cache, TimeProvider clock, IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    public const string ScopeClaim = "scope";
    public const string KeyIdClaim = "centric:api_key_id";
    /// <summary>No key is longer; a longer bearer credential is a customer's token (see CustomerTokenAuthentication).</summary>
    public const int MaxSecretLength = 200;

    /// <summary>
    /// Keys are cached briefly so a busy integrator does not cost a query per request. Revoking evicts the key on the node
    /// that revoked it; other nodes notice within this.
    /// </summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(5);

    public static string CacheKey(string secretHash) => "apikey:" + secretHash;

    private sealed record CachedKey(Guid Id, string Name, string[] Scopes, bool Revoked);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return AuthenticateResult.NoResult();
        var secret = header["Bearer ".Length..].Trim();
        if (secret.Length is 0 or > MaxSecretLength) return AuthenticateResult.Fail("Malformed API key.");

        var hash = ApiKey.Hash(secret);
        var key = await cache.GetOrCreateAsync(CacheKey(hash), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = CacheFor;
            var db = Context.RequestServices.GetRequiredService<CentricDbContext>();
            var row = await db.ApiKeys.FirstOrDefaultAsync(k => k.SecretHash == hash, Context.RequestAborted);
            if (row is null) return null;
            // Last use is recorded at most once per cache period.
            row.LastUsedAt = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(Context.RequestAborted);
            return new CachedKey(row.Id, row.Name, [.. row.ScopeList], row.RevokedAt is not null);
        });
        if (key is null || key.Revoked) return AuthenticateResult.Fail("Unknown or revoked API key.");

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, key.Id.ToString()),
            new(ClaimTypes.Name, "api key " + key.Name),
            new(KeyIdClaim, key.Id.ToString()),
        };
        claims.AddRange(key.Scopes.Select(s => new Claim(ScopeClaim, s)));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        WriteProblem(401, ProblemTypes.Unauthorized, "An API key is required: send 'Authorization: Bearer <key>'.");

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        WriteProblem(403, ProblemTypes.Forbidden, "This API key lacks the scope this endpoint needs.");

    private async Task WriteProblem(int status, string type, string title)
    {
        Response.StatusCode = status;
        if (status == 401) Response.Headers.WWWAuthenticate = "Bearer";
        await problems.WriteAsync(new() { HttpContext = Context, ProblemDetails = new ProblemDetails { Status = status, Type = type, Title = title } });
    }
}
