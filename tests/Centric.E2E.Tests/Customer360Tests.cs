using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/customers/[0-9a-f-]{36}"));
        await Expect(page.Locator("dl.facts dd").Filter(new() { HasText = email })).ToHaveCountAsync(1);
        var entry = page.Locator($"#timeline li[data-type='{type}']");
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToContainTextAsync(type);
        await Expect(entry.Locator(".tag")).ToHaveTextAsync("web");
        await page.Context.CloseAsync();
    }
}
