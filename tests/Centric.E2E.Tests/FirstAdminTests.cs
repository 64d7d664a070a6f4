using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// A new installation in Production, without the demo: the operator invites the first admin from the command line,
/// the admin chooses a password from the printed link, and the console stays shut until they enrol an authenticator.
/// </summary>
public partial class FirstAdminTests(FirstAdminFixture fixture) : IClassFixture<FirstAdminFixture>
{
    private const string Password = "First-admin-pass-42";

    [GeneratedRegex(@"https?://\S+(?<path>/Account/ResetPassword\?code=\S+)")]
    private static partial Regex ResetLink();

    [SkippableFact]
    public async Task The_first_admin_is_invited_from_the_command_line_and_needs_mfa_before_the_console_opens()
    {
        fixture.RequireBrowser();
        var link = ResetLink().Match(fixture.InviteOutput);
        Assert.True(link.Success, "the command printed no link to choose a password:\n" + fixture.InviteOutput);
        Assert.Contains($"Invited {FirstAdminFixture.Email} as Admin.", fixture.InviteOutput, StringComparison.Ordinal);

        // Nothing of the demo exists here.
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SubmitSignInAsync(page, BrowserFixture.AdminEmail, BrowserFixture.DemoPassword);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Wrong email or password");

        // The printed link (its address comes from Centric:PublicBaseUrl; the path is what matters here).
        await page.GotoAsync(link.Groups["path"].Value.TrimStart('/'));
        await page.Locator("#Input\\.Email").FillAsync(FirstAdminFixture.Email);
        await page.Locator("#Input\\.Password").FillAsync(Password);
        await page.Locator("#Input\\.ConfirmPassword").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Reset password confirmation" })).ToBeVisibleAsync();

        // A password alone opens the console's front page only, which says how to enrol.
        await BrowserFixture.SignInAsync(page, FirstAdminFixture.Email, Password);
        await page.GotoAsync("console");
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Customer data needs two-factor authentication");
        await page.GotoAsync("console/staff");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed" })).ToBeVisibleAsync();

        var key = await BrowserFixture.EnrolAuthenticatorAsync(page);
        await page.Locator("nav.topnav").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(BrowserFixture.SignedInAs(page, FirstAdminFixture.Email)).ToHaveCountAsync(0);
        await BrowserFixture.SignInWithAuthenticatorAsync(page, FirstAdminFixture.Email, Password, key);

        // Signed in with MFA, the admin runs the console: the staff page lists them, enrolled.
        await page.GotoAsync("console/staff");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Staff", Level = 1 })).ToBeVisibleAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = FirstAdminFixture.Email });
        await Expect(row).ToContainTextAsync("First Admin");
        await Expect(row).ToContainTextAsync("Admin");
        await Expect(row).ToContainTextAsync("enrolled");
        await Expect(row).Not.ToContainTextAsync("not enrolled");
        await page.Context.CloseAsync();
    }
}
