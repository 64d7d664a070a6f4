using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.Croi;

internal static class CroiApi
{
    public static IEndpointRouteBuilder MapCroiApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/croi", Measure).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("MeasureCroi")
            .WithSummary("The customer-return-on-operations index of a range (0–100), with each part's KPI, score, weight and contribution");
        return app;
    }

    private static async Task<Ok<CroiReading>> Measure(string? from, string? to, string? channel, CroiIndex index, CancellationToken ct)
    {
        var range = KpiRange.Parse(from, to);
        return TypedResults.Ok(await index.MeasureAsync(range.From, range.To, KpiRange.Channel(channel), ct));
    }
}
