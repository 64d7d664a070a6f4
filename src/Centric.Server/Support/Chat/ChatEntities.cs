namespace Centric.Server.Support.Chat;

/// <summary>
/// The live side of a chat ticket: who may join it as the customer and how far each side has read. The thread
/// itself is the ticket's messages, so a chat lands in the same inbox and on the same timeline as every channel.
/// </summary>
public sealed class ChatConversation
{
    public Guid TicketId { get; set; }
    /// <summary>The ticket's customer profile (anonymous until the visitor signs in or gives an email).</summary>
    public Guid ProfileId { get; set; }
    /// <summary>The widget's visitor id (also the profile's anonymous identity); null for chats started signed in.</summary>
    public string? VisitorId { get; set; }
    /// <summary>Highest message sequence the customer has seen (read receipts for the agent).</summary>
    public long CustomerReadSequence { get; set; }
    /// <summary>Highest message sequence an agent has seen (read receipts for the customer).</summary>
    public long AgentReadSequence { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>
/// An address a widget visitor says is theirs, not yet proven: the chat stays on the visitor's anonymous profile (agents see
/// the claim marked unverified) until the visitor enters the code mailed to that address. One pending claim per visitor.
/// </summary>
public sealed class ChatEmailClaim
{
    public required string VisitorId { get; set; }
    public required string Email { get; set; }
    /// <summary>SHA-256 of the visitor id and the code; the code itself is only in the mail.</summary>
    public required string CodeHash { get; set; }
    public int Attempts { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime ExpiresAt { get; set; }
}

/// <summary>A file sent in a chat, stored in the database and served only to the conversation's customer and to staff.</summary>
public sealed class ChatAttachment
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid TicketId { get; set; }
    public Guid ProfileId { get; set; }
    public Guid MessageId { get; set; }
    public required string FileName { get; set; }
    public required string ContentType { get; set; }
    public long Size { get; set; }
    public required byte[] Content { get; set; }
    public DateTime CreatedAt { get; set; }
}
