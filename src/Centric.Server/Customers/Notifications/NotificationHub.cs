using System.Security.Claims;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Notifications;

/// <summary>What an open portal page receives when a notice arrives: the bell counts it, the notifications page lists it.</summary>
public sealed record NotificationArrived(Guid Id, string Title, string Body, string? Link, DateTime CreatedAt);

/// <summary>
/// The portal's live channel for a signed-in customer: one group per profile. Clients only listen; everything they
/// may do (read, mark read) goes through the portal pages.
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
        foreach (var n in rows.OrderBy(n => n.CreatedAt))
            await hub.Clients.Group(NotificationHub.ProfileGroup(n.ProfileId))
                .SendAsync("notification", new NotificationArrived(n.Id, n.Title, n.Body, n.Link, n.CreatedAt), ct);
    }
}
