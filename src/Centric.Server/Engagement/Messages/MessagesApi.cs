using System.Text.Json;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Sms;
using Centric.Server.Engagement.Templates;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Mail;
using Centric.Server.Platform.Signing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Messages;

/// <summary>A provider's report that an email bounced: the Message-Id Centric gave it (with or without brackets), why, and whether for good.</summary>
public sealed record EmailBounce(string? MessageId, string? Reason, bool? Permanent);

/// <summary>An SMS provider's delivery receipt: its id for the message (or Centric's), and <c>delivered</c> or <c>failed</c>.</summary>
public sealed record SmsReceipt(string? MessageId, string? Status, string? Reason);

/// <summary>
/// Messages: the template API (scopes <c>messages:read</c>, <c>messages:write</c>), the signed links in messages (open pixel, click
/// redirect, one-click unsubscribe) and the providers' webhooks (email bounces, SMS receipts).
/// </summary>
internal static class MessagesApi
{
    public const string BounceSignatureHeader = "Mail-Signature";

    /// <summary>A transparent 1×1 GIF.</summary>
    private static readonly byte[] Pixel = Convert.FromBase64String("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");

    public static IEndpointRouteBuilder MapMessagesApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/message-templates").RequireAuthorization("scope:" + ApiScopes.MessagesRead).WithTags("Messages");
        var write = app.MapGroup("/api/v1/message-templates").RequireAuthorization("scope:" + ApiScopes.MessagesWrite).WithTags("Messages");
        read.MapGet("", List).WithName("ListMessageTemplates").WithSummary("Every message template");
        write.MapPost("", Create).WithName("CreateMessageTemplate").WithSummary("Creates a template: channel, purpose, subject and a Liquid body (see docs/engagement.md)");
        read.MapGet("/{id:guid}", Get).WithName("GetMessageTemplate").WithSummary("One message template");
        write.MapPut("/{id:guid}", Update).WithName("UpdateMessageTemplate").WithSummary("Changes a template; messages sent from now on use the new words");

        app.MapPost("/api/v1/webhooks/email/bounce", Bounce).DisableAntiforgery().WithTags("Messages").Accepts<EmailBounce>("application/json")
            .WithName("EmailBounce").WithSummary("The mail provider reports a bounce (signed with Engagement:BounceSecret in the Mail-Signature header)");
        app.MapPost("/api/v1/webhooks/sms/receipt", Receipt).DisableAntiforgery().WithTags("Messages").Accepts<SmsReceipt>("application/json")
            .WithName("SmsReceipt").WithSummary("The SMS provider reports a delivery (signed with Engagement:Sms:Secret in the Sms-Signature header)");

        app.MapGet("/m/open/{token}", Open).ExcludeFromDescription();
        app.MapGet("/m/click/{token}", Click).ExcludeFromDescription();
        app.MapPost("/unsubscribe/{token}/one-click", OneClick).DisableAntiforgery().ExcludeFromDescription();
        app.MapGet("/unsubscribe/{token}/one-click", (string token) => Results.Redirect($"/unsubscribe/{Uri.EscapeDataString(token)}")).ExcludeFromDescription();
        return app;
    }

    private static async Task<Ok<MessageTemplateList>> List(MessageTemplates templates, CancellationToken ct) =>
        TypedResults.Ok(new MessageTemplateList(await templates.ListAsync(ct)));

    private static async Task<Created<MessageTemplateDetail>> Create(NewMessageTemplate request, MessageTemplates templates, HttpContext http, CancellationToken ct)
    {
        var created = await templates.CreateAsync(request, "api:" + (http.User.Identity?.Name ?? "key"), ct);
        return TypedResults.Created($"/api/v1/message-templates/{created.Id}", created);
    }

    private static async Task<Results<Ok<MessageTemplateDetail>, ProblemHttpResult>> Get(Guid id, MessageTemplates templates, CancellationToken ct) =>
        await templates.FindAsync(id, ct) is { } t ? TypedResults.Ok(t) : NotFound("No such template.");

    private static async Task<Results<Ok<MessageTemplateDetail>, ProblemHttpResult>> Update(Guid id, NewMessageTemplate request, MessageTemplates templates,
        HttpContext http, CancellationToken ct) =>
        await templates.UpdateAsync(id, request, "api:" + (http.User.Identity?.Name ?? "key"), ct) is { } t ? TypedResults.Ok(t) : NotFound("No such template.");

    private static async Task<IResult> Open(string token, MessageLinks links, MessageHistory history, CentricDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (links.ReadOpen(token) is not { } id) return NotFound("No such message.");
        if (await history.OpenedAsync(db, id, clock.GetUtcNow().UtcDateTime, ct) is not null) await db.SaveChangesAsync(ct);
        return Results.File(Pixel, "image/gif");
    }

    /// <summary>Only a target signed into this message's link is followed: the redirect cannot be pointed anywhere else.</summary>
    private static async Task<IResult> Click(string token, MessageLinks links, MessageHistory history, CentricDbContext db, TimeProvider clock,
        Platform.Seo.PublicAddress address, CancellationToken ct)
    {
        if (links.ReadClick(token) is not var (id, target) || !Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            return NotFound("No such link.");
        if (await history.ClickedAsync(db, id, target, clock.GetUtcNow().UtcDateTime, ct) is not null) await db.SaveChangesAsync(ct);
        // A link to this site goes on by its path, on the host the click came to (behind a proxy, or where the configured
        // public address is not the one in use); any other link goes where it pointed.
        var root = address.Root(null) + "/";
        return Results.Redirect(target.StartsWith(root, StringComparison.OrdinalIgnoreCase) ? "/" + target[root.Length..] : uri.AbsoluteUri);
    }

    /// <summary>RFC 8058: the mail program POSTs <c>List-Unsubscribe=One-Click</c>; the customer sees nothing more.</summary>
    private static async Task<IResult> OneClick(string token, MessageLinks links, MessageHistory history, IConsent consent, CentricDbContext db, CancellationToken ct)
    {
        if (links.ReadUnsubscribe(token) is not { } id || await db.EngagementMessages.FirstOrDefaultAsync(m => m.Id == id, ct) is not { } message)
            return NotFound("No such message.");
        if (await history.UnsubscribedAsync(db, consent, message, ct)) await db.SaveChangesAsync(ct);
        return Results.Text("Unsubscribed.", "text/plain");
    }

    private static async Task<IResult> Bounce(HttpRequest request, MessageHistory history, CentricDbContext db, InboundWebhooks webhooks,
        IOptions<EngagementOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (webhooks.SecretOrNull(options.Value.BounceSecret) is not { } secret) return InboundWebhooks.Off("email bounce", "Engagement:BounceSecret");
        if (await ReadSignedAsync<EmailBounce>(request, BounceSignatureHeader, secret, options.Value.SignatureTolerance, clock, ct) is not { } read) return Refused(request);
        if (read.Problem is { } problem) return problem;
        var bounce = read.Body!;
        if (SmtpDelivery.MailIdOf(bounce.MessageId) is not { } id) throw RequestValidationException.For("messageId", "The Message-Id Centric gave the email, such as <0193…@shop.example>.");
        var reason = string.IsNullOrWhiteSpace(bounce.Reason) ? "bounced" : bounce.Reason.Trim();
        if (await history.BouncedAsync(db, id, reason, bounce.Permanent ?? true, clock.GetUtcNow().UtcDateTime, ct) is null) return NotFound("No message has this Message-Id.");
        await db.SaveChangesAsync(ct);
        return Results.Ok(new { bounced = id });
    }

    private static async Task<IResult> Receipt(HttpRequest request, MessageHistory history, CentricDbContext db, InboundWebhooks webhooks,
        IOptions<SmsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        if (webhooks.SecretOrNull(options.Value.Secret) is not { } secret) return InboundWebhooks.Off("SMS receipt", "Engagement:Sms:Secret");
        if (await ReadSignedAsync<SmsReceipt>(request, HttpSmsProvider.SignatureHeader, secret, options.Value.SignatureTolerance, clock, ct) is not { } read) return Refused(request);
        if (read.Problem is { } problem) return problem;
        var receipt = read.Body!;
        if (receipt.MessageId?.Trim() is not { Length: > 0 and <= 200 } providerId) throw RequestValidationException.For("messageId", "The provider's id for the message (at most 200 characters).");
        var status = receipt.Status?.Trim().ToLowerInvariant();
        if (status is not ("delivered" or "failed" or "undelivered")) throw RequestValidationException.For("status", "delivered, failed or undelivered.");
        var ours = Guid.TryParse(providerId, out var g) ? g : (Guid?)null;
        var message = await db.EngagementMessages.Where(m => m.Channel == "sms" && (m.ProviderMessageId == providerId || m.Id == ours)).Select(m => (Guid?)m.Id).FirstOrDefaultAsync(ct);
        if (message is not { } id) return NotFound("No SMS has this id.");
        var now = clock.GetUtcNow().UtcDateTime;
        if (status == "delivered") await history.DeliveredAsync(db, id, now, ct);
        else await history.BouncedAsync(db, id, string.IsNullOrWhiteSpace(receipt.Reason) ? status : receipt.Reason.Trim(), permanent: true, now, ct);
        await db.SaveChangesAsync(ct);
        return Results.Ok(new { recorded = id });
    }

    private sealed record Signed<T>(T? Body, IResult? Problem);

    /// <summary>The body, read up to 64 KB and checked against the signature before it is parsed; null when the signature is bad.</summary>
    private static async Task<Signed<T>?> ReadSignedAsync<T>(HttpRequest request, string header, string secret, TimeSpan tolerance, TimeProvider clock, CancellationToken ct)
        where T : class
    {
        if (await InboundWebhooks.ReadBodyAsync(request, 64 * 1024, ct) is not { } body) return new Signed<T>(null, InboundWebhooks.TooLarge());
        if (request.Headers[header].ToString() is not { Length: > 0 } signature || !HmacSignature.Verify(secret, signature, body, clock.GetUtcNow(), tolerance)) return null;
        T? parsed;
        try { parsed = JsonSerializer.Deserialize<T>(body, InputJson.Options); }
        catch (JsonException) { parsed = null; }
        return parsed is null
            ? new Signed<T>(null, Results.Problem(statusCode: 400, type: ProblemTypes.MalformedJson, title: "Expected a JSON object."))
            : new Signed<T>(parsed, null);
    }

    private static IResult Refused(HttpRequest _) => Results.Problem(statusCode: 401, type: ProblemTypes.Unauthorized, title: "Bad or stale signature.");

    private static ProblemHttpResult NotFound(string title) => TypedResults.Problem(new ProblemDetails { Status = 404, Type = ProblemTypes.NotFound, Title = title });
}
