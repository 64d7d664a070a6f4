using System.Text.Json;
using Centric.Server.Customers.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Webhooks;

/// <summary>
/// Turns each interaction into one pending delivery per matching subscription. Deliveries are rows, so the
/// fan-out commits with the checkpoint and the HTTP work happens later, retried, in <see cref="WebhookSender"/>.
/// </summary>
public sealed class WebhookFanout(TimeProvider clock) : IInteractionSubscriber
{
    public string Name => "platform.webhooks";

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        if (subscriptions.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var ids = batch.Select(i => i.Id).ToList();
        // A batch handed over again after a crash must not create a second delivery.
        var existing = (await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.InteractionId))
            .Select(d => new { d.SubscriptionId, d.InteractionId }).ToListAsync(ct))
            .Select(d => (d.SubscriptionId, d.InteractionId)).ToHashSet();
        var profiles = await db.Profiles.AsNoTracking().Where(p => batch.Select(b => b.ProfileId).Contains(p.Id))
            .Select(p => new { p.Id, p.Email, p.Phone }).ToDictionaryAsync(p => p.Id, ct);

        foreach (var interaction in batch)
        {
            foreach (var subscription in subscriptions.Where(s => s.Matches(interaction.Type)))
            {
                if (existing.Contains((subscription.Id, interaction.Id))) continue;
                profiles.TryGetValue(interaction.ProfileId, out var profile);
                db.WebhookDeliveries.Add(new WebhookDelivery
                {
                    SubscriptionId = subscription.Id,
                    InteractionId = interaction.Id,
                    ProfileId = interaction.ProfileId,
                    EventType = interaction.Type,
                    Payload = JsonSerializer.Serialize(new
                    {
                        id = interaction.Id,
                        eventId = interaction.EventId,
                        type = interaction.Type,
                        channel = interaction.Channel,
                        occurredAt = interaction.OccurredAt,
                        profileId = interaction.ProfileId,
                        customer = new { profileId = interaction.ProfileId, email = profile?.Email, phone = profile?.Phone },
                        properties = JsonDocument.Parse(interaction.Properties).RootElement,
                    }, JsonSerializerOptions.Web),
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
            }
        }
    }
}
