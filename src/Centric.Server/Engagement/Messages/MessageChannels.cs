using Centric.Server.Engagement.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Messages;

/// <summary>
/// Hands a message to its channel in the caller's unit of work: an email to the mail outbox (with tracking and, for marketing,
/// unsubscribe), an SMS to the queue <see cref="Sms.SmsDelivery"/> works, a push notification to the queue <see cref="Push.PushSender"/>
/// works (one delivery per device of the customer's), an in-app notice to the notification centre.
/// Nothing leaves the building before the caller's SaveChanges commits.
/// </summary>
public sealed class MessageChannels(CentricDbContext db, INotifications notifications, MailOutbox mail, TrackedEmail email,
    ICustomerDirectory directory)
{
    public async Task<SendOutcome> HandOverAsync(EngagementMessage row, ProfileContact contact, string subject, string body, string? link, CancellationToken ct)
    {
        switch (row.Channel)
        {
            case "email":
                if (contact.Email is null) return SendOutcome.NoAddress;
                row.To = contact.Email;
                var composed = email.Compose(row.Id, row.Purpose, body);
                // The mail row takes the message's id: its Message-Id, and so a bounce, leads back to this message.
                mail.Add(db, contact.Email, subject, composed.Html, composed.Headers, row.Id);
                row.Status = MessageStatus.Sent;
                return SendOutcome.Sent;
            case "sms":
                if (await directory.IdentityValueAsync(row.ProfileId, IdentityKinds.Phone, ct) is not { } phone) return SendOutcome.NoAddress;
                row.To = phone;
                row.Status = MessageStatus.Queued;
                row.NextAttemptAt = row.CreatedAt;
                return SendOutcome.Sent;
            case ConsentChannels.Push:
                var devices = await db.PushSubscriptions.AsNoTracking().Where(s => s.ProfileId == row.ProfileId)
                    .OrderBy(s => s.CreatedAt).Select(s => new { s.Id, s.Endpoint }).ToListAsync(ct);
                if (devices.Count == 0) return SendOutcome.NoAddress;
                row.To = Uri.TryCreate(devices[0].Endpoint, UriKind.Absolute, out var service) ? service.Host : null;
                (row.Status, row.Link) = (MessageStatus.Queued, link is { Length: <= 2_000 } ? link : null);
                foreach (var device in devices)
                    db.PushDeliveries.Add(new Push.PushDelivery { MessageId = row.Id, SubscriptionId = device.Id, NextAttemptAt = row.CreatedAt });
                return SendOutcome.Sent;
            case ConsentChannels.InApp:
                if (!await notifications.NotifyAsync(row.ProfileId, "engagement", subject, body, link, row.Purpose, ct, consentChecked: true)) return SendOutcome.NoConsent;
                row.Status = MessageStatus.Delivered;
                row.DeliveredAt = row.CreatedAt;
                return SendOutcome.Sent;
            default:
                return SendOutcome.NoAddress;
        }
    }
}
