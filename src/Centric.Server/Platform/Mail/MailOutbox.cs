using System.Text.Encodings.Web;
using Centric.Server.Platform.Data;
using System.Text.RegularExpressions;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using System.Text.Json;

namespace Centric.Server.Platform.Mail;

/// <summary>
/// Sends mail by writing it to the outbox (readable at /console/mail), from where <see cref="SmtpDelivery"/> sends it when an
/// SMTP relay is configured; the embedded default never needs a network.
/// </summary>
public sealed partial class MailOutbox(IServiceScopeFactory scopes, TimeProvider clock, Seo.PublicAddress address, IOptions<SmtpOptions> smtp)
    : IEmailSender<CentricUser>
{
    /// <summary>The longest subject stored (the column's length).</summary>
    public const int MaxSubject = 300;

    /// <summary>
    /// A subject made from customer text (a ticket's subject plus its number) can outgrow the column. The middle goes: the start
    /// says what it is about and the end carries the reference ("[T-482193]") that replies are threaded by.
    /// </summary>
    public static string FitSubject(string subject) =>
        subject.Length <= MaxSubject ? subject : subject[..(MaxSubject - 41)] + "…" + subject[^40..];

    public async Task SendAsync(string to, string subject, string htmlBody, CancellationToken ct = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        Add(db, to, subject, htmlBody);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Adds a message to the caller's unit of work, so it is sent only if the caller's transaction commits. With an SMTP relay
    /// configured it waits for <see cref="SmtpDelivery"/>; without one it stays in the outbox.
    /// </summary>
    public void Add(CentricDbContext db, string to, string subject, string htmlBody, IReadOnlyDictionary<string, string>? headers = null, Guid? id = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var relay = smtp.Value.Configured;
        db.Mail.Add(new MailMessage
        {
            Id = id ?? Guid.CreateVersion7(), To = to.Trim().ToLowerInvariant(), Subject = FitSubject(subject), HtmlBody = Absolute(htmlBody),
            Headers = headers is { Count: > 0 } ? JsonSerializer.Serialize(headers) : null, CreatedAt = now,
            Delivery = relay ? MailDelivery.Pending : MailDelivery.Outbox, NextAttemptAt = relay ? now : null,
        });
    }

    /// <summary>
    /// A mail client has no page to resolve "/orders/…" against: every site-relative link and image in a message is made
    /// absolute with <see cref="CentricOptions.PublicBaseUrl"/>, so whoever writes a mail can link the way pages do.
    /// </summary>
    public string Absolute(string htmlBody) =>
        SiteRelativeLink().Replace(htmlBody, m => $"{m.Groups["attr"].Value}=\"{address.Root(null)}/");

    [GeneratedRegex("""(?<attr>\b(?:href|src))="/(?!/)""", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SiteRelativeLink();

    public Task SendConfirmationLinkAsync(CentricUser user, string email, string confirmationLink) =>
        SendAsync(email, "Confirm your email",
            $"<p>Welcome to Centric.</p><p>Please confirm your account: <a href=\"{confirmationLink}\">confirm my email</a>.</p>");

    public Task SendPasswordResetLinkAsync(CentricUser user, string email, string resetLink) =>
        SendAsync(email, "Reset your password",
            $"<p>Someone asked to reset your password. If it was you, <a href=\"{resetLink}\">choose a new password</a>.</p>");

    public Task SendPasswordResetCodeAsync(CentricUser user, string email, string resetCode) =>
        SendAsync(email, "Your password reset code", $"<p>Your password reset code is <b>{HtmlEncoder.Default.Encode(resetCode)}</b>.</p>");
}
