using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Messages;

/// <summary>
/// What became of a sent message — delivered, opened, clicked, bounced, unsubscribed — written on its row and as an interaction
/// on the customer's timeline, in the caller's unit of work (the caller saves).
/// </summary>
public sealed class MessageHistory(InteractionLog interactions)
{
    public async Task<EngagementMessage?> DeliveredAsync(CentricDbContext db, Guid messageId, DateTime at, CancellationToken ct)
    {
        if (await db.EngagementMessages.FirstOrDefaultAsync(m => m.Id == messageId, ct) is not { } m) return null;
        if (m.DeliveredAt is not null || m.Status == MessageStatus.Bounced) return m;
        (m.Status, m.DeliveredAt) = (MessageStatus.Delivered, at);
        interactions.Append(db, m.ProfileId, InteractionTypes.MessageDelivered, m.Channel, Properties(m), occurredAt: at, sourceKind: "message", sourceId: m.Id.ToString());
        return m;
    }

    /// <summary>The first opening is recorded; later ones (every time the customer looks at the mail again) are not.</summary>
    public async Task<EngagementMessage?> OpenedAsync(CentricDbContext db, Guid messageId, DateTime at, CancellationToken ct)
    {
        if (await db.EngagementMessages.FirstOrDefaultAsync(m => m.Id == messageId, ct) is not { } m) return null;
        if (m.OpenedAt is not null) return m;
        m.OpenedAt = at;
        interactions.Append(db, m.ProfileId, InteractionTypes.MessageOpened, m.Channel, Properties(m), occurredAt: at, sourceKind: "message", sourceId: m.Id.ToString());
        return m;
    }

    public async Task<EngagementMessage?> ClickedAsync(CentricDbContext db, Guid messageId, string url, DateTime at, CancellationToken ct)
    {
        if (await db.EngagementMessages.FirstOrDefaultAsync(m => m.Id == messageId, ct) is not { } m) return null;
        m.ClickedAt ??= at;
        // A click shows the message was opened, even when the mail program loaded no images.
        m.OpenedAt ??= at;
        interactions.Append(db, m.ProfileId, InteractionTypes.MessageClicked, m.Channel,
            new MessageClickedProperties(m.Id, m.Channel, m.Purpose, m.Source, m.TemplateId, url.Length > 2_000 ? url[..2_000] : url),
            occurredAt: at, sourceKind: "message", sourceId: m.Id.ToString());
        return m;
    }

    public async Task<EngagementMessage?> BouncedAsync(CentricDbContext db, Guid messageId, string reason, bool permanent, DateTime at, CancellationToken ct)
    {
        if (await db.EngagementMessages.FirstOrDefaultAsync(m => m.Id == messageId, ct) is not { } m) return null;
        if (m.Status == MessageStatus.Bounced) return m;
        reason = reason.Length > 500 ? reason[..500] : reason;
        (m.Status, m.FailedAt, m.FailureReason) = (MessageStatus.Bounced, at, reason);
        interactions.Append(db, m.ProfileId, InteractionTypes.MessageBounced, m.Channel,
            new MessageBouncedProperties(m.Id, m.Channel, m.Purpose, m.Source, m.TemplateId, reason, permanent),
            occurredAt: at, sourceKind: "message", sourceId: m.Id.ToString());
        return m;
    }

    /// <summary>Withdraws the message's channel and purpose for its customer; false when they had withdrawn it already.</summary>
    public async Task<bool> UnsubscribedAsync(CentricDbContext db, IConsent consent, EngagementMessage m, CancellationToken ct)
    {
        if (!await consent.WithdrawAsync(m.ProfileId, m.Channel, m.Purpose, "unsubscribe link", ct)) return false;
        interactions.Append(db, m.ProfileId, InteractionTypes.MessageUnsubscribed, m.Channel, Properties(m), sourceKind: "message", sourceId: m.Id.ToString());
        return true;
    }

    private static MessageDeliveryProperties Properties(EngagementMessage m) => new(m.Id, m.Channel, m.Purpose, m.Source, m.TemplateId);
}

/// <summary>The mail relay accepted or gave up an Engagement email (the mail's id is the message's).</summary>
internal sealed class MessageMailListener(MessageHistory history) : IMailDeliveryListener
{
    public async Task SentAsync(CentricDbContext db, Guid mailId, DateTime at, CancellationToken ct) => await history.DeliveredAsync(db, mailId, at, ct);

    public async Task FailedAsync(CentricDbContext db, Guid mailId, DateTime at, string reason, CancellationToken ct) =>
        await history.BouncedAsync(db, mailId, reason, permanent: false, at, ct);
}
