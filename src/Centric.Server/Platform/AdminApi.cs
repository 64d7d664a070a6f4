using System.Security.Cryptography;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Outbox;
using Centric.Server.Platform.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform;

public sealed record CreateApiKeyRequest(string Name, IReadOnlyList<string> Scopes);
public sealed record CreateWebhookRequest(string Url, IReadOnlyList<string>? EventTypes, string? Description);
public sealed record WebhookView(Guid Id, string Url, IReadOnlyList<string> EventTypes, string? Description, bool Active, DateTime CreatedAt);
public sealed record CreatedWebhook(Guid Id, string Url, IReadOnlyList<string> EventTypes, string Secret);
public sealed record WebhookAttemptView(int Number, DateTime At, int? StatusCode, string? Error, string? Response, int DurationMs);
public sealed record WebhookDeliveryView(Guid Id, Guid InteractionId, string EventType, string Status, int Attempts, DateTime CreatedAt,
    DateTime NextAttemptAt, DateTime? DeliveredAt, int? LastStatusCode, string? LastError, IReadOnlyList<WebhookAttemptView> AttemptLog);
public sealed record AuditView(Guid Id, DateTime At, string ActorKind, string? ActorId, string? ActorName, string Action, Guid? ProfileId,
    string? Details, string? IpAddress);

/// <summary>Administration over the API (scope <c>admin</c>): keys, webhooks, the audit log and dead letters.</summary>
internal static class AdminApi
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").RequireAuthorization("scope:" + ApiScopes.Admin).WithTags("Administration");
        group.MapPost("/apikeys", CreateKey).WithName("CreateApiKey").WithSummary("Create an API key; the secret is returned once.");
        group.MapDelete("/apikeys/{id:guid}", RevokeKey).WithName("RevokeApiKey").WithSummary("Revoke an API key.");
        group.MapGet("/webhooks", ListWebhooks).WithName("ListWebhooks").WithSummary("Webhook subscriptions, oldest first.");
        group.MapPost("/webhooks", CreateWebhook).WithName("CreateWebhook").WithSummary("Subscribe a URL to interaction types; the signing secret is returned once.");
        group.MapDelete("/webhooks/{id:guid}", DeleteWebhook).WithName("DeleteWebhook").WithSummary("Stop a subscription (pending deliveries are abandoned).");
        group.MapGet("/webhooks/{id:guid}/deliveries", Deliveries).WithName("ListWebhookDeliveries").WithSummary("Deliveries with every attempt and response.");
        group.MapGet("/audit", Audit).WithName("ReadAuditLog").WithSummary("Audit entries, newest first.");
        group.MapGet("/admin/dead-letters", DeadLetters).WithName("ListDeadLetters")
            .WithSummary("Interactions a subscriber kept failing on, parked so the stream moves on; newest failure first.");
        group.MapPost("/admin/dead-letters/{id:guid}/retry", RetryDeadLetter).WithName("RetryDeadLetter")
            .WithSummary("Hand the interaction to its subscriber again; on success the dead letter is removed.");
        group.MapDelete("/admin/dead-letters/{id:guid}", DiscardDeadLetter).WithName("DiscardDeadLetter").WithSummary("Give the interaction up for that subscriber (audited).");
    }

    private static async Task<Ok<List<DeadLetterView>>> DeadLetters(DeadLetterAdmin letters, int? limit, CancellationToken ct) =>
        TypedResults.Ok(await letters.ListAsync(Math.Clamp(limit ?? 100, 1, 500), ct));

    private static async Task<Results<NoContent, NotFound, ProblemHttpResult>> RetryDeadLetter(Guid id, DeadLetterAdmin letters, CancellationToken ct) =>
        await letters.RetryAsync(id, ct) switch
        {
            DeadLetterOutcome.Delivered => TypedResults.NoContent(),
            DeadLetterOutcome.NotFound => TypedResults.NotFound(),
            _ => TypedResults.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails
            {
                Status = 409, Type = ProblemTypes.ForCode("dead-letter-failed-again"), Title = "The subscriber failed on the interaction again.",
                Detail = "It stays parked; its error and attempts are updated.",
            }),
        };

    private static async Task<Results<NoContent, NotFound>> DiscardDeadLetter(Guid id, DeadLetterAdmin letters, CancellationToken ct) =>
        await letters.DiscardAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Created<CreatedApiKey>> CreateKey(CreateApiKeyRequest request, ApiKeyService keys, HttpContext http, CancellationToken ct)
    {
        var key = await keys.CreateAsync(request.Name ?? "", request.Scopes ?? [], http.User.Identity?.Name, ct);
        return TypedResults.Created($"/api/v1/apikeys/{key.Id}", key);
    }

    private static async Task<Results<NoContent, NotFound>> RevokeKey(Guid id, ApiKeyService keys, CancellationToken ct) =>
        await keys.RevokeAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Ok<List<WebhookView>>> ListWebhooks(CentricDbContext db, CancellationToken ct) =>
        TypedResults.Ok((await db.WebhookSubscriptions.AsNoTracking().OrderBy(s => s.CreatedAt).ToListAsync(ct)).Select(View).ToList());

    public static WebhookView View(WebhookSubscription s) =>
        new(s.Id, s.Url, s.EventTypes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries), s.Description, s.Active, s.CreatedAt);

    private static async Task<Created<CreatedWebhook>> CreateWebhook(CreateWebhookRequest request, WebhookAdmin admin, CancellationToken ct)
    {
        var s = await admin.CreateAsync(request.Url, request.EventTypes, request.Description, ct);
        return TypedResults.Created($"/api/v1/webhooks/{s.Id}", new CreatedWebhook(s.Id, s.Url, View(s).EventTypes, s.Secret));
    }

    private static async Task<Results<NoContent, NotFound>> DeleteWebhook(Guid id, WebhookAdmin admin, CancellationToken ct) =>
        await admin.DeactivateAsync(id, ct) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static async Task<Results<Ok<List<WebhookDeliveryView>>, NotFound>> Deliveries(Guid id, WebhookAdmin admin, CancellationToken ct) =>
        await admin.DeliveriesAsync(id, 100, ct) is { } list ? TypedResults.Ok(list) : TypedResults.NotFound();

    private static async Task<Ok<List<AuditView>>> Audit(CentricDbContext db, Guid? profileId, int? limit, CancellationToken ct)
    {
        var query = db.AuditEntries.AsNoTracking();
        if (profileId is { } p) query = query.Where(a => a.ProfileId == p);
        var rows = await query.OrderByDescending(a => a.At).Take(Math.Clamp(limit ?? 100, 1, 500)).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new AuditView(a.Id, a.At, a.ActorKind, a.ActorId, a.ActorName, a.Action, a.ProfileId, a.Details, a.IpAddress)).ToList());
    }
}

/// <summary>Webhook administration shared by the API and the console.</summary>
public sealed class WebhookAdmin(CentricDbContext db, AuditLog audit, TimeProvider clock, Microsoft.Extensions.Options.IOptionsMonitor<WebhookOptions> options)
{
    public async Task<WebhookSubscription> CreateAsync(string? url, IReadOnlyList<string>? eventTypes, string? description, CancellationToken ct)
    {
        if (!Uri.TryCreate(url?.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw RequestValidationException.For("url", "Give an absolute http or https URL.");
        await WebhookTargets.CheckAsync(uri, options.CurrentValue, ct);
        var types = (eventTypes ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (types.Count == 0) types = ["*"];
        if (types.Any(t => t.Contains(',', StringComparison.Ordinal) || t.Length > 100))
            throw RequestValidationException.For("eventTypes", "Each event type is a single name of at most 100 characters.");
        var s = new WebhookSubscription
        {
            Url = uri.ToString(), EventTypes = string.Join(',', types), Description = description?.Trim(),
            Secret = "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WebhookSubscriptions.Add(s);
        audit.Record("webhook.created", details: $"{s.Id} {s.Url} types: {s.EventTypes}");
        await db.SaveChangesAsync(ct);
        return s;
    }

    public async Task<bool> DeactivateAsync(Guid id, CancellationToken ct)
    {
        var s = await db.WebhookSubscriptions.FirstOrDefaultAsync(x => x.Id == id, ct);
        if (s is null) return false;
        s.Active = false;
        audit.Record("webhook.deactivated", details: $"{s.Id} {s.Url}");
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<List<WebhookDeliveryView>?> DeliveriesAsync(Guid subscriptionId, int limit, CancellationToken ct)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == subscriptionId, ct)) return null;
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == subscriptionId)
            .OrderByDescending(d => d.Sequence).Take(limit).ToListAsync(ct);
        var ids = deliveries.Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct))
            .GroupBy(a => a.DeliveryId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.Number).ToList());
        return deliveries.Select(d => new WebhookDeliveryView(d.Id, d.InteractionId, d.EventType, d.Status.ToString(), d.Attempts, d.CreatedAt,
            d.NextAttemptAt, d.DeliveredAt, d.LastStatusCode, d.LastError,
            (attempts.GetValueOrDefault(d.Id) ?? []).Select(a => new WebhookAttemptView(a.Number, a.At, a.StatusCode, a.Error, a.ResponseSnippet, a.DurationMs)).ToList()))
            .ToList();
    }
}
