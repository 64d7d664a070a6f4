using System.Text.RegularExpressions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Ganss.Xss;
using Markdig;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Knowledge;

/// <summary>A help article: markdown written by staff, public once published.</summary>
public sealed class Article
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Title { get; set; }
    /// <summary>Markdown; raw HTML in it is shown as text, never rendered.</summary>
    public required string Body { get; set; }
    public string Category { get; set; } = "General";
    public bool Published { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed record ArticleInput(string Title, string? Slug, string Body, string? Category, bool Published);

public sealed record ArticleHit(string Slug, string Title, string Category, string Snippet, int Score);

/// <summary>
/// Articles and search. Search scores published articles in C# (title terms weigh more than body terms, a whole phrase in
/// the title most), which behaves the same on SQLite and PostgreSQL; it reads every published article, fine for hundreds.
/// A real full-text index (FTS5 / tsvector) replaces it when a help centre grows past that.
/// </summary>
public sealed partial class KnowledgeBase(CentricDbContext db, HtmlSanitizer sanitizer, TimeProvider clock)
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    { "a", "an", "and", "are", "as", "at", "be", "can", "do", "for", "from", "how", "i", "in", "is", "it", "my", "of", "on", "or", "the", "to", "what", "with", "you", "your" };

    public async Task<List<ArticleHit>> SearchAsync(string? query, int limit, CancellationToken ct)
    {
        var terms = Terms(query);
        var articles = await db.Articles.AsNoTracking().Where(a => a.Published).Take(2000).ToListAsync(ct);
        if (terms.Count == 0)
            return [.. articles.OrderBy(a => a.Category).ThenBy(a => a.Title).Take(limit).Select(a => new ArticleHit(a.Slug, a.Title, a.Category, Snippet(a.Body, null), 0))];
        var phrase = string.Join(' ', terms);
        return [.. articles
            .Select(a => (Article: a, Score: Score(a, terms, phrase)))
            .Where(x => x.Score > 0)
            .OrderByDescending(x => x.Score).ThenBy(x => x.Article.Title)
            .Take(limit)
            .Select(x => new ArticleHit(x.Article.Slug, x.Article.Title, x.Article.Category, Snippet(x.Article.Body, terms[0]), x.Score))];
    }

    public Task<Article?> FindPublishedAsync(string slug, CancellationToken ct) =>
        db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug && a.Published, ct);

    public Task<Article?> FindAsync(string slug, CancellationToken ct) => db.Articles.FirstOrDefaultAsync(a => a.Slug == slug, ct);

    public Task<List<Article>> ListAsync(CancellationToken ct) =>
        db.Articles.AsNoTracking().OrderBy(a => a.Category).ThenBy(a => a.Title).Take(1000).ToListAsync(ct);

    /// <summary>Creates an article, or updates the one with <paramref name="existingSlug"/>.</summary>
    public async Task<Article> SaveAsync(string? existingSlug, ArticleInput input, CancellationToken ct)
    {
        var title = input.Title?.Trim() ?? "";
        if (title.Length is 0 or > 200) throw RequestValidationException.For("title", "Required, at most 200 characters.");
        if (string.IsNullOrWhiteSpace(input.Body) || input.Body.Length > 100_000) throw RequestValidationException.For("body", "Required, at most 100,000 characters.");
        var slug = Slugify(string.IsNullOrWhiteSpace(input.Slug) ? title : input.Slug);
        if (slug.Length == 0) throw RequestValidationException.For("slug", "Letters or digits needed.");
        var now = clock.GetUtcNow().UtcDateTime;
        var article = existingSlug is null ? null : await FindAsync(existingSlug, ct);
        if (slug != article?.Slug && await db.Articles.AnyAsync(a => a.Slug == slug, ct))
            throw new DomainException("article-slug-taken", $"Another article already uses /help/{slug}.");
        if (article is null)
        {
            article = new Article { Slug = slug, Title = title, Body = input.Body, CreatedAt = now };
            db.Articles.Add(article);
        }
        (article.Slug, article.Title, article.Body) = (slug, title, input.Body);
        article.Category = string.IsNullOrWhiteSpace(input.Category) ? "General" : input.Category.Trim()[..Math.Min(input.Category.Trim().Length, 100)];
        article.Published = input.Published;
        article.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
        return article;
    }

    /// <summary>Markdown to HTML that is safe to show: raw HTML is disabled in the pipeline and the result is sanitised as well.</summary>
    public string Render(Article article) => sanitizer.Sanitize(Markdown.ToHtml(article.Body, Pipeline));

    private static int Score(Article a, List<string> terms, string phrase)
    {
        var title = a.Title.ToLowerInvariant();
        var body = a.Body.ToLowerInvariant();
        var score = terms.Count > 1 && title.Contains(phrase, StringComparison.Ordinal) ? 10 : 0;
        var matched = 0;
        foreach (var term in terms)
        {
            var inTitle = title.Contains(term, StringComparison.Ordinal);
            var inBody = Math.Min(Occurrences(body, term), 5);
            if (inTitle || inBody > 0) matched++;
            score += (inTitle ? 5 : 0) + inBody + (a.Category.Contains(term, StringComparison.OrdinalIgnoreCase) ? 2 : 0);
        }
        // Articles that match every term rank above those that match some.
        return matched == 0 ? 0 : score + (matched == terms.Count ? 5 : 0);
    }

    private static int Occurrences(string text, string term)
    {
        var count = 0;
        for (var i = text.IndexOf(term, StringComparison.Ordinal); i >= 0 && count < 5; i = text.IndexOf(term, i + term.Length, StringComparison.Ordinal)) count++;
        return count;
    }

    private static List<string> Terms(string? query) =>
        [.. WordPattern().Matches((query ?? "").ToLowerInvariant()).Select(m => m.Value).Where(t => t.Length > 1 && !StopWords.Contains(t)).Distinct().Take(12)];

    private static string Snippet(string body, string? term)
    {
        var plain = MarkupPattern().Replace(body, " ").Trim();
        var at = term is null ? -1 : plain.IndexOf(term, StringComparison.OrdinalIgnoreCase);
        var start = Math.Max(0, at - 60);
        var length = Math.Min(200, plain.Length - start);
        return string.Concat(start > 0 ? "…" : "", plain.AsSpan(start, length), start + length < plain.Length ? "…" : "");
    }

    public static string Slugify(string text) =>
        SlugPattern().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-') is var s && s.Length > 120 ? s[..120].Trim('-') : s;

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"[#*_>`\[\]()!\s]+")]
    private static partial Regex MarkupPattern();

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex SlugPattern();
}
