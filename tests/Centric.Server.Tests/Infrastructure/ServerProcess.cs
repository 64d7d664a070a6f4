using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Centric.Testing;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// The built server as a process of its own (`dotnet Centric.Server.dll --urls ...`, Production environment), on a
/// fixed loopback port, so a test can kill it outright (SIGKILL) and start it again on the same database. Another build
/// of the server (an earlier commit's) runs the same way when its Centric.Server.dll is named.
/// </summary>
public sealed class ServerProcess(IReadOnlyDictionary<string, string> environment, string? serverDll = null) : IAsyncDisposable
{
    private readonly int _port = ServerBinary.FreePort();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private Process? _process;

    public Uri BaseUrl => new($"http://127.0.0.1:{_port}");

    /// <summary>The last lines the server wrote (warnings and errors; request logs are off).</summary>
    public IReadOnlyList<string> RecentLog => [.. _log];

    /// <summary>
    /// Starts the server and waits until /health answers healthy, or with <paramref name="startedOnly"/> until it answers
    /// at all (start-up, migrations and seeding included, is done; its background work may still be catching up).
    /// </summary>
    public async Task StartAsync(TimeSpan timeout, bool startedOnly = false)
    {
        _process = ServerBinary.Start(serverDll ?? ServerBinary.Find(), ["--urls", BaseUrl.ToString().TrimEnd('/')], environment, Keep);
        await ServerBinary.WaitHealthyAsync(_process, BaseUrl, timeout, () => "\n" + string.Join('\n', RecentLog), startedOnly);
    }

    /// <summary>SIGKILL: no shutdown, no flushing, requests in flight cut off mid-way.</summary>
    public async Task KillAsync()
    {
        if (_process is not { } p) return;
        if (!p.HasExited) p.Kill(entireProcessTree: true);
        await p.WaitForExitAsync();
        p.Dispose();
        _process = null;
    }

    /// <summary>How many lines the server has written that contain the given text (counted over every start).</summary>
    public int CountOf(string text) => _counts.GetValueOrDefault(text);

    /// <summary>Texts to count in the server's output, e.g. a log message's fixed words.</summary>
    public ServerProcess Counting(params string[] texts)
    {
        foreach (var text in texts) _counts[text] = 0;
        return this;
    }

    private void Keep(string line)
    {
        foreach (var text in _counts.Keys)
            if (line.Contains(text, StringComparison.Ordinal)) _counts.AddOrUpdate(text, 1, (_, n) => n + 1);
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>Runs `centric &lt;args&gt;` (the built server with a command) to its end: its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var output = new ConcurrentQueue<string>();
        using var process = ServerBinary.Start(ServerBinary.Find(), args, environment, output.Enqueue);
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"centric {string.Join(' ', args)} did not end within two minutes:\n{string.Join('\n', output)}");
        }
        return (process.ExitCode, string.Join('\n', output));
    }
}

/// <summary>
/// A browser reduced to what the server sees, against a server on a real port: its own cookies (visitor, antiforgery)
/// and the portal's forms posted as a browser posts them, redirects not followed.
/// </summary>
public sealed class RemoteBrowser(HttpClient http)
{
    private readonly FormSession _session = new(http);

    /// <summary>A connection pool shared by many browsers; each keeps its own cookies.</summary>
    public static HttpClient Pool(Uri baseUrl) => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Opens a page and keeps its antiforgery token. A 5xx or a cut connection throws HttpRequestException (worth another try); a 4xx, InvalidOperationException.</summary>
    public async Task<string> OpenAsync(string path)
    {
        var (status, html) = await _session.OpenAsync(path);
        if ((int)status >= 500) throw new HttpRequestException($"GET {path}: {(int)status}", null, status);
        if ((int)status is < 200 or > 299) throw new InvalidOperationException($"GET {path}: {(int)status}");
        return html;
    }

    /// <summary>Posts a portal form: the status and, for a redirect, where it points (a 5xx or a cut connection throws).</summary>
    public async Task<(HttpStatusCode Status, string? Location)> PostFormAsync(string path, string form, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var (status, location) = await _session.PostFormAsync(path, form, fields);
        if ((int)status >= 500) throw new HttpRequestException($"POST {path}: {(int)status}", null, status);
        return (status, location);
    }

    /// <summary>The value of a hidden input on a page, e.g. the form's idempotency key.</summary>
    public static string? Hidden(string html, string name) => FormSession.Hidden(html, name);
}
