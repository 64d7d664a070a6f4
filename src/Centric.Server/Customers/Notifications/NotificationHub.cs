using System.Security.Claims;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Notifications;

/// <summary>
/// What an open portal page receives when a notice arrives: the notifications page lists it, and the bell shows
/// <paramref name="Unread"/>, the customer's unread count once it was written (a count, not a step, so a notice the page
/// heard of twice, at connection and here, is not counted twice).
/// </summary>
public sealed record NotificationArrived(Guid Id, string Title, string Body, string? Link, DateTime CreatedAt, int Unread);

/// <summary>
/// The portal's live channel for a signed-in customer: one group per profile. Clients only listen; everything they
/// may do (read, mark read) goes through the portal pages. On connecting a page hears the unread count ("unread"): a notice
/// written between the page's rendering and its connection would otherwise never reach its bell.
/// </summary>
[Authorize]
public sealed class NotificationHub(CentricDbContext db) : Hub
{
    public static string ProfileGroup(Guid profileId) => "profile:" + profileId.ToString("N");

    public override async Task OnConnectedAsync()
    {
        var userId = Context.User?.FindFirstValue(ClaimTypes.NameIdentifier);
        var profileId = userId is null ? null : await db.Users.Where(u => u.Id == userId).Select(u => u.ProfileId).FirstOrDefaultAsync(Context.ConnectionAborted);
        // Staff accounts have no customer profile and so no notices: the bell stays quiet instead of the browser
        // logging a refused connection on every page they open.
        if (profileId is null) return;
        await Groups.AddToGroupAsync(Context.ConnectionId, ProfileGroup(profileId.Value));
        // Counted after joining the group: a notice is either in this count or pushed afterwards (or both, which the count absorbs).
        var unread = await db.Set<Notification>().CountAsync(n => n.ProfileId == profileId && n.ReadAt == null, Context.ConnectionAborted);
        await Clients.Caller.SendAsync("unread", unread, Context.ConnectionAborted);
    }
}

/// <summary>
/// Pushes each new in-app notice to the customer's open pages. Every server process runs its own copy from the end of
/// the stream (like the live order pages), so a customer connected to any node hears notices written on any node.
/// </summary>
public sealed class NotificationPush(IHubContext<NotificationHub> hub) : IInteractionSubscriber
{
    public string Name => "customers.notification-push";

    public bool IsLive => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var notices = batch.Where(i => InteractionTypes.MessageSent.Is(i.Type) && i.SourceKind == "notification")
            .Select(i => Guid.TryParse(i.SourceId, out var id) ? id : Guid.Empty).Where(id => id != Guid.Empty).ToList();
        if (notices.Count == 0) return;
        // A notice erased since it was written is not pushed.
        var rows = await db.Set<Notification>().AsNoTracking().Where(n => notices.Contains(n.Id)).ToListAsync(ct);
        if (rows.Count == 0) return;
        var profiles = rows.Select(n => n.ProfileId).Distinct().ToList();
        var unread = await db.Set<Notification>().Where(n => profiles.Contains(n.ProfileId) && n.ReadAt == null)
            .GroupBy(n => n.ProfileId).Select(g => new { ProfileId = g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.ProfileId, g => g.Count, ct);
        foreach (var n in rows.OrderBy(n => n.CreatedAt))
            await hub.Clients.Group(NotificationHub.ProfileGroup(n.ProfileId))
                .SendAsync("notification", new NotificationArrived(n.Id, n.Title, n.Body, n.Link, n.CreatedAt, unread.GetValueOrDefault(n.ProfileId)), ct);
    }
}
