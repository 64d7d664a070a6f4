using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class InsightsTests(DemoServerFixture fixture)
{
    [SkippableFact]
    public async Task An_analyst_sees_the_kpi_charts_drawn_and_drills_down_to_the_customers_behind_a_figure()
    {
        fixture.RequireBrowser();
        var page = await fixture.StaffPageAsync("analyst@centric.demo");
        await page.GotoAsync("console/insights");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "KPIs", Level = 1 })).ToBeVisibleAsync();

        // The demo has orders in the last 30 days: the revenue chart and the decile chart are drawn by Chart.js.
        var revenue = page.Locator("#revenue-chart canvas");
        await Expect(revenue).ToHaveAttributeAsync("data-chart-drawn", "true");
        var box = await revenue.BoundingBoxAsync();
        Assert.True(box is { Width: > 200, Height: > 100 }, $"the revenue chart is {box?.Width}×{box?.Height}");
        await Expect(page.Locator("#decile-breakdown canvas")).ToHaveAttributeAsync("data-chart-drawn", "true");
        // The canvas has pixels on it (not a blank box): some are not transparent.
        var painted = await revenue.EvaluateAsync<bool>("c => { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; for (let i = 3; i < d.length; i += 4) if (d[i] > 0) return true; return false; }");
        Assert.True(painted, "the revenue chart drew nothing");

        // Drill-down from the active customers: a list of customers, as many as the tile counts.
        var active = (await page.Locator("#kpi-active_customers b").InnerTextAsync()).Replace(",", "", StringComparison.Ordinal);
        await page.Locator("#kpi-active_customers").GetByRole(AriaRole.Link, new() { Name = "See the customers" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/insights/customers\\?from="));
        await Expect(page.Locator("#drill-customers tbody tr")).ToHaveCountAsync(int.Parse(active, System.Globalization.CultureInfo.InvariantCulture));
        // Each links to its customer 360.
        await page.Locator("#drill-customers tbody tr").First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console/customers/[0-9a-f-]{36}"));
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_analyst_sets_what_churn_means_and_a_number_out_of_range_is_refused_with_the_field_named()
    {
        fixture.RequireBrowser();
        var page = await fixture.StaffPageAsync("analyst@centric.demo");
        await page.GotoAsync("console/insights/models");
        var form = page.Locator("#churn-definition");
        // The page itself refuses 5 as it is typed (min 7)...
        await form.GetByLabel("Days without an order").FillAsync("5");
        await form.Locator("#churn-save").ClickAsync();
        await Expect(form).ToContainTextAsync("Value must be greater than or equal to 7.");
        // ...and so does the server, for a client that does not check.
        await form.GetByLabel("Days without an order").EvaluateAsync("i => i.removeAttribute('min')");
        await form.Locator("#churn-save").ClickAsync();
        await Expect(page.Locator("p.banner.error")).ToContainTextAsync("Please check the churn definition.");
        await Expect(form).ToContainTextAsync("A number of days from 7 to 730.");

        try
        {
            await form.GetByLabel("Days without an order").FillAsync("30");
            await form.GetByLabel("A cancelled subscription counts as churn, even if the customer still orders").CheckAsync();
            await form.Locator("#churn-save").ClickAsync();
            await Expect(page.Locator("p.banner.success")).ToContainTextAsync("Churn is now 30 days without an order or a cancelled subscription");
            // Read back as saved, with who changed it.
            await page.GotoAsync("console/insights/models");
            await Expect(form.GetByLabel("Days without an order")).ToHaveValueAsync("30");
            await Expect(form.GetByLabel("A cancelled subscription counts as churn, even if the customer still orders")).ToBeCheckedAsync();
            await Expect(form).ToContainTextAsync("Last changed by analyst@centric.demo");
        }
        finally
        {
            // The demo server is shared: the usual definition again.
            await page.GotoAsync("console/insights/models");
            await form.GetByLabel("Days without an order").FillAsync("90");
            await form.GetByLabel("A cancelled subscription counts as churn, even if the customer still orders").UncheckAsync();
            await form.Locator("#churn-save").ClickAsync();
            await Expect(page.Locator("p.banner.success")).ToContainTextAsync("Churn is now 90 days without an order:");
        }
        await page.Context.CloseAsync();
    }
}
