namespace Centric.Server.Engagement.Templates;

/// <summary>
/// A message's words, written once and filled in for each customer: a channel (email, sms, push, in_app), a purpose
/// (marketing or service), a subject and a body with Liquid placeholders (<c>{{ first_name }}</c>, values a journey passes).
/// An email body is HTML; the other channels' bodies are plain text.
/// </summary>
public sealed class MessageTemplate
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public string Name { get; set; } = "";
    /// <summary>Unique: the name in lower case.</summary>
    public string NameKey { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Purpose { get; set; } = "";
    public string Subject { get; set; } = "";
    public string Body { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }
}
