using System.Net;
using System.Text.RegularExpressions;

namespace Centric.Testing;

/// <summary>
/// What a browser keeps between requests to the server, without the browser: its own cookies (so many sessions can
/// share one connection pool that handles none) and the antiforgery token of the last page opened, with the portal's
/// forms posted as a browser posts them. Redirects are the caller's to follow. Linked into the tests and the benchmarks.
/// </summary>
internal sealed partial class FormSession(HttpClient http)
{
    private readonly CookieContainer _cookies = new();

    public string? AntiforgeryToken { get; private set; }

    /// <summary>The Cookie header this session sends (for a SignalR connection opened beside it).</summary>
    public string CookieHeader => _cookies.GetCookieHeader(http.BaseAddress!);

    /// <summary>Opens a page: its status and text; the page's antiforgery token, if it has one, is kept for the next form.</summary>
    public async Task<(HttpStatusCode Status, string Html)> OpenAsync(string path)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)));
        var html = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode && Antiforgery(html) is { } token) AntiforgeryToken = token;
        return (response.StatusCode, html);
    }

    /// <summary>Posts a form with its handler name and the kept token: the status and, for a redirect, where it points.</summary>
    public async Task<(HttpStatusCode Status, string? Location)> PostFormAsync(string path, string form, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var body = new List<KeyValuePair<string, string>>(fields) { new("_handler", form), new("__RequestVerificationToken", AntiforgeryToken ?? "") };
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(body) });
        await response.Content.LoadIntoBufferAsync();
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var uri = new Uri(http.BaseAddress!, request.RequestUri!);
        if (_cookies.GetCookieHeader(uri) is { Length: > 0 } cookies) request.Headers.Add("Cookie", cookies);
        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set) _cookies.SetCookies(uri, cookie);
        return response;
    }

    /// <summary>The antiforgery token of a page's form, or null when it has none.</summary>
    public static string? Antiforgery(string html) =>
        AntiforgeryInput().Match(html) is { Success: true } input && InputValue().Match(input.Value) is { Success: true } value
            ? WebUtility.HtmlDecode(value.Groups[1].Value) : null;

    /// <summary>The value of a hidden input on a page, e.g. the form's idempotency key.</summary>
    public static string? Hidden(string html, string name) =>
        HiddenInput().Matches(html).Select(m => m.Value).FirstOrDefault(i => i.Contains($"name=\"{name}\"", StringComparison.Ordinal)) is { } input
            ? WebUtility.HtmlDecode(InputValue().Match(input).Groups[1].Value) : null;

    [GeneratedRegex("<input[^>]*__RequestVerificationToken[^>]*>")]
    private static partial Regex AntiforgeryInput();

    [GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial Regex HiddenInput();

    [GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial Regex InputValue();
}
