using System.Security.Cryptography;
using Centric.Server.Platform.Data;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Push;

/// <summary>The key pair push messages are signed with (VAPID, RFC 8292), base64url as browsers and push services take them.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey, string Subject);

/// <summary>
/// The VAPID keys: the configured pair (<c>Engagement:Push:PublicKey</c> and <c>PrivateKey</c>), else the pair in the database,
/// generated the first time any node needs one. The first node to store it wins; the others read the stored pair.
/// </summary>
public sealed class VapidKeys(IServiceScopeFactory scopes, IOptions<PushOptions> options, IOptions<Platform.Identity.CentricOptions> siteOptions, TimeProvider clock,
    ILogger<VapidKeys> logger) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private VapidKeyPair? _keys;

    public async Task<VapidKeyPair> GetAsync(CancellationToken ct)
    {
        if (_keys is { } known) return known;
        await _gate.WaitAsync(ct);
        try
        {
            return _keys ??= await LoadAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private async Task<VapidKeyPair> LoadAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (o.KeysConfigured) return new VapidKeyPair(o.PublicKey!.Trim(), o.PrivateKey!.Trim(), Subject());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        if (await db.PushKeyPairs.AsNoTracking().FirstOrDefaultAsync(ct) is not { } stored)
        {
            var (publicKey, privateKey) = Generate();
            db.PushKeyPairs.Add(new PushKeyPair { PublicKey = publicKey, PrivateKey = privateKey, CreatedAt = clock.GetUtcNow().UtcDateTime });
            try
            {
                await db.SaveChangesAsync(ct);
                EngagementLog.PushKeysGenerated(logger);
            }
            catch (DbUpdateException)
            {
                // Another node stored its pair first (the one row's key is taken): that pair is everyone's.
            }
            await using var again = scopes.CreateAsyncScope();
            stored = await again.ServiceProvider.GetRequiredService<CentricDbContext>().PushKeyPairs.AsNoTracking().SingleAsync(ct);
        }
        return new VapidKeyPair(stored.PublicKey, stored.PrivateKey, Subject());
    }

    private string Subject()
    {
        if (options.Value.Subject is { Length: > 0 } subject) return subject.Trim();
        var site = siteOptions.Value.PublicBaseUrl?.Trim().TrimEnd('/');
        return site is not null && site.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? site : "mailto:webmaster@localhost";
    }

    /// <summary>A new P-256 pair: the public key as an uncompressed point (65 bytes), the private key as its scalar (32 bytes).</summary>
    public static (string PublicKey, string PrivateKey) Generate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(includePrivateParameters: true);
        return (WebEncoders.Base64UrlEncode([0x04, .. p.Q.X!, .. p.Q.Y!]), WebEncoders.Base64UrlEncode(p.D!));
    }

    /// <summary>Whether <paramref name="publicKey"/> is a point on P-256 (65 bytes, uncompressed), as browsers and VAPID need.</summary>
    public static bool IsPublicKey(string? publicKey)
    {
        if (Decode(publicKey) is not { Length: 65 } bytes || bytes[0] != 0x04) return false;
        try
        {
            using var key = ECDiffieHellman.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, Q = new ECPoint { X = bytes[1..33], Y = bytes[33..] } });
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Whether the pair belongs together: the private key's public point is the public key.</summary>
    public static bool IsPair(string? publicKey, string? privateKey)
    {
        if (!IsPublicKey(publicKey) || Decode(privateKey) is not { Length: 32 } d) return false;
        try
        {
            using var key = ECDsa.Create(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });
            var q = key.ExportParameters(false).Q;
            byte[] derived = [0x04, .. q.X!, .. q.Y!];
            return Decode(publicKey)!.AsSpan().SequenceEqual(derived);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public static byte[]? Decode(string? base64Url)
    {
        if (string.IsNullOrWhiteSpace(base64Url) || base64Url.Length > 200) return null;
        try
        {
            return WebEncoders.Base64UrlDecode(base64Url.Trim().TrimEnd('='));
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
