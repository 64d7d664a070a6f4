using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Centric.Testing;
using Npgsql;

namespace Centric.Bench.Platform;

/// <summary>
/// The server under test: either one the caller already runs (--url and --key), or a fresh Release build of
/// Centric.Server started here as a child process on a free loopback port with an empty database.
/// </summary>
public sealed class BenchServer : IAsyncDisposable
{
    private Process? _process;
    // How a server this harness started was launched, to start it again (RestartAsync).
    private string? _dll;
    private Dictionary<string, string>? _settings;

    /// <summary>The inbound-email webhook secret of a server this harness starts.</summary>
    public const string SupportInboundSecret = "bench-inbound-secret-0123456789";

    public required Uri BaseUrl { get; init; }
    public required string ApiKey { get; init; }
    public required string Provider { get; init; }
    /// <summary>The PostgreSQL connection string of the database the server writes, when known.</summary>
    public string? PostgresDatabase { get; init; }
    public string? LogFile { get; init; }
    public bool Owned => _process is not null;

    /// <param name="environment">Settings this command needs on a server it starts (e.g. the demo catalog), applied before --server-env.</param>
    public static async Task<BenchServer> StartOrAttachAsync(BenchOptions options, string label, IReadOnlyDictionary<string, string>? environment = null)
    {
        var provider = options.Get("provider", "sqlite").ToLowerInvariant();
        if (provider is not ("sqlite" or "postgres")) throw new ArgumentException("--provider is sqlite or postgres");
        if (options.Get("url") is { } url)
        {
            return new BenchServer
            {
                BaseUrl = new Uri(url), ApiKey = options.Get("key") ?? throw new ArgumentException("--url needs --key"),
                Provider = provider, PostgresDatabase = options.Get("pg"),
            };
        }

        var dll = options.Get("server-dll") ?? ServerBinary.Find();
        var port = ServerBinary.FreePort();
        var key = "bench-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var stamp = TimeProvider.System.GetUtcNow().ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture) + "_" + Environment.ProcessId;
        var scratch = Directory.CreateTempSubdirectory("centric-bench-").FullName;
        string connection;
        string? pgDatabase = null;
        if (provider == "postgres")
        {
            var pg = options.Get("pg") ?? throw new ArgumentException("--provider postgres needs --pg \"Host=...;Port=...;Username=...\"");
            var csb = new NpgsqlConnectionStringBuilder(pg) { Database = $"centric_bench_{label}_{stamp}" };
            connection = csb.ConnectionString;
            pgDatabase = connection;
        }
        else
        {
            connection = $"Data Source={Path.Combine(scratch, "centric.db")}";
        }

        var log = Path.Combine(scratch, "server.log");
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider,
            ["ConnectionStrings__Default"] = connection,
            ["Database__SeedDemoData"] = "false",
            ["CENTRIC_BOOTSTRAP_API_KEY"] = key,
            // One key sends everything; the default per-key limit (6,000 requests a minute) is for integrators, not this test.
            ["RateLimits__ApiRequestsPerMinute"] = "10000000",
            ["Diagnostics__ServerTiming"] = "true",
            // All chat sessions come from this one address; the widget's per-address limit is for the public internet.
            ["Support__Chat__WidgetRequestsPerMinute"] = "1000000",
            // Likewise the support webhooks and the help centre's search: one client address sends everything.
            ["Support__InboundRequestsPerMinute"] = "1000000",
            ["Support__HelpRequestsPerMinute"] = "1000000",
            ["Support__InboundSecret"] = SupportInboundSecret,
            // Keep request logs out of the measurement; warnings and errors still reach the log file.
            ["Logging__LogLevel__Default"] = "Warning",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) settings[name] = value;
        // Diagnostics only, e.g. --server-env Dispatcher__Enabled=false to see what the outbox dispatcher costs.
        if (options.Get("server-env") is { } extra)
            foreach (var pair in extra.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                settings[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..];

        var server = new BenchServer
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}"), ApiKey = key, Provider = provider, PostgresDatabase = pgDatabase, LogFile = log,
            _dll = dll, _settings = settings,
        };
        await server.LaunchAsync();
        return server;
    }

    private async Task LaunchAsync()
    {
        var writer = new StreamWriter(LogFile!, append: true) { AutoFlush = true };
        var gate = new Lock();
        _process = ServerBinary.Start(_dll!, ["--urls", BaseUrl.ToString().TrimEnd('/')], _settings!, line => { lock (gate) writer.WriteLine(line); });
        // Generous: a server seeding the demo business answers only when done, which takes minutes on a busy machine.
        await ServerBinary.WaitHealthyAsync(_process, BaseUrl, TimeSpan.FromMinutes(10), () => $"see {LogFile}");
    }

    /// <summary>
    /// Another server process on the same database (a second node of one installation) on its own port, with the same settings
    /// and key; its log sits beside the first node's. The caller disposes it.
    /// </summary>
    public async Task<BenchServer> StartAnotherNodeAsync()
    {
        if (_settings is null || _dll is null || LogFile is null) throw new InvalidOperationException("only a server this harness started can have another node");
        var port = ServerBinary.FreePort();
        var node = new BenchServer
        {
            BaseUrl = new Uri($"http://127.0.0.1:{port}"), ApiKey = ApiKey, Provider = Provider, PostgresDatabase = PostgresDatabase,
            LogFile = Path.Combine(Path.GetDirectoryName(LogFile)!, $"server-{port}.log"), _dll = _dll, _settings = new(_settings),
        };
        await node.LaunchAsync();
        return node;
    }

    /// <summary>Stops the server this harness started and starts it again on the same database and port, with some settings changed.</summary>
    public async Task RestartAsync(IReadOnlyDictionary<string, string> changes)
    {
        if (_settings is null) throw new InvalidOperationException("only a server this harness started can be restarted");
        await StopAsync();
        _process?.Dispose();
        foreach (var (name, value) in changes) _settings[name] = value;
        await LaunchAsync();
    }

    /// <summary>CPU time the child server has used so far (user + system), when this harness started it.</summary>
    public TimeSpan? CpuTime()
    {
        if (_process is not { HasExited: false } p) return null;
        p.Refresh();
        return p.TotalProcessorTime;
    }

    public HttpClient CreateClient(int connections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
        };
        var client = new HttpClient(handler) { BaseAddress = BaseUrl, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>Stops the child server (if this harness started it) so later phases run on a quiet machine.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } p) return;
        p.Kill(entireProcessTree: false);
        await p.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process?.Dispose();
    }
}
