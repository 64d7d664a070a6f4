using System.Security.Claims;
using Centric.Server.Customers.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Notifications;

/// <summary>What the bell receives when a notice arrives.</summary>
public sealed record NotificationArrived(Guid Id, string Title, string? Link);

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
        if (profileId is null) throw new HubException("This account has no customer profile.");
        await Groups.AddToGroupAsync(Context.ConnectionId, ProfileGroup(profileId.Value));
    }
}

/// <summary>
/// Pushes each new in-app notice to the customer's open pages. Every server process runs its own copy from the end of
/// the stream (like the live order pages), so a customer connected to any node hears notices written on any node.
/// </summary>
public sealed class NotificationPush(IHubContext<NotificationHub> hub) : IInteractionSubscriber
{
    public string Name { get; } = $"customers.notification-push:{Guid.NewGuid():N}";

    public bool StartsAtEnd => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        foreach (var i in batch)
        {
            if (i.Type != "message_sent" || i.SourceKind != "notification" || !Guid.TryParse(i.SourceId, out var id)) continue;
            using var props = System.Text.Json.JsonDocument.Parse(i.Properties);
            var title = props.RootElement.TryGetProperty("title", out var t) ? t.GetString() ?? "" : "";
            var link = props.RootElement.TryGetProperty("link", out var l) && l.ValueKind == System.Text.Json.JsonValueKind.String ? l.GetString() : null;
            await hub.Clients.Group(NotificationHub.ProfileGroup(i.ProfileId)).SendAsync("notification", new NotificationArrived(id, title, link), ct);
        }
    }
}
