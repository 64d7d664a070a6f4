using System.Globalization;
using System.Text.RegularExpressions;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Knowledge;

/// <summary>
/// Full-text search over published articles: the only provider-specific SQL of the knowledge base.
/// SQLite: the FTS5 table <c>support_articles_fts</c> (porter stemming), ranked by bm25 with the title weighing most.
/// PostgreSQL: the generated <c>search_vector</c> column (english configuration, title weight A, category B, body C) with a
/// GIN index, ranked by ts_rank_cd. Both are created, and kept in step with <c>support_articles</c>, by
/// <see cref="ArticleSearchIndexOnSqlite"/> / <see cref="ArticleSearchIndexOnPostgres"/>.
/// A question's words are OR-ed (a customer's paraphrase rarely uses every word of the article) and the last word
/// matches as a prefix, so results follow as someone types.
/// </summary>
public sealed partial class ArticleSearch(CentricDbContext db, ArticleTermStatistics statistics)
{
    // Words that say nothing about which article is meant. PostgreSQL's english configuration drops its own list too;
    // FTS5 has none, so the same list is removed here for both.
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "after", "all", "am", "an", "and", "any", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do",
        "does", "for", "from", "get", "got", "had", "has", "have", "hello", "hi", "how", "i", "if", "im", "in", "into", "is", "it", "its", "just",
        "me", "my", "no", "not", "of", "on", "or", "our", "please", "so", "some", "still", "that", "the", "their", "them", "then", "there",
        "this", "to", "us", "was", "we", "were", "what", "when", "where", "which", "who", "why", "will", "with", "would", "you", "your",
    };

    /// <summary>The searchable words of a query: lower-case letters and digits only, so they are safe inside a match expression.</summary>
    public static List<string> Terms(string? query) =>
        [.. WordPattern().Matches((query ?? "").ToLowerInvariant()).Select(m => m.Value)
            .Where(t => t.Length > 1 && !StopWords.Contains(t)).Distinct().Take(12)];

    public async Task<List<ArticleHit>> SearchAsync(IReadOnlyList<string> terms, int limit, CancellationToken ct)
    {
        if (terms.Count == 0) return [];
        var rows = db.IsPostgres ? await PostgresAsync(terms, limit, ct) : await SqliteAsync(terms, limit, ct);
        return [.. rows.Select(r => new ArticleHit(r.Slug, r.Title, r.Category, Snippet(r.Body, terms), Math.Round(r.Score, 6), r.Id))];
    }

    private Task<List<SearchRow>> SqliteAsync(IReadOnlyList<string> terms, int limit, CancellationToken ct)
    {
        // "refund" OR "card" OR "pay"* — quoted, so a word is never read as an operator.
        var match = string.Join(" OR ", terms.Select((t, i) => i == terms.Count - 1 ? $"\"{t}\"*" : $"\"{t}\""));
        // Ranks inside the FTS table alone and reads articles (and their bodies) only for the few rows kept.
        return db.Database.SqlQuery<SearchRow>($"""
            SELECT a.Id AS Id, a.Slug AS Slug, a.Title AS Title, a.Category AS Category, a.Body AS Body, r.Score AS Score
            FROM (SELECT rowid AS FtsRow, -bm25(support_articles_fts, 4.0, 1.0, 2.0) AS Score
                  FROM support_articles_fts WHERE support_articles_fts MATCH {match}
                  ORDER BY Score DESC LIMIT {limit}) r
            JOIN support_articles_fts f ON f.rowid = r.FtsRow
            JOIN support_articles a ON a.Id = f.article_id
            WHERE a.Published
            ORDER BY r.Score DESC, a.Title
            """).ToListAsync(ct);
    }

    private async Task<List<SearchRow>> PostgresAsync(IReadOnlyList<string> terms, int limit, CancellationToken ct)
    {
        var (exact, prefix) = await PostgresQueryAsync(terms, ct);
        // Normalisation 1 divides by the log of the document length, so long articles do not win on size alone.
        // Ranks in the subquery and reads articles (and their bodies) only for the few rows kept.
        return await db.Database.SqlQuery<SearchRow>($"""
            SELECT a."Id" AS "Id", a."Slug" AS "Slug", a."Title" AS "Title", a."Category" AS "Category", a."Body" AS "Body", r."Score" AS "Score"
            FROM (SELECT s."Id", ts_rank_cd(s.search_vector, q, 1)::float8 AS "Score"
                  FROM support_articles s, (SELECT to_tsquery('simple', {exact}) || to_tsquery('english', {prefix}) AS q) query
                  WHERE s.search_vector @@ q AND s."Published"
                  ORDER BY "Score" DESC LIMIT {limit}) r
            JOIN support_articles a ON a."Id" = r."Id"
            ORDER BY r."Score" DESC, a."Title"
            """).ToListAsync(ct);
    }

    /// <summary>
    /// The OR-ed query as (stemmed exact words, prefix). ts_rank_cd has no inverse document frequency and costs time for every
    /// matching article, so in a large help centre the query keeps its rarest words, as many as fit a budget of candidate
    /// articles, and leaves out the common ones: they say little about which article is meant (bm25 weighs them near zero on
    /// SQLite) and would make most articles candidates. The rarest word is always kept.
    /// </summary>
    private async Task<(string Exact, string Prefix)> PostgresQueryAsync(IReadOnlyList<string> terms, CancellationToken ct)
    {
        var words = string.Join(' ', terms.Take(terms.Count - 1));
        var lexemes = words.Length == 0 ? [] : await db.Database
            .SqlQuery<string>($"SELECT unnest(tsvector_to_array(to_tsvector('english', {words}))) AS \"Value\"").ToListAsync(ct);
        var prefix = terms[^1];
        var stats = await statistics.GetAsync(db, ct);
        if (stats.Articles < ArticleTermStatistics.PruneFrom)
            return (string.Join(" | ", lexemes), prefix + ":*");

        // The prefix counts as one more word, as frequent as all the words it starts.
        var prefixFrequency = stats.Documents.Where(w => w.Key.StartsWith(prefix, StringComparison.Ordinal)).Sum(w => (long)w.Value);
        var byRarity = lexemes.Select(l => (Word: l, Frequency: (long)stats.Documents.GetValueOrDefault(l), IsPrefix: false))
            .Append((Word: prefix, Frequency: prefixFrequency, IsPrefix: true))
            .OrderBy(w => w.Frequency);
        var kept = new List<string>();
        var keepPrefix = false;
        long candidates = 0;
        foreach (var (word, frequency, isPrefix) in byRarity)
        {
            if (candidates > 0 && candidates + frequency > ArticleTermStatistics.CandidateBudget) break;
            candidates += frequency;
            if (isPrefix) keepPrefix = true;
            else kept.Add(word);
        }
        return (string.Join(" | ", kept), keepPrefix ? prefix + ":*" : "");
    }

    /// <summary>About 200 characters of plain text around the first query word found in the body.</summary>
    public static string Snippet(string body, IReadOnlyList<string> terms)
    {
        var plain = HelpArticleStructuredData.Text(body);
        var at = -1;
        foreach (var term in terms)
        {
            // The stem is enough to find "returns" for "returning".
            var stem = term.Length > 5 ? term[..5] : term;
            at = CultureInfo.InvariantCulture.CompareInfo.IndexOf(plain, stem, CompareOptions.IgnoreCase);
            if (at >= 0) break;
        }
        var start = Math.Max(0, at - 60);
        if (start > 0 && plain.IndexOf(' ', start) is var space and >= 0 && space < start + 20) start = space + 1;
        var length = Math.Min(200, plain.Length - start);
        return string.Concat(start > 0 ? "…" : "", plain.AsSpan(start, length), start + length < plain.Length ? "…" : "");
    }

    private sealed class SearchRow
    {
        public Guid Id { get; init; }
        public string Slug { get; init; } = "";
        public string Title { get; init; } = "";
        public string Category { get; init; } = "";
        public string Body { get; init; } = "";
        public double Score { get; init; }
    }

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
