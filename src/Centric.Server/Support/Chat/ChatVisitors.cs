using System.Security.Claims;
using System.Security.Cryptography;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Chat;

/// <summary>
/// Tells who is chatting. A visitor holds a token (the visitor id, protected by the server's data-protection keys) that
/// the widget keeps and sends with every call, because an embedding website's page cannot send Centric's cookies.
/// In the portal the visitor id is the shop's visitor cookie, so chat and browsing share one anonymous profile.
/// </summary>
public sealed class ChatVisitors(IDataProtectionProvider protection, CentricDbContext db)
{
    public const string Header = "X-Chat-Visitor";
    private const string VisitorCookie = IVisitor.Cookie;

    private readonly IDataProtector _protector = protection.CreateProtector("Centric.Support.Chat.Visitor");

    public static string NewVisitorId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    public string TokenFor(string visitorId) => _protector.Protect(visitorId);

    public string? VisitorOf(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 1000) return null;
        try { return _protector.Unprotect(token); }
        catch (CryptographicException) { return null; }
    }

    /// <summary>The participant behind a request or hub connection; null when it carries neither a customer sign-in nor a visitor.</summary>
    public async Task<ChatParticipant?> ResolveAsync(HttpContext http, CancellationToken ct)
    {
        Guid? profileId = null;
        if (http.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId)
            profileId = await db.Users.Where(u => u.Id == userId).Select(u => u.ProfileId).FirstOrDefaultAsync(ct);
        var token = http.Request.Headers[Header].ToString() is { Length: > 0 } h ? h
            : http.Request.Query["access_token"].ToString() is { Length: > 0 } q ? q
            : http.Request.Headers.Authorization.ToString() is { Length: > 7 } a && a.StartsWith("Bearer ", StringComparison.Ordinal) ? a[7..] : null;
        var visitor = VisitorOf(token);
        if (visitor is null && http.Request.Cookies.TryGetValue(VisitorCookie, out var cookie) && cookie.Length is >= 20 and <= 64) visitor = cookie;
        return profileId is null && visitor is null ? null : new ChatParticipant(profileId, visitor);
    }
}
