using System.Globalization;
using System.Text;
using System.Xml;

namespace Centric.Server.Platform.Seo;

/// <summary>
/// What search engines read before the pages: <c>/robots.txt</c> (crawl the shop and the help centre, keep out of accounts,
/// the console, the API and the checkout) and <c>/sitemap.xml</c> (every public page the modules list, with absolute addresses).
/// </summary>
internal static class SearchEngineFiles
{
    /// <summary>Private or per-visitor areas: nothing there is worth indexing, and most of it answers a sign-in page.</summary>
    public static readonly string[] Disallowed =
    [
        "/console", "/Account", "/account", "/api/", "/orders", "/returns", "/cart", "/checkout", "/support", "/notifications", "/chat/",
        "/shop/suggest", "/shop/gtin/", "/shop/barcode", "/swagger", "/openapi/", "/health", "/metrics", "/_blazor", "/not-found", "/error", "/Error",
    ];

    public static IEndpointRouteBuilder MapSearchEngineFiles(this IEndpointRouteBuilder app)
    {
        app.MapGet("/robots.txt", Robots).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/sitemap.xml", SitemapAsync).AllowAnonymous().ExcludeFromDescription();
        return app;
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ContentHttpResult Robots(HttpContext http, PublicAddress address)
    {
        var text = new StringBuilder();
        text.Append("User-agent: *\n");
        text.Append("Allow: /\n");
        foreach (var path in Disallowed) text.Append("Disallow: ").Append(path).Append('\n');
        text.Append('\n').Append("Sitemap: ").Append(address.Absolute(http, "/sitemap.xml")).Append('\n');
        return TypedResults.Text(text.ToString(), "text/plain; charset=utf-8");
    }

    private static async Task<Microsoft.AspNetCore.Http.HttpResults.FileContentHttpResult> SitemapAsync(HttpContext http, PublicAddress address, IEnumerable<IPublicPages> sources, CancellationToken ct)
    {
        var pages = new List<PublicPage> { new("/") };
        foreach (var source in sources) pages.AddRange(await source.ListAsync(ct));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Async = true, Indent = false };
        await using (var xml = XmlWriter.Create(buffer, settings))
        {
            await xml.WriteStartDocumentAsync();
            await xml.WriteStartElementAsync(null, "urlset", "http://www.sitemaps.org/schemas/sitemap/0.9");
            foreach (var page in pages.Where(p => seen.Add(p.Path)).Take(PublicPage.MaxPerSitemap))
            {
                await xml.WriteStartElementAsync(null, "url", null);
                await xml.WriteElementStringAsync(null, "loc", null, address.Absolute(http, page.Path));
                if (page.LastModified is { } changed)
                    await xml.WriteElementStringAsync(null, "lastmod", null, DateTime.SpecifyKind(changed, DateTimeKind.Utc).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                await xml.WriteEndElementAsync();
            }
            await xml.WriteEndElementAsync();
            await xml.WriteEndDocumentAsync();
        }
        return TypedResults.Bytes(buffer.ToArray(), "application/xml; charset=utf-8");
    }
}
