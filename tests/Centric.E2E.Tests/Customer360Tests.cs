using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class Customer360Tests(DemoServerFixture fixture)
{
    [SkippableFact]
    public async Task Admin_sees_an_event_ingested_over_the_api_on_the_customer_timeline()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-360");
        var type = "e2e_probe_" + Guid.NewGuid().ToString("N")[..8];

        using (var api = fixture.Server.ApiClient())
        {
            var response = await api.PostAsJsonAsync("/api/v1/events", new
            {
                events = new[]
                {
                    new
                    {
                        id = Guid.NewGuid().ToString(), type, occurredAt = DateTimeOffset.UtcNow.AddMinutes(-1).ToString("O"), channel = "web",
                        customer = new { email }, properties = new { probe = type },
                    },
                },
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        }

        var page = await fixture.AdminPageAsync();
        await page.GotoAsync($"console/customers?q={Uri.EscapeDataString(email)}");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link).First.ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/console/customers/[0-9a-f-]{36}"));
        await Expect(page.Locator("dl.facts dd").Filter(new() { HasText = email })).ToHaveCountAsync(1);
        // A type the catalogue does not know reads as its name in words; its properties wait behind "Details".
        var entry = page.Locator($"#timeline li[data-type='{type}']");
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry.Locator(".what")).ToHaveTextAsync(type.Replace('_', ' '));
        await Expect(entry.Locator(".channel")).ToHaveTextAsync("web");
        await Expect(entry.Locator("code.props")).ToBeHiddenAsync();
        await entry.Locator("details.raw summary").ClickAsync();
        await Expect(entry.Locator("code.props")).ToContainTextAsync($"\"probe\":\"{type}\"");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_agent_reads_a_customer_in_words_with_what_matters_now_and_follows_an_entry_to_its_order()
    {
        fixture.RequireBrowser();
        var page = await fixture.AdminPageAsync();
        await page.GotoAsync("console/customers?q=ana.silva%40example.com");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = "ana.silva@example.com" }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ana Silva");

        // What matters now, from each module: spend and open orders (Commerce), open tickets (Support), the scores (Insights).
        // Money reads the same everywhere in the console: a currency sign and thousands grouped (€2,704.36, as on the KPIs).
        await Expect(page.Locator("#highlight-spend b")).ToHaveTextAsync(new Regex(@"^€\d{1,3}(,\d{3})*\.\d\d$"));
        var spend = decimal.Parse((await page.Locator("#highlight-spend b").InnerTextAsync()).Trim('€').Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
        Assert.True(spend >= 1000m, $"Ana is among the demo's best customers; her spend of {spend} should show a thousands separator");
        if (await page.Locator("#insight-clv").CountAsync() > 0) await Expect(page.Locator("#insight-clv")).ToHaveTextAsync(new Regex(@"^€\d{1,3}(,\d{3})*\.\d\d"));
        // Consent channels in words, not their stored keys.
        await Expect(page.Locator("#consent-list")).ToContainTextAsync("In-app notices");
        await Expect(page.Locator("#consent-list")).Not.ToContainTextAsync("in_app");
        await Expect(page.Locator("#highlight-spend small")).ToContainTextAsync("paid order");
        await Expect(page.Locator("#highlight-open-orders")).ToBeVisibleAsync();
        await Expect(page.Locator("#highlight-open-tickets")).ToBeVisibleAsync();
        await Expect(page.Locator("#insights-panel")).ToContainTextAsync(new Regex("Scored|Not scored yet"));
        await Expect(page.Locator("#badge-consent")).ToContainTextAsync("Email marketing");

        // The timeline in words, grouped by day; no raw event names or JSON in sight.
        await Expect(page.Locator("#timeline .timeline-day h3").First).ToBeVisibleAsync();
        var firstWhat = await page.Locator("#timeline li .what").First.InnerTextAsync();
        Assert.DoesNotContain("_", firstWhat, StringComparison.Ordinal);
        await Expect(page.Locator("#timeline code.props").First).ToBeHiddenAsync();

        // Filtered to orders: only order entries, each a sentence, linking to its order.
        await page.Locator("#kind").SelectOptionAsync("orders");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("kind=orders"));
        var types = await page.Locator("#timeline li").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.type)");
        Assert.NotEmpty(types);
        Assert.All(types, t => Assert.Contains(t, new[] { "checkout_started", "order_placed", "promotion_redeemed", "order_status_changed", "payment_failed", "refund_issued" }));
        var ordered = page.Locator("#timeline li[data-type='order_placed']").First;
        await Expect(ordered.Locator(".what")).ToHaveTextAsync(new Regex(@"^Ordered \d+ items? · €\d+\.\d\d"));
        var number = (await ordered.Locator("a").InnerTextAsync()).Trim();
        Assert.Matches("^CO-", number);
        await ordered.Locator("a").ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/console/orders/{number}$"));
        await page.Context.CloseAsync();
    }
}
