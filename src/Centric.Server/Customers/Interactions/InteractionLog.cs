using System.Text.Json;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;

namespace Centric.Server.Customers.Interactions;

/// <summary>
/// The one way any module records an interaction: the interaction and its outbox row are added to the
/// caller's unit of work, so they commit (or not) together with the state change that caused them.
/// </summary>
public sealed class InteractionLog(TimeProvider clock)
{
    public Interaction Append(CentricDbContext db, Guid profileId, string type, string channel,
        object? properties = null, string? sourceKind = null, string? sourceId = null, DateTime? occurredAt = null, string? eventId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var interaction = new Interaction
        {
            ProfileId = profileId,
            EventId = eventId ?? "internal:" + Guid.CreateVersion7().ToString("N"),
            Type = type,
            Channel = channel,
            OccurredAt = occurredAt ?? now,
            ReceivedAt = now,
            Properties = properties switch
            {
                null => "{}",
                string json => json,
                _ => JsonSerializer.Serialize(properties, JsonSerializerOptions.Web),
            },
            SourceKind = sourceKind,
            SourceId = sourceId,
        };
        Add(db, interaction);
        return interaction;
    }

    /// <summary>Adds an interaction built by the caller (ingestion) together with its outbox row.</summary>
    public static void Add(CentricDbContext db, Interaction interaction)
    {
        db.Interactions.Add(interaction);
        db.Outbox.Add(new OutboxMessage
        {
            InteractionId = interaction.Id,
            ProfileId = interaction.ProfileId,
            Type = interaction.Type,
            CreatedAt = interaction.ReceivedAt,
        });
    }
}
