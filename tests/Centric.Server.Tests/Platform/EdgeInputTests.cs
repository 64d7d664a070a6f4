using System.Net;
using Centric.Server.Platform.Identity;
using Centric.Server.Tests.Infrastructure;

namespace Centric.Server.Tests.Platform;

/// <summary>Inputs at the edges that once answered 500, found by the OpenAPI sweep and by hand (issue 14 item 6).</summary>
public abstract class EdgeInputTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task Support_measures_for_the_last_days_of_the_calendar_are_computed()
    {
        using var client = app.AdminClient();
        var response = await client.GetAsync("/api/v1/support/measures?from=9999-12-30&to=9999-12-31");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [SkippableFact]
    public async Task A_person_who_follows_a_dead_link_gets_a_page_with_a_way_back_and_the_api_keeps_problems()
    {
        app.SkipIfUnavailable();
        using var browser = app.CreateClient();
        browser.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml;q=0.9,*/*;q=0.8");
        var page = await browser.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Not found", html, StringComparison.Ordinal);
        Assert.Contains("href=\"shop\"", html, StringComparison.Ordinal);

        // The console's dead links lead back to the console.
        using var staff = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: true);
        staff.DefaultRequestHeaders.Accept.ParseAdd("text/html");
        var console = await staff.GetAsync("/console/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, console.StatusCode);
        Assert.Contains("Back to the console", await console.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The same address asked for by a script, and the API, still answer with a problem.
        using var script = app.CreateClient();
        var problem = await script.GetAsync("/no-such-page");
        Assert.Equal(HttpStatusCode.NotFound, problem.StatusCode);
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
        var api = await browser.GetAsync("/api/v1/no-such-endpoint");
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.Equal("application/problem+json", api.Content.Headers.ContentType?.MediaType);

        // Opened directly, an error page answers with the status it describes.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/error/404")).StatusCode);
    }

    [SkippableTheory]
    [InlineData("/evil.example", "/evil.example")]
    [InlineData("//evil.example/steal", "/evil.example/steal")]
    [InlineData("\\\\evil.example", "/evil.example")]
    [InlineData("orders", "/orders")]
    [InlineData("caf\u00e9", "/")]
    public async Task Signing_out_returns_only_to_a_path_on_this_site(string returnUrl, string expected)
    {
        app.SkipIfUnavailable();
        using var session = await PortalSession.SignInAsync(app, Guid.NewGuid(), Json.NewEmail());
        var response = await session.Client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["ReturnUrl"] = returnUrl, ["__RequestVerificationToken"] = await session.AntiforgeryTokenAsync("/Account/Login"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [SkippableFact]
    public async Task A_bare_status_code_answers_with_a_problem_that_has_our_type()
    {
        using var client = app.AdminClient();
        var response = await client.GetAsync("/api/v1/customers/not-a-guid");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("https://centric.dev/problems/not-found", (await response.ReadJsonAsync()).GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task A_nul_in_a_query_string_is_a_validation_problem_on_both_databases()
    {
        using var client = app.AdminClient();
        var response = await client.GetAsync("/api/v1/customers?q=a%00b");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("https://centric.dev/problems/validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("q", out _));
    }

    [SkippableFact]
    public async Task A_nul_in_a_json_body_is_a_malformed_json_problem_naming_the_field()
    {
        using var client = app.AdminClient();
        var response = await client.PostAsync("/api/v1/apikeys", new StringContent("""{"name":"a\u0000b","scopes":["customers:read"]}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("https://centric.dev/problems/malformed-json", problem.GetProperty("type").GetString());
        Assert.Contains("$.name", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}

public sealed class EdgeInputOnSqlite(SqliteApp app) : EdgeInputTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class EdgeInputOnPostgres(PostgresApp app) : EdgeInputTests(app), IClassFixture<PostgresApp>;
