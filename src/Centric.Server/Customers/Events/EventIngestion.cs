using System.Text.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Events;

public sealed record IngestResult(int Accepted, int Duplicates);

/// <summary>
/// Stores a validated batch: drops duplicates, resolves each event to a profile (creating or merging
/// profiles as identities dictate) and writes interactions with their outbox rows in one transaction.
/// </summary>
public sealed class EventIngestion(CentricDbContext db, ProfileDirectory profiles, ConsentService consent, TimeProvider clock)
{
    /// <summary>How often a batch runs before the client is told to send it again (503).</summary>
    private const int Attempts = 5;

    public async Task<IngestResult> IngestAsync(IReadOnlyList<IncomingEvent> events, CancellationToken ct)
    {
        // Concurrent batches can still collide — a deadlock with other writers, a profile merged between reading and locking it,
        // a unique key taken meanwhile. Nothing of a failed attempt is stored, so it simply runs again on fresh state, after a
        // short, jittered pause; a batch that keeps colliding is answered 503 with Retry-After, never 500.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await IngestOnceAsync(events, ct);
            }
            catch (Exception e) when (IsTransient(e))
            {
                db.ChangeTracker.Clear();
                if (attempt == Attempts) throw new ServiceBusyException("The batch kept colliding with concurrent writes; nothing of it was stored.", e);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(10, 50) * attempt), ct);
            }
        }
    }

    /// <summary>
    /// A collision with a concurrent writer, worth running again. EF's execution strategy wraps transient database errors in an
    /// <see cref="InvalidOperationException"/> and saves wrap them in a <see cref="DbUpdateException"/>, so the whole chain is searched.
    /// </summary>
    internal static bool IsTransient(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case ServiceBusyException:
                    return true;
                case Npgsql.PostgresException pg when pg.SqlState is Npgsql.PostgresErrorCodes.UniqueViolation or Npgsql.PostgresErrorCodes.DeadlockDetected
                    or Npgsql.PostgresErrorCodes.SerializationFailure or Npgsql.PostgresErrorCodes.LockNotAvailable:
                    return true;
                // SQLITE_BUSY and SQLITE_LOCKED: another writer held the database past the busy timeout.
                case Microsoft.Data.Sqlite.SqliteException sqlite when sqlite.SqliteErrorCode is 5 or 6:
                    return true;
            }
        }
        return false;
    }

    private async Task<IngestResult> IngestOnceAsync(IReadOnlyList<IncomingEvent> events, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            // Changes are detected once, before saving: merges look through the tracked entities several times
            // per batch, and each look would otherwise scan every tracked entity for changes.
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            try
            {
                return await WriteAsync(events, ct);
            }
            finally
            {
                db.ChangeTracker.AutoDetectChangesEnabled = true;
            }
        });
    }

    /// <summary>
    /// One transaction for the whole batch — new profiles and identities included — so a batch that fails stores nothing.
    /// Order: check what can be checked; wait for concurrent batches creating the same identity keys (IdentityKeyLocks);
    /// resolve every event to a profile in memory; lock the profiles touched, in id order (ProfileLocks), and make sure none was
    /// merged meanwhile; only then write: merges' moves, new profiles and identities, interactions with their outbox rows.
    /// </summary>
    private async Task<IngestResult> WriteAsync(IReadOnlyList<IncomingEvent> events, CancellationToken ct)
    {
        await CheckProfileIdsAsync(events, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var ids = events.Select(e => e.Id).Distinct().ToList();
        var known = await db.Interactions.Where(i => ids.Contains(i.EventId)).Select(i => i.EventId).ToListAsync(ct);
        var seen = new HashSet<string>(known, StringComparer.Ordinal);
        var fresh = new List<IncomingEvent>(events.Count);
        foreach (var e in events)
            if (seen.Add(e.Id)) fresh.Add(e);

        var resolver = await BatchResolver.LoadAsync(db, profiles, fresh, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var resolved = new List<(Interaction Interaction, CustomerProfile Profile)>(fresh.Count);
        foreach (var e in fresh)
        {
            var profile = await resolver.ResolveAsync(e, ct);
            var interaction = new Interaction
            {
                ProfileId = profile.Id, EventId = e.Id, Type = e.Type, Channel = e.Channel,
                OccurredAt = e.OccurredAt, ReceivedAt = now, AnonymousId = e.AnonymousId, Properties = e.Properties,
            };
            resolved.Add((interaction, profile));
            if (InteractionTypes.ConsentChanged.Is(e.Type)) await ApplyConsentAsync(profile, e, ct);
        }

        db.ChangeTracker.DetectChanges();
        await resolver.LockAsync(ct);
        foreach (var (survivor, merged) in resolver.Merges) await profiles.MoveStoredRowsAsync(survivor.Id, merged.Id, ct);

        // The batch's own rows bypass EF's change tracking (its per-entity cost dominated ingestion): they are
        // bulk-written into this transaction. A profile merged away later in the batch hands its events to the survivor.
        var interactions = new List<Interaction>(resolved.Count);
        foreach (var (interaction, profile) in resolved)
        {
            interaction.ProfileId = resolver.Survivor(profile).Id;
            interactions.Add(interaction);
        }
        await BulkInsert.WriteAsync(db, TakeAdded<CustomerProfile>(), ct);
        await BulkInsert.WriteAsync(db, TakeAdded<ProfileIdentity>(), ct);
        var stored = await InteractionLog.WriteBatchAsync(db, interactions, ct);
        // What remains tracked is small: changed profiles and identities, merges, consent, audit.
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return new IngestResult(stored, events.Count - stored);
    }

    /// <summary>Unknown profile ids are the integrator's mistake: the batch is refused before anything is locked or written.</summary>
    private async Task CheckProfileIdsAsync(IReadOnlyList<IncomingEvent> events, CancellationToken ct)
    {
        var named = events.Where(e => e.Customer?.ProfileId is not null).Select(e => e.Customer!.ProfileId!.Value).Distinct().ToList();
        if (named.Count == 0) return;
        var found = new HashSet<Guid>();
        foreach (var chunk in named.Chunk(1000))
            found.UnionWith(await db.Profiles.Where(p => chunk.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct));
        var errors = new Dictionary<string, string[]>();
        foreach (var e in events)
            if (e.Customer?.ProfileId is { } id && !found.Contains(id))
                errors[$"events[{e.Index}].customer.profileId"] = [$"No profile has the id {id}."];
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Key + ": " + errors.First().Value[0], errors);
    }

    /// <summary>New entities of one type, taken out of the change tracker's hands: the caller writes them itself.</summary>
    private List<T> TakeAdded<T>() where T : class
    {
        var added = db.ChangeTracker.Entries<T>().Where(e => e.State == EntityState.Added).ToList();
        foreach (var entry in added) entry.State = EntityState.Unchanged;
        return added.ConvertAll(e => e.Entity);
    }

    /// <summary>A consent_changed event ({channel, purpose, granted}) updates consent like any other source.</summary>
    private async Task ApplyConsentAsync(CustomerProfile profile, IncomingEvent e, CancellationToken ct)
    {
        using var doc = JsonDocument.Parse(e.Properties);
        var p = doc.RootElement;
        if (p.TryGetProperty("channel", out var ch) && ch.ValueKind == JsonValueKind.String
            && p.TryGetProperty("purpose", out var pu) && pu.ValueKind == JsonValueKind.String
            && p.TryGetProperty("granted", out var g) && g.ValueKind is JsonValueKind.True or JsonValueKind.False
            && ConsentChannels.All.Contains(ch.GetString()) && ConsentPurposes.All.Contains(pu.GetString()))
        {
            await consent.RecordAsync(profile.Id, ch.GetString()!, pu.GetString()!, g.GetBoolean(), "event:" + e.Channel, "api", ct, writeInteraction: false);
        }
    }

    /// <summary>Holds every profile and identity a batch touches, loaded with a few queries up front.</summary>
    private sealed class BatchResolver(CentricDbContext db, ProfileDirectory directory)
    {
        private readonly Dictionary<string, ProfileIdentity> _identities = new(StringComparer.Ordinal);
        private readonly Dictionary<Guid, CustomerProfile> _profiles = [];

        /// <summary>The merges this batch makes, in order; their stored rows move once the profiles are locked.</summary>
        public List<(CustomerProfile Survivor, CustomerProfile Merged)> Merges { get; } = [];

        public static async Task<BatchResolver> LoadAsync(CentricDbContext db, ProfileDirectory directory, IReadOnlyList<IncomingEvent> events, CancellationToken ct)
        {
            var resolver = new BatchResolver(db, directory);
            var keys = events.SelectMany(KeysOf).Distinct().ToList();
            await resolver.LoadIdentitiesAsync(keys, ct);
            var unknown = keys.Where(k => !resolver._identities.ContainsKey(k)).ToList();
            if (unknown.Count > 0 && db.IsPostgres)
            {
                // This batch will create identities; a concurrent batch may be creating the same ones. Wait for it,
                // then look again: what it committed meanwhile is now visible (read committed) and is used, not duplicated.
                await IdentityKeyLocks.AcquireAsync(db, unknown, ct);
                await resolver.LoadIdentitiesAsync(unknown, ct);
            }

            var profileIds = resolver._identities.Values.Select(i => i.ProfileId)
                .Concat(events.Where(e => e.Customer?.ProfileId is not null).Select(e => e.Customer!.ProfileId!.Value))
                .Distinct().ToList();
            foreach (var chunk in profileIds.Chunk(500))
                foreach (var p in await db.Profiles.Where(p => chunk.Contains(p.Id)).ToListAsync(ct))
                    resolver._profiles[p.Id] = p;
            return resolver;
        }

        /// <summary>
        /// Stored identities are read, not tracked: a batch changes at most their verified flag (<see cref="Attach"/>), and a
        /// merge re-points them in the database. Tracking a batch's thousand-odd identities made every look for changes and every
        /// merge's walk over the tracked rows scan them all.
        /// </summary>
        private async Task LoadIdentitiesAsync(List<string> keys, CancellationToken ct)
        {
            foreach (var chunk in keys.Chunk(2000))
                foreach (var identity in await db.Identities.AsNoTracking().Where(i => chunk.Contains(i.Key)).ToListAsync(ct))
                    _identities[identity.Key] = identity;
        }

        /// <summary>The profile a (possibly merged) profile lives on as, from what this batch holds.</summary>
        public CustomerProfile Survivor(CustomerProfile profile)
        {
            for (var hops = 0; profile.MergedIntoId is { } next && _profiles.TryGetValue(next, out var survivor) && hops < 20; hops++)
                profile = survivor;
            return profile;
        }

        public static IEnumerable<string> KeysOf(IncomingEvent e)
        {
            if (e.Customer?.Email is { } email) yield return ProfileIdentity.KeyOf(IdentityKinds.Email, email);
            if (e.Customer?.Phone is { } phone) yield return ProfileIdentity.KeyOf(IdentityKinds.Phone, phone);
            if (e.Customer?.ExternalId is { } ext) yield return ProfileIdentity.KeyOf(IdentityKinds.External, ext);
            if (e.AnonymousId is { } anon) yield return ProfileIdentity.KeyOf(IdentityKinds.Anonymous, anon);
        }

        private async Task<CustomerProfile> LiveAsync(Guid id, CancellationToken ct)
        {
            if (!_profiles.TryGetValue(id, out var profile))
            {
                profile = await db.Profiles.FirstAsync(p => p.Id == id, ct);
                _profiles[id] = profile;
            }
            return profile.MergedIntoId is { } next ? await LiveAsync(next, ct) : profile;
        }

        private async Task<CustomerProfile?> ByKeyAsync(string kind, string? value, CancellationToken ct) =>
            value is not null && _identities.TryGetValue(ProfileIdentity.KeyOf(kind, value), out var identity)
                ? await LiveAsync(identity.ProfileId, ct) : null;

        public async Task<CustomerProfile> ResolveAsync(IncomingEvent e, CancellationToken ct)
        {
            var c = e.Customer;
            var byId = c?.ProfileId is { } pid ? await LiveAsync(pid, ct) : null;
            var byExternal = await ByKeyAsync(IdentityKinds.External, c?.ExternalId, ct);
            var byEmail = await ByKeyAsync(IdentityKinds.Email, c?.Email, ct);
            var byPhone = await ByKeyAsync(IdentityKinds.Phone, c?.Phone, ct);
            var byAnonymous = await ByKeyAsync(IdentityKinds.Anonymous, e.AnonymousId, ct);

            // The strongest identifier decides whose event this is.
            var target = byId ?? byExternal ?? byEmail ?? byPhone;
            if (target is null)
            {
                if (c is { HasIdentity: true }) target = Track(directory.Create(ProfileKind.Known));
                else target = byAnonymous ?? Track(directory.Create(ProfileKind.Anonymous));
            }

            // A verified email proves the two profiles are one person.
            if (c?.EmailVerified == true && byEmail is not null && byEmail.Id != target.Id)
                Merge(target, byEmail, "verified email shared");
            // Anonymous activity joins the person who has now identified themselves.
            if (byAnonymous is not null && byAnonymous.Id != target.Id && byAnonymous.Kind == ProfileKind.Anonymous && c is { HasIdentity: true })
                Merge(target, byAnonymous, "anonymous visitor identified");

            Attach(target, IdentityKinds.External, c?.ExternalId, false);
            Attach(target, IdentityKinds.Email, c?.Email, c?.EmailVerified == true);
            Attach(target, IdentityKinds.Phone, c?.Phone, false);
            Attach(target, IdentityKinds.Anonymous, e.AnonymousId, false);

            if (c?.FirstName is { } first && target.FirstName != first) { target.FirstName = first; target.RefreshSearchText(); }
            if (c?.LastName is { } last && target.LastName != last) { target.LastName = last; target.RefreshSearchText(); }
            return target;
        }

        private void Merge(CustomerProfile survivor, CustomerProfile merged, string reason)
        {
            if (directory.Merge(survivor, merged, reason)) Merges.Add((survivor, merged));
        }

        /// <summary>
        /// Locks every stored profile the batch touches, in id order: merged-away ones so no one else writes to them, changed ones
        /// for the update, the rest so they cannot be merged away until this batch commits. A profile merged by someone else since the
        /// batch read it makes the batch run again: what it resolved is stale.
        /// </summary>
        public async Task LockAsync(CancellationToken ct)
        {
            var modes = new Dictionary<Guid, ProfileLock>(_profiles.Count);
            foreach (var profile in _profiles.Values)
            {
                var state = db.Entry(profile).State;
                if (state != EntityState.Added) modes[profile.Id] = state == EntityState.Modified ? ProfileLock.Change : ProfileLock.Attach;
            }
            foreach (var (_, merged) in Merges)
                if (modes.ContainsKey(merged.Id)) modes[merged.Id] = ProfileLock.MergeAway;
            foreach (var (id, mergedInto) in await ProfileLocks.LockAsync(db, modes, ct))
                if (db.Entry(_profiles[id]).Property(p => p.MergedIntoId).OriginalValue != mergedInto)
                    throw new ServiceBusyException("A profile in the batch was merged by a concurrent change.");
        }

        private CustomerProfile? Owner(ProfileIdentity identity) =>
            _profiles.TryGetValue(identity.ProfileId, out var owner) ? Survivor(owner) : null;

        private CustomerProfile Track(CustomerProfile profile)
        {
            _profiles[profile.Id] = profile;
            return profile;
        }

        private void Attach(CustomerProfile profile, string kind, string? value, bool verified)
        {
            if (value is null) return;
            var key = ProfileIdentity.KeyOf(kind, value);
            if (_identities.TryGetValue(key, out var existing))
            {
                // The key belongs to someone (maybe this profile after a merge); it never moves silently. A stored identity
                // carries the profile id it was read with, so its owner is found through the merges.
                if (verified && !existing.Verified && Owner(existing) == profile)
                {
                    if (db.Entry(existing).State == EntityState.Detached) db.Identities.Attach(existing);
                    db.Entry(existing).Property(i => i.Verified).CurrentValue = true;
                }
                return;
            }
            _identities[key] = directory.AddIdentity(profile, kind, value, verified);
        }
    }
}
