using Centric.Server.Platform.Http;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Engagement.Segments;

public sealed record SegmentList(IReadOnlyList<SegmentSummary> Items);

/// <summary>
/// <c>/api/v1/segments</c> for integrators (scopes <c>segments:read</c>, <c>segments:write</c>), and the console's own routes
/// for the live count while a rule is edited and the members' CSV (signed-in admins and marketers).
/// </summary>
internal static class SegmentsApi
{
    public static IEndpointRouteBuilder MapSegmentsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/segments").RequireAuthorization("scope:" + ApiScopes.SegmentsRead).WithTags("Segments");
        var write = app.MapGroup("/api/v1/segments").RequireAuthorization("scope:" + ApiScopes.SegmentsWrite).WithTags("Segments");
        read.MapGet("", List).WithName("ListSegments").WithSummary("Every segment with its kind and member count");
        write.MapPost("", Create).WithName("CreateSegment")
            .WithSummary("Creates a rule segment (its members are worked out at once) or an empty static list; the rule JSON is described in docs/api.md");
        read.MapGet("/{id:guid}", Get).WithName("GetSegment").WithSummary("One segment with its rule");
        write.MapPut("/{id:guid}", Update).WithName("UpdateSegment").WithSummary("Renames a segment or changes its rule; members follow the new rule at once");
        read.MapGet("/{id:guid}/members", Members).WithName("ListSegmentMembers").WithSummary("A page of the segment's members, oldest first");
        read.MapGet("/{id:guid}/members.csv", Export).WithName("ExportSegmentMembers").WithSummary("Every member as CSV: customer_id, email, first_name, last_name, entered_at")
            .Produces(200, contentType: "text/csv");
        write.MapPost("/{id:guid}/members/import", Import).WithName("ImportSegmentMembers")
            .WithSummary("Adds the customers a CSV names (header row; an email or customer_id column) to a static segment")
            .Accepts<string>("text/csv");
        read.MapPost("/preview", Preview).WithName("PreviewSegment").WithSummary("How many customers a rule matches now, without saving it");

        app.MapGet("/console/segments/{id:guid}/export", Export).RequireAuthorization(Policies.Segments).ExcludeFromDescription();
        app.MapPost("/console/segments/preview", ConsolePreview).RequireAuthorization(Policies.Segments).ExcludeFromDescription();
        return app;
    }

    private static async Task<Ok<SegmentList>> List(SegmentService segments, CancellationToken ct) => TypedResults.Ok(new SegmentList(await segments.ListAsync(ct)));

    private static async Task<Created<SegmentDetail>> Create(NewSegment request, SegmentService segments, HttpContext http, CancellationToken ct)
    {
        var created = await segments.CreateAsync(request, "api:" + (http.User.Identity?.Name ?? "key"), ct);
        return TypedResults.Created($"/api/v1/segments/{created.Id}", created);
    }

    private static async Task<Results<Ok<SegmentDetail>, ProblemHttpResult>> Get(Guid id, SegmentService segments, CancellationToken ct) =>
        await segments.FindAsync(id, ct) is { } s ? TypedResults.Ok(s) : ApiProblems.NotFound("segment", id);

    private static async Task<Results<Ok<SegmentDetail>, ProblemHttpResult>> Update(Guid id, NewSegment request, SegmentService segments, CancellationToken ct) =>
        await segments.UpdateAsync(id, request, ct) is { } s ? TypedResults.Ok(s) : ApiProblems.NotFound("segment", id);

    private static async Task<Results<Ok<SegmentMemberPage>, ProblemHttpResult>> Members(Guid id, int? page, int? pageSize, SegmentService segments, CancellationToken ct) =>
        await segments.MembersAsync(id, page ?? 1, pageSize ?? 50, ct) is { } p ? TypedResults.Ok(p) : ApiProblems.NotFound("segment", id);

    private static async Task<Ok<SegmentCount>> Preview(SegmentPreview request, SegmentService segments, CancellationToken ct) =>
        TypedResults.Ok(new SegmentCount(await segments.PreviewAsync(request.Rule, ct)));

    private static async Task<Results<Ok<SegmentImportResult>, ProblemHttpResult>> Import(Guid id, HttpRequest request, SegmentService segments, CancellationToken ct)
    {
        if (request.ContentType is not { } type || !(type.StartsWith("text/csv", StringComparison.OrdinalIgnoreCase) || type.StartsWith("text/plain", StringComparison.OrdinalIgnoreCase)))
            return TypedResults.Problem(new ProblemDetails
            {
                Status = 415, Type = ProblemTypes.UnsupportedMediaType, Title = "Send the list as text/csv.",
                Detail = "The body is a CSV file with a header row naming an email or customer_id column.",
            });
        return await segments.ImportAsync(id, request.Body, ct) is { } result ? TypedResults.Ok(result) : ApiProblems.NotFound("segment", id);
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Export(Guid id, HttpContext http, SegmentService segments, CancellationToken ct)
    {
        if (await segments.FindAsync(id, ct) is not { } segment) return ApiProblems.NotFound("segment", id);
        http.Response.ContentType = "text/csv; charset=utf-8";
        var file = new string([.. segment.Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"segment-{(file.Length > 0 ? file : "members")}.csv\"";
        await segments.ExportAsync(id, http.Response.Body, ct);
        return TypedResults.Empty;
    }

    /// <summary>The rule builder's live count: the builder's own form fields, posted as the marketer edits.</summary>
    private static async Task<Results<Ok<SegmentCount>, ProblemHttpResult>> ConsolePreview(HttpRequest request, SegmentService segments, CancellationToken ct)
    {
        if (!request.HasFormContentType) throw RequestValidationException.For("form", "The builder's form fields are expected.");
        var form = await request.ReadFormAsync(ct);
        var rule = SegmentForm.Read(form).Rule;
        return TypedResults.Ok(new SegmentCount(await segments.PreviewAsync(rule, ct)));
    }
}
