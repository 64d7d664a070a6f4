using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Centric.Server.Platform.Data;

/// <summary>
/// Inserts many new rows inside the caller's open transaction without EF's per-row change tracking and
/// INSERT statements: binary COPY on PostgreSQL, one prepared INSERT run per row on SQLite (in-process, so
/// that is as fast as SQLite gets). Columns come from the EF model — names, value converters and store types —
/// so the rows are exactly what SaveChanges would have written. Keys the database generates (the outbox
/// position) are left to the database. Used by event ingestion, where EF's per-entity cost dominated.
/// </summary>
internal static class BulkInsert
{
    public static async Task WriteAsync<T>(CentricDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Bulk inserts run inside the caller's transaction.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Database-generated keys (identity/autoincrement) are skipped; GUID keys are created in .NET and already set.
        var columns = entity.GetProperties()
            .Where(p => !(p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType != typeof(Guid)))
            .Select(p => new Column(p, p.GetColumnName(table)!, p.GetRelationalTypeMapping()))
            .ToArray();

        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql) await CopyAsync(npgsql, table, columns, rows, ct);
        else await InsertEachAsync((SqliteConnection)connection, db.Database.CurrentTransaction.GetDbTransaction(), table, columns, rows, ct);
    }

    private sealed record Column(IProperty Property, string Name, RelationalTypeMapping Mapping)
    {
        public object? ProviderValue(object entity)
        {
            var value = Property.GetGetter().GetClrValue(entity);
            return value is null ? null : Mapping.Converter?.ConvertToProvider(value) ?? value;
        }

        /// <summary>The store type without facets: "character varying(200)" → "character varying".</summary>
        public string DataTypeName => Mapping.StoreType.Split('(')[0].Trim();
    }

    private static async Task CopyAsync<T>(NpgsqlConnection connection, StoreObjectIdentifier table, Column[] columns, IEnumerable<T> rows, CancellationToken ct)
        where T : class
    {
        var name = table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";
        var sql = $"COPY {name} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) FROM STDIN (FORMAT BINARY)";
        var types = columns.Select(c => c.DataTypeName).ToArray();
        await using var importer = await connection.BeginBinaryImportAsync(sql, ct);
        foreach (var row in rows)
        {
            await importer.StartRowAsync(ct);
            for (var i = 0; i < columns.Length; i++)
            {
                if (columns[i].ProviderValue(row) is { } value) await importer.WriteAsync(value, types[i], ct);
                else await importer.WriteNullAsync(ct);
            }
        }
        await importer.CompleteAsync(ct);
    }

    private static async Task InsertEachAsync<T>(SqliteConnection connection, DbTransaction transaction, StoreObjectIdentifier table,
        Column[] columns, IEnumerable<T> rows, CancellationToken ct) where T : class
    {
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"INSERT INTO {Quote(table.Name)} ({string.Join(", ", columns.Select(c => Quote(c.Name)))}) " +
                              $"VALUES ({string.Join(", ", columns.Select((_, i) => "@p" + i))})";
        // The type mapping configures each parameter as SaveChanges would (e.g. GUIDs as upper-case text).
        var parameters = columns.Select((c, i) => c.Mapping.CreateParameter(command, "@p" + i, null, nullable: true)).ToArray();
        command.Parameters.AddRange(parameters);
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < columns.Length; i++) parameters[i].Value = columns[i].ProviderValue(row) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
