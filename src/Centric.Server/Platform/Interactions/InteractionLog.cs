using System.Text.Json;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Centric.Server.Platform.Interactions;

/// <summary>
/// The one way any module records an interaction: the interaction and its outbox row are added to the
/// caller's unit of work, so they commit (or not) together with the state change that caused them.
/// </summary>
public sealed class InteractionLog(TimeProvider clock)
{
    /// <summary>
    /// The event ids of imported history start with this: a business's past is loaded once, and is not news to webhook subscribers.
    /// </summary>
    public const string ImportedPrefix = "import:";

    public Interaction Append<TProperties>(CentricDbContext db, Guid profileId, InteractionType<TProperties> type, string channel,
        TProperties properties, string? sourceKind = null, string? sourceId = null, DateTime? occurredAt = null, string? eventId = null)
        where TProperties : class
    {
        var interaction = Create(profileId, type, channel, properties, sourceKind, sourceId, occurredAt, eventId);
        Add(db, interaction);
        return interaction;
    }

    /// <summary>An interaction as <see cref="Append"/> records it, not yet added anywhere: for <see cref="WriteNewAsync"/>.</summary>
    public Interaction Create<TProperties>(Guid profileId, InteractionType<TProperties> type, string channel,
        TProperties properties, string? sourceKind = null, string? sourceId = null, DateTime? occurredAt = null, string? eventId = null)
        where TProperties : class
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return new Interaction
        {
            ProfileId = profileId,
            EventId = eventId ?? "internal:" + Guid.CreateVersion7().ToString("N"),
            Type = type.Name,
            Channel = channel,
            OccurredAt = occurredAt ?? now,
            ReceivedAt = now,
            Properties = JsonSerializer.Serialize(properties, JsonSerializerOptions.Web),
            SourceKind = sourceKind,
            SourceId = sourceId,
        };
    }

    /// <summary>
    /// Writes interactions built with <see cref="Create"/> — new internal event ids, so none can be a duplicate — each with
    /// its outbox row, by bulk insert into the caller's open transaction: the same rows and the same commit as
    /// <see cref="Append"/> for work that records many at once (a full scoring's material changes).
    /// </summary>
    public static async Task WriteNewAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        db.WroteOutbox = true;
        await BulkInsert.WriteAsync(db, batch, ct);
        await BulkInsert.WriteAsync(db, batch.Select(i => new OutboxMessage
        {
            InteractionId = i.Id, ProfileId = i.ProfileId, Type = i.Type, CreatedAt = i.ReceivedAt,
        }).ToList(), ct);
    }

    /// <summary>
    /// Writes many interactions built by the caller (event ingestion), each with its outbox row, straight into the
    /// caller's open transaction: the same rows and the same commit as <see cref="Add"/>, without per-row change
    /// tracking. An interaction whose event id a concurrent transaction stored first is skipped, with its outbox row.
    /// Returns how many were stored.
    /// </summary>
    public static async Task<int> WriteBatchAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        if (batch.Count == 0) return 0;
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            db.WroteOutbox = true;
            // One statement: ON CONFLICT waits for a concurrent batch holding the same event id and skips the row
            // if that batch commits, so a client's overlapping retry is a duplicate, not a failed batch.
            await using var command = new NpgsqlCommand(InsertIgnoringDuplicates, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("id", [.. batch.Select(i => i.Id)]));
            command.Parameters.Add(new NpgsqlParameter<Guid[]>("profile", [.. batch.Select(i => i.ProfileId)]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("event", [.. batch.Select(i => i.EventId)]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("type", [.. batch.Select(i => i.Type)]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("channel", [.. batch.Select(i => i.Channel)]));
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>("occurred", [.. batch.Select(i => i.OccurredAt)]));
            command.Parameters.Add(new NpgsqlParameter<DateTime[]>("received", [.. batch.Select(i => i.ReceivedAt)]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("anonymous", [.. batch.Select(i => i.AnonymousId)]));
            command.Parameters.Add(new NpgsqlParameter<string[]>("properties", [.. batch.Select(i => i.Properties)]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("sourceKind", [.. batch.Select(i => i.SourceKind)]));
            command.Parameters.Add(new NpgsqlParameter<string?[]>("sourceId", [.. batch.Select(i => i.SourceId)]));
            return await command.ExecuteNonQueryAsync(ct);
        }

        // SQLite runs one writer at a time, so nothing can have stored these event ids since the caller looked.
        await WriteNewAsync(db, batch, ct);
        return batch.Count;
    }

    // Keep in step with the Interaction and OutboxMessage mappings (PlatformModel.cs). The outbox's
    // TransactionId is left to its column default, the writing transaction (see InteractionDispatcher).
    private const string InsertIgnoringDuplicates = """
        WITH batch AS (
            SELECT * FROM unnest(@id, @profile, @event, @type, @channel, @occurred, @received, @anonymous, @properties, @sourceKind, @sourceId)
                WITH ORDINALITY AS b("Id", "ProfileId", "EventId", "Type", "Channel", "OccurredAt", "ReceivedAt", "AnonymousId", "Properties", "SourceKind", "SourceId", n)
        ), stored AS (
            INSERT INTO customers_interactions ("Id", "ProfileId", "EventId", "Type", "Channel", "OccurredAt", "ReceivedAt", "AnonymousId", "Properties", "SourceKind", "SourceId")
            SELECT "Id", "ProfileId", "EventId", "Type", "Channel", "OccurredAt", "ReceivedAt", "AnonymousId", "Properties", "SourceKind", "SourceId" FROM batch ORDER BY n
            ON CONFLICT ("EventId") DO NOTHING
            RETURNING "Id", "ProfileId", "Type", "ReceivedAt"
        )
        INSERT INTO platform_outbox ("InteractionId", "ProfileId", "Type", "CreatedAt")
        SELECT s."Id", s."ProfileId", s."Type", s."ReceivedAt" FROM stored s JOIN batch b ON b."Id" = s."Id" ORDER BY b.n
        """;

    /// <summary>Adds an interaction built by the caller together with its outbox row.</summary>
    public static void Add(CentricDbContext db, Interaction interaction)
    {
        db.Interactions.Add(interaction);
        db.WroteOutbox = true;
        db.Outbox.Add(new OutboxMessage
        {
            InteractionId = interaction.Id,
            ProfileId = interaction.ProfileId,
            Type = interaction.Type,
            CreatedAt = interaction.ReceivedAt,
        });
    }
}
