using System.Data.Common;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// An installation upgraded to this commit: the previous commit's server (built by ./test.sh from HEAD~1 and named in
/// CENTRIC_PREVIOUS_SERVER) creates a database and fills it with the demo business, as a running installation would
/// have; then this commit's migrations upgrade it in place. Nothing may be pending, no row lost, the schema must be
/// exactly what a fresh installation of this commit gets, and the server must read the old data. A migration that was
/// edited after a database was made with it fails here, and so does a squash that does not rewrite such a database's
/// history (see SquashedMigrations).
/// </summary>
public abstract class UpgradeTests(string provider)
{
    private const string OldKey = "ck_upgrade_bootstrap_admin_key_0123456789abcdef";

    [SkippableFact]
    public async Task A_database_made_by_the_previous_commit_upgrades_in_place_without_losing_rows()
    {
        var previousServer = await PreviousServerAsync();
        var run = Guid.NewGuid().ToString("N")[..12];
        var database = provider == "postgres" ? "centric_up_" + run : Path.Combine(Path.GetTempPath(), $"centric-upgrade-{run}.db");
        await using var upgraded = new CentricAppFactory(provider, sharedDatabase: database).With("CENTRIC_BOOTSTRAP_API_KEY", OldKey);
        upgraded.SkipIfUnavailable();
        var connectionString = upgraded.ConnectionString!;
        await using var fresh = new CentricAppFactory(provider);
        try
        {
            // The previous commit's server creates the database, seeds the demo and is killed once it serves requests, its
            // background work perhaps mid-way (an upgrade must cope with a server that did not stop cleanly).
            await using (var old = new ServerProcess(new Dictionary<string, string>
            {
                ["Database__Provider"] = provider,
                ["ConnectionStrings__Default"] = connectionString,
                ["Database__SeedDemoData"] = "true",
                // A short demo history: enough rows in every table, without minutes of seeding (older builds ignore it).
                ["Demo__HistoryDays"] = "30",   // the fewest the demo allows
                ["CENTRIC_BOOTSTRAP_API_KEY"] = OldKey,
                ["Logging__LogLevel__Default"] = "Warning",
            }, previousServer))
            {
                await old.StartAsync(TimeSpan.FromMinutes(10), startedOnly: true);
            }
            var before = await CountRowsAsync(connectionString);
            Assert.True(before.GetValueOrDefault("customers_profiles") > 0, "the previous server seeded no customers");

            // This commit's migrations, as `centric migrate` (or the start-up) applies them.
            var squashedSince = false;
            await using (var db = Context(connectionString))
            {
                var applied = (await db.Database.GetAppliedMigrationsAsync()).ToList();
                try
                {
                    await Centric.Server.Platform.Data.DatabaseSetup.MigrateAsync(db, default);
                }
                catch (DbException e)
                {
                    Assert.Fail($"this commit's migrations do not apply to the previous commit's database ({e.Message}).\n" +
                        $"It had applied: {string.Join(", ", applied)}\nThis commit has: {string.Join(", ", db.Database.GetMigrations())}\n" +
                        "A migration an installation may have applied must never be edited, renamed or squashed; add a new one.");
                }
                Assert.Empty(await db.Database.GetPendingMigrationsAsync());
                squashedSince = applied.Except(db.Database.GetMigrations()).Any();
            }
            var after = await CountRowsAsync(connectionString);
            var lost = before.Where(t => t.Key != "__EFMigrationsHistory" && !MovedTables.ContainsKey(t.Key) && after.GetValueOrDefault(t.Key, -1) != t.Value)
                .Select(t => $"{t.Key}: {t.Value} rows before, {(after.TryGetValue(t.Key, out var n) ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "no table")} after")
                .ToList();
            // A table a migration replaced: each of its rows is one row of the table that took its place.
            foreach (var (old, replacement) in MovedTables.Where(m => before.ContainsKey(m.Key) && !after.ContainsKey(m.Key)))
                if (after.GetValueOrDefault(replacement) != before[old] + before.GetValueOrDefault(replacement))
                    lost.Add($"{old} → {replacement}: {before[old]} rows moved, {after.GetValueOrDefault(replacement) - before.GetValueOrDefault(replacement)} arrived");
            Assert.True(lost.Count == 0, "the upgrade changed the rows of:\n" + string.Join('\n', lost));

            // The upgraded schema is the one a fresh installation of this commit gets.
            if (provider == "postgres") await Centric.Server.Platform.Data.DatabaseSetup.EnsurePostgresDatabaseAsync(fresh.ConnectionString!, default);
            await using (var db = Context(fresh.ConnectionString!))
                await db.Database.MigrateAsync();
            // Across a squash of the migrations (the old database applied ids this commit no longer has), the defaults an
            // old ADD COLUMN left behind stay (a fresh table has none); Centric always writes every column, so they never
            // apply. Everything else must still match.
            var expected = await SchemaAsync(fresh.ConnectionString!, withDefaults: !squashedSince);
            var actual = await SchemaAsync(connectionString, withDefaults: !squashedSince);
            var missing = expected.Except(actual).ToList();
            var extra = actual.Except(expected).ToList();
            Assert.True(missing.Count == 0 && extra.Count == 0,
                "the upgraded schema differs from a fresh one.\nOnly in a fresh database:\n  " + string.Join("\n  ", missing)
                + "\nOnly in the upgraded one:\n  " + string.Join("\n  ", extra));

            // This commit's server reads what the previous one wrote: the API key, a customer, the help centre's index.
            using var api = upgraded.ClientWithKey(OldKey);
            var found = await api.GetFromJsonAsync<JsonElement>("/api/v1/customers?email=ana.silva%40example.com");
            Assert.Equal("ana.silva@example.com", found.GetProperty("items")[0].GetProperty("email").GetString());
            using var help = await api.GetAsync(new Uri("/help/api/search?q=return", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, help.StatusCode);
            var hits = await help.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Contains(hits.EnumerateArray(), h => h.GetProperty("slug").GetString() == "returns");
        }
        finally
        {
            await DropAsync(database);
        }
    }

    /// <summary>The previous commit's Centric.Server.dll; skipped only when ./test.sh said why there is none, or outside it.</summary>
    private static async Task<string> PreviousServerAsync()
    {
        if (Environment.GetEnvironmentVariable("CENTRIC_PREVIOUS_SERVER") is { Length: > 0 } path)
        {
            // ./test.sh builds it while the suites run, and writes "ok" (or why not) to this file when it is done.
            if (Environment.GetEnvironmentVariable("CENTRIC_PREVIOUS_READY") is { Length: > 0 } ready)
            {
                var until = DateTime.UtcNow.AddMinutes(15);
                while (!File.Exists(ready) && DateTime.UtcNow < until) await Task.Delay(TimeSpan.FromSeconds(2));
                var said = File.Exists(ready) ? (await File.ReadAllTextAsync(ready)).Trim() : "the previous commit's build did not finish within 15 minutes";
                if (said != "ok") throw new InvalidOperationException(said);
            }
            if (!File.Exists(path)) throw new FileNotFoundException($"CENTRIC_PREVIOUS_SERVER names {path}, which does not exist (did the previous commit build?)");
            return path;
        }
        if (Environment.GetEnvironmentVariable("CENTRIC_PREVIOUS_UNAVAILABLE") is { Length: > 0 } why)
            throw new SkipException("no previous commit to upgrade from: " + why);
        if (Environment.GetEnvironmentVariable("CENTRIC_TEST_RUN") == "1")
            throw new InvalidOperationException("./test.sh builds the previous commit's server and names it in CENTRIC_PREVIOUS_SERVER, which is not set");
        throw new SkipException("needs a previous commit's server: ./test.sh builds HEAD~1 and names its Centric.Server.dll in CENTRIC_PREVIOUS_SERVER");
    }

    private Centric.Server.Platform.Data.CentricDbContext Context(string connectionString) => provider == "sqlite"
        ? new Centric.Server.Platform.Data.SqliteCentricDbContext(new DbContextOptionsBuilder<Centric.Server.Platform.Data.SqliteCentricDbContext>().UseSqlite(connectionString).Options)
        : new Centric.Server.Platform.Data.PostgresCentricDbContext(new DbContextOptionsBuilder<Centric.Server.Platform.Data.PostgresCentricDbContext>().UseNpgsql(connectionString).Options);

    private DbConnection Open(string connectionString) =>
        provider == "sqlite" ? new SqliteConnection(connectionString) : new NpgsqlConnection(connectionString);

    private static async Task<List<string>> QueryAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
            rows.Add(string.Join(" | ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        return rows;
    }

    private async Task<List<string>> TablesAsync(DbConnection connection) => await QueryAsync(connection, provider == "sqlite"
        ? "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> '__EFMigrationsLock' ORDER BY name"
        : "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name");

    /// <summary>Tables a migration replaced with another, whose rows it copied there (old table → new table).</summary>
    private static readonly Dictionary<string, string> MovedTables = new(StringComparer.Ordinal)
    {
        ["commerce_promo_codes"] = "commerce_promotions",
    };

    private async Task<Dictionary<string, long>> CountRowsAsync(string connectionString)
    {
        await using var connection = Open(connectionString);
        await connection.OpenAsync();
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in await TablesAsync(connection))
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT COUNT(*) FROM \"{table}\"";
            counts[table] = Convert.ToInt64(await count.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
        }
        return counts;
    }

    /// <summary>Every table's columns (name, type, nullability, default), indexes, foreign keys, checks and triggers, as comparable lines.</summary>
    private async Task<SortedSet<string>> SchemaAsync(string connectionString, bool withDefaults)
    {
        await using var connection = Open(connectionString);
        await connection.OpenAsync();
        var schema = new SortedSet<string>(StringComparer.Ordinal);
        if (provider == "sqlite")
        {
            foreach (var table in await TablesAsync(connection))
            {
                foreach (var column in await QueryAsync(connection, $"SELECT name, type, \"notnull\", {(withDefaults ? "dflt_value" : "NULL")}, pk FROM pragma_table_info('{table}')"))
                    schema.Add($"column {table}: {column}");
                foreach (var key in await QueryAsync(connection, $"SELECT \"from\", \"table\", \"to\", on_update, on_delete FROM pragma_foreign_key_list('{table}')"))
                    schema.Add($"foreign key {table}: {key}");
            }
            foreach (var item in await QueryAsync(connection, "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('index', 'trigger', 'view') AND sql IS NOT NULL"))
                schema.Add(item);
            // Virtual tables (the help centre's full-text index) are known by their definition.
            foreach (var item in await QueryAsync(connection, "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"))
                schema.Add("virtual table " + item);
        }
        else
        {
            foreach (var column in await QueryAsync(connection, $"""
                SELECT table_name, column_name, data_type, character_maximum_length, numeric_precision, numeric_scale, is_nullable,
                       {(withDefaults ? "column_default" : "NULL")}, is_identity, identity_generation, is_generated, generation_expression
                FROM information_schema.columns WHERE table_schema = 'public'
                """))
                schema.Add("column " + column);
            foreach (var index in await QueryAsync(connection, "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public'"))
                schema.Add("index " + index);
            foreach (var constraint in await QueryAsync(connection, """
                SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace WHERE n.nspname = 'public'
                """))
                schema.Add("constraint " + constraint);
            foreach (var trigger in await QueryAsync(connection, """
                SELECT event_object_table, trigger_name, action_timing, event_manipulation, action_statement
                FROM information_schema.triggers WHERE trigger_schema = 'public'
                """))
                schema.Add("trigger " + trigger);
        }
        return schema;
    }

    private async Task DropAsync(string database)
    {
        try
        {
            if (provider == "sqlite")
            {
                SqliteConnection.ClearAllPools();
                foreach (var f in new[] { database, database + "-wal", database + "-shm" }) File.Delete(f);
            }
            else if (CentricAppFactory.PostgresConnection is { } pg)
            {
                NpgsqlConnection.ClearAllPools();
                await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres", Pooling = false }.ConnectionString);
                await conn.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{database}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (Exception e) when (e is IOException or NpgsqlException)
        {
            // Best effort: the database lives in a throwaway place anyway.
        }
    }
}

public sealed class UpgradeOnSqlite() : UpgradeTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class UpgradeOnPostgres() : UpgradeTests("postgres");
