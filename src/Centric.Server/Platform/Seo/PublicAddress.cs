using Centric.Server.Platform.Identity;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Seo;

/// <summary>
/// Absolute addresses of the site's own pages, for what leaves the page (canonical links, Open Graph, the sitemap): from
/// <c>Centric:PublicBaseUrl</c>, or from the request's scheme and host when it is not set.
/// </summary>
public sealed class PublicAddress(IOptions<CentricOptions> options)
{
    /// <summary>The site's root without a trailing slash, e.g. "https://shop.example.com".</summary>
    public string Root(HttpContext? http)
    {
        var configured = options.Value.PublicBaseUrl?.Trim().TrimEnd('/');
        if (!string.IsNullOrEmpty(configured)) return configured;
        return http is null ? "" : $"{http.Request.Scheme}://{http.Request.Host}{http.Request.PathBase}".TrimEnd('/');
    }

    /// <summary><paramref name="pathOrUrl"/> made absolute: a path is joined to <see cref="Root"/>; an absolute http(s) URL is kept.</summary>
    public string Absolute(HttpContext? http, string pathOrUrl)
    {
        if (Uri.TryCreate(pathOrUrl, UriKind.Absolute, out var absolute) && absolute.Scheme is "http" or "https") return pathOrUrl;
        return Root(http) + "/" + pathOrUrl.TrimStart('/');
    }
}
