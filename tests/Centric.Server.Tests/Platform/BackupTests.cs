using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Platform;

/// <summary>`centric backup` and `centric restore`: on SQLite a backup of the running server restores into a fresh data folder.</summary>
public abstract class BackupTests(CentricAppFactory app)
{
    private static async Task<Order> OrderAsync(IServiceProvider s, string email)
    {
        var tag = Json.NewId()[..8];
        var catalog = s.GetRequiredService<CatalogCsv>();
        var imported = await catalog.ImportAsync(new StringReader(string.Join(',', CatalogCsv.Header) + $"\nBK-{tag},backup-{tag},Backup mug,backup_{tag},,,9.50,EUR,,WH-{tag},5,true"), default);
        Assert.Empty(imported.Errors);
        var db = s.GetRequiredService<CentricDbContext>();
        var variant = await db.Variants.SingleAsync(v => v.Sku == "BK-" + tag);
        var token = Json.NewId();
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(null, token, default);
        var visitor = s.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Anonymous);
        await db.SaveChangesAsync();
        await carts.AddAsync(cart, variant.Id, 2, visitor.Id, default);
        return await s.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart.Id, email, "standard", new Address("Rita Costa", "Rua 5", null, "Braga", "4700-001", "PT"), null, null, CheckoutService.NewIdempotencyKey()),
            null, token, default);
    }

    private static async Task<System.Text.Json.JsonElement> CustomerAsync(HttpClient client, string email) =>
        Assert.Single((await (await client.GetAsync($"/api/v1/customers?email={Uri.EscapeDataString(email)}")).ReadJsonAsync())
            .GetProperty("items").EnumerateArray());

    private static Task<(int Profiles, int Orders, int Interactions)> CountsAsync(CentricAppFactory host) =>
        host.WithDbAsync(async db => (await db.Profiles.CountAsync(), await db.Orders.CountAsync(), await db.Interactions.CountAsync()));

    [SkippableFact]
    public async Task A_backup_of_the_running_server_restores_into_a_fresh_data_folder_with_the_same_data()
    {
        app.SkipIfUnavailable();
        var folder = Directory.CreateTempSubdirectory("centric-backup-test-").FullName;
        var file = Path.Combine(folder, "backup.db");
        if (app.Provider == "postgres")
        {
            // PostgreSQL has its own tools: the command names them for the configured database and does nothing itself.
            var (code, _, guidance) = await app.RunCliAsync("backup", "--output", file);
            Assert.Equal(2, code);
            Assert.Contains("pg_dump --format=custom", guidance, StringComparison.Ordinal);
            Assert.Contains($"dbname={new Npgsql.NpgsqlConnectionStringBuilder(app.ConnectionString).Database}", guidance, StringComparison.Ordinal);
            Assert.False(File.Exists(file));
            var (restoreCode, _, restoreGuidance) = await app.RunCliAsync("restore", "--input", file);
            Assert.Equal(2, restoreCode);
            Assert.Contains("pg_restore", restoreGuidance, StringComparison.Ordinal);
            return;
        }

        using var client = app.AdminClient();
        var emails = Enumerable.Range(0, 3).Select(_ => Json.NewEmail()).ToList();
        foreach (var email in emails)
            (await client.PostEventsAsync(new { id = Json.NewId(), type = "signed_up", customer = new { email, firstName = "Backed", lastName = "Up" } })).EnsureSuccessStatusCode();
        string orderNumber;
        await using (var scope = app.Services.CreateAsyncScope()) orderNumber = (await OrderAsync(scope.ServiceProvider, emails[0])).Number;
        var before = await CountsAsync(app);

        var (backedUp, said, error) = await app.RunCliAsync("backup", "--output", file);   // the server keeps running meanwhile
        Assert.True(backedUp == 0, error);
        Assert.Contains(file, said, StringComparison.Ordinal);
        Assert.Equal(2, (await app.RunCliAsync("backup", "--output", file)).ExitCode);   // never overwrites

        // Restored by the built server's command line into a data folder that does not exist yet.
        var fresh = Path.Combine(folder, "restored", "centric.db");
        var (restored, output) = await ServerProcess.RunCommandAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={fresh}" }, "restore", "--input", file);
        Assert.True(restored == 0, output);
        // A database that holds data is not replaced without --force.
        var (refused, refusal) = await ServerProcess.RunCommandAsync(
            new Dictionary<string, string> { ["ConnectionStrings__Default"] = $"Data Source={fresh}" }, "restore", "--input", file);
        Assert.Equal(2, refused);
        Assert.Contains("--force", refusal, StringComparison.Ordinal);

        await using var copy = new CentricAppFactory("sqlite", sharedDatabase: fresh).With("Dispatcher:Enabled", "false");
        try
        {
            Assert.Equal(before, await CountsAsync(copy));
            using var copyClient = copy.AdminClient();
            foreach (var email in emails)
            {
                var found = await CustomerAsync(copyClient, email);
                Assert.Equal((await CustomerAsync(client, email)).GetProperty("id").GetString(), found.GetProperty("id").GetString());
                Assert.Equal("Backed Up", found.GetProperty("displayName").GetString());
            }
            var order = await copy.WithDbAsync(db => db.Orders.Include(o => o.Lines).SingleAsync(o => o.Number == orderNumber));
            var original = await app.WithDbAsync(db => db.Orders.Include(o => o.Lines).SingleAsync(o => o.Number == orderNumber));
            Assert.Equal((original.Id, original.Email, original.TotalMinor, original.Status), (order.Id, order.Email, order.TotalMinor, order.Status));
            Assert.Equal(2, Assert.Single(order.Lines).Quantity);
        }
        finally
        {
            await copy.DisposeAsync();
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class BackupOnSqlite(SqliteApp app) : BackupTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class BackupOnPostgres(PostgresApp app) : BackupTests(app), IClassFixture<PostgresApp>;
