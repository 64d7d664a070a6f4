using System.Security.Claims;
using System.Security.Cryptography;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>The request's visitor (<see cref="IVisitor"/>), one per request.</summary>
internal sealed class Visitor(IHttpContextAccessor http, CentricDbContext db, ProfileDirectory profiles) : IVisitor
{
    private const string Cookie = IVisitor.Cookie;
    private Guid? _profileId;
    private bool _looked;

    private HttpContext Http => http.HttpContext ?? throw new InvalidOperationException("No request.");

    public bool IsSignedIn => Http.User.Identity?.IsAuthenticated == true;

    public async Task<Guid?> SignedInProfileAsync(CancellationToken ct)
    {
        if (_looked) return _profileId;
        _looked = true;
        if (Http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            _profileId = await db.Users.Where(u => u.Id == userId).Select(u => u.ProfileId).FirstOrDefaultAsync(ct);
        return _profileId;
    }

    public string Token(bool issue = true)
    {
        if (Http.Request.Cookies.TryGetValue(Cookie, out var token) && token.Length is >= 20 and <= 64) return token;
        if (Http.Items[Cookie] is string issued) return issued;
        token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        if (issue && !Http.Response.HasStarted)
        {
            Http.Response.Cookies.Append(Cookie, token, new CookieOptions
            {
                HttpOnly = true, SameSite = SameSiteMode.Lax, IsEssential = true, MaxAge = TimeSpan.FromDays(365), Secure = Http.Request.IsHttps,
            });
        }
        Http.Items[Cookie] = token;
        return token;
    }

    public string? ExistingToken() =>
        Http.Request.Cookies.TryGetValue(Cookie, out var token) && token.Length is >= 20 and <= 64 ? token : Http.Items[Cookie] as string;

    public async Task<Guid> TrackingProfileAsync(CancellationToken ct)
    {
        if (await SignedInProfileAsync(ct) is { } known) return known;
        var key = ProfileIdentity.KeyOf(IdentityKinds.Anonymous, Token());
        // Most visitors come back to a profile that was never merged: one read answers them.
        var existing = await (from i in db.Identities
                              join p in db.Profiles on i.ProfileId equals p.Id
                              where i.Key == key
                              select new { p.Id, p.MergedIntoId }).FirstOrDefaultAsync(ct);
        if (existing is { MergedIntoId: null }) return existing.Id;
        if (existing is not null && await profiles.FindAsync(existing.Id, ct) is { } live) return live.Id;
        var profile = profiles.Create(ProfileKind.Anonymous);
        var identity = profiles.AddIdentity(profile, IdentityKinds.Anonymous, Token(), verified: false);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another request of the same visitor (a page and its assets, two tabs) made the profile first: that one is theirs.
            db.Entry(identity).State = EntityState.Detached;
            db.Entry(profile).State = EntityState.Detached;
            if (await db.Identities.Where(i => i.Key == key).Select(i => (Guid?)i.ProfileId).FirstOrDefaultAsync(ct) is { } holder
                && await profiles.FindAsync(holder, ct) is { } theirs)
                return theirs.Id;
            throw;
        }
        return profile.Id;
    }
}
