using Microsoft.Playwright;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// One server (on the provider CENTRIC_E2E_PROVIDER names, sqlite by default) and one headless Chromium per
/// fixture. The admin signs in once; tests open admin contexts from the saved storage state.
/// Outside ./test.sh a missing Chromium or PostgreSQL skips the tests; inside it they fail.
/// </summary>
public abstract class BrowserFixture(string environment) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string AdminEmail = "admin@centric.demo";
    public const string DemoPassword = "Centric-demo-2026";

    private IPlaywright? _playwright;
    private string? _adminState;
    private string? _unavailable;

    public static string Provider => Environment.GetEnvironmentVariable("CENTRIC_E2E_PROVIDER") is { Length: > 0 } p ? p : "sqlite";
    private static bool InsideTestRun => Environment.GetEnvironmentVariable("CENTRIC_TEST_RUN") == "1";

    public CentricServer Server { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Settings this fixture's server needs beyond the defaults.</summary>
    protected virtual void Configure(CentricServer server) { }

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) _unavailable = $"Chromium is not installed at {ChromiumPath} (apt-get install chromium; ./test.sh installs it)";
        else if (Provider == "postgres" && CentricServer.PostgresConnection is null)
            _unavailable = "PostgreSQL browser tests run in ./test.sh, which provides a database (CENTRIC_TEST_PG is not set)";
        else if (Provider is not ("sqlite" or "postgres")) _unavailable = $"CENTRIC_E2E_PROVIDER must be sqlite or postgres, not '{Provider}'";
        if (_unavailable is not null) return;

        Server = new CentricServer(Provider, environment);
        Configure(Server);
        Server.Start();

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Call first in every browser test: skips (or, inside ./test.sh, fails) when the fixture could not start.</summary>
    public void RequireBrowser()
    {
        if (_unavailable is null) return;
        if (InsideTestRun) throw new InvalidOperationException(_unavailable + " — but ./test.sh is running, so this is a failure");
        throw new SkipException(_unavailable);
    }

    /// <summary>A fresh browser context: no cookies, its own storage; a phone-sized one when a viewport is given.</summary>
    public async Task<IPage> NewPageAsync(string? storageState = null, ViewportSize? viewport = null)
    {
        var options = new BrowserNewContextOptions { BaseURL = BaseUrl.ToString(), StorageState = storageState };
        if (viewport is not null)
        {
            options.ViewportSize = viewport;
            options.IsMobile = true;
            options.HasTouch = true;
        }
        var context = await Browser.NewContextAsync(options);
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A page signed in as the seeded admin; the sign-in itself happens once per fixture.</summary>
    public async Task<IPage> AdminPageAsync()
    {
        if (_adminState is null)
        {
            var page = await NewPageAsync();
            await SignInAsync(page, AdminEmail, DemoPassword);
            _adminState = await page.Context.StorageStateAsync();
            await page.Context.CloseAsync();
        }
        return await NewPageAsync(_adminState);
    }

    /// <summary>Fills and submits the sign-in form; the caller asserts where it lands.</summary>
    public static async Task SubmitSignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("Account/Login");
        await page.Locator("#email").FillAsync(email);
        await page.Locator("#password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
    }

    /// <summary>Signs in with a password alone and waits until the top bar shows the account.</summary>
    public static async Task SignInAsync(IPage page, string email, string password)
    {
        await SubmitSignInAsync(page, email, password);
        await Assertions.Expect(SignedInAs(page, email)).ToBeVisibleAsync();
    }

    /// <summary>The account link in the top bar ("Account", named with the email for assistive technology), present only while signed in.</summary>
    public static ILocator SignedInAs(IPage page, string email) =>
        page.Locator("nav.topnav").GetByRole(AriaRole.Link, new() { Name = $"Account {email}", Exact = true });

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (Server is not null) await Server.DisposeAsync();
    }
}

/// <summary>Development with the demo data: the seeded admin may open customer data without MFA (the demo waiver).</summary>
public sealed class DemoServerFixture() : BrowserFixture("Development");

/// <summary>Production: staff must have signed in with MFA before they see customer data.</summary>
public sealed class ProductionServerFixture() : BrowserFixture("Production");

[CollectionDefinition(Name)]
public sealed class DemoServerDefinition : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "demo server";
}
