using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Knowledge;

/// <summary>
/// PostgreSQL only: in how many published articles each stemmed word occurs (ts_stat over the search vectors), read at most
/// every few minutes, or sooner once articles are published or withdrawn here, and shared by all requests. Search uses it to
/// leave out words too common to help (see ArticleSearch). A word from an article published since the last read counts as
/// rare, which is the safe side.
/// </summary>
public sealed class ArticleTermStatistics(TimeProvider clock) : IDisposable
{
    /// <summary>Below this many articles every word is searched: ranking a few hundred candidates is cheap.</summary>
    public const int PruneFrom = 500;

    /// <summary>How many matching articles a query may rank, summed over its words' article counts (see ArticleSearch).</summary>
    public const long CandidateBudget = 400;
    private static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);
    // After a change, re-read at most this often, so a bulk import does not re-read on every search.
    private static readonly TimeSpan MinAgeAfterChange = TimeSpan.FromSeconds(10);
    private long _changedAtTicks;
    private readonly SemaphoreSlim _loading = new(1, 1);
    private Snapshot? _current;

    public sealed record Snapshot(int Articles, Dictionary<string, int> Documents, DateTimeOffset ReadAt);

    /// <summary>Published articles changed: the next read after a short while counts words again.</summary>
    public void MarkChanged() => Interlocked.Exchange(ref _changedAtTicks, clock.GetUtcNow().UtcTicks);

    private bool IsFresh(Snapshot snapshot)
    {
        var age = clock.GetUtcNow() - snapshot.ReadAt;
        var changedSince = Interlocked.Read(ref _changedAtTicks) >= snapshot.ReadAt.UtcTicks;
        return age < MaxAge && (!changedSince || age < MinAgeAfterChange);
    }

    public async Task<Snapshot> GetAsync(CentricDbContext db, CancellationToken ct)
    {
        if (_current is { } fresh && IsFresh(fresh)) return fresh;
        await _loading.WaitAsync(ct);
        try
        {
            if (_current is { } loaded && IsFresh(loaded)) return loaded;
            var articles = await db.Articles.CountAsync(a => a.Published, ct);
            // Counting words is only worth it where they are pruned.
            var words = articles < PruneFrom ? [] : await db.Database.SqlQuery<WordCount>($"""
                SELECT word AS "Word", ndoc AS "Documents" FROM ts_stat('SELECT search_vector FROM support_articles WHERE "Published"')
                """).ToListAsync(ct);
            return _current = new Snapshot(articles, words.ToDictionary(w => w.Word, w => w.Documents, StringComparer.Ordinal), clock.GetUtcNow());
        }
        finally
        {
            _loading.Release();
        }
    }

    public void Dispose() => _loading.Dispose();

    private sealed class WordCount
    {
        public string Word { get; init; } = "";
        public int Documents { get; init; }
    }
}
