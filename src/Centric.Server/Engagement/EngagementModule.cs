using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Segments;
using Centric.Server.Engagement.Surveys;
using Centric.Server.Insights.Contracts;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Engagement;

/// <summary>
/// Engagement: segments — rules over traits, consent, orders, tickets, scores and behaviour, compiled to one
/// database query each; static lists from CSV; membership kept current by a stream subscriber and, for time windows, a periodic
/// worker, with entering and leaving on the customer's timeline. Reads the other modules only through their contracts; owns the
/// engagement_ tables. Surveys (NPS, CSAT, CES): sent by email and in-app notice, answered from a keyed link, scored into results and
/// into Insights' NPS and CES KPIs (through <see cref="ISurveyFeedback"/>, which Engagement answers).
/// </summary>
internal static class EngagementModule
{
    public static IHostApplicationBuilder AddEngagement(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<EngagementOptions>().BindConfiguration("Engagement").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<SegmentMembership>();
        services.AddScoped<SegmentService>();
        services.AddScoped<IMessageSender, MessageSender>();
        services.AddScoped<DemoSegments>();
        services.AddScoped<SurveyService>();
        services.AddScoped<ISurveys>(sp => sp.GetRequiredService<SurveyService>());
        services.AddSingleton<ISurveyFeedback, SurveyFeedback>();
        services.AddInteractionSubscriber<SegmentSubscriber>();
        services.AddHostedService<SegmentRefreshWorker>();
        services.AddSingleton<IPersonalData, EngagementPersonalData>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEngagementApi(this IEndpointRouteBuilder app) => app.MapSegmentsApi().MapSurveysApi();
}
