using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// The real server on Kestrel on a free loopback port, on its own database: a SQLite temp file, or a fresh
/// PostgreSQL database (centric_e2e_*) on the cluster ./test.sh provides, dropped on dispose.
/// </summary>
public sealed class CentricServer : WebApplicationFactory<Program>
{
    public const string AdminKey = "ck_e2e_bootstrap_admin_key_0123456789abcdef";

    private readonly Dictionary<string, string?> _settings = [];
    private readonly string _environment;
    private readonly string? _sqlitePath;
    private readonly string? _pgDatabase;

    public CentricServer(string provider, string environment)
    {
        Provider = provider;
        _environment = environment;
        string connectionString;
        if (provider == "postgres")
        {
            _pgDatabase = "centric_e2e_" + Guid.NewGuid().ToString("N")[..12];
            connectionString = new NpgsqlConnectionStringBuilder(PostgresConnection ?? "") { Database = _pgDatabase }.ConnectionString;
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), "centric-e2e-" + Guid.NewGuid().ToString("N") + ".db");
            connectionString = $"Data Source={_sqlitePath}";
        }
        With("Database:Provider", provider);
        With("ConnectionStrings:Default", connectionString);
        With("Database:SeedDemoData", "true");
        With("CENTRIC_BOOTSTRAP_API_KEY", AdminKey);
        With("Dispatcher:IdleDelay", "00:00:00.050");
        // Every browser test signs in from 127.0.0.1; the limiter is not what these tests are about.
        With("RateLimits:SignInPerMinute", "1000");
        With("Logging:LogLevel:Default", "Warning");
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }

    public string Provider { get; }

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public Uri BaseUrl { get; private set; } = default!;

    public static string? PostgresConnection => Environment.GetEnvironmentVariable("CENTRIC_TEST_PG") is { Length: > 0 } s ? s : null;

    public CentricServer With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Starts Kestrel (migrations and the demo seed run first) and learns the port it bound.</summary>
    public void Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        BaseUrl = new Uri(address);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        // Outside Development the host only serves published assets; the build's manifest stands in for them.
        builder.UseStaticWebAssets();
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
    }

    public HttpClient ApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
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
