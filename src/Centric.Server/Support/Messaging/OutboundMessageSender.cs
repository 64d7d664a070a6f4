using System.Text;
using System.Text.Json;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Messaging;

/// <summary>
/// Sends queued replies to the messaging provider: POST JSON signed like every Centric webhook, retried with a doubling delay
/// up to <see cref="MessagingOptions.MaxAttempts"/>. Each batch is claimed first, so two nodes never send the same reply at once;
/// the provider gets the reply's id (header Support-Message-Id and field "id") to drop a repeat after a lost answer.
/// </summary>
public sealed class OutboundMessageSender(IServiceScopeFactory scopes, IHttpClientFactory http, IOptionsMonitor<MessagingOptions> options,
    TimeProvider clock, ILogger<OutboundMessageSender> logger) : BackgroundService
{
    public const string HttpClientName = "support-messaging";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.SenderEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try { sent = await SendDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(OutboundMessageSender)); }
            if (sent == 0)
            {
                try { await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims and sends one batch of due replies; returns how many were attempted.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        if (o.OutboundUrl is null) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.OutboundMessages.AsNoTracking()
            .Where(m => m.Status == OutboundStatus.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).Take(20).Select(m => m.Id).ToListAsync(ct);
        if (candidates.Count == 0) return 0;

        // The claim re-checks the condition row by row, so of two nodes racing for a reply only one wins it.
        var token = Guid.NewGuid();
        var claimedUntil = now + o.RequestTimeout * 3;
        await db.OutboundMessages
            .Where(m => candidates.Contains(m.Id) && m.Status == OutboundStatus.Pending && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, token).SetProperty(m => m.ClaimedUntil, claimedUntil), ct);
        var claimed = await db.OutboundMessages.Where(m => m.ClaimToken == token).ToListAsync(ct);
        foreach (var message in claimed) await AttemptAsync(message, o, ct);
        await db.SaveChangesAsync(ct);
        return claimed.Count;
    }

    private async Task AttemptAsync(OutboundMessage message, MessagingOptions o, CancellationToken ct)
    {
        message.Attempts++;
        var body = JsonSerializer.Serialize(new
        {
            id = message.TicketMessageId, channel = message.Channel, to = message.To, text = message.Text, reference = message.TicketNumber,
        }, JsonSerializerOptions.Web);
        var ok = false;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, o.OutboundUrl) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (o.OutboundSecret is { } secret)
                request.Headers.Add(Email.EmailChannel.SignatureHeader, HmacSignature.Sign(secret, clock.GetUtcNow().ToUnixTimeSeconds(), body));
            request.Headers.Add("Support-Message-Id", message.TicketMessageId.ToString());
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(o.RequestTimeout);
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, timeout.Token);
            message.LastStatusCode = (int)response.StatusCode;
            message.LastError = response.IsSuccessStatusCode ? null : $"HTTP {(int)response.StatusCode}";
            ok = response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            message.LastError = e.Message.Length > 500 ? e.Message[..500] : e.Message;
        }
        Log.OutboundAttempt(logger, message.Id, message.Attempts, message.LastStatusCode ?? 0);
        var now = clock.GetUtcNow().UtcDateTime;
        message.ClaimToken = null;
        message.ClaimedUntil = null;
        if (ok)
        {
            message.Status = OutboundStatus.Sent;
            message.SentAt = now;
        }
        else if (message.Attempts >= o.MaxAttempts) message.Status = OutboundStatus.Failed;
        else message.NextAttemptAt = now + Delay(o, message.Attempts);
    }

    private static TimeSpan Delay(MessagingOptions o, int attempts) =>
        TimeSpan.FromTicks(Math.Min(o.MaxDelay.Ticks, o.FirstRetryDelay.Ticks * (long)Math.Pow(2, Math.Min(attempts - 1, 20))));
}

internal static partial class Log
{
    [LoggerMessage(EventId = 5401, Level = LogLevel.Debug, Message = "Outbound message {Id} attempt {Attempt}: HTTP {Status}")]
    public static partial void OutboundAttempt(ILogger logger, Guid id, int attempt, int status);
}
