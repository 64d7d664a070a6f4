using Centric.Server.Platform.Data;
using Centric.Server.Platform.Mail;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using SmtpServer.Protocol;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// The mail outbox sent through a real SMTP server on a loopback socket (the SmtpServer package): STARTTLS and TLS with a
/// certificate made for the test and pinned by thumbprint, a relay that refuses (4xx, 5xx) or drops the connection. Whatever
/// happens, a message is retried until the relay accepts it, never lost, and never sent again once accepted.
/// </summary>
public abstract class SmtpDeliveryTests(string provider)
{
    private static ManualClockApp NewApp(string provider, int port, string security, string? thumbprint = null)
    {
        var app = new ManualClockApp(provider);
        app.With("Mail:Smtp:Host", "127.0.0.1").With("Mail:Smtp:Port", port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .With("Mail:Smtp:Security", security).With("Mail:Smtp:From", "Centric Shop <news@shop.example>")
            .With("Mail:Smtp:CertificateThumbprint", thumbprint).With("Mail:Smtp:DeliveryEnabled", "false")
            .With("Mail:Smtp:Timeout", "00:00:05").With("Mail:Smtp:MaxAttempts", "4").With("Engagement:BackgroundJobs", "false");
        return app;
    }

    private static async Task<Guid> QueueAsync(ManualClockApp app, string to, IReadOnlyDictionary<string, string>? headers = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var id = Guid.CreateVersion7();
        scope.ServiceProvider.GetRequiredService<MailOutbox>().Add(db, to, "Hello", "<p>Hello <a href=\"/shop\">shop</a></p>", headers, id);
        await db.SaveChangesAsync();
        return id;
    }

    private static Task<MailMessage> RowAsync(ManualClockApp app, Guid id) => app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.Id == id));

    [SkippableFact]
    public async Task Mail_goes_over_starttls_to_a_pinned_self_signed_relay_once_with_its_headers()
    {
        using var certificate = TestSmtpServer.SelfSignedCertificate();
        var port = TestSmtpServer.FreePort();
        await using var relay = new TestSmtpServer(port, certificate);
        await using var app = NewApp(provider, port, "starttls", certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        app.SkipIfUnavailable();
        var delivery = app.Services.GetRequiredService<SmtpDelivery>();
        var id = await QueueAsync(app, "Ana@Example.com", new Dictionary<string, string>
        {
            ["List-Unsubscribe"] = "<https://shop.example/unsubscribe/abc/one-click>", ["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click",
        });
        Assert.Equal(MailDelivery.Pending, (await RowAsync(app, id)).Delivery);

        Assert.Equal(1, await delivery.SendDueAsync(default));
        Assert.Equal(0, await delivery.SendDueAsync(default));
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await delivery.SendDueAsync(default));

        var received = Assert.Single(relay.Messages);
        Assert.True(received.Encrypted);
        Assert.Equal($"{id:N}@shop.example", received.Message.MessageId);
        Assert.Equal("ana@example.com", received.Message.To.Mailboxes.Single().Address);
        Assert.Equal("news@shop.example", received.Message.From.Mailboxes.Single().Address);
        Assert.Equal("<https://shop.example/unsubscribe/abc/one-click>", received.Message.Headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", received.Message.Headers["List-Unsubscribe-Post"]);
        Assert.Contains("http://localhost:5080/shop", received.Message.HtmlBody, StringComparison.Ordinal);
        var row = await RowAsync(app, id);
        Assert.Equal((MailDelivery.Sent, 1), (row.Delivery, row.Attempts));
    }

    [SkippableFact]
    public async Task An_untrusted_certificate_is_refused_and_the_mail_waits()
    {
        using var certificate = TestSmtpServer.SelfSignedCertificate();
        var port = TestSmtpServer.FreePort();
        await using var relay = new TestSmtpServer(port, certificate, ssl: true);
        await using var app = NewApp(provider, port, "ssl");
        app.SkipIfUnavailable();
        var id = await QueueAsync(app, "ana@example.com");
        Assert.Equal(1, await app.Services.GetRequiredService<SmtpDelivery>().SendDueAsync(default));
        Assert.Empty(relay.Messages);
        var row = await RowAsync(app, id);
        Assert.Equal((MailDelivery.Pending, 1), (row.Delivery, row.Attempts));
        Assert.NotNull(row.LastError);
    }

    [SkippableFact]
    public async Task Mail_goes_over_tls_from_the_start_when_the_thumbprint_is_pinned()
    {
        using var certificate = TestSmtpServer.SelfSignedCertificate();
        var port = TestSmtpServer.FreePort();
        await using var relay = new TestSmtpServer(port, certificate, ssl: true);
        await using var app = NewApp(provider, port, "ssl", certificate.GetCertHashString(System.Security.Cryptography.HashAlgorithmName.SHA256));
        app.SkipIfUnavailable();
        await QueueAsync(app, "ana@example.com");
        Assert.Equal(1, await app.Services.GetRequiredService<SmtpDelivery>().SendDueAsync(default));
        Assert.True(Assert.Single(relay.Messages).Encrypted);
    }

    [SkippableTheory]
    [InlineData(451)]
    [InlineData(554)]
    public async Task A_refusing_relay_gets_the_mail_again_later_and_keeps_one_copy(int code)
    {
        var port = TestSmtpServer.FreePort();
        await using var relay = new TestSmtpServer(port) { Answer = n => n <= 2 ? new SmtpResponse((SmtpReplyCode)code, "not now") : SmtpResponse.Ok };
        await using var app = NewApp(provider, port, "none");
        app.SkipIfUnavailable();
        var delivery = app.Services.GetRequiredService<SmtpDelivery>();
        var id = await QueueAsync(app, "ana@example.com");

        Assert.Equal(1, await delivery.SendDueAsync(default));
        var row = await RowAsync(app, id);
        Assert.Equal((MailDelivery.Pending, 1), (row.Delivery, row.Attempts));
        Assert.Contains(code.ToString(System.Globalization.CultureInfo.InvariantCulture), row.LastError, StringComparison.Ordinal);
        // Not due before its delay.
        Assert.Equal(0, await delivery.SendDueAsync(default));
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(1, await delivery.SendDueAsync(default));
        Assert.Equal(2, (await RowAsync(app, id)).Attempts);
        // The delay doubles: 60 s after the second refusal.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(0, await delivery.SendDueAsync(default));
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(1, await delivery.SendDueAsync(default));

        Assert.Single(relay.Messages);
        row = await RowAsync(app, id);
        Assert.Equal((MailDelivery.Sent, 3), (row.Delivery, row.Attempts));
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await delivery.SendDueAsync(default));
        Assert.Single(relay.Messages);
    }

    [SkippableFact]
    public async Task A_dropped_connection_is_retried_and_after_the_last_attempt_the_mail_is_kept_as_failed()
    {
        var port = TestSmtpServer.FreePort();
        await using var app = NewApp(provider, port, "none");
        app.SkipIfUnavailable();
        var delivery = app.Services.GetRequiredService<SmtpDelivery>();
        var kept = await QueueAsync(app, "ana@example.com");
        using (new DroppingListener(port))
        {
            Assert.Equal(1, await delivery.SendDueAsync(default));
            Assert.Equal((MailDelivery.Pending, 1), ((await RowAsync(app, kept)).Delivery, (await RowAsync(app, kept)).Attempts));
        }
        // The relay is back: the mail goes, once.
        await using (var relay = new TestSmtpServer(port))
        {
            app.Clock.Advance(TimeSpan.FromMinutes(1));
            Assert.Equal(1, await delivery.SendDueAsync(default));
            Assert.Single(relay.Messages);
            Assert.Equal(MailDelivery.Sent, (await RowAsync(app, kept)).Delivery);
        }
        // Nobody listens at all: four attempts, then the mail stays, marked failed.
        var given = await QueueAsync(app, "ben@example.com");
        for (var i = 0; i < 4; i++)
        {
            app.Clock.Advance(TimeSpan.FromHours(1));
            Assert.Equal(1, await delivery.SendDueAsync(default));
        }
        app.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await delivery.SendDueAsync(default));
        var row = await RowAsync(app, given);
        Assert.Equal((MailDelivery.Failed, 4), (row.Delivery, row.Attempts));
    }

    [SkippableFact]
    public async Task Two_nodes_sending_at_once_send_each_mail_once()
    {
        var port = TestSmtpServer.FreePort();
        await using var relay = new TestSmtpServer(port);
        await using var app = NewApp(provider, port, "none");
        app.SkipIfUnavailable();
        var ids = new List<Guid>();
        for (var i = 0; i < 12; i++) ids.Add(await QueueAsync(app, $"p{i}@example.com"));
        // Two senders with their own scopes race over the same rows, as two nodes would.
        var a = ActivatorUtilities.CreateInstance<SmtpDelivery>(app.Services);
        var b = ActivatorUtilities.CreateInstance<SmtpDelivery>(app.Services);
        await Task.WhenAll(Task.Run(() => a.SendDueAsync(default)), Task.Run(() => b.SendDueAsync(default)));
        await a.SendDueAsync(default);
        Assert.Equal(12, relay.Messages.Count);
        Assert.Equal(12, relay.Messages.Select(m => m.Message.MessageId).Distinct().Count());
        Assert.All(ids, id => Assert.Equal(MailDelivery.Sent, RowAsync(app, id).Result.Delivery));
    }

    [SkippableFact]
    public async Task Without_a_relay_mail_stays_in_the_outbox()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var id = await QueueAsync(app, "ana@example.com");
        Assert.Equal(MailDelivery.Outbox, (await RowAsync(app, id)).Delivery);
        Assert.Equal(0, await app.Services.GetRequiredService<SmtpDelivery>().SendDueAsync(default));
    }
}

public sealed class SmtpDeliveryOnSqlite() : SmtpDeliveryTests("sqlite");

public sealed class SmtpDeliveryOnPostgres() : SmtpDeliveryTests("postgres");
