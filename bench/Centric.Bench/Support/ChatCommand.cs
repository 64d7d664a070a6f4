using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Bench.Platform;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Centric.Bench.Support;

/// <summary>
/// `chat`: concurrent web-chat sessions against a real server over WebSockets. Each session is one visitor with two
/// connections, the one that types and a second device on the same conversation; every message goes through the
/// server's whole path (hub call, rate limiter, ticket write in one transaction, push to the conversation's groups)
/// and its fan-out latency is the time from the send until the other connection hears it. First a single idle
/// session measures the baseline on the same server.
/// </summary>
public static class ChatCommand
{
    private sealed record Session(HubConnection Sender, HubConnection Receiver);

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var sessions = options.GetInt("sessions", 500);
        var seconds = options.GetInt("seconds", 30);
        var intervalMs = options.GetInt("interval-ms", 5000);
        var warmup = options.GetInt("warmup", 30);
        await using var server = await BenchServer.StartOrAttachAsync(options, "chat");
        using var http = server.CreateClient(64);

        var sent = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentBag<double>();
        var errors = 0;

        async Task<Session> OpenAsync()
        {
            using var response = await http.PostAsync(new Uri("/chat/api/visitor", UriKind.Relative), null);
            response.EnsureSuccessStatusCode();
            var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("visitorToken").GetString()!;
            HubConnection Connect() => new HubConnectionBuilder()
                .WithUrl(new Uri(server.BaseUrl, "/chat/hub"), o =>
                {
                    o.Transports = HttpTransportType.WebSockets;
                    o.SkipNegotiation = true;
                    o.AccessTokenProvider = () => Task.FromResult<string?>(token);
                })
                .Build();
            var sender = Connect();
            var receiver = Connect();
            receiver.On<string, JsonElement>("message", (_, m) =>
            {
                if (m.GetProperty("clientMessageId").GetString() is { } id && sent.TryRemove(id, out var started))
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            });
            await sender.StartAsync();
            await receiver.StartAsync();
            return new Session(sender, receiver);
        }

        async Task SendAsync(Session s, string text)
        {
            var id = Guid.NewGuid().ToString("N");
            sent[id] = Stopwatch.GetTimestamp();
            try { await s.Sender.InvokeAsync<JsonElement>("Send", id, text); }
            catch (Exception e) when (e is HubException or InvalidOperationException or TaskCanceledException)
            {
                sent.TryRemove(id, out _);
                Interlocked.Increment(ref errors);
            }
        }

        // Baseline: one session alone, a message every 100 ms.
        var idle = await OpenAsync();
        await SendAsync(idle, "warm-up");
        await Task.Delay(500);
        latencies.Clear();
        for (var i = 0; i < 50; i++)
        {
            await SendAsync(idle, $"idle {i}");
            await Task.Delay(100);
        }
        await Task.Delay(500);
        var baseline = latencies.ToList();
        latencies.Clear();

        var all = new List<Session>(sessions);
        var connectWatch = Stopwatch.StartNew();
        for (var batch = 0; batch < sessions; batch += 50)
            all.AddRange(await Task.WhenAll(Enumerable.Range(0, Math.Min(50, sessions - batch)).Select(_ => OpenAsync())));
        var connectSeconds = connectWatch.Elapsed.TotalSeconds;
        // Each session's first message opens its ticket; the measured phase is the conversation after that.
        await Task.WhenAll(all.Select(s => SendAsync(s, "Hello, I have a question about my order.")));

        async Task ConverseAsync(int forSeconds, string label)
        {
            var until = Stopwatch.GetTimestamp() + (long)(forSeconds * (double)Stopwatch.Frequency);
            await Task.WhenAll(all.Select(async (s, i) =>
            {
                // Sessions start spread over one interval and keep a steady pace, with a little jitter like people typing.
                await Task.Delay(Random.Shared.Next(intervalMs));
                var n = 0;
                while (Stopwatch.GetTimestamp() < until)
                {
                    await SendAsync(s, $"{label} {i} message {n++}: the parcel has not arrived yet, can you check?");
                    await Task.Delay(intervalMs / 2 + Random.Shared.Next(intervalMs));
                }
            }));
            await Task.Delay(2000);
        }

        // Warm-up at the same pace, not measured: the server works off the burst of 500 new tickets (routing, SLA clocks,
        // acknowledgements) and the runtime finishes recompiling hot code, as on a desk that has been open a while.
        if (warmup > 0) await ConverseAsync(warmup, "warm-up");
        latencies.Clear();
        sent.Clear();
        Interlocked.Exchange(ref errors, 0);

        var cpuBefore = server.CpuTime();
        var running = Stopwatch.StartNew();
        await ConverseAsync(seconds, "session");
        var elapsed = running.Elapsed.TotalSeconds;
        var cpu = server.CpuTime() - cpuBefore;
        var measured = latencies.ToList();
        var lost = sent.Count;

        JsonLine.Write(new
        {
            bench = "chat",
            provider = server.Provider,
            sessions,
            connections = sessions * 2 + 2,
            intervalMs,
            seconds,
            warmupSeconds = warmup,
            connectSeconds = Math.Round(connectSeconds, 1),
            messages = measured.Count,
            messagesPerSecond = Math.Round(measured.Count / elapsed, 1),
            errors,
            undelivered = lost,
            fanout = Percentiles.Summary(measured),
            baseline = Percentiles.Summary(baseline),
            p99OverIdleP50 = Math.Round(Percentiles.Of(measured, 99) / Percentiles.Of(baseline, 50), 1),
            serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
        });

        foreach (var s in all.Append(idle))
        {
            await s.Sender.DisposeAsync();
            await s.Receiver.DisposeAsync();
        }
        return 0;
    }
}
