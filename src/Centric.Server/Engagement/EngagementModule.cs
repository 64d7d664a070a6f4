using Centric.Server.Engagement.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Campaigns;
using Centric.Server.Engagement.Journeys;
using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Segments;
using Centric.Server.Engagement.Push;
using Centric.Server.Engagement.Sms;
using Centric.Server.Engagement.Templates;
using Centric.Server.Platform.Mail;
using Centric.Server.Engagement.Surveys;
using Centric.Server.Insights.Contracts;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Engagement;

/// <summary>
/// Engagement: messages on every channel (templates, email through the mail outbox with tracking and unsubscribe, SMS through a
/// provider, web push to the customers' devices, in-app notices), journeys, campaigns, surveys and segments — rules over traits, consent, orders, tickets, scores and behaviour, compiled to one
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
        services.AddScoped<ICustomerSegments, CustomerSegments>();
        services.AddScoped<IMessageSender, MessageSender>();
        services.AddScoped<JourneyWalker>();
        services.AddScoped<JourneyService>();
        services.AddScoped<StaffTasks>();
        services.AddScoped<CampaignService>();
        services.AddHostedService<CampaignRunner>();
        services.AddSingleton<JourneyNudge>();
        services.AddInteractionSubscriber<JourneySubscriber>();
        services.AddHostedService<JourneyRunner>();
        services.AddHttpClient(JourneyWalker.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Centric-Journeys/1.0"));
        services.AddScoped<MessageChannels>();
        services.AddScoped<MessageTemplates>();
        services.AddScoped<DemoTemplates>();
        services.AddScoped<TemplateRenderer>();
        services.AddSingleton<MessageLinks>();
        services.AddSingleton<TrackedEmail>();
        services.AddSingleton<MessageHistory>();
        services.AddSingleton<IMailDeliveryListener, MessageMailListener>();

        services.AddOptions<SmsOptions>().BindConfiguration("Engagement:Sms").ValidateDataAnnotations()
            .Validate(o => o.Provider != HttpSmsProvider.Name || o.Url is { IsAbsoluteUri: true, Scheme: "http" or "https" },
                "Engagement:Sms:Url must be an absolute http(s) address when Engagement:Sms:Provider is http.")
            .ValidateOnStart();
        services.AddKeyedSingleton<ISmsProvider, SandboxSmsProvider>(SandboxSmsProvider.Name);
        services.AddKeyedSingleton<ISmsProvider, HttpSmsProvider>(HttpSmsProvider.Name);
        services.AddHttpClient(HttpSmsProvider.Name, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Centric-Sms/1.0"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<SmsDelivery>();
        services.AddHostedService(sp => sp.GetRequiredService<SmsDelivery>());
        services.AddOptions<PushOptions>().BindConfiguration("Engagement:Push").ValidateDataAnnotations()
            .Validate(o => !o.KeysConfigured || VapidKeys.IsPair(o.PublicKey?.Trim(), o.PrivateKey?.Trim()),
                "Engagement:Push:PublicKey and PrivateKey must both be set, to a P-256 key pair in base64url (65 and 32 bytes), or both be left out.")
            .Validate(o => o.Subject is null || o.Subject.StartsWith("mailto:", StringComparison.Ordinal) || o.Subject.StartsWith("https://", StringComparison.Ordinal),
                "Engagement:Push:Subject must be a mailto: address or an https: page.")
            .ValidateOnStart();
        services.AddSingleton<VapidKeys>();
        services.AddScoped<PushSubscriptions>();
        services.AddHttpClient(PushSender.HttpClientName, c => c.DefaultRequestHeaders.UserAgent.ParseAdd("Centric-Push/1.0"))
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<PushSender>();
        services.AddHostedService(sp => sp.GetRequiredService<PushSender>());
        services.AddScoped<DemoSegments>();
        services.AddScoped<SurveyService>();
        services.AddScoped<ISurveys>(sp => sp.GetRequiredService<SurveyService>());
        services.AddSingleton<ISurveyFeedback, SurveyFeedback>();
        services.AddInteractionSubscriber<SegmentSubscriber>();
        services.AddHostedService<SegmentRefreshWorker>();
        services.AddSingleton<IPersonalData, EngagementPersonalData>();
        return builder;
    }

    public static IEndpointRouteBuilder MapEngagementApi(this IEndpointRouteBuilder app) =>
        app.MapSegmentsApi().MapJourneysApi().MapCampaignsApi().MapMessagesApi().MapSurveysApi().MapPushApi();
}
