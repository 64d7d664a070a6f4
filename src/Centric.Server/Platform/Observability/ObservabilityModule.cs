using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Centric.Server.Platform.Observability;

/// <summary>
/// Metrics (Prometheus scrape endpoint at /metrics), traces (exported over OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is
/// set) and the liveness and readiness probes a load balancer or orchestrator asks.
/// </summary>
internal static class ObservabilityModule
{
    private const string Ready = "ready";

    public static IHostApplicationBuilder AddObservability(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ObservabilityOptions>().BindConfiguration(ObservabilityOptions.Section);
        services.AddSingleton<StreamSampler>();
        services.AddHostedService(sp => sp.GetRequiredService<StreamSampler>());
        services.AddSingleton<CentricMetrics>();
        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database", tags: [Ready])
            .AddCheck<DispatcherLagHealthCheck>("dispatcher", tags: [Ready]);

        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("centric", serviceInstanceId: Environment.MachineName))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddRuntimeInstrumentation()
                // Built-in meters: Kestrel connections, SignalR connections (live chat, order tracking), Npgsql's pool.
                .AddMeter(CentricMetrics.MeterName, "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections", "Npgsql")
                .AddPrometheusExporter())
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health") && !http.Request.Path.StartsWithSegments("/metrics"))
                    .AddHttpClientInstrumentation()
                    .AddSource("Npgsql");
                if (!string.IsNullOrEmpty(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"])) t.AddOtlpExporter();
            });
        return builder;
    }

    public static IEndpointRouteBuilder MapObservability(this IEndpointRouteBuilder app)
    {
        // The instruments exist from the start, not from the first order, so every scrape lists them.
        app.ServiceProvider.GetRequiredService<CentricMetrics>();
        // Live: the process answers. Ready: the database answers and the stream is not far behind.
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync }).DisableRateLimiting();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(Ready), ResponseWriter = WriteAsync }).DisableRateLimiting();
        if (app.ServiceProvider.GetRequiredService<IOptions<ObservabilityOptions>>().Value.PrometheusEndpoint)
            app.MapPrometheusScrapingEndpoint("/metrics").DisableRateLimiting();
        return app;
    }

    /// <summary>The body of every health endpoint: overall status, each check's status, and how long it took.</summary>
    public static async Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(http.Response.Body, new
        {
            status = report.Status.ToString(),
            checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
            durationMs = (int)report.TotalDuration.TotalMilliseconds,
        }, JsonSerializerOptions.Web);
    }
}

internal sealed class DispatcherLagHealthCheck(StreamSampler stream, IOptions<ObservabilityOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var state = stream.Current;
        var limit = options.Value.ReadyMaxDispatcherLag.TotalSeconds;
        return Task.FromResult(state.LagSeconds <= limit
            ? HealthCheckResult.Healthy($"{state.OutboxDepth} interactions behind")
            : HealthCheckResult.Unhealthy($"the slowest subscriber is {state.LagSeconds:0}s behind (limit {limit:0}s)"));
    }
}
