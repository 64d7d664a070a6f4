using Centric.Server.Customers.Contracts;
using Centric.Server.Insights.Deciles;
using Centric.Server.Insights.Kpis;
using Centric.Server.Insights.Models;
using Centric.Server.Insights.Scores;
using Centric.Server.Insights.Croi;
using Centric.Server.Insights.Listening;
using Centric.Server.Insights.SupportValue;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Insights;

/// <summary>
/// Insights: the model registry and its training (this file), the scores on every profile, the KPIs, the cost to serve and
/// the value deciles built on them.
/// Reads the interaction timeline and the other modules' public surfaces; owns the insights_ tables.
/// </summary>
internal static class InsightsModule
{
    public static IHostApplicationBuilder AddInsights(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<InsightsOptions>().BindConfiguration("Insights").ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ModelRegistry>();
        services.AddScoped<TrainingRuns>();
        services.AddScoped<ChurnDefinitions>();
        services.AddHostedService<TrainingWorker>();
        services.AddSingleton<ActiveModels>();
        services.AddSingleton<Contracts.IActiveRecommender, ActiveRecommenderSource>();
        services.AddSingleton<ProfileScoring>();
        services.AddInteractionSubscriber<OrderScoresSubscriber>();
        services.AddSingleton<IPersonalData, InsightsPersonalData>();
        services.AddScoped<ICustomerInsights, CustomerInsightsReader>();
        services.AddSingleton<Sentiment.SentimentScorers>();
        services.AddInteractionSubscriber<Sentiment.SentimentSubscriber>();
        services.AddInteractionSubscriber<Kpis.KpiRollupSubscriber>();
        services.AddHostedService<Kpis.KpiHistory>();
        services.AddScoped<Kpis.KpiCatalogue>();
        services.AddScoped<Kpis.KpiFacts>();
        services.AddScoped<Kpis.ExperienceKpis>();
        services.AddScoped<Kpis.KpiBreakdowns>();
        services.AddScoped<Kpis.KpiTables>();
        services.AddScoped<Kpis.WeeklyKpiReport>();
        services.AddHostedService<Kpis.WeeklyKpiReportWorker>();
        services.AddScoped<Costs.CostModelSettings>();
        services.AddScoped<Costs.CostToServe>();
        services.AddScoped<Deciles.DecileScorecard>();
        services.AddScoped<SupportValue.SupportValueMeasure>();
        services.AddScoped<Listening.FrictionSignals>();
        services.AddScoped<Croi.CroiIndex>();
        return builder;
    }

    public static IEndpointRouteBuilder MapInsightsApi(this IEndpointRouteBuilder app) =>
        app.MapKpisApi().MapKpiExports().MapDecilesApi().MapSupportValueApi().MapListeningApi().MapCroiApi();
}
