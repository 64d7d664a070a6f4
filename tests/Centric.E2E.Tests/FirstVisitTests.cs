using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// What a first visit meets on a phone: the console is staff's own place (no shop menu, no visitors' chat), even on its
/// error pages; a dead link anywhere gets a page with a way back; a saved change is confirmed by a toast that stays clear
/// of the chat button; a support request leads to the order it is about.
/// </summary>
[Collection(DemoServerDefinition.Name)]
public class FirstVisitTests(DemoServerFixture fixture)
{
    private const string Customer = "ana.silva@example.com";
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    [SkippableFact]
    public async Task A_dead_console_link_keeps_the_console_menu_without_the_shop_or_the_chat_and_leads_back()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await fixture.SignInStaffAsync(page, BrowserFixture.AdminEmail);
        var topnav = page.Locator("nav.topnav");

        await page.GotoAsync("console/customers");
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(topnav.GetByRole(AriaRole.Link, new() { Name = "View shop" })).ToBeVisibleAsync();
        await Expect(topnav.GetByRole(AriaRole.Link, new() { Name = "Cart" })).ToHaveCountAsync(0);
        await ExpectChatHiddenAsync(page);

        var response = await page.GotoAsync("console/no-such-page-" + Guid.NewGuid().ToString("N")[..6]);
        Assert.Equal(404, response!.Status);
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        // Still the console: its brand and menu, not the customer's cart, orders and chat.
        await Expect(page.Locator("header.topbar .brand")).ToContainTextAsync("console");
        await Expect(topnav.GetByRole(AriaRole.Link, new() { Name = "View shop" })).ToBeVisibleAsync();
        await Expect(topnav.GetByRole(AriaRole.Link, new() { Name = "Cart" })).ToHaveCountAsync(0);
        await Expect(topnav.GetByRole(AriaRole.Link, new() { Name = "Orders" })).ToHaveCountAsync(0);
        await ExpectChatHiddenAsync(page);
        await Storefront.ExpectNoHorizontalScrollAsync(page, Phone.Width);

        await page.GetByRole(AriaRole.Link, new() { Name = "Back to the console" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/console$"));
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_dead_order_link_in_the_portal_shows_a_page_with_a_way_back_to_the_orders()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await BrowserFixture.SignInAsync(page, Customer, BrowserFixture.DemoPassword);
        var response = await page.GotoAsync("orders/CO-NOSUCH00");
        Assert.Equal(404, response!.Status);
        Assert.StartsWith("text/html", response.Headers["content-type"], StringComparison.Ordinal);
        await page.WaitForLoadStateAsync(LoadState.Load);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        // The portal's own menu and chat stay.
        await Expect(page.Locator("nav.topnav").GetByRole(AriaRole.Link, new() { Name = "Cart" })).ToBeVisibleAsync();
        await Expect(page.Locator("#chat-launcher")).ToBeVisibleAsync();
        await Storefront.ExpectNoHorizontalScrollAsync(page, Phone.Width);

        var back = page.Locator("#way-back").GetByRole(AriaRole.Link, new() { Name = "Your orders" });
        await back.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex("/orders$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your orders", Level = 1 })).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Saved_preferences_are_confirmed_by_a_toast_above_the_chat_button_that_can_be_dismissed_and_leaves_by_itself()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await BrowserFixture.SignInAsync(page, Customer, BrowserFixture.DemoPassword);
        await page.GotoAsync("account/preferences");
        // Channels in words, not their stored keys.
        await Expect(page.GetByRole(AriaRole.Rowheader, new() { Name = "In-app notices" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("in_app");

        // Saving unchanged choices changes nothing, and still says it saved.
        await page.Locator("#save-preferences").FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var toast = page.Locator(".toast").Filter(new() { HasText = "Your preferences are saved." });
        await Expect(toast).ToBeVisibleAsync();
        await Expect(toast).ToHaveAttributeAsync("role", "status");
        await page.WaitForLoadStateAsync(LoadState.Load);
        var launcher = page.Locator("#chat-launcher");
        await Expect(launcher).ToBeVisibleAsync();
        var (t, l) = ((await toast.BoundingBoxAsync())!, (await launcher.BoundingBoxAsync())!);
        Assert.True(t.Y + t.Height <= l.Y || l.Y + l.Height <= t.Y || t.X + t.Width <= l.X || l.X + l.Width <= t.X,
            $"the toast ({t.X},{t.Y} {t.Width}×{t.Height}) covers the chat button ({l.X},{l.Y} {l.Width}×{l.Height})");

        // Dismissed from the keyboard...
        await toast.GetByRole(AriaRole.Button, new() { Name = "Dismiss" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(toast).ToHaveCountAsync(0);

        // ...or left alone, it goes after a few seconds.
        await page.Locator("#save-preferences").ClickAsync();
        await Expect(toast).ToBeVisibleAsync();
        await Expect(toast).ToHaveCountAsync(0, new() { Timeout = 15_000 });
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_customer_follows_the_order_a_support_request_is_about_to_that_order()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await BrowserFixture.SignInAsync(page, Customer, BrowserFixture.DemoPassword);
        await page.GotoAsync("support/new");
        var subject = "Order question " + Guid.NewGuid().ToString("N")[..8];
        await page.Locator("#subject").FillAsync(subject);
        var order = page.Locator("#order");
        var number = await order.Locator("option:not([value=''])").First.GetAttributeAsync("value");
        Assert.Matches("^C[OS]-", number);   // a shop order or a subscription's (other tests may have added either)
        await order.SelectOptionAsync(number!);
        await page.Locator("#text").FillAsync("Can I change the delivery address?");
        await page.Locator("#open-ticket").ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(subject);
        var link = page.Locator("#ticket-order");
        await Expect(link).ToHaveTextAsync(number!);
        await link.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/orders/{number}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync(number!);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task The_open_inbox_fits_a_laptop_screen_with_every_ticket_number_on_one_line()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: new() { Width = 1280, Height = 800 });
        await fixture.SignInStaffAsync(page, BrowserFixture.AdminEmail);
        await page.GotoAsync("console/inbox?view=open");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Tickets" });
        await Expect(table.Locator("[data-sla]").First).ToBeVisibleAsync();

        // Nine columns and SLA due times, yet no sideways scrolling on a laptop: the last column is on screen.
        var wrap = page.Locator(".table-wrap").Filter(new() { Has = table });
        Assert.True(await wrap.EvaluateAsync<bool>("w => w.scrollWidth <= w.clientWidth + 1"),
            $"the inbox table is {await wrap.EvaluateAsync<int>("w => w.scrollWidth")} px wide in a {await wrap.EvaluateAsync<int>("w => w.clientWidth")} px box");
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { Name = "Updated" })).ToBeInViewportAsync();
        // A ticket number is read as one word: it does not break at its hyphen.
        foreach (var link in await table.Locator("tbody tr td:first-child a").AllAsync())
            Assert.Equal(1, await link.EvaluateAsync<int>("a => a.getClientRects().length"));
        Assert.Matches(@" due \d{1,2} [A-Z][a-z]{2} \d\d:\d\d$|^paused$|^breached", (await table.Locator("[data-sla]").First.InnerTextAsync()).Trim());
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Help_centre_results_read_as_plain_sentences_inside_their_cards_on_a_phone()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await page.GotoAsync("help");
        var results = page.Locator("#results > li.card");
        await Expect(results.First).ToBeVisibleAsync();
        Assert.True(await results.CountAsync() >= 3, "the demo help centre lists several articles");
        foreach (var result in await results.AllAsync())
        {
            // The card's padding holds: the title does not touch the card's edge.
            var (card, title) = ((await result.BoundingBoxAsync())!, (await result.Locator("a").First.BoundingBoxAsync())!);
            Assert.True(title.X - card.X >= 12, $"the title starts {title.X - card.X} px from its card's edge");
            // The snippet is the article's words, not its Markdown with holes where the emphasis was.
            var snippet = (await result.Locator("p").InnerTextAsync()).Trim();
            Assert.DoesNotMatch(@"\s[,.;:!?]|\*\*|__|^#", snippet);
        }
        await page.Context.CloseAsync();
    }

    private static async Task ExpectChatHiddenAsync(IPage page)
    {
        // The launcher is added by widget.js; wait for the script to have run before saying it is hidden.
        await page.WaitForFunctionAsync("() => !!document.getElementById('chat-launcher')");
        await Expect(page.Locator("#chat-launcher")).ToBeHiddenAsync();
    }
}
