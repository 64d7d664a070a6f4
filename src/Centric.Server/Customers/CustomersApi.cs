using Centric.Server.Platform.Http;
using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Events;
using Centric.Server.Customers.Privacy;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Customers;

public sealed record ConsentUpdate(string Channel, string Purpose, bool Granted, string? Source);

/// <summary>The public v1 contract for events and customers (see DESIGN.md).</summary>
internal static class CustomersApi
{
    public const int MaxBatchBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapCustomersApi(this IEndpointRouteBuilder app)
    {
        // The bell's live channel in the portal (signed-in customers).
        app.MapHub<Notifications.NotificationHub>("/notifications/hub");

        app.MapCustomerSelfApi();

        var api = app.MapGroup("/api/v1").WithTags("Customers");
        api.MapPost("/events", PostEvents).RequireAuthorization("scope:" + ApiScopes.EventsWrite)
            .WithName("IngestEvents").WithSummary("Ingest up to 1,000 events; duplicates (by id) are counted, never stored twice.")
            .Accepts<JsonElement>("application/json").Produces<IngestResult>(202).ProducesProblem(400).ProducesProblem(413)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBatchBytes + 1));

        var read = api.MapGroup("/customers").RequireAuthorization("scope:" + ApiScopes.CustomersRead);
        read.MapGet("/", Search).WithName("SearchCustomers").WithSummary("Find customers by email, phone, your own id for them (externalId) or free text (name, email, phone).");
        read.MapGet("/{id:guid}", Get).WithName("GetCustomer").WithSummary("The customer 360: traits, identities, consent, aggregates.");
        read.MapGet("/{id:guid}/timeline", Timeline).WithName("GetCustomerTimeline").WithSummary("Interactions newest first; pass `next` back as `before`.");
        read.MapPost("/{id:guid}/export", Export).WithName("ExportCustomer").WithSummary("Everything held about the person, as JSON.");

        var write = api.MapGroup("/customers").RequireAuthorization("scope:" + ApiScopes.CustomersWrite);
        write.MapDelete("/{id:guid}", Erase).WithName("EraseCustomer").WithSummary("Erase the person: personal data removed, aggregates kept, audited.");
        write.MapPut("/{id:guid}/consent", SetConsent).WithName("SetCustomerConsent").WithSummary("Record a consent answer for a channel and purpose.");

        // The console's download link: staff cookie with MFA, not an API key.
        app.MapGet("/console/customers/{id:guid}/export", async (Guid id, PrivacyService privacy, CancellationToken ct) =>
                await privacy.ExportAsync(id, ct) is { } export
                    ? Results.File(JsonSerializer.SerializeToUtf8Bytes(export, JsonSerializerOptions.Web), "application/json", $"customer-{id}.json")
                    : Results.NotFound())
            .RequireAuthorization(Platform.Identity.Policies.CustomerData).ExcludeFromDescription();
        return app;
    }

    private static async Task<Results<Accepted<IngestResult>, ProblemHttpResult>> PostEvents(HttpRequest request, EventIngestion ingestion, TimeProvider clock, CancellationToken ct)
    {
        if (request.ContentLength > MaxBatchBytes) return TooLarge();
        if (request.ContentType is not { } type || !type.StartsWith("application/json", StringComparison.OrdinalIgnoreCase))
            throw RequestValidationException.For("body", "Send the batch as application/json.");
        // Read at most 1 MiB (+1 byte to notice more), whatever Content-Length claims. The buffer is pooled: batches
        // are large-object-heap sized, and allocating one per request made the GC run full collections under load.
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBatchBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await request.Body.ReadAsync(buffer.AsMemory(length, MaxBatchBytes + 1 - length), ct)) > 0)
            {
                length += read;
                if (length > MaxBatchBytes) return TooLarge();
            }
            return await IngestAsync(buffer.AsMemory(0, length), ingestion, clock, ct);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<Results<Accepted<IngestResult>, ProblemHttpResult>> IngestAsync(ReadOnlyMemory<byte> body, EventIngestion ingestion,
        TimeProvider clock, CancellationToken ct)
    {
        JsonDocument document;
        try
        {
            // The document reads the pooled buffer in place; it is disposed before the buffer goes back.
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 32 });
        }
        catch (JsonException e)
        {
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 400, Type = ProblemTypes.MalformedJson, Title = "The body is not valid JSON.",
                Detail = $"Malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine}.",
            });
        }
        using (document)
        {
            var events = EventBatchParser.Parse(document.RootElement, clock.GetUtcNow().UtcDateTime);
            var result = await ingestion.IngestAsync(events, ct);
            return TypedResults.Accepted((string?)null, result);
        }
    }

    private static ProblemHttpResult TooLarge() => TypedResults.Problem(new ProblemDetails
    {
        Status = 413, Type = ProblemTypes.PayloadTooLarge, Title = "The batch is too large.",
        Detail = $"A batch is at most {MaxBatchBytes} bytes and {EventBatchParser.MaxEvents} events.",
    });

    private static async Task<Ok<CustomerPage>> Search(CustomerQueries queries, string? email, string? phone, string? q, string? externalId, int? page, int? pageSize, CancellationToken ct)
    {
        if (page is < 1) throw RequestValidationException.For("page", "Pages start at 1.");
        if (pageSize is < 1 or > CustomerQueries.MaxPageSize) throw RequestValidationException.For("pageSize", $"Between 1 and {CustomerQueries.MaxPageSize}.");
        if (externalId is { Length: > 300 }) throw RequestValidationException.For("externalId", "At most 300 characters.");
        return TypedResults.Ok(await queries.SearchAsync(email, phone, q, page ?? 1, pageSize ?? 25, ct, externalId));
    }

    private static async Task<Results<Ok<CustomerDetail>, ProblemHttpResult>> Get(Guid id, CustomerQueries queries, AuditLog audit, CentricDbContext db,
        ICustomerInsights insights, HttpContext http, CancellationToken ct)
    {
        var detail = await queries.DetailAsync(id, ct);
        if (detail is null) return ApiProblems.NotFound("customer", id);
        // The scores only for keys that may read them; null for the others, as for a profile not scored yet.
        if (http.User.HasClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.InsightsRead) || http.User.HasClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.Admin))
            detail = detail with { Insights = await insights.FindAsync(detail.Id, ct) };
        audit.Record("customer.viewed", detail.Id, "api");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(detail);
    }

    private static async Task<Results<Ok<TimelinePage>, ProblemHttpResult>> Timeline(Guid id, CustomerQueries queries, ProfileDirectory directory,
        string? before, int? limit, string? type, string? channel, CancellationToken ct)
    {
        if (limit is < 1 or > 200) throw RequestValidationException.For("limit", "Between 1 and 200.");
        var profile = await directory.FindAsync(id, ct);
        if (profile is null) return ApiProblems.NotFound("customer", id);
        return TypedResults.Ok(await queries.TimelineAsync(profile.Id, before, limit ?? 50, type, channel, ct));
    }

    private static async Task<Results<Ok<JsonObject>, ProblemHttpResult>> Export(Guid id, PrivacyService privacy, CancellationToken ct) =>
        await privacy.ExportAsync(id, ct) is { } export ? TypedResults.Ok(export) : ApiProblems.NotFound("customer", id);

    private static async Task<Results<Ok<ErasureResult>, ProblemHttpResult>> Erase(Guid id, PrivacyService privacy, CancellationToken ct) =>
        await privacy.EraseAsync(id, ct) is { } result ? TypedResults.Ok(result) : ApiProblems.NotFound("customer", id);

    private static async Task<Results<Ok<ConsentView>, ProblemHttpResult>> SetConsent(Guid id, ConsentUpdate update, ProfileDirectory directory,
        ConsentService consent, AuditLog audit, CentricDbContext db, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (!ConsentChannels.All.Contains(update.Channel))
            throw RequestValidationException.For("channel", $"One of {string.Join(", ", ConsentChannels.All)}.");
        if (!ConsentPurposes.All.Contains(update.Purpose))
            throw RequestValidationException.For("purpose", $"One of {string.Join(", ", ConsentPurposes.All)}.");
        var profile = await directory.FindAsync(id, ct);
        if (profile is null || profile.ErasedAt is not null) return ApiProblems.NotFound("customer", id);
        var source = string.IsNullOrWhiteSpace(update.Source) ? "api" : update.Source.Trim()[..Math.Min(update.Source.Trim().Length, 50)];
        await consent.RecordAsync(profile.Id, update.Channel, update.Purpose, update.Granted, source, http.User.Identity?.Name, ct);
        audit.Record("customer.consent_changed", profile.Id, $"{update.Channel}/{update.Purpose} = {update.Granted}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(new ConsentView(update.Channel, update.Purpose, update.Granted, true, clock.GetUtcNow().UtcDateTime, source));
    }

    // A problem result, so the 404 is application/problem+json like every other error.
}
