using System.Text.Json;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Signing;
using Centric.Server.Support.Email;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Messaging;

internal static class MessagingModule
{
    public static IServiceCollection AddMessaging(this IServiceCollection services)
    {
        services.AddOptions<MessagingOptions>().BindConfiguration("Support:Messaging").ValidateDataAnnotations()
            .Validate(o => o.OutboundUrl is null || (o.OutboundUrl.IsAbsoluteUri && o.OutboundUrl.Scheme is "http" or "https"),
                "Support:Messaging:OutboundUrl must be an absolute http(s) address.")
            .ValidateOnStart();
        services.AddScoped<MessagingChannel>();
        services.AddSingleton<OutboundMessageSender>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboundMessageSender>());
        services.AddHttpClient(OutboundMessageSender.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Centric-Support/1.0"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        return services;
    }

    public static IEndpointRouteBuilder MapMessaging(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/v1/support/inbound/message", Receive).DisableAntiforgery().RequireRateLimiting(SupportModule.InboundPolicy).WithTags("Support")
            .Accepts<InboundChannelMessage>("application/json").WithName("InboundMessage").WithSummary("An SMS, WhatsApp or social message from the messaging provider (signed).");
        return app;
    }

    private static async Task<IResult> Receive(HttpRequest request, MessagingChannel messaging, IOptions<MessagingOptions> options,
        InboundWebhooks webhooks, SupportTelemetry telemetry, TimeProvider clock, CancellationToken ct)
    {
        if (webhooks.SecretOrNull(options.Value.InboundSecret) is not { } secret) return InboundWebhooks.Off("messaging", "Support:Messaging:InboundSecret");
        if (await InboundWebhooks.ReadBodyAsync(request, 256 * 1024, ct) is not { } body) return InboundWebhooks.TooLarge();
        if (request.Headers[EmailChannel.SignatureHeader].ToString() is not { Length: > 0 } header
            || !HmacSignature.Verify(secret, header, body, clock.GetUtcNow(), options.Value.SignatureTolerance))
            return Results.Problem(statusCode: 401, type: ProblemTypes.Unauthorized, title: "Bad or stale signature.");
        InboundChannelMessage? message;
        try { message = JsonSerializer.Deserialize<InboundChannelMessage>(body, Platform.Http.InputJson.Options); }
        catch (JsonException) { message = null; }
        if (message is null)
            return Results.Problem(statusCode: 400, type: ProblemTypes.MalformedJson, title: "Expected {channel, from, to, text, messageId, attachments}.");
        var result = await messaging.ReceiveAsync(message, ct);
        telemetry.InboundReceived(message.Channel ?? "unknown", result);
        return Results.Ok(result);
    }
}
