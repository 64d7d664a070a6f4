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
/// position) are left to the database. Used by event ingestion, where EF's per-entity cost dominated, by two stream
/// subscribers (<see cref="WriteAddedAsync"/>: the journeys' walks with their messages and interactions, the KPI rollups'
/// visits, cost drivers and counted orders), and
/// (<see cref="UpdateAsync"/>) by a full scoring, which rewrites a score row per customer.
/// </summary>
internal static class BulkInsert
{
    public static Task WriteAsync<T>(CentricDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class =>
        WriteRowsAsync(db, db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped."), rows, ct);

    /// <summary>
    /// Writes the rows the unit of work adds by bulk insert, type by type, and stops tracking them, so the save that follows
    /// writes only the changes to rows that were read. Left to that save: types with a foreign key to a type also being added
    /// (the save orders those) and types bulk insert cannot write from the entity alone (shadow properties, navigations).
    /// Returns how many rows were written. The caller detects changes first.
    /// </summary>
    public static async Task<int> WriteAddedAsync(CentricDbContext db, CancellationToken ct)
    {
        var added = db.ChangeTracker.Entries().Where(e => e.State == EntityState.Added).GroupBy(e => e.Metadata).ToList();
        var adding = added.Select(g => g.Key).ToHashSet();
        var written = 0;
        foreach (var group in added.Where(g => Writable(g.Key, adding)))
        {
            var entries = group.ToList();
            await WriteRowsAsync(db, group.Key, entries.ConvertAll(e => e.Entity), ct);
            foreach (var entry in entries) entry.State = EntityState.Detached;
            written += entries.Count;
        }
        return written;
    }

    private static bool Writable(IEntityType entity, HashSet<IEntityType> adding) =>
        entity.BaseType is null && !entity.GetDerivedTypes().Any() && !entity.IsOwned()
        && !entity.GetNavigations().Any() && !entity.GetSkipNavigations().Any()
        && !entity.GetProperties().Any(p => p.IsShadowProperty())
        && !entity.GetForeignKeys().Any(fk => adding.Contains(fk.PrincipalEntityType));

    private static async Task WriteRowsAsync<T>(CentricDbContext db, IEntityType entity, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Bulk inserts run inside the caller's transaction.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        // Database-generated keys (identity/autoincrement) are skipped; GUID keys are created in .NET and already set.
        var columns = entity.GetProperties()
            .Where(p => !(p.ValueGenerated == ValueGenerated.OnAdd && p.ClrType != typeof(Guid)))
            .Select(p => new Column(p, p.GetColumnName(table)!, p.GetRelationalTypeMapping()))
            .ToArray();

        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql) await CopyAsync(npgsql, QualifiedName(table), columns, rows, ct);
        else await InsertEachAsync((SqliteConnection)connection, db.Database.CurrentTransaction.GetDbTransaction(), table, columns, rows, ct);
    }

    /// <summary>
    /// Overwrites the rows with these keys, every column, inside the caller's open transaction; a row deleted meanwhile
    /// stays deleted. PostgreSQL: binary COPY into a temporary table, then one UPDATE … FROM; SQLite: one prepared UPDATE
    /// run per row.
    /// </summary>
    public static async Task UpdateAsync<T>(CentricDbContext db, IReadOnlyCollection<T> rows, CancellationToken ct) where T : class
    {
        if (rows.Count == 0) return;
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Bulk updates run inside the caller's transaction.");
        var entity = db.Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not mapped.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var columns = entity.GetProperties().Select(p => new Column(p, p.GetColumnName(table)!, p.GetRelationalTypeMapping())).ToArray();
        var keys = entity.FindPrimaryKey()!.Properties.Select(p => p.GetColumnName(table)!).ToHashSet(StringComparer.Ordinal);
        var (keyColumns, valueColumns) = (columns.Where(c => keys.Contains(c.Name)).ToArray(), columns.Where(c => !keys.Contains(c.Name)).ToArray());

        var connection = db.Database.GetDbConnection();
        if (connection is NpgsqlConnection npgsql)
        {
            var staging = Quote("bulk_update_" + table.Name);
            await ExecuteAsync(npgsql, $"CREATE TEMP TABLE {staging} (LIKE {QualifiedName(table)}) ON COMMIT DROP", ct);
            await CopyAsync(npgsql, staging, columns, rows, ct);
            await ExecuteAsync(npgsql, $"UPDATE {QualifiedName(table)} AS t SET {string.Join(", ", valueColumns.Select(c => $"{Quote(c.Name)} = s.{Quote(c.Name)}"))} " +
                                       $"FROM {staging} AS s WHERE {string.Join(" AND ", keyColumns.Select(c => $"t.{Quote(c.Name)} = s.{Quote(c.Name)}"))}", ct);
            // Dropped now, not only at commit, so the same transaction can update this table in bulk again.
            await ExecuteAsync(npgsql, $"DROP TABLE {staging}", ct);
            return;
        }

        await using var command = ((SqliteConnection)connection).CreateCommand();
        command.Transaction = (SqliteTransaction)db.Database.CurrentTransaction.GetDbTransaction();
        var ordered = valueColumns.Concat(keyColumns).ToArray();
        command.CommandText = $"UPDATE {Quote(table.Name)} SET {string.Join(", ", valueColumns.Select((c, i) => $"{Quote(c.Name)} = @p{i}"))} " +
                              $"WHERE {string.Join(" AND ", keyColumns.Select((c, i) => $"{Quote(c.Name)} = @p{valueColumns.Length + i}"))}";
        var parameters = ordered.Select((c, i) => c.Mapping.CreateParameter(command, "@p" + i, null, nullable: true)).ToArray();
        command.Parameters.AddRange(parameters);
        command.Prepare();
        foreach (var row in rows)
        {
            for (var i = 0; i < ordered.Length; i++) parameters[i].Value = ordered[i].ProviderValue(row) ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        // No time limit: the statement's size is the caller's batch, and background work that writes in bulk can be long.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(ct);
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

    private static async Task CopyAsync<T>(NpgsqlConnection connection, string name, Column[] columns, IEnumerable<T> rows, CancellationToken ct)
        where T : class
    {
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

    private static string QualifiedName(StoreObjectIdentifier table) => table.Schema is null ? Quote(table.Name) : $"{Quote(table.Schema)}.{Quote(table.Name)}";

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
