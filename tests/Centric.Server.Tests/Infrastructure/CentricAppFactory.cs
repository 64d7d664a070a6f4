using System.Net.Http.Headers;
using System.Net.Http.Json;
using Centric.Server.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// The real server in process, on a real database of the given provider. Each factory owns a fresh database,
/// created on first use and dropped on dispose. PostgreSQL comes from ./test.sh (CENTRIC_TEST_PG).
/// </summary>
public class CentricAppFactory : WebApplicationFactory<Program>
{
    public const string AdminKey = "ck_test_bootstrap_admin_key_0123456789abcdef";
    /// <summary>The carrier simulator's webhook secret in tests (no secret is built in outside Development).</summary>
    public const string CarrierSecret = "test-carrier-secret-0123456789";

    private readonly Dictionary<string, string?> _settings = [];
    private readonly List<Action<IServiceCollection>> _services = [];
    private readonly string? _sqlitePath;
    private readonly string? _pgDatabase;
    /// <summary>A database shared between hosts (two processes, or a restart) is left for the test run's cleanup.</summary>
    private readonly bool _ownsDatabase;

    public CentricAppFactory(string provider, string? sharedDatabase = null)
    {
        Provider = provider;
        _ownsDatabase = sharedDatabase is null;
        if (provider == "postgres")
        {
            _pgDatabase = sharedDatabase ?? "centric_t_" + Guid.NewGuid().ToString("N")[..12];
            if (PostgresConnection is { } pg)
                ConnectionString = new NpgsqlConnectionStringBuilder(pg) { Database = _pgDatabase }.ConnectionString;
        }
        else
        {
            _sqlitePath = sharedDatabase ?? Path.Combine(Path.GetTempPath(), "centric-test-" + Guid.NewGuid().ToString("N") + ".db");
            ConnectionString = $"Data Source={_sqlitePath}";
        }
        With("Database:Provider", provider);
        With("ConnectionStrings:Default", ConnectionString);
        With("Database:SeedDemoData", "false");
        With("CENTRIC_BOOTSTRAP_API_KEY", AdminKey);
        With("Carriers:Secrets:simulator", CarrierSecret);
        // Test receivers listen on loopback, which webhooks may not reach by default.
        With("Webhooks:AllowPrivateNetworks", "true");
        // Scheduled model training would start on every test server; the Insights tests turn it on where they test it.
        With("Insights:BackgroundTraining", "false");
        With("Logging:LogLevel:Default", "Warning");
    }

    public string Provider { get; }

    /// <summary>The host environment: Testing (which, like Production, refuses the demo's built-in secrets) unless a test needs Development.</summary>
    public string EnvironmentName { get; init; } = "Testing";
    public string? ConnectionString { get; }

    public static string? PostgresConnection => Environment.GetEnvironmentVariable("CENTRIC_TEST_PG") is { Length: > 0 } s ? s : null;

    /// <summary>PostgreSQL tests skip only outside ./test.sh; inside it a missing database is a failure.</summary>
    public void SkipIfUnavailable()
    {
        if (Provider != "postgres" || PostgresConnection is not null) return;
        if (Environment.GetEnvironmentVariable("CENTRIC_TEST_RUN") == "1")
            throw new InvalidOperationException("CENTRIC_TEST_PG is not set although ./test.sh is running");
        throw new SkipException("PostgreSQL tests run in ./test.sh, which provides a database (CENTRIC_TEST_PG is not set)");
    }

    public CentricAppFactory With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public CentricAppFactory WithServices(Action<IServiceCollection> configure)
    {
        _services.Add(configure);
        return this;
    }

    protected override Microsoft.Extensions.Hosting.IHost CreateHost(Microsoft.Extensions.Hosting.IHostBuilder builder)
    {
        // A database of its own starts as a copy of the run's migrated one (DatabaseTemplates).
        if (_ownsDatabase && _sqlitePath is not null && !File.Exists(_sqlitePath)) DatabaseTemplates.CopySqlite(_sqlitePath);
        else if (_ownsDatabase && _pgDatabase is not null && PostgresConnection is { } pg) DatabaseTemplates.CreatePostgres(pg, _pgDatabase);
        return base.CreateHost(builder);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureTestServices(services =>
        {
            // Password hashes stay PBKDF2, with fewer rounds than the product's 100,000: every sign-up and sign-in of the
            // suite hashed at full strength took a twentieth of its CPU, and no test is about the hash's strength.
            services.Configure<Microsoft.AspNetCore.Identity.PasswordHasherOptions>(o => o.IterationCount = 1_000);
            foreach (var configure in _services) configure(services);
        });
    }

    public HttpClient ClientWithKey(string key)
    {
        SkipIfUnavailable();
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public HttpClient AdminClient() => ClientWithKey(AdminKey);

    /// <summary>A fresh key holding exactly these scopes.</summary>
    public async Task<string> CreateKeyAsync(params string[] scopes)
    {
        using var admin = AdminClient();
        var response = await admin.PostAsJsonAsync("/api/v1/apikeys", new { name = "test " + string.Join('+', scopes), scopes });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        return body.GetProperty("secret").GetString()!;
    }

    /// <summary>`centric &lt;args&gt;` against this host's services: the exit code and what it wrote to output and to errors.</summary>
    public async Task<(int ExitCode, string Output, string Error)> RunCliAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.RunAsync(args, () => Services, output, error);
        return (code, output.ToString(), error.ToString());
    }

    public async Task<T> WithDbAsync<T>(Func<CentricDbContext, Task<T>> work)
    {
        SkipIfUnavailable();
        await using var scope = Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CentricDbContext>());
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (!_ownsDatabase) return;
        try
        {
            if (_sqlitePath is not null)
            {
                Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
                foreach (var f in new[] { _sqlitePath, _sqlitePath + "-wal", _sqlitePath + "-shm" }) File.Delete(f);
            }
            else if (_pgDatabase is not null && PostgresConnection is { } pg)
            {
                NpgsqlConnection.ClearAllPools();
                await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres", Pooling = false }.ConnectionString);
                await conn.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_pgDatabase}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
            }
        }
        catch (Exception e) when (e is IOException or NpgsqlException)
        {
            // Best effort: the database lives in a throwaway place anyway.
        }
    }
}

public sealed class SqliteApp() : CentricAppFactory("sqlite");

public sealed class PostgresApp() : CentricAppFactory("postgres");
