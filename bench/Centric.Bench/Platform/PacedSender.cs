using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Centric.Bench.Platform;

/// <summary>
/// Sends pre-serialised batches at a steady pace: batch i leaves at i / <c>batchesPerSecond</c> seconds (or as soon as one of
/// <c>clients</c> connections is free, when the server falls behind), so the offered rate is fixed rather than as fast as possible.
/// </summary>
public static class PacedSender
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static async Task<SendResult> SendAsync(HttpClient client, IReadOnlyList<byte[]> batches, int clients, double batchesPerSecond)
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
                var due = TimeSpan.FromSeconds(i / batchesPerSecond) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero) await Task.Delay(due);
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
        return new SendResult(Stopwatch.GetElapsedTime(started).TotalSeconds, [.. latencies], accepted, duplicates, failed, firstError);
    }
}
