using System.Collections.Concurrent;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Centric.Server.Platform.Data;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MimeKit;

namespace Centric.Server.Platform.Mail;

/// <summary>
/// Sends the mail outbox through the SMTP relay of <see cref="SmtpOptions"/>. Each round claims a batch of due messages (a
/// conditional update, so of several nodes only one wins a message), sends them on one connection, and marks each one sent in
/// its own SaveChanges the moment the relay accepts it. A refusal or a dropped connection leaves the message pending with a
/// doubling delay; it is never dropped, only marked failed after the last attempt.
/// <para>
/// The one window left is a crash between the relay's "250 accepted" and the mark: the claim then runs out and the message goes
/// again, with the same Message-Id (<c>&lt;mail id@sender domain&gt;</c>), which receiving systems use to drop the copy. A mark that
/// fails without a crash (the database briefly away) is remembered by the node, which never sends that message again.
/// </para>
/// </summary>
public sealed class SmtpDelivery(IServiceScopeFactory scopes, IOptionsMonitor<SmtpOptions> options, IEnumerable<IMailDeliveryListener> listeners,
    TimeProvider clock, ILogger<SmtpDelivery> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<Guid, DateTime> _acceptedButUnmarked = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.DeliveryEnabled || !options.CurrentValue.Configured) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            var attempted = 0;
            try { attempted = await SendDueAsync(stoppingToken); }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Log.WorkerFailed(logger, e, nameof(SmtpDelivery)); }
            if (attempted == 0)
            {
                try { await Task.Delay(options.CurrentValue.PollInterval, clock, stoppingToken); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>Claims one batch of due messages and tries each once; returns how many were tried.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var o = options.CurrentValue;
        if (!o.Configured) return 0;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        await RetryMarksAsync(db, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.Mail.AsNoTracking()
            .Where(m => m.Delivery == MailDelivery.Pending && m.NextAttemptAt <= now && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .OrderBy(m => m.NextAttemptAt).Take(o.BatchSize).Select(m => m.Id).ToListAsync(ct);
        candidates.RemoveAll(_acceptedButUnmarked.ContainsKey);
        if (candidates.Count == 0) return 0;

        // The claim re-checks the condition row by row, so of two nodes racing for a message only one wins it. It lasts long enough
        // for the whole batch to time out one by one.
        var token = Guid.NewGuid();
        var claimedUntil = now + o.Timeout * (candidates.Count + 2);
        await db.Mail.Where(m => candidates.Contains(m.Id) && m.Delivery == MailDelivery.Pending && (m.ClaimedUntil == null || m.ClaimedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ClaimToken, token).SetProperty(m => m.ClaimedUntil, claimedUntil), ct);
        var claimed = await db.Mail.Where(m => m.ClaimToken == token).OrderBy(m => m.NextAttemptAt).ToListAsync(ct);
        if (claimed.Count == 0) return 0;

        using var client = new SmtpClient { Timeout = (int)o.Timeout.TotalMilliseconds, ServerCertificateValidationCallback = (_, c, _, e) => Trusted(o, c, e) };
        string? connectError = null;
        try { await ConnectAsync(client, o, ct); }
        catch (Exception e) when (IsDeliveryFailure(e, ct)) { connectError = Describe(e); }
        foreach (var mail in claimed)
        {
            mail.Attempts++;
            string? error = connectError;
            if (error is null)
            {
                try
                {
                    if (!client.IsConnected) await ConnectAsync(client, o, ct);
                    await client.SendAsync(Mime(mail, o), ct);
                }
                catch (Exception e) when (IsDeliveryFailure(e, ct)) { error = Describe(e); }
            }
            if (error is null) await MarkSentAsync(db, mail, ct);
            else await MarkFailedAttemptAsync(db, mail, o, error, ct);
        }
        if (client.IsConnected)
        {
            try { await client.DisconnectAsync(true, ct); }
            catch (Exception e) when (IsDeliveryFailure(e, ct)) { /* the messages are marked already; a rude goodbye changes nothing */ }
        }
        return claimed.Count;
    }

    private async Task MarkSentAsync(CentricDbContext db, MailMessage mail, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Log.MailSent(logger, mail.Id, mail.Attempts);
        (mail.Delivery, mail.SentAt, mail.LastError, mail.ClaimToken, mail.ClaimedUntil) = (MailDelivery.Sent, now, null, null, null);
        try
        {
            foreach (var listener in listeners) await listener.SentAsync(db, mail.Id, now, ct);
            await db.SaveChangesAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
        {
            // The relay has it: this node must not send it again, whatever the database says; the mark is tried again next round.
            _acceptedButUnmarked[mail.Id] = now;
            Log.MailMarkFailed(logger, e, mail.Id);
            db.ChangeTracker.Clear();
        }
    }

    private async Task MarkFailedAttemptAsync(CentricDbContext db, MailMessage mail, SmtpOptions o, string error, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        Log.MailAttemptFailed(logger, mail.Id, mail.Attempts, error);
        (mail.LastError, mail.ClaimToken, mail.ClaimedUntil) = (error.Length > 500 ? error[..500] : error, null, null);
        if (mail.Attempts >= o.MaxAttempts)
        {
            mail.Delivery = MailDelivery.Failed;
            foreach (var listener in listeners) await listener.FailedAsync(db, mail.Id, now, mail.LastError, ct);
        }
        else mail.NextAttemptAt = now + Delay(o, mail.Attempts);
        await db.SaveChangesAsync(ct);
    }

    private async Task RetryMarksAsync(CentricDbContext db, CancellationToken ct)
    {
        foreach (var (id, at) in _acceptedButUnmarked.ToArray())
        {
            try
            {
                if (await db.Mail.FirstOrDefaultAsync(m => m.Id == id, ct) is { } mail && mail.Delivery != MailDelivery.Sent)
                {
                    (mail.Delivery, mail.SentAt, mail.LastError, mail.ClaimToken, mail.ClaimedUntil) = (MailDelivery.Sent, at, null, null, null);
                    foreach (var listener in listeners) await listener.SentAsync(db, id, at, ct);
                    await db.SaveChangesAsync(ct);
                }
                _acceptedButUnmarked.TryRemove(id, out _);
            }
            catch (Exception e) when (e is DbUpdateException or InvalidOperationException or TimeoutException)
            {
                db.ChangeTracker.Clear();
                return;
            }
        }
    }

    private static async Task ConnectAsync(SmtpClient client, SmtpOptions o, CancellationToken ct)
    {
        var security = o.Security switch
        {
            "ssl" => SecureSocketOptions.SslOnConnect,
            "none" => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(o.Host!, o.Port, security, ct);
        if (!string.IsNullOrEmpty(o.User)) await client.AuthenticateAsync(o.User, o.Password ?? "", ct);
    }

    /// <summary>The message as it goes out. Its Message-Id is fixed by the mail's id, so a second copy after a crash is recognisably the same message.</summary>
    public static MimeMessage Mime(MailMessage mail, SmtpOptions o)
    {
        var from = MailboxAddress.Parse(o.From);
        var message = new MimeMessage { Subject = mail.Subject, Date = new DateTimeOffset(DateTime.SpecifyKind(mail.CreatedAt, DateTimeKind.Utc)) };
        message.From.Add(from);
        message.To.Add(MailboxAddress.Parse(mail.To));
        message.MessageId = $"{mail.Id:N}@{(from.Domain is { Length: > 0 } d ? d : "centric.local")}";
        if (mail.Headers is { } json)
            foreach (var (name, value) in JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [])
                message.Headers.Add(name, value);
        message.Body = new BodyBuilder { HtmlBody = mail.HtmlBody }.ToMessageBody();
        return message;
    }

    /// <summary>The mail id a Message-Id names (<c>&lt;id@domain&gt;</c>, with or without the brackets), or null.</summary>
    public static Guid? MailIdOf(string? messageId)
    {
        var local = messageId?.Trim().TrimStart('<').TrimEnd('>').Split('@')[0];
        return Guid.TryParseExact(local, "N", out var id) || Guid.TryParse(local, out id) ? id : null;
    }

    private static bool Trusted(SmtpOptions o, X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None) return true;
        if (certificate is null || string.IsNullOrWhiteSpace(o.CertificateThumbprint)) return false;
        var thumbprint = certificate.GetCertHashString(HashAlgorithmName.SHA256);
        return string.Equals(thumbprint, o.CertificateThumbprint.Replace(":", "", StringComparison.Ordinal).Trim(), StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsDeliveryFailure(Exception e, CancellationToken ct) =>
        e is SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or AuthenticationException or SslHandshakeException or IOException or SocketException or FormatException or ParseException
            or OperationCanceledException && !ct.IsCancellationRequested;

    private static string Describe(Exception e) => e switch
    {
        SmtpCommandException c => $"refused: {(int)c.StatusCode} {c.Message}",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    private static TimeSpan Delay(SmtpOptions o, int attempts) =>
        TimeSpan.FromTicks(Math.Min(o.MaxDelay.Ticks, o.FirstRetryDelay.Ticks * (long)Math.Pow(2, Math.Min(attempts - 1, 20))));
}
