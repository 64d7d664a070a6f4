using System.Net;
using System.Net.Http.Json;
using Centric.Server.Platform;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Webhooks;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Platform;

/// <summary>Browser-facing protections: antiforgery on account posts, security headers, Secure cookies, immediate key revocation.</summary>
public abstract class HardeningTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task Signing_out_everywhere_and_downloading_personal_data_need_the_pages_antiforgery_token()
    {
        app.SkipIfUnavailable();
        using var customer = await PortalSession.SignInAsync(app, Guid.NewGuid(), Json.NewEmail());
        foreach (var path in new[] { "/Account/Manage/DownloadPersonalData", "/Account/Manage/SignOutEverywhere" })
        {
            var forged = await customer.Client.PostAsync(path, new FormUrlEncodedContent([]));
            Assert.Equal((path, HttpStatusCode.BadRequest), (path, forged.StatusCode));
            Assert.Equal(ProblemTypes.Antiforgery, (await forged.ReadJsonAsync()).GetProperty("type").GetString());
        }
        // Still signed in: the forged sign-out did nothing.
        Assert.Equal(HttpStatusCode.OK, (await customer.Client.GetAsync("/Account/Manage/PersonalData")).StatusCode);

        var download = await customer.Client.PostAsync("/Account/Manage/DownloadPersonalData", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", await customer.AntiforgeryTokenAsync("/Account/Manage/PersonalData"))]));
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/json", download.Content.Headers.ContentType?.MediaType);
        var signOut = await customer.Client.PostAsync("/Account/Manage/SignOutEverywhere", new FormUrlEncodedContent(
            [new("__RequestVerificationToken", await customer.AntiforgeryTokenAsync("/Account/Manage/Sessions"))]));
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        Assert.Contains("/Account/Login", signOut.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    /// <summary>Posts whose handlers bind form fields: a forged one (no token) is a 400 problem, never a 500, and changes nothing.</summary>
    [SkippableFact]
    public async Task A_forged_form_post_to_a_handler_that_reads_the_form_is_a_problem_and_changes_nothing()
    {
        app.SkipIfUnavailable();
        var profileId = Guid.NewGuid();
        using var customer = await PortalSession.SignInAsync(app, profileId, Json.NewEmail());
        var product = Guid.NewGuid().ToString();
        foreach (var (path, field) in new[] { ("/account/wishlist/add", "productId"), ("/account/alerts/add", "productId"), ("/Account/Logout", "returnUrl") })
        {
            using var forged = await customer.Client.PostAsync(path, new FormUrlEncodedContent([new(field, field == "returnUrl" ? "/" : product)]));
            Assert.Equal((path, HttpStatusCode.BadRequest), (path, forged.StatusCode));
            Assert.Equal(ProblemTypes.Antiforgery, (await forged.ReadJsonAsync()).GetProperty("type").GetString());
        }
        // Still signed in, and nothing was saved or asked for.
        Assert.Equal(HttpStatusCode.OK, (await customer.Client.GetAsync("/Account/Manage/PersonalData")).StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.WishListItems.CountAsync(w => w.ProfileId == profileId)));
        Assert.Equal(0, await app.WithDbAsync(db => db.ProductAlerts.CountAsync(a => a.ProfileId == profileId)));
    }

    [SkippableFact]
    public async Task Pages_carry_security_headers_and_https_requests_get_hsts_and_secure_cookies()
    {
        app.SkipIfUnavailable();
        using var http = app.CreateClient();
        var page = await http.GetAsync("/Account/Login");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("strict-origin-when-cross-origin", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal(PlatformModule.ContentSecurityPolicy, page.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.DoesNotContain(page.Headers.GetValues("Set-Cookie"), c => c.Contains("secure", StringComparison.OrdinalIgnoreCase));
        // An API answer is covered too.
        Assert.Equal("nosniff", (await http.GetAsync("/health")).Headers.GetValues("X-Content-Type-Options").Single());

        using var https = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("https://centric.example/") });
        var secure = await https.GetAsync("/Account/Login");
        Assert.Equal(HttpStatusCode.OK, secure.StatusCode);
        Assert.True(secure.Headers.Contains("Strict-Transport-Security"));
        Assert.All(secure.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public async Task A_revoked_api_key_is_refused_at_once()
    {
        app.SkipIfUnavailable();
        using var admin = app.AdminClient();
        var created = await (await admin.PostAsJsonAsync("/api/v1/apikeys", new { name = "soon revoked", scopes = new[] { "customers:read" } })).ReadJsonAsync();
        using var reader = app.ClientWithKey(created.GetProperty("secret").GetString()!);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/customers")).StatusCode);
        Assert.True((await admin.DeleteAsync($"/api/v1/apikeys/{created.GetProperty("id").GetString()}")).IsSuccessStatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await reader.GetAsync("/api/v1/customers")).StatusCode);
    }
}

public sealed class HardeningOnSqlite(SqliteApp app) : HardeningTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class HardeningOnPostgres(PostgresApp app) : HardeningTests(app), IClassFixture<PostgresApp>;

/// <summary>Behind a TLS proxy on loopback, with tight limits: each client is known by its forwarded address.</summary>
public class BehindProxyApp : CentricAppFactory
{
    public BehindProxyApp(string provider) : base(provider)
    {
        With("RateLimits:ApiRequestsPerMinute", "5").With("RateLimits:SignInPerMinute", "3");
        // The test server has no connection address; a real proxy on this machine connects from loopback.
        WithServices(s => s.AddSingleton<IStartupFilter>(new FromLoopback()));
    }

    private sealed class FromLoopback : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((http, following) =>
            {
                http.Connection.RemoteIpAddress ??= IPAddress.Loopback;
                return following(http);
            });
            next(app);
        };
    }
}

public sealed class BehindProxySqliteApp() : BehindProxyApp("sqlite");

public sealed class BehindProxyPostgresApp() : BehindProxyApp("postgres");

public abstract class ClientAddressTests(BehindProxyApp app)
{
    private HttpClient ClientFrom(string address)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        client.DefaultRequestHeaders.Add("X-Forwarded-Proto", "https");
        return client;
    }

    [SkippableFact]
    public async Task Behind_the_proxy_each_client_has_its_own_sign_in_limit()
    {
        app.SkipIfUnavailable();
        using var first = ClientFrom("203.0.113.10");
        using var second = ClientFrom("203.0.113.11");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await first.PostAsync("/Account/Login", new FormUrlEncodedContent([new("Input.Email", "x@example.com")]))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);
        var other = await second.PostAsync("/Account/Login", new FormUrlEncodedContent([new("Input.Email", "y@example.com")]));
        Assert.NotEqual(HttpStatusCode.TooManyRequests, other.StatusCode);
        // The proxy said https: the session cookies are Secure.
        var page = await second.GetAsync("/Account/Login");
        Assert.All(page.Headers.GetValues("Set-Cookie"), c => Assert.Contains("secure", c, StringComparison.OrdinalIgnoreCase));
    }

    [SkippableFact]
    public async Task Made_up_api_tokens_share_their_clients_limit_and_a_real_key_keeps_its_own()
    {
        app.SkipIfUnavailable();
        using var client = ClientFrom("203.0.113.20");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 6; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers");
            request.Headers.Authorization = new("Bearer", "ck_made_up_" + Guid.NewGuid().ToString("N"));
            statuses.Add((await client.SendAsync(request)).StatusCode);
        }
        Assert.Equal(5, statuses.Count(s => s == HttpStatusCode.Unauthorized));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[^1]);

        var key = await app.CreateKeyAsync("customers:read");
        using var real = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers");
        real.Headers.Authorization = new("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(real)).StatusCode);
    }
}

public sealed class ClientAddressOnSqlite(BehindProxySqliteApp app) : ClientAddressTests(app), IClassFixture<BehindProxySqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ClientAddressOnPostgres(BehindProxyPostgresApp app) : ClientAddressTests(app), IClassFixture<BehindProxyPostgresApp>;

/// <summary>The default: webhooks only to public addresses.</summary>
public class PublicWebhooksApp : CentricAppFactory
{
    public PublicWebhooksApp(string provider) : base(provider) => With("Webhooks:AllowPrivateNetworks", "false");
}

public sealed class PublicWebhooksSqliteApp() : PublicWebhooksApp("sqlite");

public sealed class PublicWebhooksPostgresApp() : PublicWebhooksApp("postgres");

public abstract class WebhookTargetTests(PublicWebhooksApp app)
{
    [SkippableFact]
    public async Task Webhooks_to_internal_or_link_local_addresses_are_refused_when_subscribing_and_when_delivering()
    {
        app.SkipIfUnavailable();
        using var admin = app.AdminClient();
        foreach (var url in new[] { "http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/hook", "http://localhost/hook", "http://10.1.2.3/hook",
                     "http://[::1]/hook", "http://[fe80::1]/hook", "http://192.168.1.1/hook", "http://[::ffff:169.254.169.254]/hook" })
        {
            var refused = await admin.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes = new[] { "*" } });
            Assert.Equal((url, HttpStatusCode.BadRequest), (url, refused.StatusCode));
            Assert.Equal(ProblemTypes.Validation, (await refused.ReadJsonAsync()).GetProperty("type").GetString());
        }
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://203.0.113.5/hook", eventTypes = new[] { "*" } })).StatusCode);

        // At delivery the address is checked again after DNS resolution: a receiver on loopback is not reached.
        await using var receiver = await WebhookReceiver.StartAsync();
        var client = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient(WebhookSender.HttpClientName);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(receiver.Url, new StringContent("{}")));
        Assert.Contains("Refused", error.Message, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
        Assert.True(WebhookTargets.IsPublic(IPAddress.Parse("203.0.113.5")));
        Assert.False(WebhookTargets.IsPublic(IPAddress.Parse("::ffff:10.0.0.1")));
    }
}

public sealed class WebhookTargetsOnSqlite(PublicWebhooksSqliteApp app) : WebhookTargetTests(app), IClassFixture<PublicWebhooksSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class WebhookTargetsOnPostgres(PublicWebhooksPostgresApp app) : WebhookTargetTests(app), IClassFixture<PublicWebhooksPostgresApp>;
