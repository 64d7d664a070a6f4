using Centric.Server.Customers.Interactions;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>
/// Finds profiles (following merges to the survivor) and merges two profiles into one without losing
/// an interaction. Everything is added to the caller's unit of work except the bulk re-pointing of
/// already-stored rows, which runs in the caller's transaction.
/// </summary>
public sealed class ProfileDirectory(CentricDbContext db, AuditLog audit, InteractionLog interactions, TimeProvider clock,
    IEnumerable<IProfileMergeParticipant> participants)
{
    /// <summary>The live profile for an id: itself, or the profile it was merged into. Null when unknown.</summary>
    public async Task<CustomerProfile?> FindAsync(Guid id, CancellationToken ct)
    {
        var profile = await db.Profiles.FirstOrDefaultAsync(p => p.Id == id, ct);
        for (var hops = 0; profile?.MergedIntoId is { } next && hops < 20; hops++)
            profile = await db.Profiles.FirstOrDefaultAsync(p => p.Id == next, ct);
        return profile;
    }

    /// <summary>
    /// The live profile holding the identity <c>email:&lt;address&gt;</c>, or a new known profile with that (unverified) identity,
    /// added to the caller's unit of work. Used by channels that only know an address (inbound email).
    /// </summary>
    public async Task<CustomerProfile> FindOrCreateByEmailAsync(string email, string? displayName, CancellationToken ct)
    {
        var address = email.Trim().ToLowerInvariant();
        var key = ProfileIdentity.KeyOf(IdentityKinds.Email, address);
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Key == key, ct);
        if (identity is not null && await FindAsync(identity.ProfileId, ct) is { } known) return known;
        var profile = Create(ProfileKind.Known);
        if (displayName?.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is { Length: > 0 } names)
        {
            profile.FirstName = names[0][..Math.Min(names[0].Length, 100)];
            profile.LastName = names.Length > 1 ? names[1][..Math.Min(names[1].Length, 100)] : null;
        }
        AddIdentity(profile, IdentityKinds.Email, address, verified: false);
        return profile;
    }

    /// <summary>
    /// The live profile holding the identity <c>kind:value</c> (a phone number, a social handle), or a new known profile with it
    /// (unverified) added to the caller's unit of work. The value must already be normalised by the caller.
    /// </summary>
    public async Task<CustomerProfile> FindOrCreateByIdentityAsync(string kind, string value, CancellationToken ct)
    {
        var key = ProfileIdentity.KeyOf(kind, value);
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Key == key, ct);
        if (identity is not null && await FindAsync(identity.ProfileId, ct) is { } known) return known;
        var profile = Create(ProfileKind.Known);
        AddIdentity(profile, kind, value, verified: false);
        return profile;
    }

    /// <summary>The value of a profile's identity of one kind (its phone number, its handle on a network); null when it has none.</summary>
    public Task<string?> IdentityValueAsync(Guid profileId, string kind, CancellationToken ct) =>
        db.Identities.Where(i => i.ProfileId == profileId && i.Kind == kind).OrderByDescending(i => i.CreatedAt).Select(i => i.Value).FirstOrDefaultAsync(ct);

    public CustomerProfile Create(ProfileKind kind)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var profile = new CustomerProfile { Kind = kind, CreatedAt = now, UpdatedAt = now };
        db.Profiles.Add(profile);
        return profile;
    }

    public ProfileIdentity AddIdentity(CustomerProfile profile, string kind, string value, bool verified)
    {
        var identity = new ProfileIdentity
        {
            ProfileId = profile.Id, Kind = kind, Value = value, Key = ProfileIdentity.KeyOf(kind, value),
            Verified = verified, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Identities.Add(identity);
        if (kind != IdentityKinds.Anonymous) profile.Kind = ProfileKind.Known;
        if (kind == IdentityKinds.Email && profile.Email is null) profile.Email = value;
        if (kind == IdentityKinds.Phone && profile.Phone is null) profile.Phone = value;
        profile.RefreshSearchText();
        return identity;
    }

    /// <summary>
    /// Merges <paramref name="merged"/> into <paramref name="survivor"/>: identities, interactions, consent and
    /// accounts move to the survivor, and every <see cref="IProfileMergeParticipant"/> moves its module's rows; the merged profile
    /// keeps a pointer so its old id still resolves.
    /// </summary>
    public async Task MergeAsync(CustomerProfile survivor, CustomerProfile merged, string reason, CancellationToken ct)
    {
        if (survivor.Id == merged.Id || merged.MergedIntoId is not null) return;
        var now = clock.GetUtcNow().UtcDateTime;

        // Rows this unit of work has not stored yet are re-pointed in memory...
        foreach (var entry in db.ChangeTracker.Entries<Interaction>().Where(e => e.Entity.ProfileId == merged.Id))
            entry.Entity.ProfileId = survivor.Id;
        foreach (var entry in db.ChangeTracker.Entries<Platform.Outbox.OutboxMessage>().Where(e => e.Entity.ProfileId == merged.Id))
            entry.Entity.ProfileId = survivor.Id;
        foreach (var identity in db.ChangeTracker.Entries<ProfileIdentity>().Where(e => e.Entity.ProfileId == merged.Id))
            identity.Entity.ProfileId = survivor.Id;
        // ...and stored rows in bulk, inside the caller's transaction.
        await db.Identities.Where(i => i.ProfileId == merged.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProfileId, survivor.Id), ct);
        await db.Interactions.Where(i => i.ProfileId == merged.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProfileId, survivor.Id), ct);
        await db.Outbox.Where(i => i.ProfileId == merged.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.ProfileId, survivor.Id), ct);
        await db.ConsentChanges.Where(c => c.ProfileId == merged.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ProfileId, survivor.Id), ct);
        await db.Users.Where(u => u.ProfileId == merged.Id)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.ProfileId, (Guid?)survivor.Id), ct);
        foreach (var participant in participants) await participant.MoveAsync(db, merged.Id, survivor.Id, ct);

        // Consent: the more recent answer per channel and purpose wins.
        var theirs = await db.Consents.Where(c => c.ProfileId == merged.Id).ToListAsync(ct);
        var ours = await db.Consents.Where(c => c.ProfileId == survivor.Id).ToListAsync(ct);
        foreach (var consent in theirs)
        {
            var mine = ours.FirstOrDefault(c => c.Channel == consent.Channel && c.Purpose == consent.Purpose);
            if (mine is null)
                db.Consents.Add(new() { ProfileId = survivor.Id, Channel = consent.Channel, Purpose = consent.Purpose, Granted = consent.Granted, UpdatedAt = consent.UpdatedAt, Source = consent.Source });
            else if (consent.UpdatedAt > mine.UpdatedAt)
                (mine.Granted, mine.UpdatedAt, mine.Source) = (consent.Granted, consent.UpdatedAt, consent.Source);
            db.Consents.Remove(consent);
        }

        survivor.FirstName ??= merged.FirstName;
        survivor.LastName ??= merged.LastName;
        survivor.Email ??= merged.Email;
        survivor.Phone ??= merged.Phone;
        if (merged.Kind == ProfileKind.Known) survivor.Kind = ProfileKind.Known;
        survivor.RefreshSearchText();
        survivor.UpdatedAt = now;
        merged.MergedIntoId = survivor.Id;
        merged.UpdatedAt = now;

        audit.Record("customer.merged", survivor.Id, $"merged profile {merged.Id} into {survivor.Id}: {reason}");
        interactions.Append(db, survivor.Id, InteractionTypes.ProfileMerged, "system",
            new ProfileMergedProperties(merged.Id, reason), sourceKind: "customer", sourceId: merged.Id.ToString());
    }
}
