using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class AccountTests(DemoServerFixture fixture)
{
    private const string Password = "Correct-horse-42";

    [SkippableFact]
    public async Task Register_confirm_enrol_mfa_and_sign_in_with_totp()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-mfa");
        var page = await fixture.NewPageAsync();

        // Register; the confirmation link arrives in the local mail outbox, which the admin reads in the console.
        await Accounts.RegisterAsync(page, "Mia Totp", email, Password);
        await BrowserFixture.SubmitSignInAsync(page, email, Password);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Please confirm your email first");
        var link = await Accounts.ConfirmationLinkFromOutboxAsync(fixture, email);
        Assert.StartsWith(fixture.BaseUrl.ToString(), link, StringComparison.Ordinal);
        await Accounts.ConfirmAsync(page, link);

        await BrowserFixture.SignInAsync(page, email, Password);

        // Enrol an authenticator app: the test is the app, computing codes from the key on the page.
        await page.GotoAsync("Account/Manage/EnableAuthenticator");
        var key = (await page.Locator("#shared-key").InnerTextAsync()).Trim();
        Assert.Matches("^[a-z2-7 ]{16,}$", key);
        await page.Locator("#code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Your authenticator app has been verified");
        var codes = page.Locator("code.recovery-code");
        await Expect(codes).ToHaveCountAsync(10);
        Assert.Equal(10, (await codes.AllInnerTextsAsync()).Select(c => c.Trim()).Where(c => c.Length > 0).Distinct(StringComparer.Ordinal).Count());

        await page.Locator("nav.topnav").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("nav.topnav").GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Expect(BrowserFixture.SignedInAs(page, email)).ToHaveCountAsync(0);

        // The password alone no longer signs in: the second step asks for a code, and a wrong one is refused.
        await BrowserFixture.SubmitSignInAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/LoginWith2fa"));
        var codeInput = page.GetByLabel("Authenticator code");
        var fresh = Totp.Code(key, DateTimeOffset.UtcNow);
        await codeInput.FillAsync(fresh == "000000" ? "111111" : "000000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Invalid authenticator code");
        await Expect(BrowserFixture.SignedInAs(page, email)).ToHaveCountAsync(0);

        await codeInput.FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Expect(BrowserFixture.SignedInAs(page, email)).ToBeVisibleAsync();
        await Expect(page).Not.ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/(Login|LoginWith2fa|Lockout)"));
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Five_wrong_passwords_lock_the_account()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-lockout");
        var page = await fixture.NewPageAsync();
        await Accounts.RegisterAndConfirmAsync(fixture, page, email, Password);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            await BrowserFixture.SubmitSignInAsync(page, email, "Wrong-password-" + attempt);
            await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Wrong email or password");
        }
        await BrowserFixture.SubmitSignInAsync(page, email, "Wrong-password-5");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Lockout"));
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("locked out");

        // Locked means locked: even the right password is turned away now.
        await BrowserFixture.SubmitSignInAsync(page, email, Password);
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/Lockout"));
        await Expect(BrowserFixture.SignedInAs(page, email)).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }
}
