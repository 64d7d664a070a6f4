using System.Text.Encodings.Web;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;

namespace Centric.Server.Platform.Mail;

/// <summary>
/// Sends mail by writing it to the local outbox (readable at /console/mail). An SMTP relay can be added
/// behind this interface; the embedded default never needs a network.
/// </summary>
public sealed class MailOutbox(IServiceScopeFactory scopes, TimeProvider clock) : IEmailSender<CentricUser>
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
        db.Mail.Add(new MailMessage { To = to.Trim().ToLowerInvariant(), Subject = FitSubject(subject), HtmlBody = htmlBody, CreatedAt = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Adds a message to the caller's unit of work, so it is sent only if the caller's transaction commits.</summary>
    public void Add(CentricDbContext db, string to, string subject, string htmlBody) =>
        db.Mail.Add(new MailMessage { To = to.Trim().ToLowerInvariant(), Subject = FitSubject(subject), HtmlBody = htmlBody, CreatedAt = clock.GetUtcNow().UtcDateTime });

    public Task SendConfirmationLinkAsync(CentricUser user, string email, string confirmationLink) =>
        SendAsync(email, "Confirm your email",
            $"<p>Welcome to Centric.</p><p>Please confirm your account: <a href=\"{confirmationLink}\">confirm my email</a>.</p>");

    public Task SendPasswordResetLinkAsync(CentricUser user, string email, string resetLink) =>
        SendAsync(email, "Reset your password",
            $"<p>Someone asked to reset your password. If it was you, <a href=\"{resetLink}\">choose a new password</a>.</p>");

    public Task SendPasswordResetCodeAsync(CentricUser user, string email, string resetCode) =>
        SendAsync(email, "Your password reset code", $"<p>Your password reset code is <b>{HtmlEncoder.Default.Encode(resetCode)}</b>.</p>");
}
