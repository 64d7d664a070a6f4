using System.Net;
using System.Text;
using Centric.Server.Support.Email;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

public abstract class InboundRateLimitTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task Inbound_webhooks_answer_429_problem_details_past_the_limit_and_bad_signatures_store_nothing()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var sender = Json.NewEmail();
        var body = $$"""{"from":"{{sender}}","subject":"Hello","text":"Hi","messageId":"<{{Guid.NewGuid():N}}@mail.example>"}""";
        HttpRequestMessage Request(string signature) => new(HttpMethod.Post, "/api/v1/support/inbound/email")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { EmailChannel.SignatureHeader, signature } },
        };
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var wrongSecret = Centric.Server.Platform.Signing.HmacSignature.Sign("another-secret-0123456789", now, body);
        var stale = Centric.Server.Platform.Signing.HmacSignature.Sign(SupportTests.Secret, now - 3600, body);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(wrongSecret))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request(stale))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.SendAsync(Request("t=1,v1=00"))).StatusCode);
        Assert.False(await app.WithDbAsync(db => db.Identities.AnyAsync(i => i.Key.Contains(sender))));

        // Limit 3 per minute: the fourth request is refused before anything is read, signed or not.
        var limited = await client.SendAsync(Request(Centric.Server.Platform.Signing.HmacSignature.Sign(SupportTests.Secret, now, body)));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith("/rate-limited", (await limited.ReadJsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.True(limited.Headers.Contains("Retry-After"));
        var call = await client.PostAsync("/api/v1/support/inbound/call", new StringContent("{}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.TooManyRequests, call.StatusCode);
    }
}

public class InboundLimitedApp(string provider) : CentricAppFactory(provider)
{
    protected override void ConfigureWebHost(Microsoft.AspNetCore.Hosting.IWebHostBuilder builder)
    {
        With("Support:InboundSecret", SupportTests.Secret);
        With("Support:InboundRequestsPerMinute", "3");
        base.ConfigureWebHost(builder);
    }
}

public sealed class InboundLimitedSqliteApp() : InboundLimitedApp("sqlite");

public sealed class InboundLimitedPostgresApp() : InboundLimitedApp("postgres");

public sealed class InboundRateLimitOnSqlite(InboundLimitedSqliteApp app) : InboundRateLimitTests(app), IClassFixture<InboundLimitedSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class InboundRateLimitOnPostgres(InboundLimitedPostgresApp app) : InboundRateLimitTests(app), IClassFixture<InboundLimitedPostgresApp>;
