using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>The profiles as other modules may use them (<see cref="ICustomerDirectory"/>), over the request's unit of work.</summary>
internal sealed class CustomerDirectory(CentricDbContext db, ProfileDirectory profiles, CustomerQueries queries) : ICustomerDirectory
{
    public async Task<ProfileCard?> FindAsync(Guid profileId, CancellationToken ct)
    {
        // A profile added in this unit of work (a new sender, a visitor) is not in the database yet.
        var profile = db.Profiles.Local.FirstOrDefault(p => p.Id == profileId && p.MergedIntoId == null) ?? await profiles.FindAsync(profileId, ct);
        return profile is null ? null : Card(profile);
    }

    public async Task<ProfileCard?> FindByIdentityAsync(string kind, string value, CancellationToken ct) =>
        await HolderAsync(kind, value, ct) is { } id ? await FindAsync(id, ct) : null;

    public Task<string?> IdentityValueAsync(Guid profileId, string kind, CancellationToken ct) => profiles.IdentityValueAsync(profileId, kind, ct);

    public Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid> profileIds, CancellationToken ct) => queries.NamesAsync(profileIds, ct);

    public Task<CustomerDetail?> DetailAsync(Guid profileId, CancellationToken ct) => queries.DetailAsync(profileId, ct);

    public Task<int> CountKnownAsync(CancellationToken ct) =>
        db.Profiles.CountAsync(p => p.MergedIntoId == null && p.Kind == ProfileKind.Known, ct);

    public async Task<Guid> FindOrCreateByEmailAsync(string email, string? displayName, CancellationToken ct) =>
        (await profiles.FindOrCreateByEmailAsync(email, displayName, ct)).Id;

    public async Task<Guid> FindOrCreateByIdentityAsync(string kind, string value, string? displayName, CancellationToken ct) =>
        (await profiles.FindOrCreateByIdentityAsync(kind, value, displayName, ct)).Id;

    public async Task<Guid> VisitorProfileAsync(string visitorToken, CancellationToken ct)
    {
        if (await HolderAsync(IdentityKinds.Anonymous, visitorToken, ct) is { } id && await profiles.FindAsync(id, ct) is { } live) return live.Id;
        var profile = profiles.Create(ProfileKind.Anonymous);
        profiles.AddIdentity(profile, IdentityKinds.Anonymous, visitorToken, verified: false);
        return profile.Id;
    }

    public async Task<Guid?> MergeVisitorAsync(string visitorToken, Guid profileId, string reason, CancellationToken ct)
    {
        if (await HolderAsync(IdentityKinds.Anonymous, visitorToken, ct) is not { } anonymousId) return null;
        var anonymous = await profiles.FindAsync(anonymousId, ct);
        var known = await profiles.FindAsync(profileId, ct);
        if (anonymous is { Kind: ProfileKind.Anonymous } && known is not null && anonymous.Id != known.Id)
            await profiles.MergeAsync(known, anonymous, reason, ct);
        return anonymous?.Id;
    }

    public async Task<Guid> GuestProfileAsync(string email, string? visitorToken, CancellationToken ct)
    {
        // The email's holder and the visitor's profile in one read: a checkout asks this once per order.
        var emailKey = ProfileIdentity.KeyOf(IdentityKinds.Email, email);
        var visitorKey = visitorToken is null ? emailKey : ProfileIdentity.KeyOf(IdentityKinds.Anonymous, visitorToken);
        var holders = await (from i in db.Identities
                             where i.Key == emailKey || i.Key == visitorKey
                             join p in db.Profiles on i.ProfileId equals p.Id
                             select new { i.Key, Profile = p }).ToListAsync(ct);
        if (await LiveAsync(holders.FirstOrDefault(h => h.Key == emailKey)?.Profile, ct) is { } known) return known.Id;
        CustomerProfile? profile = null;
        if (visitorToken is not null && await LiveAsync(holders.FirstOrDefault(h => h.Key == visitorKey)?.Profile, ct) is { Kind: ProfileKind.Anonymous } anonymous)
            profile = anonymous;
        profile ??= profiles.Create(ProfileKind.Known);
        profiles.AddIdentity(profile, IdentityKinds.Email, email, verified: false);
        return profile.Id;
    }

    /// <summary>The profile itself, or the one it was merged into.</summary>
    private async Task<CustomerProfile?> LiveAsync(CustomerProfile? profile, CancellationToken ct) =>
        profile?.MergedIntoId is { } survivor ? await profiles.FindAsync(survivor, ct) : profile;

    /// <summary>The profile id an identity is stored on (identities move with a merge, so it is the live one).</summary>
    private Task<Guid?> HolderAsync(string kind, string value, CancellationToken ct)
    {
        var key = ProfileIdentity.KeyOf(kind, value);
        return db.Identities.Where(i => i.Key == key).Select(i => (Guid?)i.ProfileId).FirstOrDefaultAsync(ct);
    }

    private static ProfileCard Card(CustomerProfile p) =>
        new(p.Id, p.Kind == ProfileKind.Known, p.DisplayName, p.FirstName, p.LastName, p.Email, p.Phone);
}
