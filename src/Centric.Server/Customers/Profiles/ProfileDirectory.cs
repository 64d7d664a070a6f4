using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>
/// Finds profiles (following merges to the survivor) and merges two profiles into one without losing
/// a row. Everything is added to the caller's unit of work except the bulk re-pointing of
/// already-stored rows, which runs in the caller's transaction.
/// </summary>
public sealed class ProfileDirectory(CentricDbContext db, AuditLog audit, InteractionLog interactions, TimeProvider clock,
    IEnumerable<IPersonalData> holders)
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
        Name(profile, displayName);
        AddIdentity(profile, IdentityKinds.Email, address, verified: false);
        return profile;
    }

    /// <summary>Gives a nameless profile the name a channel knows it by ("Ana Silva" → first and last name).</summary>
    private static void Name(CustomerProfile profile, string? displayName)
    {
        if (profile.FirstName is not null || profile.LastName is not null) return;
        if (displayName?.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries) is not { Length: > 0 } names) return;
        profile.FirstName = names[0][..Math.Min(names[0].Length, 100)];
        profile.LastName = names.Length > 1 ? names[1][..Math.Min(names[1].Length, 100)] : null;
        profile.RefreshSearchText();
    }

    /// <summary>
    /// The live profile holding the identity <c>kind:value</c> (a phone number, a social handle), or a new known profile with it
    /// (unverified) added to the caller's unit of work. The value must already be normalised by the caller.
    /// </summary>
    /// <remarks>
    /// <paramref name="displayName"/> is the name the channel gives (a social network's display name): a new profile, or a known
    /// one that has no name yet, takes it, so agents see a person rather than "Unnamed customer".
    /// </remarks>
    public async Task<CustomerProfile> FindOrCreateByIdentityAsync(string kind, string value, string? displayName, CancellationToken ct)
    {
        var key = ProfileIdentity.KeyOf(kind, value);
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Key == key, ct);
        if (identity is not null && await FindAsync(identity.ProfileId, ct) is { } known)
        {
            if (known.ErasedAt is null) Name(known, displayName);
            return known;
        }
        var profile = Create(ProfileKind.Known);
        Name(profile, displayName);
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
    /// Merges <paramref name="merged"/> into <paramref name="survivor"/> inside the caller's transaction: identities, interactions,
    /// consent, accounts and every module's rows (<see cref="IPersonalData.MoveAsync"/>) move to the survivor; the merged profile
    /// keeps a pointer so its old id still resolves. The merged profile is locked first (<see cref="ProfileLocks"/>), so no writer
    /// can attach rows to it while they move. The caller saves.
    /// </summary>
    public async Task MergeAsync(CustomerProfile survivor, CustomerProfile merged, string reason, CancellationToken ct)
    {
        if (survivor.Id == merged.Id || merged.MergedIntoId is not null) return;
        var now = await ProfileLocks.LockAsync(db, new Dictionary<Guid, ProfileLock> { [merged.Id] = ProfileLock.MergeAway, [survivor.Id] = ProfileLock.Change }, ct);
        // Either was merged by someone else since the caller read it: the caller's picture is stale, so it runs again.
        if (now.GetValueOrDefault(merged.Id) is not null || now.GetValueOrDefault(survivor.Id) is not null)
            throw new ServiceBusyException("A profile was merged by a concurrent change.");
        await MoveStoredRowsAsync(survivor.Id, merged.Id, ct);
        Merge(survivor, merged, reason);
    }

    /// <summary>
    /// The in-memory half of a merge, for a caller that locks and moves stored rows itself (<see cref="MoveStoredRowsAsync"/>, after
    /// <see cref="ProfileLocks.LockAsync"/>): re-points this unit of work's unsaved rows, folds the merged profile's traits into the
    /// survivor, sets the pointer, and records the audit entry and the <c>profile_merged</c> interaction. False when there is nothing to merge.
    /// </summary>
    public bool Merge(CustomerProfile survivor, CustomerProfile merged, string reason)
    {
        if (survivor.Id == merged.Id || merged.MergedIntoId is not null) return false;
        var now = clock.GetUtcNow().UtcDateTime;

        // Rows of any profile-owned table this unit of work holds follow the merge (consent, keyed by profile, is folded separately).
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Deleted or EntityState.Detached || entry.Entity is Platform.Audit.AuditEntry) continue;
            if (entry.Metadata.FindProperty(nameof(ProfileIdentity.ProfileId)) is not { } property || property.IsKey()) continue;
            var value = entry.Property(property.Name);
            if (value.CurrentValue is Guid id && id == merged.Id) value.CurrentValue = survivor.Id;
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
        return true;
    }

    /// <summary>
    /// Adds the merged profile's interaction count and seen dates (as committed, read under the caller's lock) to the survivor's.
    /// The aggregates subscriber counts each interaction once, as it passes: those it counted on the merged profile come along
    /// here, and those it has yet to count it will find on the survivor.
    /// </summary>
    private async Task FoldAggregatesAsync(Guid survivorId, Guid mergedId, CancellationToken ct)
    {
        var merged = await db.Profiles.AsNoTracking().Where(p => p.Id == mergedId)
            .Select(p => new { p.InteractionCount, p.FirstSeenAt, p.LastSeenAt }).FirstOrDefaultAsync(ct);
        if (merged is not { FirstSeenAt: { } first, LastSeenAt: { } last }) return;
        var count = merged.InteractionCount;
        // A survivor created in this unit of work is not stored yet: its own figures are written with it.
        if (db.Profiles.Local.FirstOrDefault(p => p.Id == survivorId) is { } added && db.Entry(added).State == EntityState.Added)
        {
            added.InteractionCount += count;
            added.FirstSeenAt = added.FirstSeenAt is { } f && f < first ? f : first;
            added.LastSeenAt = added.LastSeenAt is { } l && l > last ? l : last;
            return;
        }
        await ProfileAggregatesSubscriber.AddAsync(db, survivorId, count, first, last, ct);
    }

    /// <summary>The tables this directory moves (or, for the audit log, keeps) itself; every other table's module moves its own.</summary>
    private static readonly HashSet<Type> MovedHere =
    [
        typeof(ProfileIdentity), typeof(Interaction), typeof(Platform.Outbox.OutboxMessage), typeof(Consent.ConsentChange),
        typeof(Consent.ConsentState), typeof(Platform.Identity.CentricUser), typeof(Platform.Webhooks.WebhookDelivery), typeof(AuditEntry),
    ];

    /// <summary>
    /// Moves every stored row of <paramref name="mergedId"/> to <paramref name="survivorId"/> in the caller's transaction, which
    /// must hold the merged profile <see cref="ProfileLock.MergeAway"/>. Consent is folded: the more recent answer per channel
    /// and purpose wins.
    /// </summary>
    public async Task MoveStoredRowsAsync(Guid survivorId, Guid mergedId, CancellationToken ct)
    {
        await FoldAggregatesAsync(survivorId, mergedId, ct);
        // An anonymous visitor owns little beyond page views: one probe finds the tables that hold any of the merged profile's
        // rows, and only those are moved (a statement per table, most finding nothing, was most of a merge's cost).
        var holding = await ProfileTables.HoldingAsync(db, mergedId, ct);
        bool Holds<T>() => holding.Contains(typeof(T));

        if (Holds<ProfileIdentity>())
            await db.Identities.Where(i => i.ProfileId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(i => i.ProfileId, survivorId), ct);
        if (Holds<Interaction>())
            await db.Interactions.Where(i => i.ProfileId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(i => i.ProfileId, survivorId), ct);
        if (Holds<Platform.Outbox.OutboxMessage>())
            await db.Outbox.Where(i => i.ProfileId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(i => i.ProfileId, survivorId), ct);
        if (Holds<Consent.ConsentChange>())
            await db.ConsentChanges.Where(c => c.ProfileId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ProfileId, survivorId), ct);
        if (Holds<Platform.Identity.CentricUser>())
            await db.Users.Where(u => u.ProfileId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(u => u.ProfileId, (Guid?)survivorId), ct);
        // Webhook deliveries carry the profile id so an erasure can scrub their payloads: they follow the person too.
        if (Holds<Platform.Webhooks.WebhookDelivery>())
            await db.WebhookDeliveries.Where(d => d.ProfileId == mergedId).ExecuteUpdateAsync(s => s.SetProperty(d => d.ProfileId, survivorId), ct);
        // A holder is asked when its module's tables hold a row; a row in a table no one claims asks them all, as before.
        var unclaimed = holding.Any(t => !MovedHere.Contains(t) && !holders.Any(h => ProfileTables.Within(t, h)));
        foreach (var holder in holders)
            if (unclaimed || holding.Any(t => ProfileTables.Within(t, holder))) await holder.MoveAsync(db, mergedId, survivorId, ct);

        if (!Holds<Consent.ConsentState>() && !db.Consents.Local.Any(c => c.ProfileId == mergedId && db.Entry(c).State == EntityState.Added)) return;
        // Consent rows are keyed by profile, so they are replaced rather than re-pointed. Answers this unit of work has not saved
        // yet count too.
        var stored = await db.Consents.Where(c => c.ProfileId == mergedId || c.ProfileId == survivorId).ToListAsync(ct);
        var all = stored.Concat(db.Consents.Local.Where(c => db.Entry(c).State == EntityState.Added && (c.ProfileId == mergedId || c.ProfileId == survivorId)))
            .Distinct().ToList();
        foreach (var consent in all.Where(c => c.ProfileId == mergedId))
        {
            var mine = all.FirstOrDefault(c => c.ProfileId == survivorId && c.Channel == consent.Channel && c.Purpose == consent.Purpose);
            if (mine is null)
                db.Consents.Add(new() { ProfileId = survivorId, Channel = consent.Channel, Purpose = consent.Purpose, Granted = consent.Granted, UpdatedAt = consent.UpdatedAt, Source = consent.Source });
            else if (consent.UpdatedAt > mine.UpdatedAt)
                (mine.Granted, mine.UpdatedAt, mine.Source) = (consent.Granted, consent.UpdatedAt, consent.Source);
            db.Consents.Remove(consent);
        }
    }
}
