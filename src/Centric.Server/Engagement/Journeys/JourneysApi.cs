using Centric.Server.Platform.Http;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Engagement.Journeys;

public sealed record JourneyList(IReadOnlyList<JourneySummary> Items);

/// <summary><c>/api/v1/journeys</c> (scopes <c>journeys:read</c>, <c>journeys:write</c>): drafts, publish, pause, report.</summary>
internal static class JourneysApi
{
    public static IEndpointRouteBuilder MapJourneysApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/journeys").RequireAuthorization("scope:" + ApiScopes.JourneysRead).WithTags("Journeys");
        var write = app.MapGroup("/api/v1/journeys").RequireAuthorization("scope:" + ApiScopes.JourneysWrite).WithTags("Journeys");
        read.MapGet("", List).WithName("ListJourneys").WithSummary("Every journey (the shipped ones included) with its status and counts");
        write.MapPost("", Create).WithName("CreateJourney").WithSummary("Creates a journey as a draft; the definition JSON is described in docs/engagement.md");
        read.MapGet("/{id:guid}", Get).WithName("GetJourney").WithSummary("One journey with its draft definition");
        write.MapPut("/{id:guid}", Update).WithName("UpdateJourney").WithSummary("Changes a journey's name and draft; customers follow it once it is published");
        write.MapPost("/{id:guid}/publish", Publish).WithName("PublishJourney")
            .WithSummary("Makes the draft the live version and the journey live; customers already inside finish on their version");
        write.MapPost("/{id:guid}/pause", Pause).WithName("PauseJourney").WithSummary("Stops a live journey: nobody enters or moves on until it is published again");
        read.MapGet("/{id:guid}/report", Report).WithName("GetJourneyReport")
            .WithSummary("Entered, in progress, exited by goal, converted; each step's outcomes and messages; each A/B arm's uplift over the holdout");
        return app;
    }

    private static async Task<Ok<JourneyList>> List(JourneyService journeys, CancellationToken ct) => TypedResults.Ok(new JourneyList(await journeys.ListAsync(ct)));

    private static async Task<Created<JourneyDetail>> Create(JourneyDraft request, JourneyService journeys, HttpContext http, CancellationToken ct)
    {
        var created = await journeys.CreateAsync(request, By(http), ct);
        return TypedResults.Created($"/api/v1/journeys/{created.Id}", created);
    }

    private static async Task<Results<Ok<JourneyDetail>, ProblemHttpResult>> Get(Guid id, JourneyService journeys, CancellationToken ct) =>
        await journeys.FindAsync(id, ct) is { } j ? TypedResults.Ok(j) : ApiProblems.NotFound("journey", id);

    private static async Task<Results<Ok<JourneyDetail>, ProblemHttpResult>> Update(Guid id, JourneyDraft request, JourneyService journeys, HttpContext http, CancellationToken ct) =>
        await journeys.UpdateAsync(id, request, By(http), ct) is { } j ? TypedResults.Ok(j) : ApiProblems.NotFound("journey", id);

    private static async Task<Results<Ok<JourneyDetail>, ProblemHttpResult>> Publish(Guid id, JourneyService journeys, HttpContext http, CancellationToken ct) =>
        await journeys.PublishAsync(id, By(http), ct) is { } j ? TypedResults.Ok(j) : ApiProblems.NotFound("journey", id);

    private static async Task<Results<Ok<JourneyDetail>, ProblemHttpResult>> Pause(Guid id, JourneyService journeys, HttpContext http, CancellationToken ct) =>
        await journeys.PauseAsync(id, By(http), ct) is { } j ? TypedResults.Ok(j) : ApiProblems.NotFound("journey", id);

    private static async Task<Results<Ok<JourneyReport>, ProblemHttpResult>> Report(Guid id, JourneyService journeys, CancellationToken ct) =>
        await journeys.ReportAsync(id, ct) is { } r ? TypedResults.Ok(r) : ApiProblems.NotFound("journey", id);

    private static string By(HttpContext http) => "api:" + (http.User.Identity?.Name ?? "key");
}
