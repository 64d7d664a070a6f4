using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>Customer journeys that several tests start with, done the way a person does them.</summary>
public static class Accounts
{
    public static string NewEmail(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}@example.com";

    /// <summary>Fills the registration form and waits for "Check your inbox".</summary>
    public static async Task RegisterAsync(IPage page, string name, string email, string password)
    {
        await page.GotoAsync("Account/Register");
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#confirm").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check your inbox" })).ToBeVisibleAsync();
    }

    /// <summary>
    /// Reads the confirmation link the way the issue describes it: an admin opens the local mail outbox in the
    /// console and follows the message to the customer's "Confirm your email" mail.
    /// </summary>
    public static async Task<string> ConfirmationLinkFromOutboxAsync(BrowserFixture fixture, string email)
    {
        var admin = await fixture.AdminPageAsync();
        try
        {
            await admin.GotoAsync($"console/mail?to={Uri.EscapeDataString(email)}");
            await admin.GetByRole(AriaRole.Row).Filter(new() { HasText = email })
                .GetByRole(AriaRole.Link, new() { Name = "Confirm your email" }).ClickAsync();
            await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Confirm your email" })).ToBeVisibleAsync();
            await Expect(admin.Locator("p.muted").First).ToContainTextAsync(email);
            var href = await admin.Locator("article.mail-body").GetByRole(AriaRole.Link, new() { Name = "confirm my email" }).GetAttributeAsync("href");
            Assert.False(string.IsNullOrEmpty(href), "the confirmation mail holds no link");
            return href!;
        }
        finally
        {
            await admin.Context.CloseAsync();
        }
    }

    /// <summary>Opens the confirmation link and waits for the thank-you message.</summary>
    public static async Task ConfirmAsync(IPage page, string link)
    {
        await page.GotoAsync(link);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Thank you for confirming your email");
    }

    public static async Task RegisterAndConfirmAsync(BrowserFixture fixture, IPage page, string email, string password)
    {
        await RegisterAsync(page, "E2E Customer", email, password);
        await ConfirmAsync(page, await ConfirmationLinkFromOutboxAsync(fixture, email));
    }
}
