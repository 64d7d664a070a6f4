using Centric.Server.Platform.Outbox;
using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Signing;
using Centric.Server.Platform.Webhooks;
using Centric.Server.Support.Chat;
using Centric.Server.Support.Email;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Messaging;
using Centric.Server.Support.Tickets;
using Ganss.Xss;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support;

internal static class SupportModule
{
    /// <summary>Rate-limit policy of the provider webhooks: per client address, counted before the signature is checked.</summary>
    public const string InboundPolicy = "support-inbound";

    public static IHostApplicationBuilder AddSupport(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SupportOptions>().BindConfiguration("Support").ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SupportTelemetry>();
        services.AddScoped<TicketService>();
        services.AddScoped<Platform.Import.IImporter, Import.TicketImport>();
        services.AddScoped<Contracts.MessageTexts>();
        services.AddScoped<TicketMerges>();
        services.AddSingleton<TicketPresence>();
        services.AddScoped<ThreadCheck>();
        services.AddInteractionSubscriber<LiveTicketUpdates>();
        services.AddScoped<EmailChannel>();
        services.AddHelpCentre();
        services.AddMessaging();
        services.AddSingleton(_ =>
        {
            var sanitizer = new HtmlSanitizer();
            // Remote images in customer mail are tracking pixels and leak that an agent opened it.
            sanitizer.AllowedTags.Remove("img");
            return sanitizer;
        });
        services.AddSingleton<IPersonalData, SupportPersonalData>();
        services.AddScoped<Customers.Contracts.ICustomerHighlights, Tickets.SupportHighlights>();
        builder.Services.AddScoped<SupportDemo>();
        services.AddPerClientAddressLimit<SupportOptions>(InboundPolicy, o => o.InboundRequestsPerMinute);
        builder.AddChat();
        services.AddSupportWork();
        return builder;
    }

    public static IEndpointRouteBuilder MapSupportApi(this IEndpointRouteBuilder app)
    {
        // Inbound email from a mail service's parse webhook, HMAC-signed with Support:InboundSecret (see docs/support.md).
        app.MapPost("/api/v1/support/inbound/email", async (HttpRequest request, EmailChannel email, IOptions<SupportOptions> options,
                InboundWebhooks webhooks, SupportTelemetry telemetry, TimeProvider clock, CancellationToken ct) =>
            {
                if (webhooks.SecretOrNull(options.Value.InboundSecret) is not { } secret) return InboundWebhooks.Off("inbound email", "Support:InboundSecret");
                if (await InboundWebhooks.ReadBodyAsync(request, 1024 * 1024, ct) is not { } body) return InboundWebhooks.TooLarge();
                if (request.Headers[EmailChannel.SignatureHeader].ToString() is not { Length: > 0 } header
                    || !Centric.Server.Platform.Signing.HmacSignature.Verify(secret, header, body, clock.GetUtcNow(), options.Value.SignatureTolerance))
                    return Results.Problem(statusCode: 401, type: ProblemTypes.Unauthorized, title: "Bad or stale signature.");
                InboundEmail? message;
                try { message = JsonSerializer.Deserialize<InboundEmail>(body, Platform.Http.InputJson.Options); }
                catch (JsonException) { message = null; }
                if (message is null)
                    return Results.Problem(statusCode: 400, type: ProblemTypes.MalformedJson, title: "Expected {from, to, subject, text, html, messageId, inReplyTo, references, attachments}.");
                var result = await email.ReceiveAsync(message, ct);
                telemetry.InboundReceived("email", result);
                return Results.Ok(result);
            })
            .DisableAntiforgery().RequireRateLimiting(InboundPolicy).Accepts<InboundEmail>("application/json").WithTags("Support").WithName("InboundEmail").WithSummary("An inbound email for the support inbox (signed).");
        app.MapTicketsApi();
        app.MapCustomerTicketsApi();
        app.MapChat();
        app.MapHelpCentre();
        app.MapMessaging();
        app.MapSupportWorkApi();
        return app;
    }
}
