using Centric.Server.Platform.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Centric.Server.Platform.Webhooks;

/// <summary>What one attempt did to its delivery: the delivery's state after it.</summary>
internal readonly record struct DeliveryOutcome(Guid Id, int Attempts, WebhookDeliveryStatus Status, DateTime NextAttemptAt,
    DateTime? DeliveredAt, int? StatusCode, string? Error);

/// <summary>
/// Writes a turn's outcomes inside the caller's transaction. A row changes only if it is still pending with the attempt
/// count the turn read, so a turn that lost its subscription to another node cannot undo what that node recorded.
/// PostgreSQL: one statement for the whole turn. SQLite: one prepared statement run per row (in-process, so no round trips).
/// </summary>
internal static class DeliveryOutcomes
{
    private const string PostgresUpdate = """
        UPDATE platform_webhook_deliveries AS d
        SET "Status" = v.status, "Attempts" = v.attempts, "NextAttemptAt" = v.next_attempt_at, "DeliveredAt" = v.delivered_at,
            "LastStatusCode" = v.status_code, "LastError" = v.error
        FROM unnest($1::uuid[], $2::integer[], $3::integer[], $4::timestamptz[], $5::timestamptz[], $6::integer[], $7::text[])
            AS v(id, attempts, status, next_attempt_at, delivered_at, status_code, error)
        WHERE d."Id" = v.id AND d."Status" = 0 AND d."Attempts" = v.attempts - 1
        """;

    public static async Task WriteAsync(CentricDbContext db, IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken ct)
    {
        if (outcomes.Count == 0) return;
        if (db.Database.CurrentTransaction is not { } tx) throw new InvalidOperationException("Outcomes are written inside the caller's transaction.");
        if (db.Database.GetDbConnection() is NpgsqlConnection connection)
        {
            // Types named: a timestamp array holding nulls cannot be told from "timestamp without time zone" by its values.
            await using var command = new NpgsqlCommand(PostgresUpdate, connection);
            command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. outcomes.Select(o => o.Id)], DataTypeName = "uuid[]" });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. outcomes.Select(o => o.Attempts)], DataTypeName = "integer[]" });
            command.Parameters.Add(new NpgsqlParameter<int[]> { TypedValue = [.. outcomes.Select(o => (int)o.Status)], DataTypeName = "integer[]" });
            command.Parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. outcomes.Select(o => o.NextAttemptAt)], DataTypeName = "timestamptz[]" });
            command.Parameters.Add(new NpgsqlParameter<DateTime?[]> { TypedValue = [.. outcomes.Select(o => o.DeliveredAt)], DataTypeName = "timestamptz[]" });
            command.Parameters.Add(new NpgsqlParameter<int?[]> { TypedValue = [.. outcomes.Select(o => o.StatusCode)], DataTypeName = "integer[]" });
            command.Parameters.Add(new NpgsqlParameter<string?[]> { TypedValue = [.. outcomes.Select(o => o.Error)], DataTypeName = "text[]" });
            await command.ExecuteNonQueryAsync(ct);
            return;
        }
        await UpdateEachAsync(db, (SqliteConnection)db.Database.GetDbConnection(), (SqliteTransaction)tx.GetDbTransaction(), outcomes, ct);
    }

    private static async Task UpdateEachAsync(CentricDbContext db, SqliteConnection connection, SqliteTransaction transaction,
        IReadOnlyList<DeliveryOutcome> outcomes, CancellationToken ct)
    {
        var entity = db.Model.FindEntityType(typeof(WebhookDelivery))!;
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = """
            UPDATE "platform_webhook_deliveries"
            SET "Status" = @status, "Attempts" = @attempts, "NextAttemptAt" = @next, "DeliveredAt" = @delivered,
                "LastStatusCode" = @code, "LastError" = @error
            WHERE "Id" = @id AND "Status" = 0 AND "Attempts" = @attempts - 1
            """;
        // Each parameter is set up by the column's type mapping, so values are stored exactly as SaveChanges stores them
        // (GUIDs as upper-case text, UTC timestamps as text).
        Action<object?> Parameter(string property, string name)
        {
            var p = entity.FindProperty(property)!;
            var mapping = p.GetRelationalTypeMapping();
            var parameter = mapping.CreateParameter(command, name, null, nullable: true);
            command.Parameters.Add(parameter);
            return value => parameter.Value = value is null ? DBNull.Value : mapping.Converter?.ConvertToProvider(value) ?? value;
        }
        var id = Parameter(nameof(WebhookDelivery.Id), "@id");
        var status = Parameter(nameof(WebhookDelivery.Status), "@status");
        var attempts = Parameter(nameof(WebhookDelivery.Attempts), "@attempts");
        var next = Parameter(nameof(WebhookDelivery.NextAttemptAt), "@next");
        var delivered = Parameter(nameof(WebhookDelivery.DeliveredAt), "@delivered");
        var code = Parameter(nameof(WebhookDelivery.LastStatusCode), "@code");
        var error = Parameter(nameof(WebhookDelivery.LastError), "@error");
        command.Prepare();
        foreach (var o in outcomes)
        {
            id(o.Id);
            status(o.Status);
            attempts(o.Attempts);
            next(o.NextAttemptAt);
            delivered(o.DeliveredAt);
            code(o.StatusCode);
            error(o.Error);
            await command.ExecuteNonQueryAsync(ct);
        }
    }
}
