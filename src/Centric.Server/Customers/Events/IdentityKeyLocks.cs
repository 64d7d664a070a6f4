using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Centric.Server.Customers.Events;

/// <summary>
/// PostgreSQL transaction-scoped advisory locks that let concurrent ingestion batches create identities without
/// colliding. Before a batch creates identity keys it locks them (by hash); a batch that wants a key another batch
/// is creating waits for that batch to commit and then finds the key instead of failing on the unique index and
/// running again — under load from many clients that retry storm, not the database, was the limit.
/// A batch with many new keys (a cold start, a bulk import) takes one exclusive lock instead of hundreds, so the
/// lock table stays small; every key-locking batch holds that lock shared. Locks are taken in one fixed order
/// (the global lock, then keys sorted) before the batch writes anything, so they cannot deadlock with each other.
/// SQLite needs none of this: its write transactions already run one at a time.
/// </summary>
internal static class IdentityKeyLocks
{
    // Advisory lock namespaces (the first key of the two-int form) owned by identity creation: 0x43494401 ("CID\x01")
    // for the batch-wide lock, 0x43494402 for single keys.
    private const string LockAll = "SELECT pg_advisory_xact_lock(1128875009, 0)";
    private const string LockEach = "SELECT pg_advisory_xact_lock_shared(1128875009, 0); " +
        "SELECT pg_advisory_xact_lock(1128875010, h) FROM (SELECT unnest(@hashes) AS h ORDER BY 1) AS sorted;";
    /// <summary>Above this many new keys a batch locks everything rather than each key. Several concurrent batches at this
    /// size still fit PostgreSQL's default lock table (max_locks_per_transaction 64 × max_connections slots).</summary>
    private const int MaxKeyLocks = 512;

    public static async Task AcquireAsync(CentricDbContext db, IReadOnlyCollection<string> keys, CancellationToken ct)
    {
        if (keys.Count > MaxKeyLocks)
        {
            await db.Database.ExecuteSqlRawAsync(LockAll, ct);
            return;
        }
        var hashes = keys.Select(Hash).Distinct().Order().ToArray();
        await db.Database.ExecuteSqlRawAsync(LockEach, [new NpgsqlParameter<int[]>("hashes", hashes)], ct);
    }

    /// <summary>FNV-1a: stable across processes and nodes (string.GetHashCode is not). Collisions only cost a wait.</summary>
    private static int Hash(string key)
    {
        var hash = 2166136261u;
        foreach (var ch in key)
        {
            hash = (hash ^ ch) * 16777619u;
        }
        return unchecked((int)hash);
    }
}
