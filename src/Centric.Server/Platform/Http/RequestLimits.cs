using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Centric.Server.Platform.Http;

/// <summary>
/// Limits on the request line and headers, and storable text in the query string, answered as problems (RFC 9457).
/// Kestrel's own limits answer with an empty body it writes itself, so they are set well above these: a request
/// over our limit reaches this middleware and gets a problem; only an absurd one (over Kestrel's) gets Kestrel's answer.
/// </summary>
internal static class RequestLimits
{
    public const int MaxUrlLength = 8 * 1024;
    public const int MaxHeaderBytes = 32 * 1024;

    public static void ConfigureKestrel(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 256 * 1024;
        kestrel.Limits.MaxRequestHeadersTotalSize = 128 * 1024;
    }

    public static async Task CheckAsync(HttpContext http, RequestDelegate next)
    {
        var request = http.Request;
        if (request.Path.Value?.Length + request.QueryString.Value?.Length > MaxUrlLength)
        {
            await WriteAsync(http, 414, ProblemTypes.UriTooLong, "The URL is too long.", $"At most {MaxUrlLength} characters of path and query.");
            return;
        }
        var headerBytes = 0;
        foreach (var (name, values) in request.Headers)
        {
            headerBytes += name.Length + 4;
            foreach (var value in values) headerBytes += value?.Length ?? 0;
        }
        if (headerBytes > MaxHeaderBytes)
        {
            await WriteAsync(http, 431, ProblemTypes.HeadersTooLarge, "The request headers are too large.", $"At most {MaxHeaderBytes / 1024} KiB of headers.");
            return;
        }
        if (!StorableText.IsStorable(request.Path.Value))
        {
            await WriteAsync(http, 400, ProblemTypes.Validation, "The request is invalid.", "path: " + StorableText.Rule);
            return;
        }
        foreach (var (name, values) in request.Query)
        {
            if (StorableText.IsStorable(name) && values.All(v => StorableText.IsStorable(v))) continue;
            await WriteAsync(http, 400, ProblemTypes.Validation, "The request is invalid.", $"{name}: {StorableText.Rule}",
                new Dictionary<string, string[]> { [StorableText.IsStorable(name) ? name : "query"] = [StorableText.Rule] });
            return;
        }
        await next(http);
    }

    private static async Task WriteAsync(HttpContext http, int status, string type, string title, string detail, IDictionary<string, string[]>? errors = null)
    {
        http.Response.StatusCode = status;
        ProblemDetails problem = errors is null ? new ProblemDetails() : new HttpValidationProblemDetails(errors);
        (problem.Status, problem.Type, problem.Title, problem.Detail) = (status, type, title, detail);
        if (!await http.RequestServices.GetRequiredService<IProblemDetailsService>().TryWriteAsync(new() { HttpContext = http, ProblemDetails = problem }))
            await http.Response.WriteAsync($"{title} {detail}");
    }
}
