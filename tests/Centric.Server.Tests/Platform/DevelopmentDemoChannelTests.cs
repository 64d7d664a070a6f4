using System.Net;
using System.Text;
using System.Text.Json;
using Centric.Server.Platform.Signing;
using Centric.Server.Tests.Infrastructure;

namespace Centric.Server.Tests.Platform;

/// <summary>A Development server as `dotnet run` starts it: its settings file carries the demo's secrets.</summary>
public sealed class DevelopmentApp : CentricAppFactory
{
    public DevelopmentApp() : base("sqlite") => EnvironmentName = "Development";
}

/// <summary>
/// In Development the demo's SMS, social and phone simulators work out of the box with the built-in secrets of
/// appsettings.Development.json (elsewhere the same secrets are refused: <see cref="InboundWebhookSecretTests"/>).
/// </summary>
public sealed class DevelopmentDemoChannelTests(DevelopmentApp app) : IClassFixture<DevelopmentApp>
{
    private static HttpRequestMessage Signed(string path, string secret, object payload)
    {
        var body = JsonSerializer.Serialize(payload, JsonSerializerOptions.Web);
        return new(HttpMethod.Post, path)
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { "Support-Signature", HmacSignature.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body) } },
        };
    }

    [Fact]
    public async Task Sms_social_and_phone_simulators_sign_with_the_built_in_demo_secrets()
    {
        using var client = app.CreateClient();
        const string messaging = "demo-messaging-secret-for-development";
        var sms = await client.SendAsync(Signed("/api/v1/support/inbound/message", messaging,
            new { channel = "sms", from = "+351910000123", text = "Is my parcel on its way?", messageId = "sim-" + Guid.NewGuid().ToString("N") }));
        Assert.True(sms.IsSuccessStatusCode, $"SMS simulator: {(int)sms.StatusCode} {await sms.Content.ReadAsStringAsync()}");
        var ticket = (await sms.ReadJsonAsync()).GetProperty("ticketNumber").GetString();

        var social = await client.SendAsync(Signed("/api/v1/support/inbound/message", messaging,
            new { channel = "instagram", from = "@demo.shopper", text = "Do you ship to Ireland?", messageId = "sim-" + Guid.NewGuid().ToString("N") }));
        Assert.True(social.IsSuccessStatusCode, $"social simulator: {(int)social.StatusCode} {await social.Content.ReadAsStringAsync()}");

        var call = await client.SendAsync(Signed("/api/v1/support/inbound/call", "demo-telephony-secret-for-development",
            new { callId = "sim-" + Guid.NewGuid().ToString("N"), from = "+351910000123", to = "+351210000000", durationSeconds = 95, outcome = "completed", reference = ticket }));
        Assert.True(call.IsSuccessStatusCode, $"phone simulator: {(int)call.StatusCode} {await call.Content.ReadAsStringAsync()}");
        Assert.NotEqual(HttpStatusCode.NotFound, call.StatusCode);
    }
}
