using System.Diagnostics;
using System.Text.Json;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// The app as it runs in Production: from the build (as `dotnet run` starts it) or, under CENTRIC_E2E_PUBLISHED, from
/// the `dotnet publish` output. Every asset a page names is served, and the pages' scripts run: Blazor's script starts,
/// and the live order tracking connects its circuit.
/// </summary>
[Collection(ProductionServerDefinition.Name)]
public class ProductionAssetsTests(ProductionServerFixture fixture)
{
    [SkippableFact]
    public async Task Every_asset_the_pages_name_is_served_and_their_scripts_run()
    {
        fixture.RequireBrowser();
        var origin = fixture.BaseUrl.GetLeftPart(UriPartial.Authority);
        var assets = new SortedSet<string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var circuits = 0;

        async Task<IPage> WatchedAsync(IPage page)
        {
            page.Response += (_, response) =>
            {
                if (response.Status >= 400) problems.Add($"{response.Status} from {response.Url}");
            };
            page.Console += (_, message) =>
            {
                if (message.Type == "error") problems.Add($"console error on {page.Url}: {message.Text}");
            };
            page.PageError += (_, error) => problems.Add($"script error on {page.Url}: {error}");
            page.WebSocket += (_, socket) =>
            {
                if (socket.Url.Contains("/_blazor", StringComparison.Ordinal)) Interlocked.Increment(ref circuits);
            };
            return page;
        }

        async Task CollectAsync(IPage page)
        {
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            Assert.True(await page.EvaluateAsync<bool>("() => typeof window.Blazor === 'object'"), $"Blazor's script did not run on {page.Url}");
            foreach (var url in await page.Locator("script[src], link[href]").EvaluateAllAsync<string[]>("els => els.map(e => e.src || e.href)"))
                if (url.StartsWith(origin, StringComparison.Ordinal)) assets.Add(url[origin.Length..]);
        }

        // A shopper's journey: the portal, the help centre, the shop, a product, the cart, checkout, payment, the order.
        var shopper = await WatchedAsync(await fixture.NewPageAsync());
        foreach (var path in new[] { "", "help", "Account/Login", "Account/Register" })
        {
            await shopper.GotoAsync(path);
            await CollectAsync(shopper);
        }
        await Storefront.OpenProductAsync(shopper, "cutting board", "cutting board");
        await CollectAsync(shopper);
        await Storefront.AddToCartAsync(shopper);
        await CollectAsync(shopper);
        await Storefront.GoToCheckoutAsync(shopper);
        await CollectAsync(shopper);
        var email = Accounts.NewEmail("e2e-prod");
        await shopper.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(shopper, "Petra Production");
        var order = await Storefront.PlaceOrderAsync(shopper);
        await CollectAsync(shopper);
        await Storefront.SubmitCardAsync(shopper, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(shopper, order, email);
        await CollectAsync(shopper);
        // The order's live tracking is an interactive component: its circuit is a WebSocket to /_blazor.
        var waited = Stopwatch.StartNew();
        while (Volatile.Read(ref circuits) == 0 && waited.Elapsed < TimeSpan.FromSeconds(15)) await Task.Delay(100);
        Assert.True(circuits > 0, "the order page's live tracking never opened its circuit");
        await Expect(shopper.Locator("#order-status")).ToHaveTextAsync("Paid");
        await shopper.Context.CloseAsync();

        // The console, signed in with MFA as staff must be in Production.
        var admin = await WatchedAsync(await fixture.AdminPageAsync());
        foreach (var path in new[] { "console", "console/inbox", "console/customers", "console/orders" })
        {
            await admin.GotoAsync(path);
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToHaveCountAsync(0);
            await CollectAsync(admin);
        }
        await admin.Context.CloseAsync();

        // Each one answers 200 with content of the right kind.
        using var http = new HttpClient { BaseAddress = fixture.BaseUrl };
        foreach (var asset in assets)
        {
            using var response = await http.GetAsync(new Uri(asset, UriKind.Relative));
            var type = response.Content.Headers.ContentType?.MediaType ?? "";
            var length = (await response.Content.ReadAsByteArrayAsync()).Length;
            if (!response.IsSuccessStatusCode || length == 0) problems.Add($"{(int)response.StatusCode} ({length} bytes) for {asset}");
            else if (Path.GetExtension(new Uri(fixture.BaseUrl, asset).AbsolutePath) is ".js" && type != "text/javascript")
                problems.Add($"{asset} is served as {type}");
        }
        // So is what the web app manifest and the service worker registration point at.
        var manifest = JsonDocument.Parse(await http.GetStringAsync(new Uri("manifest.webmanifest", UriKind.Relative)));
        foreach (var icon in manifest.RootElement.GetProperty("icons").EnumerateArray())
        {
            using var response = await http.GetAsync(new Uri(icon.GetProperty("src").GetString()!, UriKind.Relative));
            if (!response.IsSuccessStatusCode) problems.Add($"{(int)response.StatusCode} for the manifest's icon {icon.GetProperty("src")}");
        }
        using (var worker = await http.GetAsync(new Uri("sw.js", UriKind.Relative)))
            if (!worker.IsSuccessStatusCode) problems.Add($"{(int)worker.StatusCode} for the service worker");

        Assert.Contains(assets, a => a.StartsWith("/_framework/blazor.web.", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("/lib/signalr/", StringComparison.Ordinal));
        Assert.Contains(assets, a => a.StartsWith("/js/chat-agent", StringComparison.Ordinal));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Every file in the app's wwwroot is served: the published folder's, or the project's when run from the build.</summary>
    [SkippableFact]
    public async Task Every_file_in_wwwroot_is_served()
    {
        fixture.RequireBrowser();
        var root = CentricServer.PublishedDirectory is { } published
            ? Path.Combine(published, "wwwroot")
            : fixture.Server.Services.GetRequiredService<IWebHostEnvironment>().WebRootPath;
        var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is not (".br" or ".gz"))
            .Select(f => "/" + Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .ToList();
        Assert.Contains("/app.css", files);
        Assert.Contains("/lib/signalr/signalr.min.js", files);
        // Publishing copies the framework's script in beside the app's own files.
        if (CentricServer.PublishedDirectory is not null) Assert.Contains("/_framework/blazor.web.js", files);
        using var http = new HttpClient { BaseAddress = fixture.BaseUrl };
        var failed = new List<string>();
        foreach (var file in files)
        {
            using var response = await http.GetAsync(new Uri(file, UriKind.Relative));
            if (!response.IsSuccessStatusCode) failed.Add($"{(int)response.StatusCode} for {file}");
        }
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }
}
