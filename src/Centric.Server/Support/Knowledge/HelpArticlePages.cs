using System.Globalization;
using System.Text.Json.Nodes;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Seo;
using Markdig;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Knowledge;

/// <summary>
/// A help article as search engines read it. An article shaped as questions and answers — a title that asks and a body
/// that answers, or a body whose every heading asks — is a schema.org FAQPage; any other is an Article.
/// </summary>
internal static class HelpArticleStructuredData
{
    private static readonly MarkdownPipeline PlainText = new MarkdownPipelineBuilder().DisableHtml().Build();

    public static string Description(Article article) => SeoText.Summary(Text(article.Body));

    public static JsonObject For(Article article, string url)
    {
        var questions = Questions(article);
        if (questions.Count > 0)
        {
            return new JsonObject
            {
                ["@context"] = "https://schema.org",
                ["@type"] = "FAQPage",
                ["name"] = article.Title,
                ["url"] = url,
                ["mainEntity"] = new JsonArray([.. questions.Select(q => (JsonNode)new JsonObject
                {
                    ["@type"] = "Question",
                    ["name"] = q.Question,
                    ["acceptedAnswer"] = new JsonObject { ["@type"] = "Answer", ["text"] = q.Answer },
                })]),
            };
        }
        return new JsonObject
        {
            ["@context"] = "https://schema.org",
            ["@type"] = "Article",
            ["headline"] = SeoText.Summary(article.Title, 110),
            ["description"] = Description(article),
            ["articleSection"] = article.Category,
            ["url"] = url,
            ["mainEntityOfPage"] = url,
            ["datePublished"] = Iso(article.CreatedAt),
            ["dateModified"] = Iso(article.UpdatedAt),
            ["publisher"] = new JsonObject { ["@type"] = "Organization", ["name"] = "Centric" },
        };
    }

    /// <summary>
    /// The article's questions with their answers as plain text: each heading of the body that ends in "?" with the text up to
    /// the next heading, when every heading asks; or the title and the whole body, when the title asks and the body has no headings.
    /// </summary>
    public static List<(string Question, string Answer)> Questions(Article article)
    {
        var sections = new List<(string Heading, List<string> Lines)>();
        var intro = new List<string>();
        var fenced = false;
        foreach (var line in article.Body.Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            if (trimmed.TrimStart().StartsWith("```", StringComparison.Ordinal)) fenced = !fenced;
            if (!fenced && trimmed.StartsWith('#') && trimmed.TrimStart('#') is { Length: > 0 } rest && rest[0] == ' ')
                sections.Add((rest.Trim().TrimEnd('#').Trim(), []));
            else if (sections.Count > 0) sections[^1].Lines.Add(trimmed);
            else intro.Add(trimmed);
        }
        if (sections.Count == 0)
            return article.Title.TrimEnd().EndsWith('?') && Text(article.Body) is { Length: > 0 } answer ? [(article.Title.Trim(), answer)] : [];
        if (!sections.All(s => s.Heading.EndsWith('?'))) return [];
        var pairs = sections.Select(s => (Question: Text(s.Heading), Answer: Text(string.Join('\n', s.Lines)))).ToList();
        return pairs.All(p => p.Answer.Length > 0) ? pairs : [];
    }

    /// <summary>An article's Markdown as the words a reader sees, on one line ("**Account → Security**, then" reads "Account → Security, then").</summary>
    internal static string Text(string markdown) =>
        string.Join(' ', Markdown.ToPlainText(markdown, PlainText).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Iso(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>Support's pages for search engines: the help centre and every published article, dated by when its live text was published.</summary>
internal sealed class HelpPublicPages(CentricDbContext db) : IPublicPages
{
    public async Task<IReadOnlyList<PublicPage>> ListAsync(CancellationToken ct)
    {
        var articles = await (from a in db.Articles.AsNoTracking()
                              where a.Published
                              join v in db.ArticleVersions on new { a.Id, Number = a.PublishedVersion ?? 0 } equals new { Id = v.ArticleId, v.Number } into live
                              from v in live.DefaultIfEmpty()
                              orderby a.Slug
                              select new { a.Slug, PublishedAt = v == null ? (DateTime?)null : v.PublishedAt, a.UpdatedAt })
            .Take(PublicPage.MaxPerSitemap).ToListAsync(ct);
        return [new PublicPage("/help"), .. articles.Select(a => new PublicPage("/help/" + Uri.EscapeDataString(a.Slug), a.PublishedAt ?? a.UpdatedAt))];
    }
}
