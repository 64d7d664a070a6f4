using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>The customer card beside a ticket and an order, with the same figures as the 360; and a shopper's "Notify me".</summary>
[Collection(DemoServerDefinition.Name)]
public class CustomerCardTests(DemoServerFixture fixture)
{
    private const string DemoCustomer = "ana.silva@example.com";

    /// <summary>The text of each element, or null where the page has none (a customer not scored yet has no decile).</summary>
    private static async Task<string?[]> FiguresAsync(IPage page, params string[] selectors)
    {
        var texts = new List<string?>();
        foreach (var selector in selectors)
            texts.Add(await page.Locator(selector).CountAsync() == 0 ? null : (await page.Locator(selector).First.InnerTextAsync()).Trim());
        return [.. texts];
    }

    [SkippableFact]
    public async Task An_agent_sees_the_same_customer_card_on_a_ticket_and_an_order_as_on_the_360()
    {
        fixture.RequireBrowser();
        var page = await fixture.StaffPageAsync("agent@centric.demo");
        await page.GotoAsync("console/customers?q=ana.silva%40example.com");
        await page.GetByRole(AriaRole.Row).Filter(new() { HasText = DemoCustomer }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Ana Silva");
        var on360 = await FiguresAsync(page, "#highlight-spend b", "#highlight-open-orders b", "#highlight-open-tickets b", "#insight-decile", "#insight-churn");
        Assert.NotNull(on360[0]);
        var ticket = await page.Locator("#highlight-open-tickets small a").GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(ticket), "the demo customer has no open ticket");
        var order = await page.Locator("#timeline a[href*='console/orders/']").First.GetAttributeAsync("href");
        Assert.False(string.IsNullOrEmpty(order), "the demo customer's timeline links no order");

        foreach (var where in new[] { ticket!, order! })
        {
            await page.GotoAsync(where);
            var card = page.Locator("#customer-card");
            await Expect(card).ToBeVisibleAsync();
            await Expect(card.GetByRole(AriaRole.Heading, new() { Level = 2 })).ToHaveTextAsync("Ana Silva");
            await Expect(card.Locator("#customer-card-title a")).ToHaveAttributeAsync("href", new Regex("console/customers/[0-9a-f-]{36}$"));
            await Expect(card.Locator("#next-best-action")).ToContainTextAsync(new Regex(@"Next best action: \S.+\."));
            await Expect(card.Locator("#customer-card-consent")).ToContainTextAsync("Email");
            var onCard = await FiguresAsync(page, "#card-highlight-spend b", "#card-highlight-open-orders b", "#card-highlight-open-tickets b", "#insight-decile", "#insight-churn");
            Assert.Equal(on360, onCard);
        }
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_customer_asks_to_be_told_when_a_sold_out_product_is_back_and_is_told_once_it_is()
    {
        fixture.RequireBrowser();
        // A single-variant product nobody else's test searches for, sold out everywhere by the stock keeper.
        string slug, name, sku;
        await using (var scope = fixture.Server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var product = await (from p in db.Products
                                 join v in db.Variants on p.Id equals v.ProductId
                                 where p.Active && db.Variants.Count(x => x.ProductId == p.Id) == 1
                                 orderby p.Slug descending
                                 select new { p.Slug, p.Name, v.Sku }).Skip(3).FirstAsync();
            (slug, name, sku) = (product.Slug, product.Name, product.Sku);
        }
        using var api = fixture.Server.ApiClient();
        async Task StockAsync(int onHand)
        {
            using var response = await api.PutAsJsonAsync($"/api/v1/catalog/variants/{sku}",
                new { stock = new[] { "WH1", "LIS", "OPO" }.Select(l => new { location = l, onHand }).ToArray() });
            Assert.True(response.IsSuccessStatusCode, $"stock change answered {(int)response.StatusCode}");
        }
        await StockAsync(0);

        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        await page.GotoAsync("shop/" + slug);
        var notify = page.Locator("#notify-me");
        if (await notify.GetAttributeAsync("aria-pressed") == "true") await notify.ClickAsync();   // asked by an earlier run
        await Expect(notify).ToHaveTextAsync("🔔 Notify me when it is back");
        await notify.ClickAsync();
        await Expect(notify).ToHaveAttributeAsync("aria-pressed", "true");
        await Expect(notify).ToContainTextAsync("We will tell you when it is back");

        // The account's navigation leads to the list, which holds it, waiting.
        await page.GotoAsync("Account/Manage");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Account settings" }).GetByRole(AriaRole.Link, new() { Name = "Alerts" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your alerts", Level = 1 })).ToBeVisibleAsync();
        var row = page.Locator("tr[data-alert]").Filter(new() { HasText = name }).Filter(new() { HasText = "back in stock" });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("Waiting");

        // Restocked: the alert goes out once, and the list says so.
        await StockAsync(4);
        await page.ReloadAsync();
        await Expect(row).ToContainTextAsync("Sent");
        await Expect(row.Locator("a")).ToHaveAttributeAsync("href", "shop/" + slug);
        await row.GetByRole(AriaRole.Button, new() { Name = $"Remove the alert on {name}" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/alerts$"));
        await Expect(page.Locator("tr[data-alert]").Filter(new() { HasText = name }).Filter(new() { HasText = "back in stock" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
