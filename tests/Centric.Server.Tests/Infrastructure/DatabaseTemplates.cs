using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// Fresh test databases start as copies of one database migrated once per test run and provider, rather than each host
/// migrating its own from nothing (on PostgreSQL about a second a host, for some forty hosts a run). The host's own
/// migration step still runs and finds nothing to do; the migrations from nothing run here, and from the previous
/// commit's schema in the upgrade tests.
/// </summary>
internal static class DatabaseTemplates
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static string? _sqliteTemplate;
    private static string? _postgresTemplate;

    /// <summary>Makes the SQLite file at <paramref name="path"/> a copy of the migrated template.</summary>
    public static void CopySqlite(string path) => OneAtATime(() =>
    {
        _sqliteTemplate ??= MigrateSqliteTemplate();
        File.Copy(_sqliteTemplate, path, overwrite: false);
    });

    /// <summary>Creates the PostgreSQL database <paramref name="database"/> as a copy of the migrated template.</summary>
    public static void CreatePostgres(string server, string database) => OneAtATime(() =>
    {
        _postgresTemplate ??= MigratePostgresTemplate(server);
        // Copies one at a time: PostgreSQL refuses a copy while anything else uses the template.
        Execute(server, $"CREATE DATABASE \"{database}\" TEMPLATE \"{_postgresTemplate}\"");
    });

    /// <summary>Templates are made once, and copied while nothing else touches them.</summary>
    private static void OneAtATime(Action work)
    {
        Gate.Wait();
        try { work(); }
        finally { Gate.Release(); }
    }

    private static string MigrateSqliteTemplate()
    {
        var path = Path.Combine(Path.GetTempPath(), $"centric-test-template-{Guid.NewGuid():N}.db");
        var options = new DbContextOptionsBuilder<SqliteCentricDbContext>().UseSqlite($"Data Source={path};Pooling=False").Options;
        using (var db = new SqliteCentricDbContext(options)) DatabaseSetup.MigrateAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var f in new[] { path, path + "-wal", path + "-shm" }) File.Delete(f);
        };
        return path;
    }

    private static string MigratePostgresTemplate(string server)
    {
        var name = $"centric_t_template_{Guid.NewGuid():N}"[..40];
        var connection = new NpgsqlConnectionStringBuilder(server) { Database = name, Pooling = false }.ConnectionString;
        var options = new DbContextOptionsBuilder<PostgresCentricDbContext>().UseNpgsql(connection).Options;
        using (var db = new PostgresCentricDbContext(options)) DatabaseSetup.MigrateAsync(db, CancellationToken.None).GetAwaiter().GetResult();
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Execute(server, $"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"); }
            catch (NpgsqlException) { }   // the cluster may be gone already; it is a throwaway one
        };
        return name;
    }

    private static void Execute(string server, string sql)
    {
        using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres", Pooling = false }.ConnectionString);
        conn.Open();
        using var command = new NpgsqlCommand(sql, conn);
        command.ExecuteNonQuery();
    }
}
