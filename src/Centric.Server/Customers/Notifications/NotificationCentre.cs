using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Notifications;

public sealed record NotificationPage(IReadOnlyList<Notification> Items, int Unread);

public sealed class NotificationCentre(CentricDbContext db, IConsent consent, InteractionLog interactions, TimeProvider clock) : INotifications
{
    public const int PageSize = 50;

    public async Task<bool> NotifyAsync(Guid profileId, string topic, string title, string body, string? link, string purpose, CancellationToken ct, bool consentChecked = false)
    {
        if (!consentChecked && !await consent.MayContactAsync(profileId, ConsentChannels.InApp, purpose, ct)) return false;
        // Only portal paths: a notice never sends the customer off-site.
        if (link is not null && (!link.StartsWith('/') || link.StartsWith("//", StringComparison.Ordinal))) throw new ArgumentException("A portal path starting with /.", nameof(link));
        var notification = new Notification
        {
            ProfileId = profileId, Topic = Clip(topic, 50), Title = Clip(title, 200), Body = Clip(body, 1000), Link = link is null ? null : Clip(link, 300),
            CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        db.Add(notification);
        interactions.Append(db, profileId, InteractionTypes.MessageSent, ConsentChannels.InApp,
            new MessageSentProperties(notification.Topic, purpose, notification.Id, notification.Title, notification.Link),
            sourceKind: "notification", sourceId: notification.Id.ToString());
        return true;
    }

    public async Task<NotificationPage> ListAsync(Guid profileId, CancellationToken ct)
    {
        var items = await db.Set<Notification>().AsNoTracking().Where(n => n.ProfileId == profileId)
            .OrderByDescending(n => n.CreatedAt).ThenByDescending(n => n.Id).Take(PageSize).ToListAsync(ct);
        return new NotificationPage(items, await UnreadAsync(profileId, ct));
    }

    public Task<int> UnreadAsync(Guid profileId, CancellationToken ct) =>
        db.Set<Notification>().CountAsync(n => n.ProfileId == profileId && n.ReadAt == null, ct);

    /// <summary>The bell's count for a signed-in account, in one query.</summary>
    public Task<int> UnreadForUserAsync(string userId, CancellationToken ct) =>
        db.Users.Where(u => u.Id == userId && u.ProfileId != null)
            .SelectMany(u => db.Set<Notification>().Where(n => n.ProfileId == u.ProfileId && n.ReadAt == null)).CountAsync(ct);

    /// <summary>Marks one of the customer's own notices read; false when the id is not theirs (answered as not found).</summary>
    public async Task<bool> MarkReadAsync(Guid profileId, Guid id, CancellationToken ct)
    {
        var n = await db.Set<Notification>().FirstOrDefaultAsync(x => x.Id == id && x.ProfileId == profileId, ct);
        if (n is null) return false;
        n.ReadAt ??= clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
        return true;
    }

    public Task<int> MarkAllReadAsync(Guid profileId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.Set<Notification>().Where(n => n.ProfileId == profileId && n.ReadAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.ReadAt, now), ct);
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max];
}
