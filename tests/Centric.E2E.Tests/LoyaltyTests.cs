using System.Globalization;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>Loyalty from a customer's side: the points statement, points spent at checkout, and the statement afterwards.</summary>
[Collection(DemoServerDefinition.Name)]
public class LoyaltyTests(DemoServerFixture fixture)
{
    private const string DemoCustomer = "ana.silva@example.com";

    private static int Number(string text) => int.Parse(Regex.Replace(text, "[^0-9]", ""), CultureInfo.InvariantCulture);

    [SkippableFact]
    public async Task A_customer_reads_the_points_statement_spends_points_at_checkout_and_sees_them_used()
    {
        fixture.RequireBrowser();
        // The demo programme asks for 500 points before they can be spent; Ana's balance depends on the history lived, so the test
        // lets any balance be spent, and puts the rule back afterwards.
        using var api = fixture.Server.ApiClient();
        (await api.PutAsJsonAsync("/api/v1/loyalty/program", new { minimumRedeem = 1 })).EnsureSuccessStatusCode();
        try
        {
            var page = await fixture.NewPageAsync();
            await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
            await page.GotoAsync("account/points");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your points", Level = 1 })).ToBeVisibleAsync();
            var balance = Number(await page.Locator("#points-balance b").InnerTextAsync());
            Assert.True(balance > 0, "the demo customer has no points");
            await Expect(page.Locator("#points-tier b")).Not.ToHaveTextAsync("—");
            await Expect(page.Locator("#points-statement tbody tr[data-kind='earned_order']").First).ToBeVisibleAsync();
            await Expect(page.Locator("#referral-code")).ToHaveTextAsync(new Regex("^[A-Z0-9]{8}$"));
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "loyalty-points.png"), FullPage = true });

            // At checkout: offered, then taken off the total when ticked and the total updated.
            await Storefront.OpenProductAsync(page, "towel", "towel");
            await Storefront.AddToCartAsync(page);
            await page.GotoAsync("cart");
            await Storefront.GoToCheckoutAsync(page);
            var offer = page.Locator("#checkout-points");
            await Expect(offer).ToContainTextAsync($"You have {balance.ToString("N0", CultureInfo.InvariantCulture)} points");
            var before = (await page.Locator("#sum-total").InnerTextAsync()).Trim();
            await page.Locator("#use-points").CheckAsync();
            await page.Locator("#update-total").ClickAsync();
            await Expect(page.Locator("#sum-points")).ToBeVisibleAsync();
            await Expect(page.Locator("#use-points")).ToBeCheckedAsync();
            var used = Number((await page.Locator("#sum-points small").InnerTextAsync()).Split(" of ")[0]);
            var after = (await page.Locator("#sum-total").InnerTextAsync()).Trim();
            Assert.NotEqual(before, after);
            await page.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "loyalty-checkout.png"), FullPage = true });

            await Storefront.FillDeliveryAsync(page, "Ana Silva");
            var order = await Storefront.PlaceOrderAsync(page);
            await Expect(page.Locator("#pay-total")).ToHaveTextAsync(after);
            await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
            await Storefront.ExpectPaidConfirmationAsync(page, order, DemoCustomer);

            // The statement shows the points used on the order and the points the order earned, newest first.
            await page.GotoAsync("account/points");
            var spent = page.Locator("#points-statement tbody tr[data-kind='redeemed']").Filter(new() { HasText = order.Number }).First;
            await Expect(spent).ToContainTextAsync($"Used on order {order.Number}");
            await Expect(spent).ToContainTextAsync("−" + used.ToString("N0", CultureInfo.InvariantCulture));
            await Expect(page.Locator("#points-statement tbody tr[data-kind='earned_order']").Filter(new() { HasText = order.Number })).ToHaveCountAsync(1);
            await page.Context.CloseAsync();

            // Staff see the programme in the console.
            var admin = await fixture.AdminPageAsync();
            await admin.GotoAsync("console/loyalty");
            await Expect(admin.Locator("#loyalty-status b")).ToHaveTextAsync("Running");
            await Expect(admin.Locator("#t-name-0")).ToHaveValueAsync("Bronze");
            await admin.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "loyalty-console.png"), FullPage = true });
            await admin.Context.CloseAsync();
        }
        finally
        {
            (await api.PutAsJsonAsync("/api/v1/loyalty/program", new { minimumRedeem = 500 })).EnsureSuccessStatusCode();
        }
    }

    [SkippableFact]
    public async Task An_agent_gives_a_customer_goodwill_points_from_the_360_and_the_customer_reads_the_reason()
    {
        fixture.RequireBrowser();
        var agent = await fixture.StaffPageAsync("agent@centric.demo");
        await agent.GotoAsync($"console/customers?q={Uri.EscapeDataString(DemoCustomer)}");
        await agent.GetByRole(AriaRole.Row).Filter(new() { HasText = DemoCustomer }).GetByRole(AriaRole.Link).First.ClickAsync();
        await agent.Locator("#highlight-loyalty a").ClickAsync();
        await Expect(agent).ToHaveURLAsync(new Regex("/console/loyalty/members/[0-9a-f-]{36}$"));
        var before = Number(await agent.Locator("#member-balance b").InnerTextAsync());

        // More than the balance cannot be taken off; nothing changes.
        await agent.Locator("#adjust-points").FillAsync((-(before + 1)).ToString(CultureInfo.InvariantCulture));
        await agent.Locator("#adjust-reason").FillAsync("Correction");
        await agent.Locator("#adjust-save").ClickAsync();
        await Expect(agent.Locator("#member-error")).ToContainTextAsync("take off at most");
        Assert.Equal(before, Number(await agent.Locator("#member-balance b").InnerTextAsync()));

        var reason = "Sorry for the late parcel " + Guid.NewGuid().ToString("N")[..6];
        await agent.Locator("#adjust-points").FillAsync("150");
        await agent.Locator("#adjust-reason").FillAsync(reason);
        await agent.Locator("#adjust-save").ClickAsync();
        await Expect(agent.Locator("#member-adjusted")).ToBeVisibleAsync();
        await Expect(agent.Locator("#member-balance b")).ToHaveTextAsync((before + 150).ToString("N0", CultureInfo.InvariantCulture));
        await Expect(agent.Locator("#member-statement tbody tr[data-kind='adjusted']").Filter(new() { HasText = reason })).ToContainTextAsync("+150");
        await agent.ScreenshotAsync(new() { Path = Path.Combine(Path.GetTempPath(), "loyalty-member.png"), FullPage = true });
        await agent.Context.CloseAsync();

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        await page.GotoAsync("account/points");
        await Expect(page.Locator("#points-statement tbody tr[data-kind='adjusted']").Filter(new() { HasText = reason })).ToContainTextAsync("+150");
        await page.Context.CloseAsync();
    }
}
