using System.Net;
using Centric.Server.Tests.Infrastructure;

namespace Centric.Server.Tests.Platform;

public sealed class TightlyLimitedSqliteApp : CentricAppFactory
{
    public TightlyLimitedSqliteApp() : base("sqlite") => With("RateLimits:ApiRequestsPerMinute", "5").With("RateLimits:SignInPerMinute", "3");
}

public sealed class TightlyLimitedPostgresApp : CentricAppFactory
{
    public TightlyLimitedPostgresApp() : base("postgres") => With("RateLimits:ApiRequestsPerMinute", "5").With("RateLimits:SignInPerMinute", "3");
}

public abstract class RateLimitTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task The_api_answers_429_with_retry_after_once_a_key_spends_its_budget()
    {
        using var client = app.AdminClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 7; i++) statuses.Add((await client.GetAsync("/api/v1/customers")).StatusCode);
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.OK));
        var limited = await client.GetAsync("/api/v1/customers");
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero, "Retry-After must be set");
        Assert.Equal("https://centric.dev/problems/rate-limited", (await limited.ReadJsonAsync()).GetProperty("type").GetString());

        // Another key has its own budget.
        app.SkipIfUnavailable();
        using var other = app.ClientWithKey("ck_someone_else");
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync("/api/v1/customers")).StatusCode);
    }

    [SkippableFact]
    public async Task Sign_in_posts_are_limited_per_client()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
            statuses.Add((await client.PostAsync("/Account/Login", new FormUrlEncodedContent([new("Input.Email", "x@example.com")]))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        Assert.Equal(3, statuses.Count(s => s != HttpStatusCode.TooManyRequests));
    }
}

public sealed class RateLimitOnSqlite(TightlyLimitedSqliteApp app) : RateLimitTests(app), IClassFixture<TightlyLimitedSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class RateLimitOnPostgres(TightlyLimitedPostgresApp app) : RateLimitTests(app), IClassFixture<TightlyLimitedPostgresApp>;
