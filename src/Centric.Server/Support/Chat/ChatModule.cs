using System.Text.Json;
using System.Threading.RateLimiting;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Nodes;
using Centric.Server.Platform.Signing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Chat;

public sealed record VisitorSession(string VisitorToken);

public sealed record ChatSend(string? ClientMessageId, string? Text);

public sealed record ChatIdentify(string? Email);

public sealed record ChatConfirmEmail(string? Code);

/// <summary>Web chat: the two hubs, the widget's HTTP endpoints and the telephony webhook.</summary>
internal static class ChatModule
{
    public const string WidgetPolicy = "chat-widget";
    public const string SignatureHeader = "Support-Signature";

    public static IHostApplicationBuilder AddChat(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChatOptions>().BindConfiguration("Support:Chat").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChatService>();
        services.AddScoped<ChatVisitors>();
        services.AddScoped<ChatEmailVerification>();
        services.AddSingleton<ChatRelay>();
        services.AddSingleton<ChatHubFilter>();
        // With several nodes the customer and the agent are often on different ones: the relay's pushes, typing, read
        // receipts and ticket presence travel between them through Redis.
        services.AddSignalR(o => o.MaximumReceiveMessageSize = 64 * 1024)
            .AddHubOptions<ChatHub>(o => o.AddFilter<ChatHubFilter>())
            .AddHubOptions<AgentChatHub>(o => o.AddFilter<ChatHubFilter>())
            .ScaleOutHub<ChatHub>(builder.Configuration)
            .ScaleOutHub<AgentChatHub>(builder.Configuration);
        if (Platform.Nodes.ScaleOut.RedisConnection(builder.Configuration) is not null)
        {
            services.AddSingleton<Tickets.SharedTicketViewers>();
            services.AddHostedService<Tickets.PresenceRefresh>();
        }

        // Websites that embed the widget call from their own origin; only the configured ones may. No credentials are
        // needed: the widget sends its visitor token, never cookies, across origins.
        var origins = builder.Configuration.GetSection("Support:Chat:AllowedOrigins").Get<string[]>() ?? [];
        services.AddCors(o => o.AddPolicy(WidgetPolicy, p => p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod()));
        services.AddPerClientAddressLimit<ChatOptions>(WidgetPolicy, o => o.WidgetRequestsPerMinute);
        return builder;
    }

    public static IEndpointRouteBuilder MapChat(this IEndpointRouteBuilder app)
    {
        // Hub sends are limited per customer or visitor by ChatHubFilter; long-polling clients would exhaust a per-request limit.
        app.MapHub<ChatHub>("/chat/hub").RequireCors(WidgetPolicy);
        app.MapHub<AgentChatHub>("/console/chat/hub");

        var widget = app.MapGroup("/chat/api").RequireCors(WidgetPolicy).RequireRateLimiting(WidgetPolicy).DisableAntiforgery().WithTags("Chat");
        widget.MapPost("/visitor", StartVisitor).WithName("ChatVisitor").WithSummary("A visitor token for the chat widget (keeps the one it is sent).");
        widget.MapGet("/conversation", Conversation).WithName("ChatConversation").WithSummary("The caller's conversation after a sequence number.");
        widget.MapPost("/messages", Send).WithName("ChatSend").WithSummary("Send a chat message (idempotent by clientMessageId).");
        widget.MapPost("/identify", Identify).WithName("ChatIdentify")
            .WithSummary("A visitor gives an email: the chat joins that customer at once if signed in as them, otherwise after the mailed code.");
        widget.MapPost("/identify/confirm", ConfirmEmail).WithName("ChatConfirmEmail").WithSummary("The visitor enters the code mailed to the address they gave.");
        widget.MapPost("/attachments", Upload).WithName("ChatUpload").WithSummary("Send a file (PNG, JPEG, GIF, WebP or PDF) in the chat.")
            .WithMetadata(new RequestSizeLimitAttribute(50 * 1024 * 1024 + 64 * 1024));
        widget.MapGet("/attachments/{id:guid}", Download).WithName("ChatFile").WithSummary("A chat file, for its conversation's customer or staff.");

        app.MapPost("/api/v1/support/inbound/call", ReceiveCall).DisableAntiforgery().RequireRateLimiting(SupportModule.InboundPolicy).WithTags("Support")
            .Accepts<CallRecord>("application/json").WithName("InboundCall").WithSummary("A call from the telephony provider, joining the referenced ticket (signed).");
        return app;
    }

    private static Ok<VisitorSession> StartVisitor(HttpRequest request, ChatVisitors visitors)
    {
        var visitor = visitors.VisitorOf(request.Headers[ChatVisitors.Header].ToString())
            ?? (request.Cookies.TryGetValue(IVisitor.Cookie, out var cookie) && cookie.Length is >= 20 and <= 64 ? cookie : ChatVisitors.NewVisitorId());
        return TypedResults.Ok(new VisitorSession(visitors.TokenFor(visitor)));
    }

    private static async Task<Results<Ok<ChatState>, ProblemHttpResult>> Conversation(HttpContext http, ChatVisitors visitors, ChatService chat,
        string? ticket, long? after, CancellationToken ct)
    {
        if (await visitors.ResolveAsync(http, ct) is not { } who) return NoVisitor();
        return TypedResults.Ok(await chat.ResumeAsync(who, ticket, Math.Max(0, after ?? 0), ct));
    }

    private static async Task<Results<Ok<ChatMessageView>, ProblemHttpResult>> Send(HttpContext http, ChatVisitors visitors, ChatService chat,
        ChatSend body, CancellationToken ct)
    {
        if (await visitors.ResolveAsync(http, ct) is not { } who) return NoVisitor();
        return TypedResults.Ok(await chat.SendAsync(who, body.ClientMessageId ?? "", body.Text ?? "", ct));
    }

    private static async Task<Results<Ok<ChatIdentity>, ProblemHttpResult>> Identify(HttpContext http, ChatVisitors visitors,
        ChatEmailVerification verification, ChatIdentify body, CancellationToken ct)
    {
        if (await visitors.ResolveAsync(http, ct) is not { } who) return NoVisitor();
        return TypedResults.Ok(await verification.IdentifyAsync(who, body.Email ?? "", ct));
    }

    private static async Task<Results<Ok<ChatIdentity>, ProblemHttpResult>> ConfirmEmail(HttpContext http, ChatVisitors visitors,
        ChatEmailVerification verification, ChatConfirmEmail body, CancellationToken ct)
    {
        if (await visitors.ResolveAsync(http, ct) is not { } who) return NoVisitor();
        return TypedResults.Ok(await verification.ConfirmAsync(who, body.Code ?? "", ct));
    }

    private static async Task<Results<Ok<ChatMessageView>, ProblemHttpResult>> Upload(HttpContext http, ChatVisitors visitors, ChatService chat,
        IOptions<ChatOptions> options, CancellationToken ct)
    {
        if (await visitors.ResolveAsync(http, ct) is not { } who) return NoVisitor();
        if (!http.Request.HasFormContentType) throw RequestValidationException.For("file", "Send multipart/form-data with a file.");
        var form = await http.Request.ReadFormAsync(ct);
        if (form.Files.GetFile("file") is not { } file) throw RequestValidationException.For("file", "Required.");
        var max = options.Value.MaxAttachmentBytes;
        if (file.Length > max)
            throw new DomainException("attachment-too-large", $"Files may be at most {max / 1024} KiB.", StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var upload = ChatUpload.Check(file.FileName, buffer.ToArray(), max);
        return TypedResults.Ok(await chat.SendFileAsync(who, form["clientMessageId"].ToString(), form["text"].ToString(), upload, ct));
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(Guid id, HttpContext http, ChatVisitors visitors,
        ChatService chat, IAuthorizationService authorization, CancellationToken ct)
    {
        var staff = http.User.Identity?.IsAuthenticated == true && (await authorization.AuthorizeAsync(http.User, Policies.CustomerData)).Succeeded;
        ChatAttachment? file = null;
        if (staff) file = await chat.FileAsync(id, null, ct);
        else if (await visitors.ResolveAsync(http, ct) is { } who) file = await chat.FileAsync(id, who, ct);
        // Someone else's file is simply not there.
        if (file is null) return TypedResults.Problem(statusCode: 404, type: ProblemTypes.NotFound, title: "No such file.");
        http.Response.Headers.XContentTypeOptions = "nosniff";
        http.Response.Headers.CacheControl = "private, no-store";
        http.Response.Headers.ContentSecurityPolicy = "default-src 'none'; sandbox";
        var inline = file.ContentType.StartsWith("image/", StringComparison.Ordinal);
        return TypedResults.File(file.Content, file.ContentType, inline ? null : file.FileName);
    }

    private static async Task<IResult> ReceiveCall(HttpRequest request, ChatService chat, IOptions<ChatOptions> options, InboundWebhooks webhooks,
        TimeProvider clock, CancellationToken ct)
    {
        if (webhooks.SecretOrNull(options.Value.TelephonySecret) is not { } secret) return InboundWebhooks.Off("telephony", "Support:Chat:TelephonySecret");
        if (await InboundWebhooks.ReadBodyAsync(request, 64 * 1024, ct) is not { } body) return InboundWebhooks.TooLarge();
        if (request.Headers[SignatureHeader].ToString() is not { Length: > 0 } header
            || !HmacSignature.Verify(secret, header, body, clock.GetUtcNow(), options.Value.SignatureTolerance))
            return Results.Problem(statusCode: 401, type: ProblemTypes.Unauthorized, title: "Bad or stale signature.");
        CallRecord? call;
        try { call = JsonSerializer.Deserialize<CallRecord>(body, Platform.Http.InputJson.Options); }
        catch (JsonException) { call = null; }
        if (call is null)
            return Results.Problem(statusCode: 400, type: ProblemTypes.MalformedJson,
                title: "Expected {callId, from, to, durationSeconds, outcome, recordingUrl, reference, notes}.");
        return Results.Ok(await chat.ReceiveCallAsync(call, ct));
    }

    private static ProblemHttpResult NoVisitor() => TypedResults.Problem(statusCode: 401, type: ProblemTypes.Unauthorized,
        title: "No visitor session.", detail: "POST /chat/api/visitor first and send its token in the " + ChatVisitors.Header + " header.");
}
