using System.ComponentModel.DataAnnotations;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Mail;
using Centric.Server.Support.Tickets;
using Ganss.Xss;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Email;

public sealed class SupportOptions
{
    /// <summary>Shared secret of the inbound-email webhook. Unset means the webhook refuses everything.</summary>
    [MinLength(16)]
    public string? InboundSecret { get; set; }
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
    /// <summary>Right-hand side of the Message-IDs given to outgoing replies.</summary>
    public string MessageIdDomain { get; set; } = "support.centric.local";
    /// <summary>Requests per minute per client address on the inbound webhooks (email, calls), signed or not.</summary>
    [Range(1, 1_000_000)]
    public int InboundRequestsPerMinute { get; set; } = 1200;
    /// <summary>Requests per minute per client address on the help centre's JSON endpoints (search as you type, votes).</summary>
    [Range(1, 1_000_000)]
    public int HelpRequestsPerMinute { get; set; } = 600;
}

/// <summary>The parsed-email shape inbound mail services post (Postmark, SendGrid, Mailgun all map onto it).</summary>
public sealed record InboundEmail(string? From, string? To, string? Subject, string? Text, string? Html,
    string? MessageId, string? InReplyTo, string? References, IReadOnlyList<InboundAttachment>? Attachments);

public sealed record InboundAttachment(string? FileName, string? ContentType, long? Size);

public sealed record InboundResult(string TicketNumber, bool Created, bool Duplicate);

public sealed record ReplyResult(TicketMessage Message, bool Emailed);

/// <summary>
/// Email in and out of tickets. Inbound mail is matched to a profile by its sender's address and threaded by
/// In-Reply-To/References or the "[T-123456]" subject token; replies go out through the mail outbox with that token.
/// </summary>
public sealed partial class EmailChannel(CentricDbContext db, TicketService tickets, ICustomerDirectory customers, MailOutbox mail, IConsent consent,
    HtmlSanitizer sanitizer, IOptions<SupportOptions> options)
{
    public const string SignatureHeader = "Support-Signature";

    public async Task<InboundResult> ReceiveAsync(InboundEmail email, CancellationToken ct)
    {
        System.Net.Mail.MailAddress? from = null;
        if (string.IsNullOrWhiteSpace(email.From) || !System.Net.Mail.MailAddress.TryCreate(email.From, out from) || from.Address.Length > 320)
            throw RequestValidationException.For("from", "A sender address is required.");
        var html = string.IsNullOrWhiteSpace(email.Html) ? null : sanitizer.Sanitize(email.Html);
        var text = !string.IsNullOrWhiteSpace(email.Text) ? email.Text : html is null ? null : TextOf(html);
        if (string.IsNullOrWhiteSpace(text)) throw RequestValidationException.For("text", "The email has no text.");
        var messageId = MessageIds(email.MessageId).FirstOrDefault();
        var attachments = email.Attachments is { Count: > 0 } list
            ? JsonSerializer.Serialize(list.Take(50).Select(a => new { fileName = a.FileName, contentType = a.ContentType, size = a.Size }), JsonSerializerOptions.Web)
            : null;

        // Two deliveries of a new sender's first mail race on the identity key; the loser runs again on fresh state.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await ReceiveOnceAsync(email, from, text, html, messageId, attachments, ct);
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<InboundResult> ReceiveOnceAsync(InboundEmail email, System.Net.Mail.MailAddress from, string text, string? html,
        string? messageId, string? attachments, CancellationToken ct)
    {
        if (messageId is not null && await db.TicketMessages.Where(m => m.ExternalMessageId == messageId)
                .Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => t.Number).FirstOrDefaultAsync(ct) is { } seen)
            return new InboundResult(seen, false, true);

        var profileId = await customers.FindOrCreateByEmailAsync(from.Address, from.DisplayName, ct);
        var message = new NewMessage(MessageDirection.Inbound, SupportChannels.Email, string.IsNullOrWhiteSpace(from.DisplayName) ? from.Address : from.DisplayName,
            text, html, messageId, attachments);

        // Thread only into the sender's own tickets: a guessed token or a forwarded mail never lands in someone else's thread.
        var ticket = await tickets.FindByMessageIdsAsync([.. MessageIds(email.InReplyTo).Concat(MessageIds(email.References))], ct);
        if (ticket is null && TokenPattern().Match(email.Subject ?? "") is { Success: true } token)
            ticket = await tickets.FindAsync(token.Groups[1].Value.ToUpperInvariant(), ct);
        // Mail about a ticket that was merged away belongs in the ticket it was merged into.
        if (ticket is not null) ticket = await TicketMerges.LiveTicketAsync(db, ticket, ct);
        if (ticket is not null && ticket.ProfileId == profileId && ticket.Status != TicketStatus.Closed)
        {
            await tickets.AddMessageAsync(ticket, message, ct);
            return new InboundResult(ticket.Number, false, false);
        }
        var subject = TokenPattern().Replace(email.Subject ?? "", "").Trim();
        var opened = await tickets.OpenAsync(profileId, subject.Length > 0 ? subject : "(no subject)", message, null, ct);
        return new InboundResult(opened.Number, true, false);
    }

    /// <summary>
    /// An agent's answer: always on the thread (the customer sees it in the portal), and emailed with the ticket token in the
    /// subject and a recorded Message-ID when the profile has an address and service email is allowed.
    /// </summary>
    public async Task<ReplyResult> ReplyAsync(Ticket ticket, string agentUserId, string agentName, string text, TicketStatus? then, CancellationToken ct)
    {
        var profile = await customers.FindAsync(ticket.ProfileId, ct);
        var emailed = profile?.Email is { Length: > 0 } && await consent.MayContactAsync(ticket.ProfileId, "email", ConsentPurposes.Service, ct);
        var messageId = emailed ? $"{ticket.Number.ToLowerInvariant()}.{Guid.CreateVersion7():N}@{options.Value.MessageIdDomain}" : null;
        var message = await tickets.AddMessageAsync(ticket,
            new NewMessage(MessageDirection.Outbound, emailed ? SupportChannels.Email : SupportChannels.Web, agentName, text, ExternalMessageId: messageId, Author: agentUserId),
            ct, then ?? TicketStatus.PendingCustomer);
        if (emailed)
        {
            var body = string.Join("", message.BodyText.Split('\n').Select(line => HtmlEncoder.Default.Encode(line.TrimEnd('\r')) + "<br>"));
            // The outbox keeps no headers yet, so the Message-ID is shown in the footer; an SMTP relay sets it as the header.
            await mail.SendAsync(profile!.Email!, $"Re: {ticket.Subject} [{ticket.Number}]",
                $"<p>{body}</p><p>— {HtmlEncoder.Default.Encode(agentName)}</p><p style=\"color:#888\">Ticket {ticket.Number} · Message-ID &lt;{messageId}&gt;</p>", ct);
        }
        return new ReplyResult(message, emailed);
    }

    /// <summary>Message ids from a header value such as "&lt;a@x&gt; &lt;b@y&gt;", without angle brackets.</summary>
    public static IEnumerable<string> MessageIds(string? header)
    {
        if (string.IsNullOrWhiteSpace(header)) yield break;
        var found = false;
        foreach (Match m in BracketedPattern().Matches(header))
        {
            found = true;
            if (m.Groups[1].Value.Trim() is { Length: > 0 and <= 300 } id) yield return id;
        }
        if (!found && header.Trim() is { Length: > 0 and <= 300 } bare && !bare.Contains(' ', StringComparison.Ordinal)) yield return bare;
    }

    private static string TextOf(string html) =>
        new AngleSharp.Html.Parser.HtmlParser().ParseDocument(html).Body?.TextContent.Trim() ?? "";

    [GeneratedRegex(@"\[(T-\d{4,8})\]", RegexOptions.IgnoreCase)]
    private static partial Regex TokenPattern();

    [GeneratedRegex(@"<([^<>\s]+)>")]
    private static partial Regex BracketedPattern();
}
