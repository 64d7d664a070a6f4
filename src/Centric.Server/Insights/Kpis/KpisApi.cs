using Centric.Server.Platform.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.Kpis;

public sealed record KpiReport(string From, string To, string? Channel, IReadOnlyList<KpiValue> Kpis);

internal static class KpisApi
{
    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/kpis", Measure).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("MeasureKpis").WithSummary("The KPIs over a range of days, with the period of equal length before it");
        return app;
    }

    private static async Task<Ok<KpiReport>> Measure(string? from, string? to, string? channel, KpiCatalogue kpis, CancellationToken ct)
    {
        var range = KpiRange.Parse(from, to);
        var only = KpiRange.Channel(channel);
        var values = await kpis.MeasureAsync(range.From, range.To, only, ct);
        return TypedResults.Ok(new KpiReport(KpiRange.Text(range.From), KpiRange.Text(range.To), only, values));
    }
}
