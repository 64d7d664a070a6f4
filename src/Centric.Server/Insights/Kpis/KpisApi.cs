using System.Globalization;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.Kpis;

public sealed record KpiReport(string From, string To, string? Channel, IReadOnlyList<KpiValue> Kpis);

internal static class KpisApi
{
    /// <summary>The longest range one request measures (with the period before it, the rollups read twice that).</summary>
    public const int MaxDays = 1096;

    public static IEndpointRouteBuilder MapKpisApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/kpis", Measure).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("MeasureKpis").WithSummary("The KPIs over a range of days, with the period of equal length before it");
        return app;
    }

    private static async Task<Ok<KpiReport>> Measure(string? from, string? to, string? channel, KpiCatalogue kpis, CancellationToken ct)
    {
        var start = Day("from", from);
        var end = Day("to", to);
        if (end <= start) throw RequestValidationException.For("to", "After from (the range is from inclusive, to exclusive).");
        if (end.DayNumber - start.DayNumber > MaxDays) throw RequestValidationException.For("to", $"At most {MaxDays} days after from.");
        var only = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim().ToLowerInvariant();
        if (only is { Length: > 40 }) throw RequestValidationException.For("channel", "A channel name, at most 40 characters.");
        var values = await kpis.MeasureAsync(start, end, only, ct);
        return TypedResults.Ok(new KpiReport(Text(start), Text(end), only, values));
    }

    internal static DateOnly Day(string field, string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2100
            ? day : throw RequestValidationException.For(field, "A day as yyyy-MM-dd.");

    internal static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
