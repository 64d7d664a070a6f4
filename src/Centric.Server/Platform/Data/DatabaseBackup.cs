using Microsoft.Data.Sqlite;
using Npgsql;

namespace Centric.Server.Platform.Data;

/// <summary>A backup or restore that was not done, with what to do instead.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);

/// <summary>
/// `centric backup` and `centric restore`. On SQLite both go through SQLite's online backup API, page by page inside
/// SQLite, so a backup taken while the server writes is a consistent snapshot (WAL lets the writer carry on), and a
/// restore replaces the target's pages whatever its journal files hold. PostgreSQL has its own tools (pg_dump,
/// pg_restore); for it the commands say how to call them for the configured database.
/// </summary>
internal static class DatabaseBackup
{
    private const string MigrationsTable = "__EFMigrationsHistory";

    /// <summary>Copies the live SQLite database to <paramref name="output"/>, a new file; returns its full path.</summary>
    public static string BackupSqlite(string connectionString, string output)
    {
        var source = SqliteFile(connectionString);
        if (!File.Exists(source)) throw new BackupRefusedException($"There is no database at {source} to back up.");
        var target = Path.GetFullPath(output);
        if (File.Exists(target)) throw new BackupRefusedException($"{target} already exists: a backup never overwrites a file, choose a new name.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written under another name and renamed when complete, so a file with the chosen name is always a whole backup.
        var partial = target + ".partial";
        File.Delete(partial);
        using (var from = Open(source, SqliteOpenMode.ReadWrite))
        using (var to = Open(partial, SqliteOpenMode.ReadWriteCreate))
        {
            from.BackupDatabase(to);
            // One self-contained file: no -wal beside it, and it opens read-only anywhere.
            Execute(to, "PRAGMA journal_mode=DELETE;");
            Check(to, partial);
        }
        File.Move(partial, target);
        return target;
    }

    /// <summary>
    /// Replaces the configured SQLite database with the backup at <paramref name="input"/>. The server must be stopped:
    /// a running one keeps positions and caches that would no longer match. A database that holds tables is replaced
    /// only when <paramref name="replace"/> is set. Returns the restored database's full path.
    /// </summary>
    public static string RestoreSqlite(string connectionString, string input, bool replace)
    {
        var source = Path.GetFullPath(input);
        if (!File.Exists(source)) throw new BackupRefusedException($"There is no backup at {source}.");
        var target = SqliteFile(connectionString);
        using var from = Open(source, SqliteOpenMode.ReadOnly);
        try
        {
            Check(from, source);
        }
        catch (SqliteException e)
        {
            throw new BackupRefusedException($"{source} is not a SQLite database ({e.Message}).");
        }
        if (!HasTable(from, MigrationsTable)) throw new BackupRefusedException($"{source} is not a Centric database (it has no {MigrationsTable} table).");

        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        using var to = Open(target, SqliteOpenMode.ReadWriteCreate);
        if (!replace && Scalar(to, "SELECT count(*) FROM sqlite_master WHERE type = 'table'") > 0)
            throw new BackupRefusedException($"The database at {target} already holds data. Stop the server, then run restore again with --force to replace it.");
        from.BackupDatabase(to);
        Check(to, target);
        return target;
    }

    /// <summary>What to run on PostgreSQL, for the configured database (the password stays out: PGPASSWORD or ~/.pgpass).</summary>
    public static string PostgresGuidance(string connectionString, string? file, bool restore)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var target = $"host={csb.Host ?? "localhost"} port={csb.Port} dbname={csb.Database ?? "centric"} user={csb.Username ?? "postgres"}";
        var path = file ?? "centric.dump";
        return restore
            ? $"""
              On PostgreSQL, restore a pg_dump archive with pg_restore, with every Centric server stopped:
                pg_restore --clean --if-exists --no-owner --dbname="{target}" {path}
              (The password comes from PGPASSWORD or ~/.pgpass.) Start the servers afterwards: they apply any newer migrations.
              """
            : $"""
              On PostgreSQL, back up with pg_dump: it takes a consistent snapshot while the servers keep running.
                pg_dump --format=custom --file={path} "{target}"
              (The password comes from PGPASSWORD or ~/.pgpass.) See docs/operations.md for restoring.
              """;
    }

    private static string SqliteFile(string connectionString)
    {
        var csb = new SqliteConnectionStringBuilder(connectionString);
        if (string.IsNullOrEmpty(csb.DataSource) || csb.DataSource == ":memory:" || csb.Mode == SqliteOpenMode.Memory)
            throw new BackupRefusedException("The configured SQLite database lives in memory; there is no file to back up or restore.");
        return Path.GetFullPath(csb.DataSource);
    }

    private static SqliteConnection Open(string path, SqliteOpenMode mode)
    {
        // No pooling: the files are closed when the command ends, so the backup can be moved and the restored database opened.
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = mode, Pooling = false, DefaultTimeout = 30 }.ToString());
        connection.Open();
        return connection;
    }

    private static void Check(SqliteConnection connection, string path)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA quick_check;";
        if (command.ExecuteScalar() is not "ok") throw new BackupRefusedException($"{path} failed SQLite's integrity check.");
    }

    private static bool HasTable(SqliteConnection connection, string name)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $name";
        command.Parameters.AddWithValue("$name", name);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
