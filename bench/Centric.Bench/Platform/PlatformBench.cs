namespace Centric.Bench.Platform;

/// <summary>
/// Speed of the platform itself, against a real server over loopback HTTP:
/// `ingest` (events API throughput, PostgreSQL COPY ceiling) and `timeline` (customer 360 timeline latency).
/// </summary>
public static class PlatformBench
{
    public static Task<int> RunAsync(string command, BenchOptions options) => command switch
    {
        "ingest" => IngestCommand.RunAsync(options),
        "timeline" => TimelineCommand.RunAsync(options),
        _ => throw new ArgumentException($"unknown platform bench '{command}'", nameof(command)),
    };
}
