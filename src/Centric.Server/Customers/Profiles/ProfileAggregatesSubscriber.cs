using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Centric.Server.Customers.Profiles;

/// <summary>
/// Keeps first/last seen and the interaction count on each profile, adding each batch to them. Every interaction is counted
/// exactly once: a batch is added in the dispatcher's transaction together with the checkpoint's move (a retried batch was
/// rolled back), and a merge folds the merged profile's figures into the survivor's (<see cref="ProfileDirectory"/>) while an
/// interaction of the merged profile not yet counted here is counted on the survivor. Recounting each touched profile's
/// interactions instead was the stream's most expensive statement.
/// </summary>
public sealed class ProfileAggregatesSubscriber : IInteractionSubscriber
{
    public string Name => "customers.profile-aggregates";

    private const string AddToProfiles = """
        UPDATE customers_profiles AS p SET
            "InteractionCount" = p."InteractionCount" + b.n,
            "FirstSeenAt" = LEAST(p."FirstSeenAt", b.first),
            "LastSeenAt" = GREATEST(p."LastSeenAt", b.last)
        FROM unnest($1, $2, $3, $4) AS b(id, n, first, last)
        WHERE p."Id" = b.id
        """;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var live = await LiveProfilesAsync(db, batch.Select(i => i.ProfileId).Distinct().ToList(), ct);
        var figures = batch.GroupBy(i => live(i.ProfileId))
            .Select(g => (Id: g.Key, Count: g.LongCount(), First: g.Min(i => i.OccurredAt), Last: g.Max(i => i.OccurredAt)))
            .ToList();
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            // LEAST and GREATEST skip nulls: a profile's first interaction sets both dates.
            await using var add = new NpgsqlCommand(AddToProfiles, connection);
            add.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. figures.Select(f => f.Id)] });
            add.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. figures.Select(f => f.Count)] });
            add.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. figures.Select(f => f.First)] });
            add.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. figures.Select(f => f.Last)] });
            await add.ExecuteNonQueryAsync(ct);
            return;
        }
        foreach (var (id, count, first, last) in figures) await AddAsync(db, id, count, first, last, ct);
    }

    /// <summary>Adds interactions to one stored profile's figures: the count, and the seen dates widened to take them in.</summary>
    internal static Task AddAsync(CentricDbContext db, Guid profileId, long count, DateTime first, DateTime last, CancellationToken ct) =>
        db.Profiles.Where(p => p.Id == profileId).ExecuteUpdateAsync(s => s
            .SetProperty(p => p.InteractionCount, p => p.InteractionCount + count)
            .SetProperty(p => p.FirstSeenAt, p => p.FirstSeenAt == null || p.FirstSeenAt > first ? first : p.FirstSeenAt)
            .SetProperty(p => p.LastSeenAt, p => p.LastSeenAt == null || p.LastSeenAt < last ? last : p.LastSeenAt), ct);

    /// <summary>
    /// Locks the batch's profiles (in id order, like every other writer of profiles: <see cref="ProfileLocks"/>) and, for a
    /// profile merged meanwhile, its survivor in a further round; returns where each profile's figures belong now. The lock
    /// keeps a merge from folding the figures while this batch adds to them.
    /// </summary>
    private static async Task<Func<Guid, Guid>> LiveProfilesAsync(CentricDbContext db, List<Guid> profiles, CancellationToken ct)
    {
        var into = new Dictionary<Guid, Guid?>();
        var wanted = profiles;
        for (var round = 0; wanted.Count > 0 && round < 20; round++)
        {
            foreach (var chunk in wanted.Chunk(1000))
                foreach (var (id, survivor) in await ProfileLocks.LockAsync(db, chunk.ToDictionary(id => id, _ => ProfileLock.Change), ct))
                    into[id] = survivor;
            foreach (var id in wanted) into.TryAdd(id, null);
            wanted = [.. into.Values.OfType<Guid>().Distinct().Where(id => !into.ContainsKey(id))];
        }
        return id =>
        {
            for (var hops = 0; hops < 20 && into.GetValueOrDefault(id) is { } next; hops++) id = next;
            return id;
        };
    }
}
