using Centric.Server.Platform.Http;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Engagement.Campaigns;

public sealed record CampaignList(IReadOnlyList<CampaignView> Items);

/// <summary><c>/api/v1/campaigns</c> (scopes <c>campaigns:read</c>, <c>campaigns:write</c>): create, schedule, cancel, progress and results.</summary>
internal static class CampaignsApi
{
    public static IEndpointRouteBuilder MapCampaignsApi(this IEndpointRouteBuilder app)
    {
        var read = app.MapGroup("/api/v1/campaigns").RequireAuthorization("scope:" + ApiScopes.CampaignsRead).WithTags("Campaigns");
        var write = app.MapGroup("/api/v1/campaigns").RequireAuthorization("scope:" + ApiScopes.CampaignsWrite).WithTags("Campaigns");
        read.MapGet("", List).WithName("ListCampaigns").WithSummary("Campaigns, newest first, with progress and results");
        write.MapPost("", Create).WithName("CreateCampaign").WithSummary("Creates a draft campaign to a segment (a second subject makes it an A/B test)");
        read.MapGet("/{id:guid}", Get).WithName("GetCampaign").WithSummary("One campaign: progress, and per variant sent, skipped, delivered, opened, clicked, bounced");
        write.MapPost("/{id:guid}/schedule", Schedule).WithName("ScheduleCampaign").WithSummary("Schedules a draft for a moment (now when left out)");
        write.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelCampaign").WithSummary("Stops a campaign; who got it and who did not stays on record");
        return app;
    }

    private static async Task<Ok<CampaignList>> List(CampaignService campaigns, CancellationToken ct) => TypedResults.Ok(new CampaignList(await campaigns.ListAsync(ct)));

    private static async Task<Created<CampaignView>> Create(NewCampaign request, CampaignService campaigns, HttpContext http, CancellationToken ct)
    {
        var created = await campaigns.CreateAsync(request, "api:" + (http.User.Identity?.Name ?? "key"), ct);
        return TypedResults.Created($"/api/v1/campaigns/{created.Id}", created);
    }

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> Get(Guid id, CampaignService campaigns, CancellationToken ct) =>
        await campaigns.FindAsync(id, ct) is { } c ? TypedResults.Ok(c) : ApiProblems.NotFound("campaign", id);

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> Schedule(Guid id, CampaignSchedule? request, CampaignService campaigns, CancellationToken ct) =>
        await campaigns.ScheduleAsync(id, request?.At, ct) is { } c ? TypedResults.Ok(c) : ApiProblems.NotFound("campaign", id);

    private static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> Cancel(Guid id, CampaignService campaigns, CancellationToken ct) =>
        await campaigns.CancelAsync(id, ct) is { } c ? TypedResults.Ok(c) : ApiProblems.NotFound("campaign", id);
}
