using System.Net.Http.Json;
using System.Text.Json;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// Outside Development there is no waiver: staff who signed in without MFA see no customer data. (The demo agent must
/// not enrol an authenticator on this fixture's server, or the password alone would no longer sign them in.)
/// </summary>
[Collection(ProductionServerDefinition.Name)]
public class StaffMfaTests(ProductionServerFixture fixture)
{
    [SkippableFact]
    public async Task Staff_without_mfa_are_refused_customer_data_in_production()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, "agent@centric.demo", BrowserFixture.DemoPassword);

        // The console itself opens, with the warning; the customer list does not.
        await page.GotoAsync("console");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Customer data needs two-factor authentication");

        await page.GotoAsync("console/customers?q=ana.silva");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Customer data needs a sign-in with two-factor authentication");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Enrol an authenticator app" }).First).ToBeVisibleAsync();
        await Expect(page.Locator("table.grid")).ToHaveCountAsync(0);
        await Expect(page.GetByText("ana.silva@example.com")).ToHaveCountAsync(0);

        // Nor does a customer 360 opened by its address.
        using var api = fixture.Server.ApiClient();
        var found = await api.GetFromJsonAsync<JsonElement>("/api/v1/customers?email=ana.silva%40example.com");
        var id = found.GetProperty("items")[0].GetProperty("id").GetString();
        await page.GotoAsync($"console/customers/{id}");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();
        await Expect(page.Locator("#timeline")).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
