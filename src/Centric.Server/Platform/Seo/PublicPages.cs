namespace Centric.Server.Platform.Seo;

/// <summary>One public page for search engines: its path (from the site's root, starting with "/") and when its content last changed, if known.</summary>
public sealed record PublicPage(string Path, DateTime? LastModified = null)
{
    /// <summary>A sitemap holds at most 50,000 addresses (sitemaps.org); past that it would need an index of several files.</summary>
    public const int MaxPerSitemap = 50_000;
}

/// <summary>
/// Platform asks, the modules answer (Commerce: the shop and every product for sale; Support: the help centre and every
/// published article): the pages listed in <c>/sitemap.xml</c>.
/// </summary>
public interface IPublicPages
{
    Task<IReadOnlyList<PublicPage>> ListAsync(CancellationToken ct);
}
