using System.Net;
using System.Text;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Signing;
using Centric.Server.Tests.Infrastructure;

namespace Centric.Server.Tests.Platform;

/// <summary>Outside Development the demo secrets published with the product sign nothing: those channels are off.</summary>
public abstract class InboundWebhookSecretTests(CentricAppFactory app)
{
    private const string DemoCarrierSecret = "demo-carrier-secret";
    private const string DemoInboundSecret = "demo-inbound-secret-for-development";

    private static HttpRequestMessage Signed(string path, string header, string secret, string body) => new(HttpMethod.Post, path)
    {
        Content = new StringContent(body, Encoding.UTF8, "application/json"),
        Headers = { { header, HmacSignature.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body) } },
    };

    [SkippableFact]
    public async Task Built_in_demo_secrets_are_refused_outside_development_and_unconfigured_channels_say_they_are_off()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var requests = new[]
        {
            Signed("/api/v1/carriers/simulator/events", "Carrier-Signature", DemoCarrierSecret,
                """{"trackingNumber":"SIM123456789","eventId":"e1","code":"delivered"}"""),
            Signed("/api/v1/carriers/parcelco/events", "Carrier-Signature", DemoCarrierSecret,
                """{"trackingNumber":"PC1","eventId":"e1","code":"delivered"}"""),
            Signed("/api/v1/support/inbound/email", "Support-Signature", DemoInboundSecret,
                $$"""{"from":"{{Json.NewEmail()}}","subject":"Hi","text":"Hi","messageId":"<{{Guid.NewGuid():N}}@mail.example>"}"""),
            Signed("/api/v1/support/inbound/message", "Support-Signature", DemoInboundSecret,
                """{"channel":"sms","from":"+351910000000","text":"Hi","messageId":"m1"}"""),
            Signed("/api/v1/support/inbound/call", "Support-Signature", DemoInboundSecret,
                """{"callId":"c1","durationSeconds":10,"reference":"T-1"}"""),
        };
        foreach (var request in requests)
        {
            var path = request.RequestUri!.ToString();
            var response = await client.SendAsync(request);
            Assert.Equal((path, HttpStatusCode.NotFound), (path, response.StatusCode));
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(ProblemTypes.ChannelOff, (await response.ReadJsonAsync()).GetProperty("type").GetString());
        }
    }

    [Fact]
    public void Demo_secrets_sign_only_in_development()
    {
        var development = new InboundWebhooks(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Development" });
        var production = new InboundWebhooks(new Microsoft.Extensions.Hosting.Internal.HostingEnvironment { EnvironmentName = "Production" });
        Assert.Equal(DemoCarrierSecret, development.SecretOrNull(DemoCarrierSecret));
        Assert.Null(production.SecretOrNull(DemoCarrierSecret));
        Assert.Null(production.SecretOrNull(DemoInboundSecret));
        Assert.Null(production.SecretOrNull(null));
        Assert.Equal("a-secret-of-our-own-0123", production.SecretOrNull("a-secret-of-our-own-0123"));
    }
}

/// <summary>A deployment (the Testing environment, like Production) configured with the demo secrets copied from the docs.</summary>
public class DemoSecretsApp : CentricAppFactory
{
    public DemoSecretsApp(string provider) : base(provider)
    {
        With("Carriers:Secrets:simulator", "demo-carrier-secret");
        With("Support:InboundSecret", "demo-inbound-secret-for-development");
        With("Support:Messaging:InboundSecret", "demo-inbound-secret-for-development");
    }
}

public sealed class DemoSecretsSqliteApp() : DemoSecretsApp("sqlite");

public sealed class DemoSecretsPostgresApp() : DemoSecretsApp("postgres");

public sealed class InboundWebhookSecretsOnSqlite(DemoSecretsSqliteApp app) : InboundWebhookSecretTests(app), IClassFixture<DemoSecretsSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class InboundWebhookSecretsOnPostgres(DemoSecretsPostgresApp app) : InboundWebhookSecretTests(app), IClassFixture<DemoSecretsPostgresApp>;

/// <summary>The carrier webhook checks size before anything else, on an app whose carrier secret is configured.</summary>
public abstract class CarrierWebhookLimitTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task A_carrier_event_body_over_the_limit_is_refused_without_reading_it_all()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        // A declared length over the limit is refused unread.
        using var declared = new HttpRequestMessage(HttpMethod.Post, "/api/v1/carriers/simulator/events") { Content = new ByteArrayContent(new byte[70 * 1024]) };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(declared, timeout.Token)).StatusCode);
        // An undeclared (chunked) length is read only up to the limit.
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/v1/carriers/simulator/events")
        { Content = new StreamContent(new NonSeekable(new byte[1024 * 1024])) };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await client.SendAsync(chunked, timeout.Token)).StatusCode);
    }

    /// <summary>A body of unknown length, so the request carries no Content-Length.</summary>
    private sealed class NonSeekable(byte[] content) : Stream
    {
        private readonly MemoryStream _inner = new(content);
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}

public sealed class CarrierWebhookLimitOnSqlite(SqliteApp app) : CarrierWebhookLimitTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class CarrierWebhookLimitOnPostgres(PostgresApp app) : CarrierWebhookLimitTests(app), IClassFixture<PostgresApp>;
