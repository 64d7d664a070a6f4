using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// One server (on the provider CENTRIC_E2E_PROVIDER names, sqlite by default) and one headless Chromium per
/// fixture. Staff sign in once per fixture; tests open staff contexts from the saved storage state. Where staff need
/// MFA (everywhere but the Development demo), each member of staff enrols an authenticator app the first time, through
/// the account pages, and signs in with its codes from then on.
/// Outside ./test.sh a missing Chromium or PostgreSQL skips the tests; inside it they fail.
/// </summary>
public abstract class BrowserFixture(string environment) : IAsyncLifetime
{
    public const string ChromiumPath = "/usr/bin/chromium";
    public const string AdminEmail = "admin@centric.demo";
    public const string DemoPassword = "Centric-demo-2026";

    private readonly ConcurrentDictionary<string, string> _staffStates = new(StringComparer.OrdinalIgnoreCase);
    private readonly StaffSignIn _staffSignIn = new(needMfa: environment != "Development");
    private IPlaywright? _playwright;
    private string? _unavailable;

    public static string Provider => Environment.GetEnvironmentVariable("CENTRIC_E2E_PROVIDER") is { Length: > 0 } p ? p : "sqlite";
    private static bool InsideTestRun => Environment.GetEnvironmentVariable("CENTRIC_TEST_RUN") == "1";

    public CentricServer Server { get; private set; } = default!;
    public IBrowser Browser { get; private set; } = default!;
    public Uri BaseUrl => Server.BaseUrl;

    /// <summary>Staff need a sign-in with MFA for the console: everywhere but the Development demo, which waives it.</summary>
    public bool StaffNeedMfa => _staffSignIn.NeedMfa;

    /// <summary>The inbound-email webhook's secret on this server (a secret of the tests' own: demo secrets sign only in Development).</summary>
    public string InboundSecret { get; } = "e2e-inbound-secret-" + Guid.NewGuid().ToString("N");

    /// <summary>Settings this fixture's server needs beyond the defaults.</summary>
    protected virtual void Configure(CentricServer server) { }

    /// <summary>Work on the server's database before the server first starts on it.</summary>
    protected virtual Task BeforeStartAsync(CentricServer server) => Task.CompletedTask;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath)) _unavailable = $"Chromium is not installed at {ChromiumPath} (apt-get install chromium; ./test.sh installs it)";
        else if (Provider == "postgres" && CentricServer.PostgresConnection is null)
            _unavailable = "PostgreSQL browser tests run in ./test.sh, which provides a database (CENTRIC_TEST_PG is not set)";
        else if (Provider is not ("sqlite" or "postgres")) _unavailable = $"CENTRIC_E2E_PROVIDER must be sqlite or postgres, not '{Provider}'";
        if (_unavailable is not null) return;

        Server = new CentricServer(Provider, environment).With("Support:InboundSecret", InboundSecret);
        Configure(Server);
        await BeforeStartAsync(Server);
        await Server.StartAsync();

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

    /// <summary>A page signed in as the seeded admin (with MFA where staff need it); the sign-in itself happens once per fixture.</summary>
    public Task<IPage> AdminPageAsync() => StaffPageAsync(AdminEmail);

    /// <summary>A page signed in as a demo member of staff (with MFA where staff need it); each signs in once per fixture.</summary>
    public async Task<IPage> StaffPageAsync(string email)
    {
        if (!_staffStates.TryGetValue(email, out var state))
        {
            var page = await NewPageAsync();
            await SignInStaffAsync(page, email);
            state = await page.Context.StorageStateAsync();
            await page.Context.CloseAsync();
            _staffStates[email] = state;
        }
        return await NewPageAsync(state);
    }

    /// <summary>Signs a demo member of staff in, with MFA where staff need it (<see cref="StaffSignIn"/>).</summary>
    public Task SignInStaffAsync(IPage page, string email) => _staffSignIn.SignInAsync(page, email);

    /// <summary>Signs in with the password, then a code from the authenticator app with this key, and waits for the top bar to show the account.</summary>
    public static async Task SignInWithAuthenticatorAsync(IPage page, string email, string password, string key)
    {
        await SubmitSignInAsync(page, email, password);
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/Account/LoginWith2fa"));
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await Assertions.Expect(SignedInAs(page, email)).ToBeVisibleAsync();
    }

    /// <summary>On a signed-in page: sets up an authenticator app from the account pages and returns its key.</summary>
    public static async Task<string> EnrolAuthenticatorAsync(IPage page)
    {
        await page.GotoAsync("Account/Manage/EnableAuthenticator");
        var key = (await page.Locator("#shared-key").InnerTextAsync()).Trim();
        await page.Locator("#code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.GetByRole(AriaRole.Button, new() { Name = "Verify" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Your authenticator app has been verified");
        return key;
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

/// <summary>
/// The demo business. In Development (the demo waiver: staff open customer data without MFA), or in Production when the
/// tests run against the published app (CENTRIC_E2E_PUBLISHED), where staff sign in with MFA like anywhere else.
/// </summary>
public sealed class DemoServerFixture() : BrowserFixture(CentricServer.PublishedDirectory is null ? "Development" : "Production");

/// <summary>Production with the demo data: staff must have signed in with MFA before they see customer data.</summary>
public sealed class ProductionServerFixture() : BrowserFixture("Production");

[CollectionDefinition(Name)]
public sealed class ProductionServerDefinition : ICollectionFixture<ProductionServerFixture>
{
    public const string Name = "production server";
}

[CollectionDefinition(Name)]
public sealed class DemoServerDefinition : ICollectionFixture<DemoServerFixture>
{
    public const string Name = "demo server";
}

/// <summary>
/// Production without the demo: the first admin comes from `centric staff invite`, run on the database before the server
/// ever started on it, as an operator setting up a new installation would.
/// </summary>
public sealed class FirstAdminFixture() : BrowserFixture("Production")
{
    public const string Email = "first.admin@example.com";

    /// <summary>What the command printed.</summary>
    public string InviteOutput { get; private set; } = "";

    protected override void Configure(CentricServer server) => server.With("Database:SeedDemoData", "false");

    protected override async Task BeforeStartAsync(CentricServer server)
    {
        var (exitCode, output) = await server.RunCommandAsync("staff", "invite", "--email", Email, "--name", "First Admin");
        if (exitCode != 0) throw new InvalidOperationException($"`centric staff invite` exited with {exitCode}:\n{output}");
        InviteOutput = output;
    }
}

/// <summary>
/// Demo staff signing in the way they would: the password, and where staff need MFA a code from their authenticator app.
/// The first time, each enrols one from their account pages (the test is the app) and its key is kept for the next time.
/// </summary>
public sealed class StaffSignIn(bool needMfa)
{
    private readonly ConcurrentDictionary<string, string> _authenticatorKeys = new(StringComparer.OrdinalIgnoreCase);

    public bool NeedMfa => needMfa;

    public async Task SignInAsync(IPage page, string email)
    {
        if (!needMfa)
        {
            await BrowserFixture.SignInAsync(page, email, BrowserFixture.DemoPassword);
            return;
        }
        if (!_authenticatorKeys.TryGetValue(email, out var key))
        {
            await BrowserFixture.SignInAsync(page, email, BrowserFixture.DemoPassword);
            key = await BrowserFixture.EnrolAuthenticatorAsync(page);
            _authenticatorKeys[email] = key;
            await page.Locator("nav.topnav").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(BrowserFixture.SignedInAs(page, email)).ToHaveCountAsync(0);
        }
        await BrowserFixture.SignInWithAuthenticatorAsync(page, email, BrowserFixture.DemoPassword, key);
    }
}
