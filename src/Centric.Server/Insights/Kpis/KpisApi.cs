using System.Globalization;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.Kpis;

public sealed record KpiReport(string From, string To, string? Channel, int? Decile, Guid? Segment, IReadOnlyList<KpiValue> Kpis);

internal static class KpisApi
{
    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/kpis", Measure).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("MeasureKpis").WithSummary("The KPIs over a range of days, with the period of equal length before it");
        return app;
    }

    private static async Task<Ok<KpiReport>> Measure(string? from, string? to, string? channel, string? decile, string? segment, KpiCatalogue kpis,
        ICustomerSegments segments, CancellationToken ct)
    {
        var range = KpiRange.Parse(from, to);
        var only = KpiRange.Channel(channel);
        // Read as text so a bad value is a 400 naming the field, like the range.
        int? ofDecile = string.IsNullOrWhiteSpace(decile) ? null
            : int.TryParse(decile, NumberStyles.None, CultureInfo.InvariantCulture, out var d) && d is >= 1 and <= 10 ? d
            : throw RequestValidationException.For("decile", "A value decile from 1 (the most valuable tenth) to 10.");
        Guid? ofSegment = string.IsNullOrWhiteSpace(segment) ? null
            : Guid.TryParse(segment, out var id) && (await segments.ListAsync(ct)).Any(s => s.Id == id) ? id
            : throw RequestValidationException.For("segment", "The id of a segment (GET /api/v1/segments lists them).");
        var values = await kpis.MeasureAsync(range.From, range.To, new KpiScope(only, ofDecile, ofSegment), ct);
        return TypedResults.Ok(new KpiReport(KpiRange.Text(range.From), KpiRange.Text(range.To), only, ofDecile, ofSegment, values));
    }
}
