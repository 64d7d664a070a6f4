using System.Net;
using System.Text;
using System.Text.Json;
using Centric.Server.Engagement.Messages;
using Centric.Server.Platform.Data;
using Lib.Net.Http.WebPush;
using Lib.Net.Http.WebPush.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WebPushSubscription = Lib.Net.Http.WebPush.PushSubscription;

namespace Centric.Server.Engagement.Push;

/// <summary>
/// Sends queued push messages to the customers' devices through their push services (Web Push with VAPID, the payload
/// encrypted for the browser, RFC 8291). A batch of deliveries is claimed first (a conditional update), so of several nodes only
/// one sends each. A device the push service calls gone (404, 410) is removed; a busy or failing push service is tried again
/// with a doubling delay, up to <see cref="PushOptions.MaxAttempts"/>. The message is delivered when the first device took it.
/// </summary>
public sealed class PushSender(IServiceScopeFactory scopes, IHttpClientFactory http, VapidKeys keys, IOptionsMonitor<PushOptions> options,
    TimeProvider clock, ILogger<PushSender> logger) : BackgroundService
{
    public const string HttpClientName = "push";

    /// <summary>What a push service keeps in one message: the payload must fit one 4 KB record with the encryption's overhead.</summary>
    private const int MaxPayloadBytes = 3_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.DeliveryEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try { sent = await SendDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(PushSender)); }
            if (sent == 0)
            {
                try { await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims and sends the deliveries that are due; how many it worked.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var history = scope.ServiceProvider.GetRequiredService<MessageHistory>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.PushDeliveries.AsNoTracking()
            .Where(d => d.Status == PushDeliveryStatus.Queued && d.NextAttemptAt <= now && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .OrderBy(d => d.NextAttemptAt).Take(20).Select(d => d.Id).ToListAsync(ct);
        if (candidates.Count == 0) return 0;
        var token = Guid.NewGuid();
        var claimedUntil = now + o.RequestTimeout * (candidates.Count + 2);
        await db.PushDeliveries
            .Where(d => candidates.Contains(d.Id) && d.Status == PushDeliveryStatus.Queued && (d.ClaimedUntil == null || d.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedUntil, claimedUntil), ct);
        var claimed = await db.PushDeliveries.Where(d => d.ClaimToken == token).OrderBy(d => d.NextAttemptAt).ToListAsync(ct);
        if (claimed.Count == 0) return 0;

        var vapid = await keys.GetAsync(ct);
        using var authentication = new VapidAuthentication(vapid.PublicKey, vapid.PrivateKey) { Subject = vapid.Subject };
        var client = new PushServiceClient(http.CreateClient(HttpClientName))
        {
            DefaultAuthentication = authentication,
            // RFC 8292's "vapid t=…, k=…" rather than the library's default, the drafts' WebPush and Crypto-Key headers.
            DefaultAuthenticationScheme = VapidAuthenticationScheme.Vapid,
            // A busy push service's Retry-After is honoured by the queue's own delay, not by holding this batch.
            AutoRetryAfter = false,
            DefaultTimeToLive = (int)o.TimeToLive.TotalSeconds,
        };
        foreach (var delivery in claimed)
        {
            await SendAsync(db, history, client, delivery, o, ct);
            await db.SaveChangesAsync(ct);
        }
        return claimed.Count;
    }

    private async Task SendAsync(CentricDbContext db, MessageHistory history, PushServiceClient client, PushDelivery delivery, PushOptions o, CancellationToken ct)
    {
        (delivery.ClaimToken, delivery.ClaimedUntil) = (null, null);
        var message = await db.EngagementMessages.FirstOrDefaultAsync(m => m.Id == delivery.MessageId, ct);
        var subscription = await db.PushSubscriptions.FirstOrDefaultAsync(s => s.Id == delivery.SubscriptionId, ct);
        // The device was removed, or the customer erased (their messages failed and emptied), since it was queued.
        if (message is null || subscription is null || message.Status is MessageStatus.Failed or MessageStatus.Bounced)
        {
            delivery.Status = PushDeliveryStatus.Cancelled;
            if (message is not null) await SettleAsync(db, history, message, delivery, ct);
            return;
        }

        delivery.Attempts++;
        var (status, error) = await PostAsync(client, subscription, message, delivery, o, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        if (status is >= 200 and < 300)
        {
            (delivery.Status, delivery.SentAt, delivery.LastError) = (PushDeliveryStatus.Sent, now, null);
            subscription.LastSuccessAt = now;
            await history.DeliveredAsync(db, message.Id, now, ct);
            return;
        }
        delivery.LastError = error;
        EngagementLog.PushRefused(logger, delivery.Id, delivery.Attempts, error);
        if (status is (int)HttpStatusCode.NotFound or (int)HttpStatusCode.Gone)
        {
            // The browser unsubscribed, or the push service let the subscription lapse: nothing will ever reach it again.
            EngagementLog.PushSubscriptionExpired(logger, subscription.Id, status.Value);
            delivery.Status = PushDeliveryStatus.Expired;
            db.PushSubscriptions.Remove(subscription);
            foreach (var other in await db.PushDeliveries.Where(d => d.SubscriptionId == subscription.Id && d.Id != delivery.Id
                         && d.Status == PushDeliveryStatus.Queued && (d.ClaimedUntil == null || d.ClaimedUntil < now)).ToListAsync(ct))
                other.Status = PushDeliveryStatus.Cancelled;
        }
        else if (Permanent(status) || delivery.Attempts >= o.MaxAttempts)
        {
            delivery.Status = PushDeliveryStatus.Failed;
        }
        else
        {
            delivery.NextAttemptAt = now + Delay(o, delivery.Attempts);
            return;
        }
        await SettleAsync(db, history, message, delivery, ct);
    }

    /// <summary>
    /// The push service's answer to one delivery: its status code (null when none came: a network failure or a timeout) and,
    /// when it refused, why. The Topic is the delivery's id, so a repeat after a lost answer replaces the first copy while the
    /// push service still holds it, and the notification's tag is the message's, so a device shows a message once.
    /// </summary>
    private static async Task<(int? Status, string Error)> PostAsync(PushServiceClient client, PushSubscription subscription, EngagementMessage message,
        PushDelivery delivery, PushOptions o, CancellationToken ct)
    {
        var target = new WebPushSubscription { Endpoint = subscription.Endpoint };
        target.SetKey(PushEncryptionKeyName.P256DH, subscription.P256dh);
        target.SetKey(PushEncryptionKeyName.Auth, subscription.Auth);
        var push = new PushMessage(Payload(message)) { Topic = delivery.Id.ToString("N"), Urgency = PushMessageUrgency.Normal };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(o.RequestTimeout);
        try
        {
            await client.RequestPushMessageDeliveryAsync(target, push, timeout.Token);
            return (201, "");
        }
        catch (PushServiceClientException e)
        {
            var words = $"HTTP {(int)e.StatusCode}" + (string.IsNullOrWhiteSpace(e.Body) ? "" : ": " + e.Body.Trim());
            return ((int)e.StatusCode, words.Length > 300 ? words[..300] : words);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (null, e.Message.Length > 300 ? e.Message[..300] : e.Message);
        }
    }

    /// <summary>What the service worker shows: the title, the words, and the page a click opens (the message's link).</summary>
    public static string Payload(EngagementMessage message)
    {
        var url = message.Link is { Length: > 0 } link && Encoding.UTF8.GetByteCount(link) <= 1000 ? link : "/";
        var body = message.Body;
        while (true)
        {
            var json = JsonSerializer.Serialize(new { title = Cut(message.Subject, 200), body, url, tag = message.Id.ToString("N") }, JsonSerializerOptions.Web);
            if (Encoding.UTF8.GetByteCount(json) <= MaxPayloadBytes) return json;
            body = Cut(body, body.Length * 3 / 4);
        }
    }

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..Math.Max(0, max - 1)].TrimEnd() + "…";

    /// <summary>A refusal that the same message would get again: anything 4xx but a timeout, too early or too many.</summary>
    private static bool Permanent(int? status) => status is >= 400 and < 500 and not (408 or 425 or 429);

    /// <summary>
    /// When no delivery of the message is left to try and none reached a device, the message failed: bounced for good when
    /// every device had gone, else failed after the push services kept refusing.
    /// </summary>
    private async Task SettleAsync(CentricDbContext db, MessageHistory history, EngagementMessage message, PushDelivery finished, CancellationToken ct)
    {
        if (message.DeliveredAt is not null || message.Status != MessageStatus.Queued) return;
        var others = await db.PushDeliveries.Where(d => d.MessageId == message.Id && d.Id != finished.Id).Select(d => d.Status).ToListAsync(ct);
        var all = others.Append(finished.Status).ToList();
        if (all.Any(s => s is PushDeliveryStatus.Queued or PushDeliveryStatus.Sent)) return;
        var failed = all.Contains(PushDeliveryStatus.Failed);
        var now = clock.GetUtcNow().UtcDateTime;
        await history.BouncedAsync(db, message.Id, failed ? finished.LastError ?? "the push service refused it" : "no device takes push notifications any more",
            permanent: !failed, now, ct);
        if (failed) message.Status = MessageStatus.Failed;
    }

    private static TimeSpan Delay(PushOptions o, int attempts) =>
        TimeSpan.FromTicks(Math.Min(o.MaxDelay.Ticks, o.FirstRetryDelay.Ticks * (long)Math.Pow(2, Math.Min(attempts - 1, 20))));
}
