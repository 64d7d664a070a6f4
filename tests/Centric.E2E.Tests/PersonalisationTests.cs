using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>Recommendations where a shopper looks, recently viewed, the wish list, and the recommendations console.</summary>
[Collection(DemoServerDefinition.Name)]
public class PersonalisationTests(DemoServerFixture fixture)
{
    private const string DemoCustomer = "ana.silva@example.com";

    [SkippableFact]
    public async Task A_visitor_sees_recommendations_on_product_pages_home_and_cart_and_a_click_opens_the_product()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        var product = await Storefront.OpenProductAsync(page, "towel", "towel");

        // "Customers also bought" under the product, never the product itself.
        var related = page.Locator("#recommendations-product");
        await Expect(related.GetByRole(AriaRole.Heading, new() { Name = "Customers also bought" })).ToBeVisibleAsync();
        var cards = related.Locator("li.product-card");
        Assert.True(await cards.CountAsync() >= 2, "fewer than two related products");
        Assert.DoesNotContain(product, await cards.Locator(".name").AllInnerTextsAsync());
        // Each card links through the click address (it records the click without script) and opens a product page.
        var link = cards.First.Locator("a");
        await Expect(link).ToHaveAttributeAsync("href", new Regex(@"^recommendations/click\?placement=product&product=[0-9a-f]{32}&arm=(model|popularity)"));
        var name = (await cards.First.Locator(".name").InnerTextAsync()).Trim();
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/shop/[^/?]+$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();

        // Back on the home page: recommendations for this visitor, and the two products just viewed.
        await page.GotoAsync("");
        await Expect(page.Locator("#recommendations-home").GetByRole(AriaRole.Heading, new() { Name = "Recommended for you" })).ToBeVisibleAsync();
        var recent = page.Locator("#recently-viewed li.product-card .name");
        await Expect(recent.First).ToHaveTextAsync(name);
        Assert.Contains(product, await recent.AllInnerTextsAsync());

        // The cart suggests what goes with it.
        await Storefront.OpenProductAsync(page, "towel", "towel");
        await Storefront.AddToCartAsync(page);
        var complete = page.Locator("#recommendations-cart");
        await Expect(complete.GetByRole(AriaRole.Heading, new() { Name = "Complete your order" })).ToBeVisibleAsync();
        Assert.True(await complete.Locator("li.product-card").CountAsync() >= 2, "fewer than two products to complete the order");
        await Storefront.EmptyCartAsync(page);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_customer_saves_a_product_to_the_wish_list_finds_it_in_the_account_and_removes_it()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        var product = await Storefront.OpenProductAsync(page, "lamp", "lamp");
        var toggle = page.Locator("#wish-list-toggle");
        if (await toggle.GetAttributeAsync("aria-pressed") == "true") await toggle.ClickAsync();   // saved by an earlier run
        await Expect(toggle).ToHaveTextAsync("♡ Save to wish list");
        await toggle.ClickAsync();
        await Expect(toggle).ToHaveTextAsync("♥ Saved to your wish list");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");

        await page.GotoAsync("Account/Manage");
        await Expect(page.Locator("#recommendations-account").GetByRole(AriaRole.Heading, new() { Name = "Recommended for you" })).ToBeVisibleAsync();
        await Expect(page.Locator("#recently-viewed li.product-card .name").First).ToHaveTextAsync(product);
        await page.Locator("#wish-list-link").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your wish list", Level = 1 })).ToBeVisibleAsync();
        var saved = page.Locator("#wish-list li.product-card").Filter(new() { HasText = product });
        await Expect(saved).ToHaveCountAsync(1);

        await saved.GetByRole(AriaRole.Button, new() { Name = $"Remove {product} from your wish list" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/account/wishlist$"));
        await Expect(page.Locator("#wish-list li.product-card").Filter(new() { HasText = product })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_marketer_sees_results_per_placement_and_arm_and_pins_a_product()
    {
        fixture.RequireBrowser();
        var page = await fixture.StaffPageAsync("marketer@centric.demo");
        await page.GotoAsync("console");
        await page.Locator("nav.sidenav").GetByRole(AriaRole.Link, new() { Name = "Recommendations" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Recommendations", Level = 1 })).ToBeVisibleAsync();
        // The demo's history: lists shown and clicked on every placement, and the home page running an A/B test.
        await Expect(page.Locator("#results-table tbody tr")).ToHaveCountAsync(8);
        var homeModel = page.Locator("#results-table tr[data-placement='home'][data-arm='model'] td");
        Assert.True(int.Parse(await homeModel.Nth(2).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0, "no home lists shown in the model arm");
        await Expect(page.Locator("#mode-home")).ToHaveValueAsync("Split");

        // Pin a product to the home page: a visitor sees it first, then the rule goes again.
        var shopper = await fixture.NewPageAsync();
        await Storefront.OpenProductAsync(shopper, "towel", "towel");
        var sku = (await shopper.Locator("p.muted", new() { HasTextString = "SKU " }).InnerTextAsync()).Split(' ')[1];
        var name = (await shopper.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).Trim();
        await page.Locator("#rule-kind").SelectOptionAsync("Pin");
        await page.Locator("#rule-sku").FillAsync(sku);
        await page.Locator("#rule-placement").SelectOptionAsync("home");
        await page.Locator("#add-rule-button").ClickAsync();
        await Expect(page.Locator("#personalisation-message")).ToHaveTextAsync("Rule added.");
        var rule = page.Locator("#rules-table tbody tr").Filter(new() { HasText = sku });
        await Expect(rule).ToHaveCountAsync(1);
        try
        {
            var fresh = await fixture.NewPageAsync();
            await fresh.GotoAsync("");
            await Expect(fresh.Locator("#recommendations-home li.product-card .name").First).ToHaveTextAsync(name);
            await fresh.Context.CloseAsync();
        }
        finally
        {
            await rule.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
            await Expect(page.Locator("#rules-table tbody tr").Filter(new() { HasText = sku })).ToHaveCountAsync(0);
        }
        await shopper.Context.CloseAsync();
        await page.Context.CloseAsync();
    }
}
