using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace Centric.Server.Platform.Data;

public sealed class DatabaseOptions
{
    public const string Section = "Database";

    /// <summary>sqlite (embedded default) or postgres.</summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Database:Provider must be 'sqlite' or 'postgres'.")]
    public string Provider { get; set; } = "sqlite";

    /// <summary>Apply pending migrations at start-up; operators may turn this off and run `centric migrate`.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    /// <summary>
    /// Seed the demo business into an empty database. On in Development (appsettings.Development.json) and off elsewhere:
    /// the demo's staff logins have published passwords.
    /// </summary>
    public bool SeedDemoData { get; set; }

    public bool IsPostgres => string.Equals(Provider, "postgres", StringComparison.OrdinalIgnoreCase);
}

internal static class DatabaseSetup
{
    public static IHostApplicationBuilder AddCentricDatabase(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new();
        var connectionString = builder.Configuration.GetConnectionString("Default") ?? "Data Source=data/centric.db";

        // Commits of interactions wake this process's dispatcher (OutboxSignal).
        builder.Services.AddSingleton<Outbox.OutboxSignal>();
        builder.Services.AddSingleton<Outbox.OutboxCommitInterceptor>();
        // `ids.Contains(x.Id)` becomes one array parameter (PostgreSQL `= ANY(@ids)`, SQLite `json_each`) rather than
        // EF 10's default of one parameter per element: a batch of any size then reuses one cached query and one
        // SQL plan, instead of compiling a new query shape for each list length.
        // Contexts are pooled: a request reuses a reset context instead of building a new one and its services.
        if (options.IsPostgres)
        {
            connectionString = TunePostgres(connectionString);
            builder.Services.AddDbContextPool<CentricDbContext, PostgresCentricDbContext>((sp, o) =>
                o.UseNpgsql(connectionString, npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                    .AddInterceptors(sp.GetRequiredService<Outbox.OutboxCommitInterceptor>()));
        }
        else
        {
            connectionString = PrepareSqlite(connectionString, builder.Environment.ContentRootPath);
            // Writers queue in-process for SQLite's one write lock instead of sleeping in its busy loop (see SqliteWriteGate).
            builder.Services.AddDbContextPool<CentricDbContext, SqliteCentricDbContext>((sp, o) =>
                o.UseSqlite(connectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                    .AddInterceptors(SqliteWriteGate.Interceptor, sp.GetRequiredService<Outbox.OutboxCommitInterceptor>())
                    .ReplaceService<Microsoft.EntityFrameworkCore.Storage.IRelationalTransactionFactory, SqliteWriteGate.TransactionFactory>());
        }
        return builder;
    }

    /// <summary>
    /// Pool settings for a busy server, unless the operator chose otherwise: EF opens and closes the connection around
    /// each query, and by default every return to the pool queues a DISCARD ALL (a third of all statements on a
    /// checkout). Nothing here keeps session state between uses (advisory locks are transaction-scoped, no SET, no
    /// LISTEN), so the reset is skipped; and statements the server sends over and over are prepared once per connection.
    /// </summary>
    private static string TunePostgres(string connectionString)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose")) csb.NoResetOnClose = true;
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare")) csb.MaxAutoPrepare = 256;
        return csb.ConnectionString;
    }

    /// <summary>Makes a relative SQLite path relative to the content root and creates its folder.</summary>
    private static string PrepareSqlite(string connectionString, string contentRoot)
    {
        var csb = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);
        if (!string.IsNullOrEmpty(csb.DataSource) && csb.DataSource != ":memory:" && csb.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            if (!Path.IsPathRooted(csb.DataSource)) csb.DataSource = Path.Combine(contentRoot, csb.DataSource);
            Directory.CreateDirectory(Path.GetDirectoryName(csb.DataSource)!);
        }
        // Writers wait for each other instead of failing with SQLITE_BUSY.
        if (csb.DefaultTimeout < 30) csb.DefaultTimeout = 30;
        return csb.ToString();
    }

    /// <summary>Creates the PostgreSQL database when missing, then applies pending migrations.</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        await MigrateAsync(scope.ServiceProvider.GetRequiredService<CentricDbContext>(), ct);
    }

    /// <summary>What <c>centric migrate</c> and the start-up do to a database: create it when missing, then migrate.</summary>
    public static async Task MigrateAsync(CentricDbContext db, CancellationToken ct)
    {
        if (db.IsPostgres) await EnsurePostgresDatabaseAsync(db.Database.GetConnectionString()!, ct);
        if (!db.IsPostgres)
        {
            // WAL lets readers (the console, the dispatcher) run beside the one writer.
            await db.Database.OpenConnectionAsync(ct);
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            await db.Database.CloseConnectionAsync();
        }
        await SquashedMigrations.RewriteHistoryAsync(db, ct);
        // A migration may build an index over a large table (the timeline's interactions): far longer than a request's 30 s.
        var timeout = db.Database.GetCommandTimeout();
        db.Database.SetCommandTimeout(TimeSpan.FromHours(2));
        try
        {
            await db.Database.MigrateAsync(ct);
        }
        finally
        {
            db.Database.SetCommandTimeout(timeout);
        }
    }

    public static async Task EnsurePostgresDatabaseAsync(string connectionString, CancellationToken ct)
    {
        var csb = new NpgsqlConnectionStringBuilder(connectionString);
        var database = csb.Database ?? "centric";
        csb.Database = "postgres";
        csb.Pooling = false;
        await using var conn = new NpgsqlConnection(csb.ConnectionString);
        await conn.OpenAsync(ct);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        exists.Parameters.AddWithValue("n", database);
        if (await exists.ExecuteScalarAsync(ct) is not null) return;
        // The name comes from the operator's own configuration; quote it as an identifier.
        await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", conn);
        try { await create.ExecuteNonQueryAsync(ct); }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase) { }
    }
}

/// <summary>Design-time factories so `dotnet ef migrations add` works per provider.</summary>
internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteCentricDbContext>
{
    public SqliteCentricDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteCentricDbContext>().UseSqlite("Data Source=design.db").Options);
}

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresCentricDbContext>
{
    public PostgresCentricDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresCentricDbContext>().UseNpgsql("Host=localhost;Database=centric_design").Options);
}
