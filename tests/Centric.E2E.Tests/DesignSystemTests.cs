using System.Globalization;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// The design system as people meet it: every main page of shop, portal and console passes axe-core without a
/// serious or critical violation in both themes; the console fits a phone and its menu works from the keyboard;
/// the shared data table sorts and shows an empty state; the modal keeps focus and closes on Escape; fields
/// validate inline; the theme choice survives a reload and is rendered by the server (no flash).
/// </summary>
[Collection(DemoServerDefinition.Name)]
public class DesignSystemTests(DemoServerFixture fixture, ITestOutputHelper output)
{
    private const string Customer = "ana.silva@example.com";
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>
    /// Each page is loaded once and checked in both themes: every rule in the light one, then, with the dark theme applied
    /// the way the server writes it (<c>html[data-theme]</c>), what a theme changes: colour contrast (the markup is the same).
    /// </summary>
    [SkippableFact]
    public async Task Every_main_page_has_no_serious_or_critical_accessibility_violation_in_either_theme()
    {
        fixture.RequireBrowser();
        var problems = new List<string>();
        var checkedPages = new List<string>();

        foreach (var (who, email) in new[] { ("visitor", (string?)null), ("customer", Customer), ("admin", BrowserFixture.AdminEmail) })
        {
            var page = await fixture.NewPageAsync();
            // No transitions: the dark theme's colours are final the moment it is applied.
            await page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
            if (email == BrowserFixture.AdminEmail) await fixture.SignInStaffAsync(page, email);
            else if (email is not null) await BrowserFixture.SignInAsync(page, email, BrowserFixture.DemoPassword);
            await SetThemeAsync(page, "light");
            foreach (var path in await MainPagesAsync(page, who))
            {
                var response = await page.GotoAsync(path);
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                if (response is { Status: >= 400 }) { problems.Add($"{who} /{path}: HTTP {response.Status}"); continue; }
                foreach (var theme in new[] { "light", "dark" })
                {
                    if (theme == "dark") await page.EvaluateAsync("() => document.documentElement.dataset.theme = 'dark'");
                    Assert.Equal(theme, await page.EvaluateAsync<string?>("() => document.documentElement.dataset.theme"));
                    var violations = await Axe.ViolationsAsync(page, theme == "dark" ? ThemeRules : []);
                    foreach (var v in violations.Where(v => v.Impact is "serious" or "critical"))
                    {
                        var nodes = string.Join(" | ", v.Nodes.Take(4).Select(n => $"{n.Target} {Shorten(n.Html)}"));
                        problems.Add($"{who} /{path} [{theme}]: {v.Id} ({v.Impact}) {v.Help} — {nodes}");
                    }
                }
                checkedPages.Add($"{who}:/{path}");
            }
            await page.Context.CloseAsync();
        }

        // The check itself must be able to fail: an image without a text alternative is a critical violation.
        var probe = await fixture.NewPageAsync();
        await probe.GotoAsync("help");
        await probe.EvaluateAsync("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"favicon.png\">')");
        Assert.Contains(await Axe.ViolationsAsync(probe), v => v.Id == "image-alt" && v.Impact == "critical");
        // And the dark theme's run finds text that cannot be read against its background.
        await probe.EvaluateAsync("() => document.querySelector('main').insertAdjacentHTML('beforeend', '<p style=\"color:#777;background:#808080\">faint</p>')");
        Assert.Contains(await Axe.ViolationsAsync(probe, ThemeRules), v => v.Id == "color-contrast" && v.Impact == "serious");
        await probe.Context.CloseAsync();

        output.WriteLine($"{checkedPages.Count} pages checked in both themes: {string.Join(", ", checkedPages)}");
        Assert.True(checkedPages.Count >= 30, $"only {checkedPages.Count} pages were checked");
        Assert.Contains("admin:/console/insights/deciles", checkedPages);
        Assert.Contains("admin:/console/insights/costs", checkedPages);
        Assert.Contains("admin:/console/segments", checkedPages);
        Assert.Contains("admin:/console/segments/new", checkedPages);
        Assert.Contains(checkedPages, p => p.StartsWith("admin:/console/segments/0", StringComparison.Ordinal));
        Assert.Contains("admin:/console/journeys", checkedPages);
        Assert.Contains("admin:/console/tasks", checkedPages);
        Assert.Contains("admin:/console/campaigns", checkedPages);
        Assert.Contains(checkedPages, p => p.StartsWith("admin:/console/campaigns/0", StringComparison.Ordinal));
        Assert.Contains(checkedPages, p => p.StartsWith("admin:/console/journeys/0", StringComparison.Ordinal));
        Assert.Contains("admin:/console/engagement/templates", checkedPages);
        Assert.Contains("admin:/console/engagement/templates/new", checkedPages);
        Assert.Contains(checkedPages, p => p.StartsWith("admin:/console/engagement/templates/0", StringComparison.Ordinal));
        Assert.Contains("admin:/console/engagement/surveys", checkedPages);
        Assert.Contains("admin:/console/engagement/surveys/new", checkedPages);
        Assert.Contains(checkedPages, p => p.StartsWith("admin:/console/engagement/surveys/0", StringComparison.Ordinal));
        Assert.Contains("admin:/console/promotions", checkedPages);
        Assert.Contains("admin:/console/promotions/new", checkedPages);
        Assert.Contains(checkedPages, p => p.StartsWith("admin:/console/promotions/0", StringComparison.Ordinal));
        Assert.Contains("admin:/console/loyalty", checkedPages);
        Assert.Contains("customer:/account/points", checkedPages);
        Assert.True(problems.Count == 0, $"{problems.Count} serious or critical accessibility problems:\n" + string.Join("\n", problems));
    }

    /// <summary>Every rule runs in the light theme; in the dark one only what a theme changes: colour contrast.</summary>
    private static readonly string[] ThemeRules = ["color-contrast", "link-in-text-block"];

    [SkippableFact]
    public async Task The_console_fits_a_phone_and_its_menu_works_with_the_keyboard()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await fixture.SignInStaffAsync(page, BrowserFixture.AdminEmail);

        foreach (var path in await MainPagesAsync(page, "admin"))
        {
            await page.GotoAsync(path);
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Storefront.ExpectNoHorizontalScrollAsync(page, Phone.Width);
            Assert.True(await page.EvaluateAsync<int>("() => document.scrollingElement.scrollWidth") <= Phone.Width);
        }

        await page.GotoAsync("console");
        var menu = page.GetByRole(AriaRole.Button, new() { Name = "Menu" });
        var nav = page.Locator("nav.sidenav");
        await Expect(nav).ToBeHiddenAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "false");

        // Reach the button with Tab alone, as a keyboard user does.
        for (var i = 0; i < 40 && !await menu.EvaluateAsync<bool>("b => b === document.activeElement"); i++) await page.Keyboard.PressAsync("Tab");
        await Expect(menu).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(nav).ToBeVisibleAsync();
        await Expect(menu).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Overview" })).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Escape");
        await Expect(nav).ToBeHiddenAsync();
        await Expect(menu).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Space");
        await Expect(nav).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(nav.GetByRole(AriaRole.Link, new() { Name = "Customers" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/console/customers$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Customers", Level = 1 })).ToBeVisibleAsync();
        await Expect(nav).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task The_shop_and_the_portal_fit_a_phone()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        foreach (var path in await MainPagesAsync(page, "visitor"))
        {
            await page.GotoAsync(path);
            await Storefront.ExpectNoHorizontalScrollAsync(page, Phone.Width);
        }
        await BrowserFixture.SignInAsync(page, Customer, BrowserFixture.DemoPassword);
        foreach (var path in await MainPagesAsync(page, "customer"))
        {
            await page.GotoAsync(path);
            await Storefront.ExpectNoHorizontalScrollAsync(page, Phone.Width);
        }
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_data_table_sorts_by_a_column_from_the_keyboard_and_shows_an_empty_state()
    {
        fixture.RequireBrowser();
        var page = await fixture.AdminPageAsync();
        await page.GotoAsync("console/customers");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Customers" });
        var header = table.Locator("th").Filter(new() { HasText = "Name" });
        await Expect(header).Not.ToHaveAttributeAsync("aria-sort", new System.Text.RegularExpressions.Regex("."));

        await header.GetByRole(AriaRole.Link).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(header).ToHaveAttributeAsync("aria-sort", "ascending");
        var ascending = await NamesAsync(table);
        Assert.True(ascending.Count >= 2, "the demo should list several customers");
        Assert.Equal(ascending.Order(StringComparer.CurrentCulture).ToList(), ascending);

        await header.GetByRole(AriaRole.Link).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(header).ToHaveAttributeAsync("aria-sort", "descending");
        var descending = await NamesAsync(table);
        Assert.Equal(descending.OrderDescending(StringComparer.CurrentCulture).ToList(), descending);
        Assert.NotEqual(ascending, descending);

        await page.GotoAsync("console/customers?q=nobody-has-this-name-" + Guid.NewGuid().ToString("N")[..8]);
        await Expect(page.Locator(".empty-state")).ToContainTextAsync("No customer matches.");
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_modal_keeps_focus_inside_closes_on_Escape_and_confirms_with_the_keyboard()
    {
        fixture.RequireBrowser();
        var page = await fixture.AdminPageAsync();
        var name = "modal-" + Guid.NewGuid().ToString("N")[..8];
        await page.GotoAsync("console/apikeys");
        await page.Locator("#key-name").FillAsync(name);
        await page.GetByRole(AriaRole.Checkbox, new() { Name = "events:write" }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Expect(page.Locator("#new-secret")).ToBeVisibleAsync();
        // The new page can show before its deferred ui.js has run; the modal's button needs it.
        await page.WaitForLoadStateAsync(LoadState.Load);

        var open = page.GetByRole(AriaRole.Button, new() { Name = $"Revoke {name}", Exact = true });
        var dialog = page.GetByRole(AriaRole.Dialog, new() { Name = $"Revoke {name}?" });
        await open.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        for (var i = 0; i < 6; i++)
        {
            Assert.True(await page.EvaluateAsync<bool>("() => !!document.activeElement?.closest('dialog[open]')"), $"focus left the dialog after {i} Tab presses");
            await page.Keyboard.PressAsync("Tab");
        }

        await page.Keyboard.PressAsync("Escape");
        await Expect(dialog).ToBeHiddenAsync();
        await Expect(open).ToBeFocusedAsync();

        await page.Keyboard.PressAsync("Enter");
        await Expect(dialog).ToBeVisibleAsync();
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Revoke key" }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = name });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("revoked");
        await Expect(open).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_form_field_explains_a_mistake_as_soon_as_the_person_leaves_it()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("Account/Register");
        var email = page.Locator("#email");
        await email.FillAsync("not-an-email");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.Locator("#email-error")).Not.ToBeEmptyAsync();
        await Expect(email).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(email).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex("email-error"));
        await Expect(page.Locator("#password")).ToHaveAttributeAsync("aria-describedby", new System.Text.RegularExpressions.Regex("password-hint"));

        await email.FillAsync("someone@example.com");
        await Expect(page.Locator("#email-error")).ToBeEmptyAsync();
        await Expect(email).Not.ToHaveAttributeAsync("aria-invalid", "true");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task The_theme_toggle_switches_to_dark_and_the_server_renders_the_choice_on_the_next_page()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Light });
        await page.GotoAsync("shop");
        var toggle = page.GetByRole(AriaRole.Button, new() { Name = "Dark theme" });
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "false");
        var lightBackground = await BodyBackgroundAsync(page);

        await toggle.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");
        await Expect(toggle).ToHaveAttributeAsync("aria-pressed", "true");
        Assert.NotEqual(lightBackground, await BodyBackgroundAsync(page));

        // The server writes the choice into <html>, so the page is dark before any script runs.
        var html = await (await page.Context.APIRequest.GetAsync("help")).TextAsync();
        Assert.Contains("data-theme=\"dark\"", html, StringComparison.Ordinal);
        await page.ReloadAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "dark");

        await page.GetByRole(AriaRole.Button, new() { Name = "Dark theme" }).ClickAsync();
        await Expect(page.Locator("html")).ToHaveAttributeAsync("data-theme", "light");
        await page.Context.CloseAsync();
    }

    /// <summary>
    /// The main pages a role sees: every link in the navigation it can open, plus the detail pages people open most
    /// (a product, a help article, an order, a customer, a ticket), found by following the first link of each list.
    /// </summary>
    private async Task<List<string>> MainPagesAsync(IPage page, string who)
    {
        var origin = fixture.BaseUrl.GetLeftPart(UriPartial.Authority);
        string? Relative(string? href) => href is null ? null : href.StartsWith(origin, StringComparison.Ordinal) ? href[origin.Length..].TrimStart('/') : href.TrimStart('/');
        async Task<string?> FirstLinkAsync(string path, string selector)
        {
            await page.GotoAsync(path);
            var link = page.Locator(selector).First;
            return await link.CountAsync() == 0 ? null : Relative(await link.EvaluateAsync<string>("a => a.href"));
        }

        var pages = new List<string>();
        void Add(string? path) { if (path is not null && !pages.Contains(path)) pages.Add(path.Split('#')[0]); }
        switch (who)
        {
            case "visitor":
                Add(""); Add("shop"); Add("shop?q=zzzz-nothing-matches");
                var product = await FirstLinkAsync("shop", "li.product-card a");
                Add(product);
                if (product is not null)
                {
                    await page.GotoAsync(product);
                    // The first product may be sold out by other tests' orders: then it has no button, and the cart stays empty.
                    var add = Storefront.AddToCartButton(page);
                    if (await add.CountAsync() > 0 && await add.IsEnabledAsync()) await Storefront.AddToCartAsync(page);
                }
                Add("cart"); Add("checkout"); Add("help");
                Add(await FirstLinkAsync("help", "main a[href^='help/']"));
                Add("Account/Login"); Add("Account/Register"); Add("Account/ForgotPassword");
                break;
            case "customer":
                Add(""); Add("orders"); Add("notifications"); Add("account/subscriptions"); Add("account/wallet"); Add("account/preferences");
                Add("support"); Add("support/new"); Add("Account/Manage"); Add("Account/Manage/TwoFactorAuthentication"); Add("account/wishlist"); Add("account/alerts"); Add("account/points"); Add("account/push"); Add("surveys");
                Add(await FirstLinkAsync("orders", "main a[href*='orders/']"));
                Add(await FirstLinkAsync("support", "main a[href^='support/T']"));
                break;
            default:
                await page.GotoAsync("console");
                foreach (var href in await page.Locator("nav.sidenav a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.href)")) Add(Relative(href));
                Add(await FirstLinkAsync("console/customers", "table.grid tbody a[href*='console/customers/']"));
                Add(await FirstLinkAsync("console/orders", "table.grid tbody a[href*='console/orders/']"));
                Add(await FirstLinkAsync("console/inbox?view=open", "table.grid tbody a[href*='console/tickets/']"));
                Add(await FirstLinkAsync("console/products", "table.grid tbody a[href*='console/products/']"));
                Add(await FirstLinkAsync("console/insights", "#kpis a[href*='console/insights/customers']"));
                Add("console/segments/new");
                Add(await FirstLinkAsync("console/segments", "table.grid tbody a[href*='console/segments/']"));
                Add("console/journeys/new");
                Add(await FirstLinkAsync("console/journeys", "table.grid tbody a[href*='console/journeys/']"));
                Add(await FirstLinkAsync("console/campaigns", "table.grid tbody a[href*='console/campaigns/']"));
                Add("console/engagement/templates/new");
                Add(await FirstLinkAsync("console/engagement/templates", "table.grid tbody a[href*='console/engagement/templates/']"));
                Add("console/engagement/surveys/new");
                Add(await FirstLinkAsync("console/engagement/surveys", "table.grid tbody a[href*='console/engagement/surveys/']"));
                Add("console/promotions/new");
                Add(await FirstLinkAsync("console/promotions", "table.grid tbody a[href*='console/promotions/']"));
                // A member's points (not for analysts, who read the 360 but not the points).
                if (!who.Contains("analyst", StringComparison.Ordinal)
                    && await FirstLinkAsync("console/customers?q=ana.silva%40example.com", "table.grid tbody a[href*='console/customers/']") is { } ana)
                    Add(await FirstLinkAsync(ana, "#highlight-loyalty a"));
                break;
        }
        return pages;
    }

    private async Task SetThemeAsync(IPage page, string theme) =>
        await page.Context.AddCookiesAsync([new Cookie { Name = "centric-theme", Value = theme, Url = fixture.BaseUrl.ToString() }]);

    private static async Task<List<string>> NamesAsync(ILocator table) =>
        [.. (await table.Locator("tbody tr td:first-child").AllInnerTextsAsync()).Select(t => t.Trim())];

    private static Task<string> BodyBackgroundAsync(IPage page) =>
        page.EvaluateAsync<string>("() => getComputedStyle(document.body).backgroundColor");

    private static string Shorten(string? html) =>
        html is null ? "" : html.Length <= 120 ? html : string.Create(CultureInfo.InvariantCulture, $"{html[..120]}…");
}
