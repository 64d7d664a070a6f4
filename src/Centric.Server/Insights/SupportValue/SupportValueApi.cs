using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.SupportValue;

internal static class SupportValueApi
{
    public static IEndpointRouteBuilder MapSupportValueApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/support-value", Measure).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("MeasureSupportValue")
            .WithSummary("Customers banded by their support experience in a range (satisfaction, contacts, time to solve), with each band's churn rate and mean lifetime value");
        return app;
    }

    private static async Task<Ok<SupportValueReport>> Measure(string? from, string? to, SupportValueMeasure measure, CancellationToken ct)
    {
        var range = KpiRange.Parse(from, to);
        return TypedResults.Ok(await measure.MeasureAsync(range.From, range.To, ct));
    }
}
