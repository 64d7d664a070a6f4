using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Centric.Bench.Platform;

public sealed record SendResult(double Seconds, List<double> LatenciesMs, long Accepted, long Duplicates, int Failed, string? FirstError);

/// <summary>Sends pre-serialised batches with N concurrent workers, each waiting for its answer before the next.</summary>
public static class BatchSender
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<SendResult> SendAsync(HttpClient client, IReadOnlyList<byte[]> batches, int clients)
    {
        var latencies = new double[batches.Count];
        long accepted = 0, duplicates = 0;
        var failed = 0;
        string? firstError = null;
        var next = -1;
        var started = Stopwatch.GetTimestamp();
        var workers = Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < batches.Count)
            {
                using var content = new ByteArrayContent(batches[i]);
                content.Headers.ContentType = Json;
                var t0 = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync(new Uri("/api/v1/events", UriKind.Relative), content);
                var body = await response.Content.ReadAsByteArrayAsync();
                latencies[i] = Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
                if ((int)response.StatusCode == 202)
                {
                    using var doc = JsonDocument.Parse(body);
                    Interlocked.Add(ref accepted, doc.RootElement.GetProperty("accepted").GetInt64());
                    Interlocked.Add(ref duplicates, doc.RootElement.GetProperty("duplicates").GetInt64());
                }
                else
                {
                    Interlocked.Increment(ref failed);
                    Interlocked.CompareExchange(ref firstError, $"{(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body)}", null);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new SendResult(seconds, [.. latencies], accepted, duplicates, failed, firstError);
    }
}
