namespace Centric.Server.Platform.Mail;

/// <summary>
/// A message in the mail outbox. Without an SMTP relay (the embedded default) it stays here, readable at /console/mail; with one
/// (<see cref="SmtpOptions"/>) <see cref="SmtpDelivery"/> claims it, sends it and marks it sent, retrying on refusal or a dropped
/// connection until <see cref="SmtpOptions.MaxAttempts"/>.
/// </summary>
public sealed class MailMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string HtmlBody { get; set; }
    /// <summary>Extra headers (List-Unsubscribe…) as a JSON object of name → value; null for none.</summary>
    public string? Headers { get; set; }
    public DateTime CreatedAt { get; set; }
    public MailDelivery Delivery { get; set; }
    public int Attempts { get; set; }
    public DateTime? NextAttemptAt { get; set; }
    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUntil { get; set; }
    public DateTime? SentAt { get; set; }
    public string? LastError { get; set; }
}

public enum MailDelivery
{
    /// <summary>Kept in the local outbox: written while no SMTP relay was configured, never sent over the network.</summary>
    Outbox,
    /// <summary>Waiting for the SMTP relay (first try or a retry).</summary>
    Pending,
    /// <summary>The relay accepted it.</summary>
    Sent,
    /// <summary>Given up after the last attempt; kept, with the last error.</summary>
    Failed,
}
