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

    public bool IsUrgent => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        if (subscriptions.Count == 0) return;
        // Which subscriptions want each type, worked out once per type rather than once per interaction.
        var wanted = batch.Select(i => i.Type).Distinct(StringComparer.Ordinal)
            .ToDictionary(t => t, t => subscriptions.Where(s => s.Matches(t)).ToList(), StringComparer.Ordinal);
        var matched = batch.Where(i => wanted[i.Type].Count > 0 && !i.IsImported).ToList();
        if (matched.Count == 0) return;

        var now = clock.GetUtcNow().UtcDateTime;
        var ids = matched.Select(i => i.Id).ToList();
        // A batch handed over again after a crash must not create a second delivery.
        var existing = (await db.WebhookDeliveries.AsNoTracking().Where(d => ids.Contains(d.InteractionId))
            .Select(d => new { d.SubscriptionId, d.InteractionId }).ToListAsync(ct))
            .Select(d => (d.SubscriptionId, d.InteractionId)).ToHashSet();
        var profiles = await customers.FindAsync(db, [.. matched.Select(i => i.ProfileId).Distinct()], ct);
        // Each subscription numbers its deliveries in stream order, and the sender sends first attempts in (time, number)
        // order: so a delivery is never due before the subscription's previous one, even if this node's clock is behind the
        // node that fanned out last. Only the node holding this subscriber's lease fans out, so the numbers do not collide.
        var subscriptionIds = matched.SelectMany(i => wanted[i.Type]).Select(s => s.Id).Distinct().ToList();
        // Two scalar subqueries, each one step down the (SubscriptionId, Sequence) index. (Projecting the last delivery as a
        // row made a window over every delivery of the table: 100 ms a batch at 180,000 deliveries, and growing.)
        var last = (await db.WebhookSubscriptions.AsNoTracking().Where(s => subscriptionIds.Contains(s.Id))
            .Select(s => new
            {
                s.Id,
                Sequence = db.WebhookDeliveries.Where(d => d.SubscriptionId == s.Id).Max(d => (long?)d.Sequence),
                CreatedAt = db.WebhookDeliveries.Where(d => d.SubscriptionId == s.Id).OrderByDescending(d => d.Sequence)
                    .Select(d => (DateTime?)d.CreatedAt).FirstOrDefault(),
            })
            .ToListAsync(ct))
            .ToDictionary(s => s.Id, s => (Sequence: s.Sequence ?? 0, At: s.CreatedAt is { } at && at > now ? at : now));

        var deliveries = new List<WebhookDelivery>();
        foreach (var interaction in matched)
        {
            string? payload = null;
            foreach (var subscription in wanted[interaction.Type])
            {
                if (existing.Contains((subscription.Id, interaction.Id))) continue;
                // One payload per interaction, whichever subscriptions receive it.
                payload ??= Payload(interaction, profiles.TryGetValue(interaction.ProfileId, out var p) ? (p.Email, p.Phone) : (null, null));
                var (sequence, at) = last[subscription.Id];
                last[subscription.Id] = (sequence + 1, at);
                deliveries.Add(new WebhookDelivery
                {
                    SubscriptionId = subscription.Id,
                    Sequence = sequence + 1,
                    InteractionId = interaction.Id,
                    ProfileId = interaction.ProfileId,
                    EventType = interaction.Type,
                    Payload = payload,
                    Status = WebhookDeliveryStatus.Pending,
                    CreatedAt = at,
                    NextAttemptAt = at,
                });
            }
        }
        // New rows only, a few hundred a batch: written by bulk insert in the dispatcher's transaction, not tracked and saved.
        await BulkInsert.WriteAsync(db, deliveries, ct);
    }

    private static string Payload(Interaction interaction, (string? Email, string? Phone) customer) =>
        JsonSerializer.Serialize(new
        {
            id = interaction.Id,
            eventId = interaction.EventId,
            type = interaction.Type,
            channel = interaction.Channel,
            occurredAt = interaction.OccurredAt,
            profileId = interaction.ProfileId,
            customer = new { profileId = interaction.ProfileId, email = customer.Email, phone = customer.Phone },
            properties = WritableProperties(interaction.Properties),
        }, JsonSerializerOptions.Web);

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
