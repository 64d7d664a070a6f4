using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Centric.Server.Platform.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// The real server on a free loopback port, on its own database: a SQLite temp file, or a fresh PostgreSQL database
/// (centric_e2e_*) on the cluster ./test.sh provides, dropped on dispose. By default it runs in this process on Kestrel,
/// from the build. When CENTRIC_E2E_PUBLISHED names a `dotnet publish` output folder, it is that published app instead,
/// started as an operator starts it (`dotnet Centric.Server.dll`, settings in environment variables, from another
/// working directory), so every page and asset is served the way a deployment serves it.
/// </summary>
public sealed class CentricServer : IAsyncDisposable
{
    public const string AdminKey = "ck_e2e_bootstrap_admin_key_0123456789abcdef";

    /// <summary>
    /// The demo business the browser tests start on has lived three months rather than two years: the same people and
    /// kinds of records (orders on their way and delivered, returns, subscriptions, support with SLAs and surveys), seeded
    /// in a fraction of the time, as every fixture seeds its own. The server tests check the full two years.
    /// </summary>
    public const string DemoHistoryDays = "90";

    private readonly Dictionary<string, string?> _settings = [];
    private readonly string? _sqlitePath;
    private readonly string? _pgDatabase;
    private readonly ConcurrentQueue<string> _output = new();
    private InProcessHost? _inProcess;
    private Process? _process;
    private IHost? _database;

    public CentricServer(string provider, string environment)
    {
        Provider = provider;
        Environment = environment;
        if (provider == "postgres")
        {
            _pgDatabase = "centric_e2e_" + Guid.NewGuid().ToString("N")[..12];
            ConnectionString = new NpgsqlConnectionStringBuilder(PostgresConnection ?? "") { Database = _pgDatabase }.ConnectionString;
        }
        else
        {
            _sqlitePath = Path.Combine(Path.GetTempPath(), "centric-e2e-" + Guid.NewGuid().ToString("N") + ".db");
            ConnectionString = $"Data Source={_sqlitePath}";
        }
        With("Database:Provider", provider);
        With("ConnectionStrings:Default", ConnectionString);
        With("Database:SeedDemoData", "true");
        With("Demo:HistoryDays", DemoHistoryDays);
        With("CENTRIC_BOOTSTRAP_API_KEY", AdminKey);
        // Every browser test signs in from 127.0.0.1; the limiter is not what these tests are about.
        With("RateLimits:SignInPerMinute", "1000");
        // Outside the demo's business hours the assistant adds a note to every new ticket, so a thread's length would
        // depend on the hour the suite runs; it is tested with a manual clock in the server suite (SupportWorkTests).
        With("Support:Automation:OutOfHoursAssistant", "false");
        With("Logging:LogLevel:Default", "Warning");
    }

    public string Provider { get; }

    /// <summary>The ASP.NET Core environment the server runs in (Development or Production).</summary>
    public string Environment { get; }

    public string ConnectionString { get; }

    /// <summary>Where the browser goes, e.g. http://127.0.0.1:41234 (no trailing slash).</summary>
    public Uri BaseUrl { get; private set; } = default!;

    public static string? PostgresConnection => System.Environment.GetEnvironmentVariable("CENTRIC_TEST_PG") is { Length: > 0 } s ? s : null;

    /// <summary>The published app to run (CENTRIC_E2E_PUBLISHED), or null to run the build in this process.</summary>
    public static string? PublishedDirectory =>
        System.Environment.GetEnvironmentVariable("CENTRIC_E2E_PUBLISHED") is { Length: > 0 } dir ? Path.GetFullPath(dir) : null;

    /// <summary>
    /// The server's services: all of them in process; for the published app, only the database (the same connection
    /// string), which is what tests reach for when they arrange data a person could not.
    /// </summary>
    public IServiceProvider Services => _inProcess?.Services ?? _database?.Services
        ?? throw new InvalidOperationException("the server has not started");

    /// <summary>The last lines the published app wrote (warnings and errors); empty in process.</summary>
    public IReadOnlyList<string> RecentOutput => [.. _output];

    public CentricServer With(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    /// <summary>Starts the server (migrations and the demo seed run first) and learns where it listens.</summary>
    public async Task StartAsync()
    {
        if (PublishedDirectory is not null) await StartPublishedAsync();
        else
        {
            _inProcess = new InProcessHost(Environment, _settings);
            _inProcess.StartKestrel();
            BaseUrl = new Uri(_inProcess.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First());
        }
    }

    private async Task StartPublishedAsync()
    {
        BaseUrl = new Uri($"http://127.0.0.1:{FreePort()}");
        var start = ProcessStart("--urls", BaseUrl.ToString().TrimEnd('/'));
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the published server");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"the published server exited ({process.ExitCode}) while starting:\n" + string.Join('\n', RecentOutput));
            if (watch.Elapsed > TimeSpan.FromMinutes(6)) throw new TimeoutException("the published server was not healthy within 6 minutes:\n" + string.Join('\n', RecentOutput));
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode) break;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }

        // The tests' own way into the database, configured like the server's.
        var database = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = Environment });
        database.Configuration.AddInMemoryCollection(_settings);
        database.AddCentricDatabase();
        _database = database.Build();
    }

    /// <summary>
    /// How the app is started as a process: `dotnet Centric.Server.dll ARGS` with this server's settings as environment
    /// variables (Section__Key). The published app starts from a working directory that is not its own folder, as a
    /// service manager may start it; the build's from its output folder.
    /// </summary>
    public ProcessStartInfo ProcessStart(params string[] args)
    {
        var dll = PublishedDirectory is { } published ? Path.Combine(published, "Centric.Server.dll") : BuildOutputDll();
        if (!File.Exists(dll)) throw new FileNotFoundException($"CENTRIC_E2E_PUBLISHED is {PublishedDirectory}, which holds no Centric.Server.dll (dotnet publish src/Centric.Server -o DIR)");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = PublishedDirectory is null ? Path.GetDirectoryName(dll)! : Path.GetTempPath(),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // Nothing of the test run's own hosting settings leaks into the app.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || k == "DOTNET_ENVIRONMENT").ToList())
            start.Environment.Remove(name);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = Environment;
        foreach (var (key, value) in _settings) start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        return start;
    }

    /// <summary>Runs a `centric` command against this server's database and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output)> RunCommandAsync(params string[] args)
    {
        using var process = Process.Start(ProcessStart(args)) ?? throw new InvalidOperationException("could not start the command");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary>src/Centric.Server/bin/&lt;this test build's configuration&gt;/net10.0/Centric.Server.dll above the test binaries.</summary>
    private static string BuildOutputDll()
    {
#if DEBUG
        const string configuration = "Debug";
#else
        const string configuration = "Release";
#endif
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Centric.Server", "bin", configuration, "net10.0", "Centric.Server.dll");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Centric.Server.dll ({configuration}) not found above {AppContext.BaseDirectory}; build the server first");
    }

    public HttpClient ApiClient()
    {
        var client = new HttpClient { BaseAddress = BaseUrl };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (_inProcess is not null) await _inProcess.DisposeAsync();
        if (_process is { } process)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
        _database?.Dispose();
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

    /// <summary>The build's app in this process, on Kestrel.</summary>
    private sealed class InProcessHost(string environment, IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<Program>
    {
        public void StartKestrel()
        {
            UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
            StartServer();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseEnvironment(environment);
            foreach (var (key, value) in settings) builder.UseSetting(key, value);
        }
    }
}
