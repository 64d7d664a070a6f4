using Microsoft.Playwright;

namespace Centric.Bench.Commerce;

/// <summary>
/// The order page itself in a real browser: Chromium (headless, Debian's /usr/bin/chromium) opens the customer's order
/// pages, whose tracking panel is a Blazor Server component; a MutationObserver notes the wall-clock moment each page's
/// status changes. Latency is from the webhook's send (bench clock) to that moment (browser clock): one machine, one
/// system clock, millisecond resolution.
/// </summary>
internal sealed class BrowserOrderPages : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;
    private readonly Dictionary<string, IPage> _pages = new(StringComparer.Ordinal);

    private BrowserOrderPages(IPlaywright playwright, IBrowser browser) => (_playwright, _browser) = (playwright, browser);

    // Records each change of the live status with the time it was drawn.
    private const string Watch = """
        () => {
          window.__changes = [];
          let last = document.getElementById('order-status')?.textContent;
          new MutationObserver(() => {
            const now = performance.timeOrigin + performance.now();
            const text = document.getElementById('order-status')?.textContent;
            if (text !== last) { last = text; window.__changes.push({ status: text, at: now }); }
          }).observe(document.getElementById('order-live'), { subtree: true, childList: true, characterData: true });
        }
        """;

    /// <summary>Opens one page per order, signed in with the customer's cookies, and waits for each page's live circuit.</summary>
    public static async Task<BrowserOrderPages> OpenAsync(Uri baseUrl, string cookieHeader, IEnumerable<string> orders)
    {
        if (!File.Exists(ChromiumPath)) throw new InvalidOperationException($"the browser phase needs Chromium at {ChromiumPath} (apt-get install chromium), or --browser-pages 0");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath, Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
        var pages = new BrowserOrderPages(playwright, browser);
        var context = await browser.NewContextAsync();
        await context.AddCookiesAsync(cookieHeader.Split("; ", StringSplitOptions.RemoveEmptyEntries).Select(c =>
            new Cookie { Name = c[..c.IndexOf('=', StringComparison.Ordinal)], Value = c[(c.IndexOf('=', StringComparison.Ordinal) + 1)..], Url = baseUrl.ToString() }));
        foreach (var order in orders)
        {
            var page = await context.NewPageAsync();
            var circuit = page.WaitForWebSocketAsync(new() { Predicate = s => s.Url.Contains("_blazor", StringComparison.Ordinal) });
            await page.GotoAsync(new Uri(baseUrl, $"/orders/{order}").ToString());
            await circuit;
            pages._pages[order] = page;
        }
        // The circuits render their first batch right after connecting; then every page watches its status.
        await Task.Delay(2000);
        foreach (var page in pages._pages.Values) await page.EvaluateAsync(Watch);
        return pages;
    }

    /// <summary>When the order's page showed the status (in the page's words), in Unix milliseconds; null if it never did.</summary>
    public Task<double?> ShownAtAsync(string order, string status) =>
        _pages[order].EvaluateAsync<double?>("s => window.__changes.find(c => c.status === s)?.at ?? null", status);

    public static double NowUnixMs() => (TimeProvider.System.GetUtcNow() - DateTimeOffset.UnixEpoch).TotalMilliseconds;

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }
}
