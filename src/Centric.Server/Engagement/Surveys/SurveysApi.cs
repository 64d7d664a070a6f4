using Centric.Server.Platform.Http;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Engagement.Surveys;

/// <summary><c>/api/v1/surveys</c> for integrators: scopes <c>surveys:read</c> (list, one survey, results) and <c>surveys:write</c> (create).</summary>
internal static class SurveysApi
{
    public static IEndpointRouteBuilder MapSurveysApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/surveys").RequireAuthorization("scope:" + ApiScopes.SurveysRead).WithTags("Surveys");
        var write = app.MapGroup("/api/v1/surveys").RequireAuthorization("scope:" + ApiScopes.SurveysWrite).WithTags("Surveys");
        read.MapGet("", List).WithName("ListSurveys").WithSummary("Every survey with its kind, invitations, answers and score over all time");
        write.MapPost("", Create).WithName("CreateSurvey").WithSummary("Creates an NPS (0–10), CSAT (1–5) or CES (1–7) survey");
        read.MapGet("/{id:guid}", Get).WithName("GetSurvey").WithSummary("One survey");
        read.MapGet("/{id:guid}/results", Results).WithName("SurveyResults")
            .WithSummary("The survey's score, spread, response rate, breakdowns by channel, product and agent, and recent comments with their sentiment over a range of days");
        return app;
    }

    private static async Task<Ok<SurveyList>> List(SurveyService surveys, CancellationToken ct) => TypedResults.Ok(new SurveyList(await surveys.ListAsync(ct)));

    private static async Task<Created<SurveySummary>> Create(SurveyDraft request, SurveyService surveys, HttpContext http, CancellationToken ct)
    {
        var created = await surveys.CreateAsync(request, "api:" + (http.User.Identity?.Name ?? "key"), ct);
        return TypedResults.Created($"/api/v1/surveys/{created.Id}", created);
    }

    private static async Task<Results<Ok<SurveySummary>, ProblemHttpResult>> Get(Guid id, SurveyService surveys, CancellationToken ct) =>
        await surveys.FindAsync(id, ct) is { } s ? TypedResults.Ok(s) : ApiProblems.NotFound("survey", id);

    private static async Task<Results<Ok<SurveyResults>, ProblemHttpResult>> Results(Guid id, string? from, string? to, SurveyService surveys, CancellationToken ct) =>
        await surveys.ResultsAsync(id, from, to, ct) is { } r ? TypedResults.Ok(r) : ApiProblems.NotFound("survey", id);
}
