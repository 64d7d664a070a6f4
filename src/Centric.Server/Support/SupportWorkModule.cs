using Centric.Server.Platform.Outbox;
using System.Globalization;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Sla;

namespace Centric.Server.Support;

/// <summary>Routing, SLAs, automation and measures: the support team's work around tickets.</summary>
internal static class SupportWorkModule
{
    public static IServiceCollection AddSupportWork(this IServiceCollection services)
    {
        services.AddOptions<SupportAutomationOptions>().BindConfiguration("Support:Automation").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<TicketRouter>();
        services.AddScoped<SlaClock>();
        services.AddScoped<TicketAutomation>();
        services.AddScoped<Macros>();
        services.AddScoped<CsatService>();
        services.AddScoped<SupportMeasuresService>();
        services.AddScoped<Contracts.SupportKpis>();
        services.AddScoped<SupportSetup>();
        services.AddInteractionSubscriber<SupportWorkSubscriber>();
        services.AddInteractionSubscriber<HelpSessionSubscriber>();
        services.AddHostedService<HelpSessionHistory>();
        services.AddHostedService<SlaSweep>();
        return services;
    }

    public static IEndpointRouteBuilder MapSupportWorkApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/support/measures", async (string? from, string? to, SupportMeasuresService measures, TimeProvider clock, CancellationToken ct) =>
            {
                var now = clock.GetUtcNow().UtcDateTime;
                if (!TryDate(from, now.Date.AddDays(-30), out var start)) return Results.Problem(statusCode: 400, type: ProblemTypes.Validation, title: "from: an ISO date (yyyy-MM-dd).");
                if (!TryDate(to, now.Date.AddDays(1), out var end)) return Results.Problem(statusCode: 400, type: ProblemTypes.Validation, title: "to: an ISO date (yyyy-MM-dd).");
                if (end <= start || end - start > TimeSpan.FromDays(400)) return Results.Problem(statusCode: 400, type: ProblemTypes.Validation, title: "to must be after from, at most 400 days later.");
                return Results.Ok(new { from = start, to = end, measures = await measures.ComputeAsync(start, end, ct) });
            })
            // API keys only, like the rest of /api/v1: staff read the same figures on /console/support/measures. A policy
            // accepting both a key and the sign-in cookie would answer a refused request through both schemes at once.
            .RequireAuthorization("scope:" + ApiScopes.CustomersRead).WithTags("Support").WithName("SupportMeasures")
            .WithSummary("Support measures of a period: first response, resolution, first contact resolution, volume by channel, backlog, SLA attainment, CSAT, deflection.");
        return app;
    }

    private static bool TryDate(string? text, DateTime fallback, out DateTime value)
    {
        value = fallback;
        if (string.IsNullOrWhiteSpace(text)) return true;
        if (!DateTime.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ssZ"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out value))
            return false;
        return true;
    }
}
