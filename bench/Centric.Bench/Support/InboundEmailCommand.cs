using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Centric.Bench.Platform;

namespace Centric.Bench.Support;

/// <summary>
/// `inbound-email`: signed inbound-email webhooks → tickets per second. A mix of first mails (a new sender: identity
/// resolution, a new profile, a new ticket) and replies that thread into an earlier mail's ticket by In-Reply-To
/// (<c>--reply-share</c>, 0.5). Each request is signed like a mail service would sign it. The baseline, on the same server
/// in the same run and at the same concurrency, is the same requests with a wrong signature: HTTP, body read and the HMAC
/// check, then 401 and nothing stored — the floor under the webhook.
/// </summary>
public static class InboundEmailCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var count = options.GetInt("emails", 6000);
        var concurrency = options.GetInt("concurrency", 16);
        var replyShare = double.Parse(options.Get("reply-share", "0.5"), CultureInfo.InvariantCulture);
        await using var server = await BenchServer.StartOrAttachAsync(options, "mail");
        var secret = options.Get("secret", BenchServer.SupportInboundSecret);
        using var http = server.CreateClient(concurrency);
        var run = Guid.NewGuid().ToString("N")[..8];

        // Earlier mails that replies can answer; a reply names one of them in In-Reply-To.
        var sent = new List<string>();
        var random = new Random(options.GetInt("seed", 11));
        string Email(int i, bool stored)
        {
            string? inReplyTo = null;
            var id = $"<{run}.{i}@mail.example>";
            bool reply;
            lock (sent)
            {
                reply = sent.Count > 50 && random.NextDouble() < replyShare;
                if (reply) inReplyTo = sent[random.Next(sent.Count)];
                // Only mails the server stores can be replied to (the baseline's are refused).
                else if (stored) sent.Add(id);
            }
            var sender = reply ? SenderOf(inReplyTo!) : $"customer.{run}.{i}@example.com";
            return JsonSerializer.Serialize(new
            {
                from = $"Customer {i} <{sender}>", to = "help@shop.example",
                subject = reply ? "Re: Where is my parcel?" : $"Where is my parcel? ({i})",
                text = $"Hello, my order {i} has not arrived yet. Could you check with the carrier please? Thanks.",
                messageId = id, inReplyTo,
            }, JsonSerializerOptions.Web);
        }
        // The sender of a mail is recoverable from its id, so a reply comes from the same person.
        static string SenderOf(string messageId)
        {
            var inner = messageId.Trim('<', '>');
            var parts = inner[..inner.IndexOf('@', StringComparison.Ordinal)].Split('.');
            return $"customer.{parts[0]}.{parts[1]}@example.com";
        }

        async Task<(List<double> Latencies, int Ok, int Created, int Failed, double Seconds)> SendAsync(int from, int n, bool signCorrectly)
        {
            var latencies = new ConcurrentBag<double>();
            int ok = 0, created = 0, failed = 0, next = from - 1;
            var watch = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
            {
                for (var i = Interlocked.Increment(ref next); i < from + n; i = Interlocked.Increment(ref next))
                {
                    var body = Email(i, signCorrectly);
                    using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/support/inbound/email", UriKind.Relative))
                    {
                        Content = new StringContent(body, Encoding.UTF8, "application/json"),
                    };
                    request.Headers.Add("Support-Signature", Sign(signCorrectly ? secret : "not-the-secret-0123456789", body));
                    var started = Stopwatch.GetTimestamp();
                    using var response = await http.SendAsync(request);
                    var text = await response.Content.ReadAsStringAsync();
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (response.IsSuccessStatusCode)
                    {
                        Interlocked.Increment(ref ok);
                        if (text.Contains("\"created\":true", StringComparison.Ordinal)) Interlocked.Increment(ref created);
                    }
                    else if (signCorrectly || (int)response.StatusCode != 401) Interlocked.Increment(ref failed);
                }
            }));
            return ([.. latencies], ok, created, failed, watch.Elapsed.TotalSeconds);
        }

        await SendAsync(1_000_000, 300, signCorrectly: true); // warm-up, and earlier mails to reply to
        var floor = await SendAsync(2_000_000, count, signCorrectly: false);
        var cpuBefore = server.CpuTime();
        var measured = await SendAsync(0, count, signCorrectly: true);
        var cpu = server.CpuTime() - cpuBefore;

        var perSecond = measured.Ok / measured.Seconds;
        var floorPerSecond = count / floor.Seconds;
        JsonLine.Write(new
        {
            bench = "inbound-email",
            provider = server.Provider,
            emails = count,
            concurrency,
            replyShare,
            accepted = measured.Ok,
            newTickets = measured.Created,
            threadedReplies = measured.Ok - measured.Created,
            failed = measured.Failed + floor.Failed,
            emailsPerSecond = Math.Round(perSecond, 1),
            latency = Percentiles.Summary(measured.Latencies),
            baselineRejectedPerSecond = Math.Round(floorPerSecond, 1),
            baselineLatency = Percentiles.Summary(floor.Latencies),
            ratioToBaseline = Math.Round(perSecond / floorPerSecond, 3),
            serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
        });
        return 0;
    }

    private static string Sign(string secret, string body)
    {
        var t = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + body));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }
}
