using Centric.Server.Customers.Contracts;
using Centric.Server.Platform;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Support.Email;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Knowledge;

public sealed record HelpVote(bool? Helpful);

public sealed record HelpDeflection(string? Question);

/// <summary>
/// The help centre's small JSON surface for the portal pages: search as you type, "was this helpful?" and "this answered my
/// question". Public (anonymous visitors use the help centre too), limited per client address.
/// </summary>
internal static class HelpCentreApi
{
    public const string Policy = "help-centre";

    public static IServiceCollection AddHelpCentre(this IServiceCollection services)
    {
        services.AddScoped<ArticleSearch>();
        services.AddSingleton<ArticleTermStatistics>();
        services.AddScoped<KnowledgeBase>();
        services.AddScoped<Platform.Seo.IPublicPages, HelpPublicPages>();
        services.AddPerClientAddressLimit<SupportOptions>(Policy, o => o.HelpRequestsPerMinute);
        return services;
    }

    public static IEndpointRouteBuilder MapHelpCentre(this IEndpointRouteBuilder app)
    {
        var help = app.MapGroup("/help/api").RequireRateLimiting(Policy).DisableAntiforgery().WithTags("Help centre");
        help.MapGet("/search", Search).WithName("HelpSearch")
            .WithSummary("Published articles matching a query; the last word matches as a prefix. record=true logs help_searched.");
        help.MapPost("/articles/{slug}/feedback", Vote).WithName("HelpFeedback")
            .WithSummary("\"Was this helpful?\": one answer per visitor per article; answering again replaces it.");
        help.MapPost("/articles/{slug}/deflected", Deflected).WithName("HelpDeflected")
            .WithSummary("The article answered the visitor's question, so no request was sent (logs help_deflected).");
        // Staff write in the console; this is for importing a help centre from elsewhere (one call per article, published or draft).
        app.MapPost("/api/v1/support/articles", Import).RequireAuthorization("scope:" + ApiScopes.Admin).WithTags("Help centre")
            .WithName("ImportArticle").WithSummary("Create an article (or a new version of the one at `slug` when `replace=true`).");
        return app;
    }

    public sealed record ImportedArticle(Guid Id, string Slug, int Version, bool Published);

    private static async Task<Created<ImportedArticle>> Import(ArticleInput body, bool? replace, KnowledgeBase help, CancellationToken ct)
    {
        var existing = replace == true && !string.IsNullOrWhiteSpace(body.Slug) ? KnowledgeBase.Slugify(body.Slug) : null;
        var article = await help.SaveAsync(existing, body, ct, "api");
        return TypedResults.Created($"/help/{article.Slug}", new ImportedArticle(article.Id, article.Slug, article.LatestVersion, article.Published));
    }

    private static async Task<Ok<List<ArticleHit>>> Search(string? q, int? limit, bool? record, string? place, KnowledgeBase help, IVisitor visitor,
        CancellationToken ct)
    {
        if (q is { Length: > 200 }) throw RequestValidationException.For("q", "At most 200 characters.");
        var hits = await help.SearchAsync(q, Math.Clamp(limit ?? 8, 1, 20), ct);
        if (record == true && ArticleSearch.Terms(q).Count > 0)
            await help.RecordSearchAsync(await visitor.TrackingProfileAsync(ct), q!, hits, place is "new-ticket" ? "new-ticket" : "help-centre", ct);
        return TypedResults.Ok(hits);
    }

    private static async Task<Results<Ok<ArticleVotes>, ProblemHttpResult>> Vote(string slug, HelpVote body, KnowledgeBase help, IVisitor visitor,
        CancellationToken ct)
    {
        if (body.Helpful is not { } helpful) throw RequestValidationException.For("helpful", "true or false.");
        if (await help.FindPublishedAsync(slug, ct) is not { } article) return NotFound();
        return TypedResults.Ok(await help.VoteAsync(article, visitor.Token(), helpful, await visitor.TrackingProfileAsync(ct), ct));
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Deflected(string slug, HelpDeflection body, KnowledgeBase help, IVisitor visitor,
        CancellationToken ct)
    {
        if (await help.FindPublishedAsync(slug, ct) is not { } article) return NotFound();
        await help.RecordDeflectionAsync(await visitor.TrackingProfileAsync(ct), article, body.Question, ct);
        return TypedResults.NoContent();
    }

    private static ProblemHttpResult NotFound() =>
        TypedResults.Problem(statusCode: 404, type: ProblemTypes.NotFound, title: "No such article.");
}
