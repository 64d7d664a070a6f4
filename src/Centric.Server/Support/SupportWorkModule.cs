using System.Globalization;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Identity;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Sla;
using Microsoft.AspNetCore.Identity;

namespace Centric.Server.Support;

/// <summary>Routing, SLAs, automation and measures: the support team's work around tickets.</summary>
internal static class SupportWorkModule
{
    /// <summary>Aggregated support measures: staff who work or analyse support, or an API key with customers:read.</summary>
    public const string MeasuresPolicy = "support-measures";

    public static IServiceCollection AddSupportWork(this IServiceCollection services)
    {
        services.AddOptions<SupportAutomationOptions>().BindConfiguration("Support:Automation").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<TicketRouter>();
        services.AddScoped<SlaClock>();
        services.AddScoped<TicketAutomation>();
        services.AddScoped<Macros>();
        services.AddScoped<CsatService>();
        services.AddScoped<SupportMeasuresService>();
        services.AddScoped<SupportSetup>();
        services.AddScoped<HelpActivity>();
        services.AddSingleton<Platform.Outbox.IInteractionSubscriber, SupportWorkSubscriber>();
        services.AddHostedService<SlaSweep>();
        services.AddAuthorizationBuilder().AddPolicy(MeasuresPolicy, p => p
            .AddAuthenticationSchemes(ApiKeyAuthentication.SchemeName, IdentityConstants.ApplicationScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(c => c.User.IsInRole(Roles.Admin) || c.User.IsInRole(Roles.Agent) || c.User.IsInRole(Roles.Analyst)
                || c.User.HasClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.CustomersRead) || c.User.HasClaim(ApiKeyAuthentication.ScopeClaim, ApiScopes.Admin)));
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
            .RequireAuthorization(MeasuresPolicy).WithTags("Support").WithName("SupportMeasures")
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
