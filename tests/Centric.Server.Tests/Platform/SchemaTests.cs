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
}

public sealed class SchemaOnSqlite() : SchemaTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SchemaOnPostgres() : SchemaTests("postgres");
