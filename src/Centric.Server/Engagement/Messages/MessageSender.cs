using System.Text.Encodings.Web;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Messages;

/// <summary>
/// Checks consent and the send key, then hands the message to its channel: email to the mail outbox (delivered by SMTP when one
/// is configured), in-app notices to the notification centre. Every send is a <c>message_sent</c> interaction.
/// </summary>
public sealed class MessageSender(CentricDbContext db, ProfileTraits traits, INotifications notifications, MailOutbox mail,
    InteractionLog interactions, TimeProvider clock) : IMessageSender
{
    public async Task<SendOutcome> SendAsync(OutgoingMessage message, CancellationToken ct)
    {
        if (await db.Set<EngagementMessage>().AnyAsync(m => m.SendKey == message.SendKey, ct)
            || db.ChangeTracker.Entries<EngagementMessage>().Any(e => e.Entity.SendKey == message.SendKey))
            return SendOutcome.AlreadySent;
        if (!await traits.MayContactAsync(message.ProfileId, message.Channel, message.Purpose, ct)) return SendOutcome.NoConsent;
        var contact = await traits.ContactAsync(message.ProfileId, ct);
        if (contact is null) return SendOutcome.NoAddress;

        var subject = message.Subject ?? "";
        var body = message.Body ?? "";
        var row = new EngagementMessage
        {
            ProfileId = message.ProfileId, Channel = message.Channel, Purpose = message.Purpose, SendKey = message.SendKey, Source = message.Source,
            TemplateId = message.TemplateId, Subject = subject, Body = body, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        switch (message.Channel)
        {
            case "email":
                if (contact.Email is null) return SendOutcome.NoAddress;
                row.To = contact.Email;
                mail.Add(db, contact.Email, subject, message.Html ?? $"<p>{HtmlEncoder.Default.Encode(body)}</p>");
                row.Status = MessageStatus.Sent;
                break;
            case ConsentChannels.InApp:
                if (!await notifications.NotifyAsync(message.ProfileId, "engagement", subject, body, message.Link, message.Purpose, ct)) return SendOutcome.NoConsent;
                row.Status = MessageStatus.Delivered;
                row.DeliveredAt = row.CreatedAt;
                break;
            default:
                return SendOutcome.NoAddress;
        }
        db.Add(row);
        // In-app notices write their own message_sent (the notification centre's); other channels write it here.
        if (message.Channel != ConsentChannels.InApp)
            interactions.Append(db, message.ProfileId, InteractionTypes.MessageSent, message.Channel,
                new MessageSentProperties(message.Source, message.Purpose, Title: subject, Link: message.Link),
                sourceKind: "message", sourceId: row.Id.ToString());
        return SendOutcome.Sent;
    }
}
