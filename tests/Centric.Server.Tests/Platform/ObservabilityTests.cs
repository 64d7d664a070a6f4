using System.Net;
using Centric.Server.Tests.Infrastructure;

namespace Centric.Server.Tests.Platform;

public abstract class ObservabilityTests(string provider)
{
    [SkippableFact]
    public async Task Live_and_ready_probes_answer_and_metrics_are_scraped()
    {
        await using var app = new CentricAppFactory(provider).With("Observability:SampleInterval", "00:00:00.100");
        using var client = app.AdminClient();
        var live = await client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("Healthy", (await live.ReadJsonAsync()).GetProperty("status").GetString());

        var ready = await (await client.GetAsync("/health/ready")).ReadJsonAsync();
        Assert.Equal("Healthy", ready.GetProperty("status").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetString());
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("dispatcher").GetString());

        var metrics = await client.GetStringAsync("/metrics");
        Assert.Contains("centric_outbox_depth", metrics, StringComparison.Ordinal);
        Assert.Contains("centric_webhooks_backlog", metrics, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", metrics, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Ready_fails_while_the_stream_is_further_behind_than_allowed()
    {
        await using var app = new CentricAppFactory(provider)
            .With("Dispatcher:Enabled", "false")
            .With("Observability:SampleInterval", "00:00:00.100")
            .With("Observability:ReadyMaxDispatcherLag", "00:00:00");
        using var client = app.AdminClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);

        // Nothing dispatches, so the event waits in the outbox and the lag grows past the (zero) limit.
        await client.PostEventsAsync(new { id = Json.NewId(), type = "page_viewed", customer = new { email = Json.NewEmail() } });
        await Json.EventuallyAsync(async () => (await client.GetAsync("/health/ready")).StatusCode == HttpStatusCode.ServiceUnavailable,
            "readiness to fail on dispatcher lag");
        // The scrape is cached briefly by the exporter: read until the sampled depth shows.
        var metrics = "";
        await Json.EventuallyAsync(async () =>
        {
            metrics = await client.GetStringAsync("/metrics");
            return System.Text.RegularExpressions.Regex.IsMatch(metrics, @"(?m)^centric_outbox_depth(\{[^}]*\})? [1-9]");
        }, "the outbox depth metric to show the waiting event");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
    }
}

public sealed class ObservabilityOnSqlite() : ObservabilityTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class ObservabilityOnPostgres() : ObservabilityTests("postgres");
