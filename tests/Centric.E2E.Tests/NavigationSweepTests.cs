using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Centric.E2E.Tests;

/// <summary>
/// Signs in as each demo role (admin, agent, marketer, analyst, and a customer; staff with MFA where it is required,
/// so that they reach every page of their role), follows every link in the top
/// navigation and the console's side navigation, and opens each page: none may answer 5xx, show the error page or
/// Blazor's error bar, or log a script error in the browser console.
/// </summary>
[Collection(DemoServerDefinition.Name)]
public class NavigationSweepTests(DemoServerFixture fixture, ITestOutputHelper output)
{
    [SkippableTheory]
    [InlineData("admin@centric.demo")]
    [InlineData("agent@centric.demo")]
    [InlineData("marketer@centric.demo")]
    [InlineData("analyst@centric.demo")]
    [InlineData("ana.silva@example.com")]
    public async Task Every_page_in_the_navigation_opens_without_an_error(string email)
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        var problems = new List<string>();
        page.Response += (_, response) =>
        {
            if (response.Status >= 500) problems.Add($"{response.Status} from {response.Url}");
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error") problems.Add($"console error on {page.Url}: {message.Text}");
        };
        page.PageError += (_, error) => problems.Add($"script error on {page.Url}: {error}");

        if (email.EndsWith("@centric.demo", StringComparison.Ordinal)) await fixture.SignInStaffAsync(page, email);
        else await BrowserFixture.SignInAsync(page, email, BrowserFixture.DemoPassword);
        var origin = fixture.BaseUrl.GetLeftPart(UriPartial.Authority);
        var queue = new Queue<string>(["", "console"]);
        var seen = new HashSet<string>(queue, StringComparer.Ordinal);
        var opened = 0;
        while (queue.TryDequeue(out var path))
        {
            var response = await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            opened++;
            if (response is { Status: >= 500 }) problems.Add($"{response.Status} on /{path}");
            if (await page.Locator("#blazor-error-ui").IsVisibleAsync()) problems.Add($"Blazor's error bar on /{path}");
            if (await page.GetByRole(AriaRole.Heading, new() { Name = "Something went wrong" }).CountAsync() > 0) problems.Add($"the error page on /{path}");

            // The top and side navigation, and the account's own (profile, preferences, wish list, alerts...).
            foreach (var href in await page.Locator("nav.topnav a[href], nav.sidenav a[href], nav[aria-label='Account settings'] a[href]")
                         .EvaluateAllAsync<string[]>("links => links.map(a => a.href)"))
            {
                if (!href.StartsWith(origin, StringComparison.Ordinal)) continue;
                var relative = href[origin.Length..].TrimStart('/').Split('#')[0];
                if (seen.Add(relative)) queue.Enqueue(relative);
            }
        }
        output.WriteLine($"{email}: opened {opened} pages: {string.Join(", ", seen.Order(StringComparer.Ordinal).Select(s => "/" + s))}");
        await page.Context.CloseAsync();
        Assert.True(opened >= 4, $"only {opened} pages were reachable from the navigation");
        // The Insights pages are in the navigation of those who may open them (and so are swept here).
        if (email is "admin@centric.demo" or "analyst@centric.demo" or "marketer@centric.demo") Assert.Contains("console/insights/deciles", seen);
        if (email == "admin@centric.demo") Assert.Contains("console/insights/costs", seen);
        // So are segments, for admins and marketers (the builder and a segment's page are opened by the accessibility sweep).
        if (email is "admin@centric.demo" or "marketer@centric.demo") Assert.Contains("console/segments", seen);
        else Assert.DoesNotContain("console/segments", seen);
        // Journeys likewise; every member of staff has a task list.
        if (email is "admin@centric.demo" or "marketer@centric.demo") Assert.Contains("console/journeys", seen);
        else Assert.DoesNotContain("console/journeys", seen);
        if (email.EndsWith("@centric.demo", StringComparison.Ordinal)) Assert.Contains("console/tasks", seen);
        else
        {
            Assert.Contains("account/alerts", seen);
            Assert.Contains("account/push", seen);
            Assert.Contains("account/points", seen);
        }
        // Message templates and the SMS sandbox likewise.
        if (email is "admin@centric.demo" or "marketer@centric.demo") Assert.Contains("console/engagement/templates", seen);
        else Assert.DoesNotContain("console/engagement/templates", seen);
        // And surveys: their list in the navigation, each survey's results and its editor are swept for accessibility.
        if (email is "admin@centric.demo" or "marketer@centric.demo") Assert.Contains("console/engagement/surveys", seen);
        else Assert.DoesNotContain("console/engagement/surveys", seen);
        // And promotions, for admins and marketers (the editor and a promotion's page are opened by the accessibility sweep).
        if (email is "admin@centric.demo" or "marketer@centric.demo") Assert.Contains("console/promotions", seen);
        else Assert.DoesNotContain("console/promotions", seen);
        // And the loyalty programme, for admins and marketers.
        if (email is "admin@centric.demo" or "marketer@centric.demo") Assert.Contains("console/loyalty", seen);
        else Assert.DoesNotContain("console/loyalty", seen);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
