using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.WebUtilities;

namespace Centric.Server.Engagement.Messages;

/// <summary>
/// The signed links in a message: open tracking (a 1×1 image), click tracking (a redirect to a link that was in the message) and
/// unsubscribe. Each token is the message id (and for a click, the target) protected by ASP.NET Data Protection, whose keys every
/// node shares through the database: nobody can make a token for another message, or a redirect to a link of their own.
/// </summary>
public sealed class MessageLinks(IDataProtectionProvider protection, Platform.Seo.PublicAddress address)
{
    private readonly IDataProtector _open = protection.CreateProtector("Centric.Engagement.Messages.Open.v1");
    private readonly IDataProtector _click = protection.CreateProtector("Centric.Engagement.Messages.Click.v1");
    private readonly IDataProtector _unsubscribe = protection.CreateProtector("Centric.Engagement.Messages.Unsubscribe.v1");

    public string OpenUrl(Guid messageId) => $"{address.Root(null)}/m/open/{Protect(_open, messageId.ToString())}";

    public string ClickUrl(Guid messageId, string target) => $"{address.Root(null)}/m/click/{Protect(_click, messageId + "\n" + target)}";

    public string UnsubscribeUrl(Guid messageId) => $"{address.Root(null)}/unsubscribe/{Protect(_unsubscribe, messageId.ToString())}";

    /// <summary>The one-click address of RFC 8058 (the List-Unsubscribe header): mail programs POST to it.</summary>
    public string OneClickUrl(Guid messageId) => UnsubscribeUrl(messageId) + "/one-click";

    public Guid? ReadOpen(string? token) => Unprotect(_open, token) is { } s && Guid.TryParse(s, out var id) ? id : null;

    public Guid? ReadUnsubscribe(string? token) => Unprotect(_unsubscribe, token) is { } s && Guid.TryParse(s, out var id) ? id : null;

    public (Guid MessageId, string Target)? ReadClick(string? token)
    {
        if (Unprotect(_click, token) is not { } s || s.Split('\n', 2) is not [var id, var target] || !Guid.TryParse(id, out var messageId)) return null;
        return (messageId, target);
    }

    private static string Protect(IDataProtector protector, string value) =>
        WebEncoders.Base64UrlEncode(protector.Protect(Encoding.UTF8.GetBytes(value)));

    private static string? Unprotect(IDataProtector protector, string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8_000) return null;
        try { return Encoding.UTF8.GetString(protector.Unprotect(WebEncoders.Base64UrlDecode(token))); }
        catch (Exception e) when (e is CryptographicException or FormatException) { return null; }
    }
}
