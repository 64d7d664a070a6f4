using Centric.Server.Engagement.Messages;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Engagement.Sms;

/// <summary>
/// Sends queued SMS messages through the configured <see cref="ISmsProvider"/>. A batch is claimed first (a conditional update),
/// so of several nodes only one sends a message; a refusal or a network failure leaves it queued with a doubling delay until
/// <see cref="SmsOptions.MaxAttempts"/>, after which it is marked failed (and bounced on the timeline). The provider gets the message's
/// id to drop a repeat after a lost answer.
/// </summary>
public sealed class SmsDelivery(IServiceScopeFactory scopes, IOptionsMonitor<SmsOptions> options, TimeProvider clock, ILogger<SmsDelivery> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.DeliveryEnabled) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var sent = 0;
            try { sent = await SendDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(SmsDelivery)); }
            if (sent == 0)
            {
                try { await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var provider = scope.ServiceProvider.GetRequiredKeyedService<ISmsProvider>(o.Provider);
        var history = scope.ServiceProvider.GetRequiredService<MessageHistory>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.EngagementMessages.AsNoTracking()
            .Where(m => m.Channel == "sms" && m.Status == MessageStatus.Queued && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).Take(20).Select(m => m.Id).ToListAsync(ct);
        if (candidates.Count == 0) return 0;
        var token = Guid.NewGuid();
        var claimedUntil = now + o.RequestTimeout * (candidates.Count + 2);
        await db.EngagementMessages
            .Where(m => candidates.Contains(m.Id) && m.Status == MessageStatus.Queued && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, token).SetProperty(m => m.ClaimedUntil, claimedUntil), ct);
        var claimed = await db.EngagementMessages.Where(m => m.ClaimToken == token).ToListAsync(ct);
        foreach (var message in claimed)
        {
            message.Attempts++;
            var result = await provider.SendAsync(new SmsToSend(message.Id, message.To ?? "", message.Body), ct);
            now = clock.GetUtcNow().UtcDateTime;
            (message.ClaimToken, message.ClaimedUntil) = (null, null);
            if (result.Accepted)
            {
                (message.Status, message.ProviderMessageId, message.FailureReason) = (MessageStatus.Sent, result.ProviderMessageId, null);
            }
            else if (message.Attempts >= o.MaxAttempts)
            {
                await history.BouncedAsync(db, message.Id, result.Error ?? "refused", permanent: false, now, ct);
                message.Status = MessageStatus.Failed;
            }
            else
            {
                message.FailureReason = result.Error;
                message.NextAttemptAt = now + Delay(o, message.Attempts);
            }
            await db.SaveChangesAsync(ct);
        }
        return claimed.Count;
    }

    private static TimeSpan Delay(SmsOptions o, int attempts) =>
        TimeSpan.FromTicks(Math.Min(o.MaxDelay.Ticks, o.FirstRetryDelay.Ticks * (long)Math.Pow(2, Math.Min(attempts - 1, 20))));
}
