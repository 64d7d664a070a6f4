namespace Centric.Server.Platform.Mail;

/// <summary>A message in the local mail outbox (the embedded default sends nothing over the network).</summary>
public sealed class MailMessage
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public required string To { get; set; }
    public required string Subject { get; set; }
    public required string HtmlBody { get; set; }
    public DateTime CreatedAt { get; set; }
}
