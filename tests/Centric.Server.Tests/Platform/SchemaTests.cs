using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Centric.Server.Tests.Platform;

public abstract class SchemaTests(string provider)
{
    private Centric.Server.Platform.Data.CentricDbContext Context(string connectionString) => provider == "sqlite"
        ? new Centric.Server.Platform.Data.SqliteCentricDbContext(new DbContextOptionsBuilder<Centric.Server.Platform.Data.SqliteCentricDbContext>().UseSqlite(connectionString).Options)
        : new Centric.Server.Platform.Data.PostgresCentricDbContext(new DbContextOptionsBuilder<Centric.Server.Platform.Data.PostgresCentricDbContext>().UseNpgsql(connectionString).Options);

    [SkippableFact]
    public async Task The_migrated_schema_matches_the_model()
    {
        await using var app = new CentricAppFactory(provider);
        await app.WithDbAsync(async db =>
        {
            Assert.False(db.Database.HasPendingModelChanges(), "the model has changes no migration captures");
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            return 0;
        });
    }

    [SkippableFact]
    public async Task Start_up_migrates_an_existing_database_in_place_without_losing_rows()
    {
        var database = provider == "sqlite" ? Path.Combine(Path.GetTempPath(), $"centric-old-{Guid.NewGuid():N}.db") : $"centric_t_{Guid.NewGuid():N}"[..24];
        await using var settings = new CentricAppFactory(provider, database);
        settings.SkipIfUnavailable();
        await using var db = Context(settings.ConnectionString!);
        if (db.IsPostgres) await Centric.Server.Platform.Data.DatabaseSetup.EnsurePostgresDatabaseAsync(settings.ConnectionString!, default);
        // The database as the previous migration left it (the initial one when it is the only one), holding a customer.
        var migrations = db.Database.GetMigrations().ToList();
        var older = migrations.Count >= 2 ? migrations[^2] : migrations[0];
        await db.GetService<IMigrator>().MigrateAsync(older);
        var first = Guid.CreateVersion7();
        var now = DateTime.UtcNow;
        await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO customers_profiles (\"Id\", \"Kind\", \"Email\", \"Traits\", \"SearchText\", \"CreatedAt\", \"UpdatedAt\", \"InteractionCount\") VALUES ({first}, 1, {"old@example.com"}, {"{}"}, {"old@example.com"}, {now}, {now}, 0)");
        Assert.Equal(migrations.Count >= 2 ? 1 : 0, (await db.Database.GetPendingMigrationsAsync()).Count());

        await using var upgraded = new CentricAppFactory(provider, database);
        await upgraded.WithDbAsync(async db =>
        {
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal("old@example.com", await db.Profiles.Where(p => p.Id == first).Select(p => p.Email).SingleAsync());
            return 0;
        });
    }

    [SkippableFact]
    public async Task A_database_from_before_the_squash_has_its_history_rewritten_and_one_part_way_is_refused()
    {
        var database = provider == "sqlite" ? Path.Combine(Path.GetTempPath(), $"centric-sq-{Guid.NewGuid():N}.db") : $"centric_t_{Guid.NewGuid():N}"[..24];
        await using var settings = new CentricAppFactory(provider, database);
        settings.SkipIfUnavailable();
        await using var db = Context(settings.ConnectionString!);
        if (db.IsPostgres) await Centric.Server.Platform.Data.DatabaseSetup.EnsurePostgresDatabaseAsync(settings.ConnectionString!, default);
        var before = Centric.Server.Platform.Data.SquashedMigrations.Before(db.IsPostgres);
        var after = Centric.Server.Platform.Data.SquashedMigrations.After(db.IsPostgres);
        // The schema as of the squash, recorded under the old ids, as a database that applied every pre-squash migration
        // has it; then the migrations since apply to it.
        await db.GetService<IMigrator>().MigrateAsync(after[^1]);
        await RecordAsync(db, before);
        await Centric.Server.Platform.Data.DatabaseSetup.MigrateAsync(db, default);
        Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());

        // One that stopped part-way has a different schema: refused, nothing changed.
        await RecordAsync(db, before[..^1]);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => Centric.Server.Platform.Data.DatabaseSetup.MigrateAsync(db, default));
        Assert.Contains(before[^2], refused.Message, StringComparison.Ordinal);
        Assert.Equal(before[..^1], await db.Database.GetAppliedMigrationsAsync());
    }

    private static async Task RecordAsync(Centric.Server.Platform.Data.CentricDbContext db, IEnumerable<string> ids)
    {
        await db.Database.ExecuteSqlRawAsync("DELETE FROM \"__EFMigrationsHistory\"");
        foreach (var id in ids)
            await db.Database.ExecuteSqlInterpolatedAsync($"INSERT INTO \"__EFMigrationsHistory\" (\"MigrationId\", \"ProductVersion\") VALUES ({id}, {"10.0.0"})");
    }
}

public sealed class SchemaOnSqlite() : SchemaTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SchemaOnPostgres() : SchemaTests("postgres");
