using System.Diagnostics;
using System.Globalization;
using Centric.Bench.Platform;

namespace Centric.Bench.Insights;

/// <summary>
/// `kpis`: the KPI dashboard over --range-days (90) ending today, on the `segments` data (--profiles 1,000,000, --interactions
/// 10,000,000; filled unless the database named by --database holds it). After a fill the server is restarted so the
/// product's own history rollup (KpiHistory, at start) rolls the orders up; the bench waits for it (and for the day rows
/// and customer-day sets a newer build makes from the facts at start) and times it. Then
/// --runs (50) loads, after one warm-up, through `GET /api/v1/insights/kpis` (API key) and the console page
/// `/console/insights` (an analyst signed in with a second factor); client and server (Server-Timing) latency of each.
/// </summary>
internal static class KpisCommand
{
    private static readonly string[] RollupTables =
        ["insights_order_facts", "insights_order_lines", "insights_revenue_adjustments", "insights_cost_drivers", "insights_first_orders", "insights_product_visits"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var profiles = options.GetInt("profiles", 1_000_000);
        var interactions = options.GetInt("interactions", profiles * 10);
        var days = options.GetInt("days", 365);
        var runs = options.GetInt("runs", 50);
        var rangeDays = options.GetInt("range-days", 90);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("kpis measures PostgreSQL: --provider postgres --pg \"Host=...\"");

        await using var server = await BenchServer.StartOrAttachAsync(options, "kpis", InsightsData.QuietServer);
        var connection = server.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        var fillSeconds = await InsightsData.EnsureFilledAsync(connection, profiles, interactions, days);
        var orders = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM customers_interactions WHERE \"Type\" = 'order_placed'");
        double? rollupSeconds = null;
        if (await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_order_facts") < orders)
        {
            // The history is rolled up at start (KpiHistory): a restart is how an operator's upgrade meets an older database.
            var started = Stopwatch.GetTimestamp();
            await server.RestartAsync(new Dictionary<string, string>());
            var limit = TimeSpan.FromSeconds(options.GetInt("rollup-limit", 3600));
            long counted;
            while ((counted = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_order_facts")) < orders)
            {
                if (Stopwatch.GetElapsedTime(started) > limit) throw new TimeoutException($"the history rollup counted {counted} of {orders} orders in {limit}");
                Console.Error.WriteLine($"rollup: {counted:N0} of {orders:N0} orders after {Stopwatch.GetElapsedTime(started).TotalSeconds:F0} s");
                await Task.Delay(TimeSpan.FromSeconds(10));
            }
            rollupSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1);
        }
        // After the orders, the history makes the product views into visits in one statement.
        var visitsStarted = Stopwatch.GetTimestamp();
        double? visitSeconds = null;
        while (await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_product_visits") == 0)
        {
            if (Stopwatch.GetElapsedTime(visitsStarted) > TimeSpan.FromHours(1)) throw new TimeoutException("the product views were not made into visits within an hour");
            await Task.Delay(TimeSpan.FromSeconds(5));
            visitSeconds = Math.Round(Stopwatch.GetElapsedTime(visitsStarted).TotalSeconds, 1);
        }
        // Then the day rows are made from the facts (a server with them; an older build has no such table).
        var daysStarted = Stopwatch.GetTimestamp();
        double? daySeconds = null;
        var withDays = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM pg_class WHERE relname = 'insights_kpi_days'") > 0;
        while (withDays && await InsightsData.ScalarAsync(connection,
            "SELECT (SELECT count(*) FROM insights_order_facts) - (SELECT coalesce(sum(\"Orders\"), 0) FROM insights_kpi_days)") > 0)
        {
            if (Stopwatch.GetElapsedTime(daysStarted) > TimeSpan.FromHours(1)) throw new TimeoutException("the day rows were not made within an hour");
            await Task.Delay(TimeSpan.FromSeconds(2));
            daySeconds = Math.Round(Stopwatch.GetElapsedTime(daysStarted).TotalSeconds, 1);
        }
        // And the customer-day sets, made from the facts at start in one transaction when the database has none.
        var setsStarted = Stopwatch.GetTimestamp();
        double? setSeconds = null;
        var withSets = await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM pg_class WHERE relname = 'insights_customer_days'") > 0;
        while (withSets && await InsightsData.ScalarAsync(connection, "SELECT count(*) FROM insights_customer_days") == 0)
        {
            if (Stopwatch.GetElapsedTime(setsStarted) > TimeSpan.FromHours(1)) throw new TimeoutException("the customer-day sets were not made within an hour");
            await Task.Delay(TimeSpan.FromSeconds(2));
            setSeconds = Math.Round(Stopwatch.GetElapsedTime(setsStarted).TotalSeconds, 1);
        }
        // As autovacuum would soon after the rollup: the planner sees the tables' real sizes.
        // (VACUUM too, so index-only scans need not visit the table; one statement at a time, as VACUUM must run alone.)
        foreach (var table in RollupTables.Concat(withDays ? ["insights_kpi_days"] : []).Concat(withSets ? ["insights_customer_days", "insights_customer_numbers"] : []))
            await InsightsData.ExecuteAsync(connection, $"VACUUM ANALYZE {table}");

        var to = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(1);
        var from = to.AddDays(-rangeDays);
        var query = $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
        var data = new { profiles, interactions, days, orders, rangeDays, from = from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), fillSeconds, rollupSeconds, visitSeconds, daySeconds, setSeconds };

        using var client = server.CreateClient(1);
        // A load that fails (a 500 when a query outlasts the database command timeout) is counted and timed, not retried.
        var failures = new List<string>();
        var api = await TimeAsync(runs, async () =>
        {
            var response = await client.GetAsync(new Uri("/api/v1/insights/kpis?" + query, UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode || !body.Contains("\"revenue\"", StringComparison.Ordinal))
                failures.Add($"{(int)response.StatusCode}: {body[..Math.Min(200, body.Length)]}");
            return response;
        });
        JsonLine.Write(new
        {
            bench = "kpis", surface = "api", path = "/api/v1/insights/kpis?" + query, data, runs, failed = failures.Count, firstFailure = failures.FirstOrDefault(),
            client = Percentiles.Summary(api.Client), server = Percentiles.Summary(api.Server),
        });

        if (!options.Has("no-page"))
        {
            using var analyst = await AnalystSignIn.SignInAsync(server);
            var pageFailures = new List<string>();
            var page = await TimeAsync(runs, async () =>
            {
                // The visitor throws on anything but a 2xx (a redirect to sign-in included).
                try
                {
                    var html = await analyst.OpenAsync("/console/insights?" + query);
                    if (!html.Contains("Revenue", StringComparison.Ordinal)) pageFailures.Add("the KPI page shows no revenue");
                }
                catch (HttpRequestException e) { pageFailures.Add(e.Message); }
                return null;
            });
            JsonLine.Write(new
            {
                bench = "kpis", surface = "console page", path = "/console/insights?" + query, data, runs, failed = pageFailures.Count,
                firstFailure = pageFailures.FirstOrDefault(), client = Percentiles.Summary(page.Client),
            });
        }
        if (server is { Owned: true, NamedDatabase: false, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return 0;
    }

    /// <summary>One warm-up, then <paramref name="runs"/> timed loads one after another.</summary>
    internal static async Task<(List<double> Client, List<double> Server)> TimeAsync(int runs, Func<Task<HttpResponseMessage?>> load)
    {
        (await load())?.Dispose();
        List<double> clientMs = [], serverMs = [];
        for (var i = 0; i < runs; i++)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var response = await load();
            clientMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
            if (response is not null && InsightsData.ServerMs(response) is { } ms) serverMs.Add(ms);
        }
        return (clientMs, serverMs);
    }
}
