using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Npgsql;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>
/// Centric as it runs when one process is not enough: two nodes (the built server, or the published one under
/// CENTRIC_E2E_PUBLISHED, in Production with staff MFA; each a process of its own) on one
/// fresh PostgreSQL database, a Redis between them, and nginx in front with sticky sessions — the topology and the
/// nginx settings docs/operations.md describes. Tests reach each node directly (to pin a browser to one) or through nginx.
/// Needs PostgreSQL (CENTRIC_TEST_PG), Chromium, redis-server and nginx (CENTRIC_REDIS_SERVER, CENTRIC_NGINX, or the
/// Debian paths): outside ./test.sh a missing one skips the tests, inside it they fail.
/// </summary>
public sealed class SeveralNodesFixture : IAsyncLifetime
{
    /// <summary>The carrier simulator's webhook secret on these nodes (one of the tests' own: demo secrets sign only in Development).</summary>
    public const string CarrierSecret = "e2e-nodes-carrier-secret-0123456789";

    private readonly string _database = "centric_nodes_" + Guid.NewGuid().ToString("N")[..12];
    private readonly string _dir = Directory.CreateTempSubdirectory("centric-nodes-").FullName;
    private readonly Dictionary<string, string> _staffState = new(StringComparer.Ordinal);
    private readonly StaffSignIn _staffSignIn = new(needMfa: CentricServer.PublishedDirectory is not null);
    private IPlaywright? _playwright;
    private ChildProcess? _redis;
    private ChildProcess? _nginx;
    private string? _unavailable;

    public CentricNode NodeA { get; private set; } = default!;
    public CentricNode NodeB { get; private set; } = default!;

    /// <summary>nginx in front of both nodes.</summary>
    public Uri Proxy { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    private static string RedisServer => Environment.GetEnvironmentVariable("CENTRIC_REDIS_SERVER") is { Length: > 0 } p ? p : "/usr/bin/redis-server";
    private static string Nginx => Environment.GetEnvironmentVariable("CENTRIC_NGINX") is { Length: > 0 } p ? p : "/usr/sbin/nginx";

    public string ConnectionString => new NpgsqlConnectionStringBuilder(CentricServer.PostgresConnection ?? "") { Database = _database }.ConnectionString;

    public async Task InitializeAsync()
    {
        if (CentricServer.PostgresConnection is null) _unavailable = "several nodes run on PostgreSQL, which ./test.sh provides (CENTRIC_TEST_PG is not set)";
        else if (!File.Exists(BrowserFixture.ChromiumPath)) _unavailable = $"Chromium is not installed at {BrowserFixture.ChromiumPath} (./test.sh installs it)";
        else if (!File.Exists(RedisServer)) _unavailable = $"redis-server is not installed at {RedisServer} (apt-get install redis-server; ./test.sh installs it)";
        else if (!File.Exists(Nginx)) _unavailable = $"nginx is not installed at {Nginx} (apt-get install nginx; ./test.sh installs it)";
        if (_unavailable is not null) return;

        var redisPort = FreePort();
        _redis = ChildProcess.Start(RedisServer, ["--port", Port(redisPort), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", _dir], new Dictionary<string, string>());
        await WaitForRedisAsync(redisPort);

        var settings = new Dictionary<string, string>
        {
            // Development (the demo's staff open customer data without MFA), or Production for the published app, where
            // staff sign in with MFA.
            ["ASPNETCORE_ENVIRONMENT"] = CentricServer.PublishedDirectory is null ? "Development" : "Production",
            ["Carriers__Secrets__simulator"] = CarrierSecret,
            ["Database__Provider"] = "postgres",
            ["ConnectionStrings__Default"] = ConnectionString,
            ["ConnectionStrings__Redis"] = $"127.0.0.1:{Port(redisPort)}",
            ["Redis__ChannelPrefix"] = _database,
            ["Database__SeedDemoData"] = "true",
            ["Demo__HistoryDays"] = CentricServer.DemoHistoryDays,
            ["CENTRIC_BOOTSTRAP_API_KEY"] = CentricServer.AdminKey,
            ["Dispatcher__IdleDelay"] = "00:00:00.050",
            ["Commerce__RenewalInterval"] = "00:00:00.200",
            ["RateLimits__SignInPerMinute"] = "1000",
            ["Logging__LogLevel__Default"] = "Warning",
            // A node that just started is behind on the stream until its first passes; that is not news in a test's log.
            ["Logging__LogLevel__Microsoft.Extensions.Diagnostics.HealthChecks"] = "None",
        };
        // The first node migrates and seeds the new database; the second starts on it as a node joining a running installation.
        NodeA = new CentricNode("A", settings);
        await NodeA.StartAsync();
        NodeB = new CentricNode("B", settings);
        await NodeB.StartAsync();

        var proxyPort = FreePort();
        var conf = Path.Combine(_dir, "nginx.conf");
        await File.WriteAllTextAsync(conf, NginxConfig(proxyPort, [NodeA.BaseUrl, NodeB.BaseUrl]));
        _nginx = ChildProcess.Start(Nginx, ["-p", _dir, "-c", conf, "-e", Path.Combine(_dir, "error.log")], new Dictionary<string, string>());
        Proxy = new Uri($"http://127.0.0.1:{Port(proxyPort)}");
        await WaitForHealthAsync(Proxy, _nginx, "nginx");

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = BrowserFixture.ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Call first in every test: skips (or, inside ./test.sh, fails) when the fixture could not start.</summary>
    public void Require()
    {
        if (_unavailable is null) return;
        if (Environment.GetEnvironmentVariable("CENTRIC_TEST_RUN") == "1") throw new InvalidOperationException(_unavailable + " — but ./test.sh is running, so this is a failure");
        throw new SkipException(_unavailable);
    }

    /// <summary>
    /// The same upstream block docs/operations.md gives, with loopback addresses: sticky by client address (Blazor
    /// circuits and SignalR negotiate-then-connect must reach one node), WebSockets passed through, forwarded headers set.
    /// </summary>
    private string NginxConfig(int port, IEnumerable<Uri> nodes)
    {
        var dir = _dir.Replace('\\', '/');
        var config = new StringBuilder();
        // Started by root (as ./test.sh may be), nginx would hand its workers to 'nobody', who cannot write the temp folder.
        if (Environment.IsPrivilegedProcess) config.AppendLine("user root;");
        config.Append(CultureInfo.InvariantCulture, $$"""
            worker_processes 1;
            daemon off;
            pid {{dir}}/nginx.pid;
            error_log {{dir}}/error.log warn;
            events { worker_connections 256; }
            http {
                access_log off;
                client_body_temp_path {{dir}}/client_body;
                proxy_temp_path {{dir}}/proxy;
                fastcgi_temp_path {{dir}}/fastcgi;
                uwsgi_temp_path {{dir}}/uwsgi;
                scgi_temp_path {{dir}}/scgi;

                map $http_upgrade $connection_upgrade {
                    default upgrade;
                    ''      '';
                }
                upstream centric {
                    ip_hash;
            {{string.Concat(nodes.Select(n => $"        server {n.Host}:{Port(n.Port)} max_fails=3 fail_timeout=10s;\n"))}}
                    keepalive 32;
                }
                server {
                    listen 127.0.0.1:{{Port(port)}};
                    client_max_body_size 60m;
                    location / {
                        proxy_pass http://centric;
                        proxy_http_version 1.1;
                        proxy_set_header Host $http_host;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Forwarded-Proto $scheme;
                        proxy_set_header Upgrade $http_upgrade;
                        proxy_set_header Connection $connection_upgrade;
                        proxy_read_timeout 120s;
                    }
                }
            }

            """);
        return config.ToString();
    }

    /// <summary>A fresh browser context on one address (a node, or nginx).</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl, string? storageState = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString(), StorageState = storageState });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>
    /// A page signed in as a demo staff member (with MFA in Production), on the given address. The sign-in happens once, on node A: the cookie
    /// is the host's (any port) and every node reads it, since the data-protection keys are shared in the database.
    /// </summary>
    public async Task<IPage> StaffPageAsync(Uri baseUrl, string email)
    {
        if (!_staffState.TryGetValue(email, out var state))
        {
            var page = await NewPageAsync(NodeA.BaseUrl);
            await _staffSignIn.SignInAsync(page, email);
            state = _staffState[email] = await page.Context.StorageStateAsync();
            await page.Context.CloseAsync();
        }
        return await NewPageAsync(baseUrl, state);
    }

    /// <summary>The installation's database, as a test reads and arranges it.</summary>
    public PostgresCentricDbContext Db() =>
        new(new DbContextOptionsBuilder<PostgresCentricDbContext>().UseNpgsql(ConnectionString).Options);

    /// <summary>Both nodes' recent output, for a failure message.</summary>
    public string Logs() => $"node A:\n{NodeA?.Log}\nnode B:\n{NodeB?.Log}";

    public async Task DisposeAsync()
    {
        // CENTRIC_NODE_LOGS=<folder> keeps what the nodes wrote (the last lines of each), for looking into a failure.
        if (Environment.GetEnvironmentVariable("CENTRIC_NODE_LOGS") is { Length: > 0 } keep && NodeA is not null)
        {
            Directory.CreateDirectory(keep);
            await File.WriteAllTextAsync(Path.Combine(keep, "nodes.log"), Logs());
            if (File.Exists(Path.Combine(_dir, "error.log"))) File.Copy(Path.Combine(_dir, "error.log"), Path.Combine(keep, "nginx-error.log"), overwrite: true);
        }
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        if (_nginx is not null) await _nginx.DisposeAsync();
        if (NodeB is not null) await NodeB.DisposeAsync();
        if (NodeA is not null) await NodeA.DisposeAsync();
        if (_redis is not null) await _redis.DisposeAsync();
        try
        {
            if (CentricServer.PostgresConnection is { } pg)
            {
                NpgsqlConnection.ClearAllPools();
                await using var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres", Pooling = false }.ConnectionString);
                await conn.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", conn);
                await drop.ExecuteNonQueryAsync();
            }
            Directory.Delete(_dir, recursive: true);
        }
        catch (Exception e) when (e is IOException or NpgsqlException or UnauthorizedAccessException)
        {
            // Best effort: both live in throwaway places anyway.
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitForRedisAsync(int port)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (_redis!.HasExited) throw new InvalidOperationException("redis-server exited while starting:\n" + _redis.Log);
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                await using var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer);
                if (Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal)) return;
            }
            catch (SocketException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("redis-server did not answer PING:\n" + _redis!.Log);
    }

    internal static async Task WaitForHealthAsync(Uri baseUrl, ChildProcess process, string what, TimeSpan? timeout = null)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < (timeout ?? TimeSpan.FromSeconds(30)))
        {
            if (process.HasExited) throw new InvalidOperationException($"{what} exited while starting:\n{process.Log}");
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"{what} was not healthy within the time allowed:\n{process.Log}");
    }
}

/// <summary>One Centric node: the built (or published) server (`dotnet Centric.Server.dll --urls …`) on a free loopback port.</summary>
public sealed class CentricNode(string name, IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private readonly int _port = SeveralNodesFixture.FreePort();
    private ChildProcess? _process;

    public string Name => name;

    public Uri BaseUrl => new($"http://127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)}");

    public string Log => _process?.Log ?? "";

    public async Task StartAsync()
    {
        // The published app when the browser tests run against it (CENTRIC_E2E_PUBLISHED), else the build.
        var dll = CentricServer.PublishedDirectory is { } published ? Path.Combine(published, "Centric.Server.dll") : FindServerDll();
        _process = ChildProcess.Start("dotnet", [dll, "--urls", BaseUrl.ToString().TrimEnd('/')], environment, Path.GetDirectoryName(dll));
        // The first start migrates and seeds a new database (the demo history takes a minute or more on a busy machine).
        await SeveralNodesFixture.WaitForHealthAsync(BaseUrl, _process, "node " + name, TimeSpan.FromMinutes(6));
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
    }

    /// <summary>src/Centric.Server/bin/&lt;this test build's configuration&gt;/net10.0/Centric.Server.dll above the test binaries.</summary>
    private static string FindServerDll()
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
}

/// <summary>A process the tests started, its last lines of output kept; killed with its children on dispose.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _log = new();

    private ChildProcess(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    public string Log => string.Join('\n', _log);

    public static ChildProcess Start(string file, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var child = new ChildProcess(process);
        process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class SeveralNodesDefinition : ICollectionFixture<SeveralNodesFixture>
{
    public const string Name = "several nodes";
}
