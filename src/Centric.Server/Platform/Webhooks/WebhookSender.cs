using System.Diagnostics;
using System.Text;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Platform.Webhooks;

public sealed class WebhookOptions
{
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>First retry delay; doubles per attempt up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan FirstRetryDelay { get; set; } = TimeSpan.FromSeconds(30);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromHours(1);
    /// <summary>A delivery is given up this long after it was created.</summary>
    public TimeSpan GiveUpAfter { get; set; } = TimeSpan.FromHours(24);
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);
    public int BatchSize { get; set; } = 20;
    public bool Enabled { get; set; } = true;
    /// <summary>Lets subscriptions point at loopback, private and link-local addresses (receivers on an internal network). Off by default.</summary>
    public bool AllowPrivateNetworks { get; set; }
}

/// <summary>Sends due deliveries. Each is claimed first, so two nodes never send the same one at once.</summary>
public sealed class WebhookSender(IServiceScopeFactory scopes, IHttpClientFactory http, IOptions<WebhookOptions> options,
    TimeProvider clock, ILogger<WebhookSender> logger) : BackgroundService
{
    public const string HttpClientName = "webhooks";
    public const string SignatureHeader = "Centric-Signature";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try { sent = await SendDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Log.WorkerFailed(logger, e, nameof(WebhookSender)); }
            if (sent == 0)
            {
                try { await Task.Delay(options.Value.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims and sends one batch of due deliveries; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var o = options.Value;

        var candidates = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Take(o.BatchSize).Select(d => d.Id).ToListAsync(ct);
        if (candidates.Count == 0) return 0;

        // The claim re-checks the condition row by row, so of two nodes racing for a delivery only one wins it.
        var token = Guid.NewGuid();
        var claimedUntil = now + o.RequestTimeout * 3;
        await db.WebhookDeliveries
            .Where(d => candidates.Contains(d.Id) && d.Status == WebhookDeliveryStatus.Pending && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedUntil, claimedUntil), ct);
        var claimed = await db.WebhookDeliveries.Where(d => d.ClaimToken == token).ToListAsync(ct);
        var subscriptionIds = claimed.Select(d => d.SubscriptionId).Distinct().ToList();
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, ct);

        foreach (var delivery in claimed)
        {
            subscriptions.TryGetValue(delivery.SubscriptionId, out var subscription);
            await AttemptAsync(db, delivery, subscription, ct);
        }
        await db.SaveChangesAsync(ct);
        return claimed.Count;
    }

    private async Task AttemptAsync(CentricDbContext db, WebhookDelivery delivery, WebhookSubscription? subscription, CancellationToken ct)
    {
        var o = options.Value;
        var started = clock.GetUtcNow();
        delivery.Attempts++;
        var attempt = new WebhookAttempt { DeliveryId = delivery.Id, Number = delivery.Attempts, At = started.UtcDateTime };
        var stopwatch = Stopwatch.StartNew();
        var ok = false;
        if (subscription is null || !subscription.Active)
        {
            attempt.Error = "subscription removed or paused";
        }
        else
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Url)
                {
                    Content = new StringContent(delivery.Payload, Encoding.UTF8, "application/json"),
                };
                request.Headers.Add(WebhookSender.SignatureHeader, Signing.HmacSignature.Sign(subscription.Secret, started.ToUnixTimeSeconds(), delivery.Payload));
                request.Headers.Add("Centric-Delivery-Id", delivery.Id.ToString());
                request.Headers.Add("Centric-Event-Id", delivery.InteractionId.ToString());
                request.Headers.Add("Centric-Event-Type", delivery.EventType);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(o.RequestTimeout);
                using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
                attempt.StatusCode = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(timeout.Token);
                attempt.ResponseSnippet = body.Length > 500 ? body[..500] : body;
                ok = response.IsSuccessStatusCode;
                Log.WebhookAttempt(logger, delivery.Id, delivery.Attempts, attempt.StatusCode.Value);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                attempt.Error = e.Message.Length > 500 ? e.Message[..500] : e.Message;
                Log.WebhookAttemptFailed(logger, delivery.Id, delivery.Attempts, attempt.Error);
            }
        }
        attempt.DurationMs = (int)stopwatch.ElapsedMilliseconds;
        db.WebhookAttempts.Add(attempt);

        var now = clock.GetUtcNow().UtcDateTime;
        delivery.LastStatusCode = attempt.StatusCode;
        delivery.LastError = attempt.Error;
        delivery.ClaimToken = null;
        delivery.ClaimedUntil = null;
        if (ok)
        {
            delivery.Status = WebhookDeliveryStatus.Delivered;
            delivery.DeliveredAt = now;
            return;
        }
        var next = now + RetryDelay(delivery.Attempts);
        if (next > delivery.CreatedAt + o.GiveUpAfter) delivery.Status = WebhookDeliveryStatus.Failed;
        else delivery.NextAttemptAt = next;
    }

    /// <summary>30 s, 1 min, 2 min, … capped at an hour: about 30 attempts across the 24-hour window.</summary>
    public TimeSpan RetryDelay(int attempts)
    {
        var o = options.Value;
        var factor = Math.Pow(2, Math.Min(attempts - 1, 20));
        return TimeSpan.FromTicks((long)Math.Min(o.FirstRetryDelay.Ticks * factor, o.MaxDelay.Ticks));
    }
}
