using System.Diagnostics;
using System.Text.RegularExpressions;
using Centric.Bench.Platform;

namespace Centric.Bench.Insights;

/// <summary>
/// `scoring`: scoring every customer (churn risk, CLV, P(alive), RFM, value decile, sentiment) on the `segments` data, through
/// the product's own command: `centric models train --kind churn` once, then `--kind clv` --runs (3) times; each training
/// that succeeds is followed by ProfileScoring.ScoreAllAsync over every customer with an order, which is what is timed (from
/// the line that reports the training's outcome to "Scored N customers."). The server is stopped meanwhile, so the command
/// has the machine to itself.
/// </summary>
internal static partial class ScoringCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var profiles = options.GetInt("profiles", 1_000_000);
        var interactions = options.GetInt("interactions", profiles * 10);
        var days = options.GetInt("days", 365);
        var runs = options.GetInt("runs", 3);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("scoring measures PostgreSQL: --provider postgres --pg \"Host=...\"");

        await using var server = await BenchServer.StartOrAttachAsync(options, "scoring", InsightsData.QuietServer);
        var connection = server.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        var fillSeconds = await InsightsData.EnsureFilledAsync(connection, profiles, interactions, days);
        await server.StopAsync();

        var kinds = new List<string>();
        if (options.Has("no-churn") is false) kinds.Add("churn");
        kinds.AddRange(Enumerable.Repeat("clv", runs));
        var failed = false;
        foreach (var kind in kinds)
        {
            var started = Stopwatch.GetTimestamp();
            double? trainedAt = null, scoredAt = null;
            var scored = 0;
            double? productSeconds = null;
            var lines = new List<string>();
            var code = await server.RunCommandAsync(["models", "train", "--kind", kind], line =>
            {
                var now = Stopwatch.GetElapsedTime(started).TotalSeconds;
                lock (lines)
                {
                    lines.Add(line);
                    if (Scored().Match(line) is { Success: true } m)
                    {
                        scoredAt = now;
                        scored = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                        productSeconds = double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
                    }
                    // The outcome is the first line after the progress lines ("clv  100%  ..."); log lines (JSON or "warn: ...")
                    // the server writes meanwhile are not it.
                    else if (trainedAt is null && !line.Contains('%', StringComparison.Ordinal) && line.Length > 0
                             && !line.StartsWith("warn", StringComparison.Ordinal) && !line.StartsWith('{')) trainedAt = now;
                }
            });
            failed |= code != 0 || scoredAt is null;
            JsonLine.Write(new
            {
                bench = "scoring", kind, profiles, interactions, fillSeconds, exitCode = code, customersScored = scored,
                trainSeconds = trainedAt is { } t ? Math.Round(t, 1) : (double?)null,
                scoreAllSeconds = scoredAt is { } s && trainedAt is { } t2 ? Math.Round(s - t2, 1) : (double?)null,
                // The product's own account of the scoring (read + score + save), from its "Scored N customers in X s" line.
                scoreAllProductSeconds = productSeconds,
                totalSeconds = Math.Round(Stopwatch.GetElapsedTime(started).TotalSeconds, 1),
                output = code != 0 || scoredAt is null ? lines.TakeLast(20) : lines.Where(l => !l.Contains('%', StringComparison.Ordinal)),
            });
        }
        if (server is { NamedDatabase: false, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return failed ? 1 : 0;
    }

    [GeneratedRegex(@"Scored (\d+) customers in ([0-9.]+) s")]
    private static partial Regex Scored();
}
