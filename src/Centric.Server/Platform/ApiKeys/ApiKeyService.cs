using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.ApiKeys;

public sealed record CreatedApiKey(Guid Id, string Name, string Secret, IReadOnlyList<string> Scopes);

public sealed class ApiKeyService(CentricDbContext db, AuditLog audit, TimeProvider clock, Microsoft.Extensions.Caching.Memory.IMemoryCache cache)
{
    public async Task<CreatedApiKey> CreateAsync(string name, IEnumerable<string> scopes, string? createdBy, CancellationToken ct, string? secret = null)
    {
        name = name.Trim();
        if (name.Length is 0 or > 100) throw RequestValidationException.For("name", "Give the key a name of at most 100 characters.");
        var list = scopes.Select(s => s.Trim()).Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (list.Count == 0) throw RequestValidationException.For("scopes", "Choose at least one scope.");
        if (list.FirstOrDefault(s => !ApiScopes.All.Contains(s)) is { } unknown)
            throw RequestValidationException.For("scopes", $"Unknown scope '{unknown}'. Known: {string.Join(", ", ApiScopes.All)}.");
        secret ??= ApiKey.NewSecret();
        var key = new ApiKey
        {
            Name = name, Prefix = secret[..Math.Min(10, secret.Length)], SecretHash = ApiKey.Hash(secret),
            Scopes = string.Join(' ', list), CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = createdBy,
        };
        db.ApiKeys.Add(key);
        audit.Record("apikey.created", details: $"{key.Id} '{name}' scopes: {key.Scopes}");
        await db.SaveChangesAsync(ct);
        return new CreatedApiKey(key.Id, name, secret, list);
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id, ct);
        if (key is null) return false;
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record("apikey.revoked", details: $"{key.Id} '{key.Name}'");
            await db.SaveChangesAsync(ct);
        }
        // Revocation applies at once on this node; other nodes drop their copy within ApiKeyAuthentication.CacheFor.
        cache.Remove(ApiKeyAuthentication.CacheKey(key.SecretHash));
        return true;
    }

    /// <summary>Creates the admin key named by CENTRIC_BOOTSTRAP_API_KEY if no key has that secret yet.</summary>
    public async Task<Guid?> EnsureBootstrapKeyAsync(string? secret, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(secret)) return null;
        var hash = ApiKey.Hash(secret.Trim());
        if (await db.ApiKeys.AnyAsync(k => k.SecretHash == hash, ct)) return null;
        var created = await CreateAsync("bootstrap", [ApiScopes.Admin], "CENTRIC_BOOTSTRAP_API_KEY", ct, secret.Trim());
        return created.Id;
    }
}
