using System.Text.RegularExpressions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Ganss.Xss;
using Markdig;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Knowledge;

/// <summary>
/// Help articles: versioned editing (every save is a version; publishing one makes it live), full-text search
/// (<see cref="ArticleSearch"/>), safe rendering, "was this helpful?" votes and the help-centre interactions
/// (help_searched, help_article_viewed, help_article_rated, help_deflected).
/// </summary>
public sealed partial class KnowledgeBase(CentricDbContext db, ArticleSearch search, ArticleTermStatistics statistics, HtmlSanitizer sanitizer,
    InteractionLog interactions, TimeProvider clock)
{
    /// <summary>The longest address (slug) an article has.</summary>
    public const int MaxSlugLength = 120;

    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().DisableHtml().Build();

    /// <summary>Published articles best matching <paramref name="query"/>; with no searchable words, the first articles by category.</summary>
    public async Task<List<ArticleHit>> SearchAsync(string? query, int limit, CancellationToken ct)
    {
        limit = Math.Clamp(limit, 1, 50);
        var terms = ArticleSearch.Terms(query);
        if (terms.Count > 0) return await search.SearchAsync(terms, limit, ct);
        var first = await db.Articles.AsNoTracking().Where(a => a.Published).OrderBy(a => a.Category).ThenBy(a => a.Title).Take(limit).ToListAsync(ct);
        return [.. first.Select(a => new ArticleHit(a.Slug, a.Title, a.Category, ArticleSearch.Snippet(a.Body, []), 0, a.Id))];
    }

    public Task<Article?> FindPublishedAsync(string slug, CancellationToken ct) =>
        db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Slug == slug && a.Published, ct);

    public Task<Article?> FindAsync(string slug, CancellationToken ct) => db.Articles.FirstOrDefaultAsync(a => a.Slug == slug, ct);

    public Task<List<Article>> ListAsync(CancellationToken ct) =>
        db.Articles.AsNoTracking().OrderBy(a => a.Category).ThenBy(a => a.Title).Take(1000).ToListAsync(ct);

    public Task<List<ArticleVersion>> VersionsAsync(Guid articleId, CancellationToken ct) =>
        db.ArticleVersions.AsNoTracking().Where(v => v.ArticleId == articleId).OrderByDescending(v => v.Number).Take(200).ToListAsync(ct);

    /// <summary>The current slug of the published article that used to live at <paramref name="formerSlug"/>, or null.</summary>
    public Task<string?> CurrentSlugForAsync(string formerSlug, CancellationToken ct) =>
        (from r in db.ArticleSlugRedirects
         join a in db.Articles on r.ArticleId equals a.Id
         where r.Slug == formerSlug && a.Published && a.Slug != formerSlug
         select a.Slug).FirstOrDefaultAsync(ct);

    /// <summary>
    /// Saves an edit as a new version of the article with <paramref name="existingSlug"/> (or a new article). The live text
    /// changes only when <see cref="ArticleInput.Published"/> asks to publish this version; otherwise it waits as a draft.
    /// The address (slug) is not versioned: a new one applies at once, and the old one is kept leading to it.
    /// </summary>
    public async Task<Article> SaveAsync(string? existingSlug, ArticleInput input, CancellationToken ct, string? savedBy = null)
    {
        var title = input.Title?.Trim() ?? "";
        if (title.Length is 0 or > 200) throw RequestValidationException.For("title", "Required, at most 200 characters.");
        if (string.IsNullOrWhiteSpace(input.Body) || input.Body.Length > 100_000) throw RequestValidationException.For("body", "Required, at most 100,000 characters.");
        var slug = Slugify(string.IsNullOrWhiteSpace(input.Slug) ? title : input.Slug);
        if (slug.Length == 0) throw RequestValidationException.For("slug", "Letters or digits needed.");
        var category = string.IsNullOrWhiteSpace(input.Category) ? "General" : input.Category.Trim()[..Math.Min(input.Category.Trim().Length, 100)];
        var now = clock.GetUtcNow().UtcDateTime;
        var article = existingSlug is null ? null : await FindAsync(existingSlug, ct);
        if (slug != article?.Slug && await db.Articles.AnyAsync(a => a.Slug == slug, ct))
            throw new DomainException("article-slug-taken", $"Another article already uses /help/{slug}.");
        if (slug != article?.Slug)
        {
            // The address goes live for this article: a former-address record of it (any article's) goes.
            foreach (var stale in await db.ArticleSlugRedirects.Where(r => r.Slug == slug).ToListAsync(ct)) db.ArticleSlugRedirects.Remove(stale);
        }
        if (article is null)
        {
            // Until its first publish an article carries its latest draft, unpublished and outside search.
            article = new Article { Slug = slug, Title = title, Body = input.Body, Category = category, CreatedAt = now };
            db.Articles.Add(article);
        }
        else if (slug != article.Slug)
        {
            // Links to the old address (mails, macros, bookmarks, search results) lead here from now on.
            var former = await db.ArticleSlugRedirects.FirstOrDefaultAsync(r => r.Slug == article.Slug, ct);
            if (former is null) db.ArticleSlugRedirects.Add(new ArticleSlugRedirect { Slug = article.Slug, ArticleId = article.Id, CreatedAt = now });
            else former.ArticleId = article.Id;
        }
        article.Slug = slug;
        article.LatestVersion++;
        article.UpdatedAt = now;
        var version = new ArticleVersion
        {
            ArticleId = article.Id, Number = article.LatestVersion, Title = title, Body = input.Body, Category = category, SavedBy = savedBy, CreatedAt = now,
        };
        db.ArticleVersions.Add(version);
        if (input.Published) MakeLive(article, version, now);
        else if (article.PublishedVersion is null) (article.Title, article.Body, article.Category) = (title, input.Body, category);
        await db.SaveChangesAsync(ct);
        if (input.Published) statistics.MarkChanged();
        return article;
    }

    /// <summary>
    /// How much of a question an article covers: the share of the question's searchable words found in the article's
    /// title, category or text (a word counts when an article word starts with its first five letters, so "refunds" finds
    /// "refunded"). Unlike search scores it means the same on every database.
    /// </summary>
    public async Task<double> CoverageAsync(ArticleHit hit, string question, CancellationToken ct)
    {
        var terms = ArticleSearch.Terms(question);
        if (terms.Count == 0) return 0;
        var article = await db.Articles.AsNoTracking().FirstOrDefaultAsync(a => a.Id == hit.Id, ct);
        if (article is null) return 0;
        var words = WordPattern().Matches($"{article.Title} {article.Category} {article.Body}".ToLowerInvariant())
            .Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return terms.Count(t => words.Any(w => w.StartsWith(t[..Math.Min(t.Length, 5)], StringComparison.Ordinal))) / (double)terms.Count;
    }

    /// <summary>Makes a version (by default the newest) the live text; earlier versions stay to go back to.</summary>
    public async Task<Article> PublishAsync(string slug, int? versionNumber, CancellationToken ct)
    {
        var article = await FindAsync(slug, ct) ?? throw new DomainException("article-not-found", $"No article /help/{slug}.", StatusCodes.Status404NotFound);
        var number = versionNumber ?? article.LatestVersion;
        var version = await db.ArticleVersions.FirstOrDefaultAsync(v => v.ArticleId == article.Id && v.Number == number, ct)
            ?? throw new DomainException("article-version-not-found", $"Article /help/{slug} has no version {number}.", StatusCodes.Status404NotFound);
        MakeLive(article, version, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        statistics.MarkChanged();
        return article;
    }

    /// <summary>Takes the article off the help centre and out of search; its versions stay.</summary>
    public async Task<Article> UnpublishAsync(string slug, CancellationToken ct)
    {
        var article = await FindAsync(slug, ct) ?? throw new DomainException("article-not-found", $"No article /help/{slug}.", StatusCodes.Status404NotFound);
        article.Published = false;
        article.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        statistics.MarkChanged();
        return article;
    }

    private static void MakeLive(Article article, ArticleVersion version, DateTime now)
    {
        (article.Title, article.Body, article.Category) = (version.Title, version.Body, version.Category);
        article.Published = true;
        article.PublishedVersion = version.Number;
        article.UpdatedAt = now;
        version.PublishedAt = now;
    }

    /// <summary>Markdown to HTML that is safe to show: raw HTML is disabled in the pipeline and the result is sanitised as well.</summary>
    public string Render(Article article) => RenderMarkdown(article.Body);

    public string RenderMarkdown(string markdown) => sanitizer.Sanitize(Markdown.ToHtml(markdown, Pipeline));

    /// <summary>Records a visitor's "was this helpful?" answer; a second answer from the same visitor replaces the first.</summary>
    public async Task<ArticleVotes> VoteAsync(Article article, string visitorId, bool helpful, Guid profileId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var vote = await db.ArticleFeedback.FirstOrDefaultAsync(f => f.ArticleId == article.Id && f.VisitorId == visitorId, ct);
                if (vote is null) db.ArticleFeedback.Add(vote = new ArticleFeedback { ArticleId = article.Id, VisitorId = visitorId, CreatedAt = now });
                vote.Helpful = helpful;
                vote.UpdatedAt = now;
                interactions.Append(db, profileId, InteractionTypes.HelpArticleRated, "web", new HelpArticleRatedProperties(article.Slug, article.Id, helpful),
                    sourceKind: "article", sourceId: article.Slug);
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                // Two clicks from one visitor raced on the (article, visitor) key; the second becomes an update.
                db.ChangeTracker.Clear();
            }
        }
        return await VotesAsync(article.Id, ct);
    }

    public async Task<ArticleVotes> VotesAsync(Guid articleId, CancellationToken ct)
    {
        var counts = await db.ArticleFeedback.Where(f => f.ArticleId == articleId).GroupBy(f => f.Helpful)
            .Select(g => new { Helpful = g.Key, Count = g.Count() }).ToListAsync(ct);
        return new ArticleVotes(counts.Where(c => c.Helpful).Sum(c => c.Count), counts.Where(c => !c.Helpful).Sum(c => c.Count));
    }

    /// <summary>A search someone finished typing (not every keystroke): the query and what it found.</summary>
    public async Task RecordSearchAsync(Guid profileId, string query, IReadOnlyList<ArticleHit> hits, string place, CancellationToken ct)
    {
        interactions.Append(db, profileId, InteractionTypes.HelpSearched, "web",
            new HelpSearchedProperties(query.Trim()[..Math.Min(query.Trim().Length, 200)], hits.Count, [.. hits.Take(3).Select(h => h.Slug)], place));
        await db.SaveChangesAsync(ct);
    }

    public async Task RecordViewAsync(Guid profileId, Article article, CancellationToken ct)
    {
        interactions.Append(db, profileId, InteractionTypes.HelpArticleViewed, "web", new HelpArticleProperties(article.Slug, article.Id),
            sourceKind: "article", sourceId: article.Slug);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The customer said an article answered the question they were about to send, and sent nothing.</summary>
    public async Task RecordDeflectionAsync(Guid profileId, Article article, string? question, CancellationToken ct)
    {
        var text = question?.Trim() ?? "";
        interactions.Append(db, profileId, InteractionTypes.HelpDeflected, "web",
            new HelpDeflectedProperties(article.Slug, article.Id, text[..Math.Min(text.Length, 300)]),
            sourceKind: "article", sourceId: article.Slug);
        await db.SaveChangesAsync(ct);
    }

    public static string Slugify(string text) => Platform.Http.Slugs.From(text, MaxSlugLength);

    [GeneratedRegex(@"[\p{L}\p{N}]+")]
    private static partial Regex WordPattern();
}
