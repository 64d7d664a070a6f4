using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Npgsql;

namespace Centric.Server.Customers.Profiles;

/// <summary>How firmly a transaction holds a profile row until it commits (PostgreSQL row locks).</summary>
public enum ProfileLock
{
    /// <summary>Rows are being attached to the profile (<c>FOR KEY SHARE</c>): writers share it; a merge of this profile waits.</summary>
    Attach = 0,
    /// <summary>The profile's own columns change, or it survives a merge (<c>FOR NO KEY UPDATE</c>): writers attaching rows still share it.</summary>
    Change = 1,
    /// <summary>The profile is merged away (<c>FOR UPDATE</c>): waits for, and then shuts out, every writer holding it.</summary>
    MergeAway = 2,
}

/// <summary>
/// The rule that keeps a merge from losing rows. A merge holds the merged-away profile <see cref="ProfileLock.MergeAway"/> while it
/// moves rows; every writer that attaches rows to a profile holds that profile at least <see cref="ProfileLock.Attach"/> in its own
/// transaction, and reads <see cref="CustomerProfile.MergedIntoId"/> after taking the lock. So either the writer commits first and
/// the merge (which starts its moves afterwards) carries its rows along, or the merge commits first and the writer sees the
/// pointer and writes to the survivor. Locks are taken in one statement in id order, so two transactions never wait on each
/// other in a circle over them.
/// On SQLite every write transaction starts with the database's write lock (BEGIN IMMEDIATE), so a writer that reads the
/// pointer inside its transaction is already alone: the same checks run, without row locks.
/// </summary>
public static class ProfileLocks
{
    // One outer row per profile, in id order; each lateral subquery locks that one row in the mode asked for (the other two are
    // switched off by their filter on the mode). Subqueries with a locking clause are never flattened, so the rows are locked one
    // by one in the outer order.
    private const string LockInOrder = """
        SELECT count(coalesce(m."Id", c."Id", a."Id"))
        FROM (SELECT x.id, x.mode FROM unnest($1, $2) AS x(id, mode) ORDER BY x.id) AS u
        LEFT JOIN LATERAL (SELECT p."Id", p."MergedIntoId" FROM customers_profiles p WHERE p."Id" = u.id AND u.mode = 2 FOR UPDATE) AS m ON true
        LEFT JOIN LATERAL (SELECT p."Id", p."MergedIntoId" FROM customers_profiles p WHERE p."Id" = u.id AND u.mode = 1 FOR NO KEY UPDATE) AS c ON true
        LEFT JOIN LATERAL (SELECT p."Id", p."MergedIntoId" FROM customers_profiles p WHERE p."Id" = u.id AND u.mode = 0 FOR KEY SHARE) AS a ON true
        """;

    // Read in a statement of its own, after the locks are held. The locking statement itself can return a stale pointer: a
    // KEY SHARE lock that waited for a merge to commit is granted on the row version its statement started with, since the merge
    // changed no key column; a new statement sees the merge.
    private const string ReadPointers = """SELECT p."Id", p."MergedIntoId" FROM customers_profiles p WHERE p."Id" = ANY($1)""";

    /// <summary>
    /// Locks the stored profiles among <paramref name="profiles"/> (unknown ids are ignored) until the caller's transaction ends and
    /// returns, for each, the profile it has been merged into (null when live) as committed now.
    /// </summary>
    public static async Task<Dictionary<Guid, Guid?>> LockAsync(CentricDbContext db, IReadOnlyDictionary<Guid, ProfileLock> profiles, CancellationToken ct)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Profile locks are held by the caller's transaction.");
        var found = new Dictionary<Guid, Guid?>(profiles.Count);
        if (profiles.Count == 0) return found;
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            Guid[] keys = [.. profiles.Keys];
            var lockRows = new NpgsqlBatchCommand(LockInOrder);
            lockRows.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = keys });
            lockRows.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. profiles.Values.Select(m => (int)m)] });
            var readPointers = new NpgsqlBatchCommand(ReadPointers);
            readPointers.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = keys });
            await using var batch = new NpgsqlBatch(connection) { BatchCommands = { lockRows, readPointers } };
            await using var reader = await batch.ExecuteReaderAsync(ct);
            await reader.NextResultAsync(ct);
            while (await reader.ReadAsync(ct))
                found[reader.GetGuid(0)] = await reader.IsDBNullAsync(1, ct) ? null : reader.GetGuid(1);
            return found;
        }
        var ids = profiles.Keys.ToList();
        foreach (var p in await db.Profiles.AsNoTracking().Where(p => ids.Contains(p.Id)).Select(p => new { p.Id, p.MergedIntoId }).ToListAsync(ct))
            found[p.Id] = p.MergedIntoId;
        return found;
    }

    /// <summary>The profile ids of rows this unit of work adds to a profile-owned table, or moves to another profile.</summary>
    internal static List<PropertyEntry> RowsToPin(CentricDbContext db)
    {
        var rows = new List<PropertyEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified) || entry.Entity is Platform.Audit.AuditEntry) continue;
            if (entry.Metadata.FindProperty(nameof(ProfileIdentity.ProfileId)) is not { } property) continue;
            var value = entry.Property(property.Name);
            if (value.CurrentValue is Guid && (entry.State == EntityState.Added || value.IsModified)) rows.Add(value);
        }
        return rows;
    }

    /// <summary>
    /// Run before every save: rows of a profile-owned table that this unit of work adds (or moves to another profile) are pinned to
    /// a live profile. The profiles they name are locked <see cref="ProfileLock.Attach"/>, and a row naming a profile that was merged
    /// meanwhile — by another transaction, or earlier in this one — is re-pointed to the survivor. Audit entries keep the id they
    /// were recorded against.
    /// </summary>
    internal static async Task PinAsync(CentricDbContext db, List<PropertyEntry> rows, CancellationToken ct)
    {
        if (rows.Count == 0) return;

        var tracked = db.ChangeTracker.Entries<CustomerProfile>().ToDictionary(e => e.Entity.Id);
        var committed = new Dictionary<Guid, Guid?>();
        // A profile added in this unit of work is not stored yet: no one else can merge it.
        bool Unknown(Guid id) => !committed.ContainsKey(id) && !(tracked.TryGetValue(id, out var t) && t.State == EntityState.Added);
        var wanted = rows.Select(r => (Guid)r.CurrentValue!).Distinct().Where(Unknown).ToList();
        for (var round = 0; wanted.Count > 0 && round < 20; round++)
        {
            foreach (var (id, into) in await LockAsync(db, wanted.ToDictionary(id => id, _ => ProfileLock.Attach), ct)) committed[id] = into;
            foreach (var id in wanted) committed.TryAdd(id, null);
            // Survivors are locked in a further round: a merge that committed meanwhile pointed elsewhere.
            wanted = [.. committed.Values.OfType<Guid>().Distinct().Where(Unknown)];
        }

        Guid Live(Guid id)
        {
            for (var hops = 0; hops < 20; hops++)
            {
                var next = tracked.TryGetValue(id, out var t) && t.Entity.MergedIntoId is { } mine ? mine
                    : committed.TryGetValue(id, out var theirs) ? theirs : null;
                if (next is not { } survivor) return id;
                id = survivor;
            }
            return id;
        }
        foreach (var row in rows)
        {
            var id = (Guid)row.CurrentValue!;
            if (Live(id) is var live && live != id) row.CurrentValue = live;
        }
    }
}
