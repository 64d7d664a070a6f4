using System.Diagnostics;
using Npgsql;

namespace Centric.Bench.Platform;

/// <summary>
/// The PostgreSQL ceiling for ingestion: the very rows the HTTP run stored (profiles, identities, interactions,
/// outbox) re-loaded with binary COPY into empty tables of identical shape in the same database
/// (schema "ceiling", CREATE TABLE ... (LIKE public.x INCLUDING ALL): same columns, keys, unique and secondary
/// indexes). The rows are first exported with COPY TO (binary) into memory, untimed; only the loads are timed,
/// one connection, one COPY per table, in one transaction. No parsing, validation, dedupe or identity resolution:
/// what the disk, WAL and index maintenance allow on this machine.
/// </summary>
public static class CopyCeiling
{
    private static readonly string[] IngestionTables = ["customers_profiles", "customers_identities", "customers_interactions", "platform_outbox"];

    public static async Task<(double Seconds, Dictionary<string, long> Rows)> RunAsync(string connectionString, string[]? tables = null)
    {
        var Tables = tables ?? IngestionTables;
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await Execute(conn, "DROP SCHEMA IF EXISTS ceiling CASCADE; CREATE SCHEMA ceiling;");
        var exported = new Dictionary<string, byte[]>();
        var rows = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            await Execute(conn, $"CREATE TABLE ceiling.\"{table}\" (LIKE public.\"{table}\" INCLUDING ALL);");
            using var buffer = new MemoryStream();
            await using (var reader = await conn.BeginRawBinaryCopyAsync($"COPY public.\"{table}\" TO STDOUT (FORMAT binary)"))
                await reader.CopyToAsync(buffer);
            exported[table] = buffer.ToArray();
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM public.\"{table}\"", conn);
            rows[table] = (long)(await count.ExecuteScalarAsync())!;
        }
        await Execute(conn, "CHECKPOINT;"); // start from a clean WAL position, like the HTTP run did

        var started = Stopwatch.GetTimestamp();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            foreach (var table in Tables)
            {
                await using (var writer = await conn.BeginRawBinaryCopyAsync($"COPY ceiling.\"{table}\" FROM STDIN (FORMAT binary)"))
                    await writer.WriteAsync(exported[table]);
            }
            await tx.CommitAsync();
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Execute(conn, "DROP SCHEMA ceiling CASCADE;");
        return (seconds, rows);
    }

    private static async Task Execute(NpgsqlConnection conn, string sql)
    {
        await using var command = new NpgsqlCommand(sql, conn);
        await command.ExecuteNonQueryAsync();
    }
}
