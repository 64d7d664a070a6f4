using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.Deciles;

internal static class DecilesApi
{
    public static IEndpointRouteBuilder MapDecilesApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/deciles", Measure).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("MeasureDeciles")
            .WithSummary("The ten value deciles over a range of days with the REAP scorecard, and the same for the range of equal length before it");
        return app;
    }

    private static async Task<Ok<DecileReport>> Measure(string? by, string? from, string? to, DecileScorecard scorecard, CancellationToken ct)
    {
        var ranking = string.IsNullOrWhiteSpace(by) ? DecileScorecard.ByRevenue : by.Trim().ToLowerInvariant();
        if (ranking is not (DecileScorecard.ByRevenue or DecileScorecard.ByClv)) throw RequestValidationException.For("by", "revenue or clv.");
        var range = KpiRange.Parse(from, to);
        return TypedResults.Ok(await scorecard.MeasureAsync(ranking, range.From, range.To, ct));
    }
}
