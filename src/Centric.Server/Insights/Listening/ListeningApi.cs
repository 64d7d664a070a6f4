using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Insights.Listening;

internal static class ListeningApi
{
    public static IEndpointRouteBuilder MapListeningApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/insights/listening", Listen).RequireAuthorization("scope:" + ApiScopes.InsightsRead).WithTags("Insights")
            .WithName("ListenForFriction")
            .WithSummary("Friction signals over a range (repeat contacts, searches with no result, failed payments, abandoned checkouts, returns, negative sentiment, late deliveries) by channel, with the worst offenders");
        return app;
    }

    private static async Task<Ok<ListeningReport>> Listen(string? from, string? to, FrictionSignals signals, CancellationToken ct)
    {
        var range = KpiRange.Parse(from, to);
        return TypedResults.Ok(await signals.ListenAsync(range.From, range.To, ct));
    }
}
