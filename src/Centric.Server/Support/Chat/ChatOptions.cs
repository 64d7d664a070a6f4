using System.ComponentModel.DataAnnotations;

namespace Centric.Server.Support.Chat;

/// <summary>Web chat and telephony settings (section <c>Support:Chat</c>).</summary>
public sealed class ChatOptions
{
    /// <summary>Websites allowed to embed the chat widget (CORS origins such as https://www.shop.example). The portal itself needs no entry.</summary>
    public string[] AllowedOrigins { get; set; } = [];
    /// <summary>Largest attachment accepted, in bytes.</summary>
    [Range(1024, 50 * 1024 * 1024)]
    public long MaxAttachmentBytes { get; set; } = 5 * 1024 * 1024;
    /// <summary>Messages (and call-back requests) one customer or visitor may send per minute.</summary>
    [Range(1, 100_000)]
    public int MessagesPerMinute { get; set; } = 60;
    /// <summary>Requests to the public widget endpoints per client address per minute.</summary>
    [Range(1, 1_000_000)]
    public int WidgetRequestsPerMinute { get; set; } = 300;
    /// <summary>Shared secret of the telephony webhook. Unset means the webhook refuses everything.</summary>
    [MinLength(16)]
    public string? TelephonySecret { get; set; }
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
}
