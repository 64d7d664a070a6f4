using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Platform.Webhooks;

/// <summary>
/// Turns each interaction into one pending delivery per matching subscription. Deliveries are rows, so the
/// fan-out commits with the checkpoint and the HTTP work happens later, retried, in <see cref="WebhookSender"/>.
/// </summary>
public sealed class WebhookFanout(TimeProvider clock, IWebhookCustomers customers) : IInteractionSubscriber
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
        var profiles = await customers.FindAsync(db, [.. batch.Select(b => b.ProfileId).Distinct()], ct);

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
                        properties = WritableProperties(interaction.Properties),
                    }, JsonSerializerOptions.Web),
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = now,
                    NextAttemptAt = now,
                });
            }
        }
    }

    /// <summary>
    /// The stored properties as JSON a writer accepts. Ingestion refuses text that is not valid Unicode, but rows stored
    /// before it did must not stop the fan-out: a string or name holding an escaped lone surrogate is passed on as its
    /// source text (the six characters \\udc00), and properties that cannot be read at all as an empty object.
    /// </summary>
    internal static object WritableProperties(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            // Only an escape can hide a lone surrogate in text that came out of the database as a string.
            if (!json.Contains("\\u", StringComparison.Ordinal)) return document.RootElement.Clone();
            return Writable(document.RootElement) ?? new JsonObject();
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            return new JsonObject();
        }
    }

    private static JsonNode? Writable(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                var obj = new JsonObject();
                foreach (var property in element.EnumerateObject())
                {
                    string name;
                    try { name = property.Name; }
                    catch (InvalidOperationException) { name = Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8PropertyName(property)); }
                    obj[name] = Writable(property.Value);
                }
                return obj;
            case JsonValueKind.Array:
                var array = new JsonArray();
                foreach (var item in element.EnumerateArray()) array.Add(Writable(item));
                return array;
            case JsonValueKind.String:
                try { return JsonValue.Create(element.GetString()); }
                catch (InvalidOperationException) { return JsonValue.Create(Encoding.UTF8.GetString(JsonMarshal.GetRawUtf8Value(element)[1..^1])); }
            case JsonValueKind.Null:
                return null;
            default:
                return JsonNode.Parse(element.GetRawText());
        }
    }
}
