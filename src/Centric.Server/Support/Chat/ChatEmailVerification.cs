using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Chat;

/// <summary>What became of an address given in the chat: attached to the customer (verified), or waiting for the mailed code.</summary>
public sealed record ChatIdentity(bool Verified, string Email, ChatState Conversation);

/// <summary>
/// Anyone can type any address into a chat, so an address attaches the chat to a customer only when proven: by the
/// visitor's sign-in as that customer, or by a six-digit code mailed to it and entered in the chat. Until then the
/// chat stays on the visitor's anonymous profile and agents see the address as an unverified claim.
/// </summary>
public sealed class ChatEmailVerification(CentricDbContext db, ChatService chat, MailOutbox mail, TimeProvider clock)
{
    public static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(15);
    public const int MaxAttempts = 5;
    /// <summary>Giving the same address again within this time sends no second mail (the widget's retry, a double click).</summary>
    private static readonly TimeSpan ResendAfter = TimeSpan.FromSeconds(30);

    public async Task<ChatIdentity> IdentifyAsync(ChatParticipant who, string email, CancellationToken ct)
    {
        email = ChatService.CheckEmail(email);
        if (await chat.IdentifyBySessionAsync(who, email, ct)) return new(true, email, await chat.ResumeAsync(who, null, 0, ct));
        if (who.VisitorId is not { } visitor)
            throw new DomainException("chat-identify-signed-in", "You are signed in with another address; sign in as that customer instead.", 422);
        var now = clock.GetUtcNow().UtcDateTime;
        // Addresses nobody proved are not kept: expired claims go whenever a new one is made.
        await db.ChatEmailClaims.Where(c => c.ExpiresAt < now && c.VisitorId != visitor).ExecuteDeleteAsync(ct);
        var claim = await db.ChatEmailClaims.FirstOrDefaultAsync(c => c.VisitorId == visitor, ct);
        if (claim is null) db.ChatEmailClaims.Add(claim = new ChatEmailClaim { VisitorId = visitor, Email = email, CodeHash = "" });
        else if (claim.Email == email && claim.CreatedAt + ResendAfter > now && claim.ExpiresAt > now)
            return new(false, email, await chat.ResumeAsync(who, null, 0, ct));
        var code = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", CultureInfo.InvariantCulture);
        claim.Email = email;
        claim.CodeHash = Hash(visitor, code);
        claim.Attempts = 0;
        claim.CreatedAt = now;
        claim.ExpiresAt = now + CodeLifetime;
        mail.Add(db, email, "Your chat verification code",
            $"<p>This address was given in a chat with us. To confirm it is yours, enter <b>{HtmlEncoder.Default.Encode(code)}</b> in the chat " +
            $"within {(int)CodeLifetime.TotalMinutes} minutes.</p><p>If that was not you, ignore this email: nothing is added to your account.</p>");
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { throw new DomainException("chat-identify-busy", "Another request is sending a code; try again.", 409); }
        return new(false, email, await chat.ResumeAsync(who, null, 0, ct));
    }

    public async Task<ChatIdentity> ConfirmAsync(ChatParticipant who, string code, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var claim = who.VisitorId is { } visitor ? await db.ChatEmailClaims.FirstOrDefaultAsync(c => c.VisitorId == visitor, ct) : null;
        if (claim is null || claim.ExpiresAt <= now || claim.Attempts >= MaxAttempts)
            throw new DomainException("chat-code-expired", "No code is waiting for this chat, or it expired: give your email again for a new one.", 422);
        var given = Encoding.ASCII.GetBytes(Hash(claim.VisitorId, (code ?? "").Trim()));
        if (!CryptographicOperations.FixedTimeEquals(given, Encoding.ASCII.GetBytes(claim.CodeHash)))
        {
            claim.Attempts++;
            await db.SaveChangesAsync(ct);
            throw new DomainException("chat-code-invalid", "That code is not right.", 422);
        }
        db.ChatEmailClaims.Remove(claim);
        await db.SaveChangesAsync(ct);
        await chat.AttachVisitorAsync(claim.VisitorId, claim.Email, "chat visitor confirmed their email", ct);
        return new(true, claim.Email, await chat.ResumeAsync(who, null, 0, ct));
    }

    /// <summary>The address a chat's visitor claims but has not proven, for agents; null when there is none.</summary>
    public Task<string?> UnverifiedEmailAsync(Guid ticketId, CancellationToken ct) =>
        (from c in db.ChatConversations
         join claim in db.ChatEmailClaims on c.VisitorId equals claim.VisitorId
         where c.TicketId == ticketId
         select claim.Email).FirstOrDefaultAsync(ct);

    private static string Hash(string visitorId, string code) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(visitorId + ":" + code)));
}
