namespace Centric.Server.Support.Knowledge;

/// <summary>
/// A help article. Title, Body and Category are the live (published) text that the help centre shows and search indexes;
/// edits are kept as <see cref="ArticleVersion"/>s and only reach these fields when a version is published.
/// Before the first publish they hold the latest draft, which stays out of search while <see cref="Published"/> is false.
/// </summary>
public sealed class Article
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public required string Title { get; set; }
    /// <summary>Markdown; raw HTML in it is shown as text, never rendered.</summary>
    public required string Body { get; set; }
    public string Category { get; set; } = "General";
    public bool Published { get; set; }
    /// <summary>The version number that is live (null before the first publish).</summary>
    public int? PublishedVersion { get; set; }
    /// <summary>The newest version number; newer than <see cref="PublishedVersion"/> means a draft is waiting.</summary>
    public int LatestVersion { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool HasDraft => LatestVersion > (PublishedVersion ?? 0);
}

/// <summary>One saved edit of an article. Versions are never changed or deleted; publishing copies one onto the article.</summary>
public sealed class ArticleVersion
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ArticleId { get; set; }
    public int Number { get; set; }
    public required string Title { get; set; }
    public required string Body { get; set; }
    public required string Category { get; set; }
    /// <summary>The staff user who saved it (null for the demo seed and imports).</summary>
    public string? SavedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    /// <summary>When this version last went live.</summary>
    public DateTime? PublishedAt { get; set; }
}

/// <summary>
/// A former address of an article (<c>/help/{slug}</c>) after staff gave it a new one, kept so that links in mails, macros
/// and search results keep working: it answers a permanent redirect to the article's address now. An address is live for
/// at most one article: when an article takes it (new or moved), its former-address row goes.
/// </summary>
public sealed class ArticleSlugRedirect
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string Slug { get; set; }
    public Guid ArticleId { get; set; }
    public DateTime CreatedAt { get; set; }
}

/// <summary>A "was this helpful?" answer: one per visitor per article; answering again changes it.</summary>
public sealed class ArticleFeedback
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ArticleId { get; set; }
    /// <summary>The portal visitor id (the shop's visitor cookie), so signed-in or not, one browser has one vote.</summary>
    public required string VisitorId { get; set; }
    public bool Helpful { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

public sealed record ArticleInput(string Title, string? Slug, string Body, string? Category, bool Published);

/// <summary>A search result; the same shape on SQLite and PostgreSQL. Score is the provider's relevance (higher is better).</summary>
public sealed record ArticleHit(string Slug, string Title, string Category, string Snippet, double Score, Guid Id);

public sealed record ArticleVotes(int Helpful, int NotHelpful);
