using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// The built server as a process of its own (`dotnet Centric.Server.dll --urls ...`, Production environment), on a
/// fixed loopback port, so a test can kill it outright (SIGKILL) and start it again on the same database.
/// </summary>
public sealed class ServerProcess(IReadOnlyDictionary<string, string> environment) : IAsyncDisposable
{
    private readonly int _port = FreePort();
    private readonly ConcurrentQueue<string> _log = new();
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);
    private Process? _process;

    public Uri BaseUrl => new($"http://127.0.0.1:{_port}");

    /// <summary>The last lines the server wrote (warnings and errors; request logs are off).</summary>
    public IReadOnlyList<string> RecentLog => [.. _log];

    /// <summary>Starts the server and waits until /health answers.</summary>
    public async Task StartAsync(TimeSpan timeout)
    {
        var dll = FindServerDll();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { dll, "--urls", BaseUrl.ToString().TrimEnd('/') },
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        using var client = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException("the server exited while starting:\n" + string.Join('\n', RecentLog));
            try
            {
                using var response = await client.GetAsync(new Uri("/health", UriKind.Relative));
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the server was not healthy within {timeout}:\n" + string.Join('\n', RecentLog));
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

    private void Keep(string? line)
    {
        if (line is null) return;
        foreach (var text in _counts.Keys)
            if (line.Contains(text, StringComparison.Ordinal)) _counts.AddOrUpdate(text, 1, (_, n) => n + 1);
        _log.Enqueue(line);
        while (_log.Count > 200) _log.TryDequeue(out _);
    }

    public async ValueTask DisposeAsync() => await KillAsync();

    /// <summary>Runs `centric &lt;args&gt;` (the built server with a command) to its end: its exit code and everything it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunCommandAsync(IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var dll = FindServerDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (name, value) in environment) start.Environment[name] = value;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
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

/// <summary>
/// A browser reduced to what the server sees, against a server on a real port: its own cookies (visitor, antiforgery)
/// and the portal's forms posted as a browser posts them, redirects not followed.
/// </summary>
public sealed partial class RemoteBrowser(HttpClient http)
{
    private readonly CookieContainer _cookies = new();
    private string? _token;

    /// <summary>A connection pool shared by many browsers; each keeps its own cookies.</summary>
    public static HttpClient Pool(Uri baseUrl) => new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false })
    {
        BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30),
    };

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request)
    {
        var uri = new Uri(http.BaseAddress!, request.RequestUri!);
        if (_cookies.GetCookieHeader(uri) is { Length: > 0 } cookies) request.Headers.Add("Cookie", cookies);
        var response = await http.SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var set))
            foreach (var cookie in set) _cookies.SetCookies(uri, cookie);
        return response;
    }

    /// <summary>Opens a page and keeps its antiforgery token. A 5xx or a cut connection throws HttpRequestException (worth another try); a 4xx, InvalidOperationException.</summary>
    public async Task<string> OpenAsync(string path)
    {
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative)));
        var html = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode >= 500) throw new HttpRequestException($"GET {path}: {(int)response.StatusCode}", null, response.StatusCode);
        if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode}");
        if (AntiforgeryInput().Match(html) is { Success: true } input) _token = WebUtility.HtmlDecode(InputValue().Match(input.Value).Groups[1].Value);
        return html;
    }

    /// <summary>Posts a portal form: the status and, for a redirect, where it points (a 5xx or a cut connection throws).</summary>
    public async Task<(HttpStatusCode Status, string? Location)> PostFormAsync(string path, string form, IEnumerable<KeyValuePair<string, string>> fields)
    {
        var body = new List<KeyValuePair<string, string>>(fields) { new("_handler", form), new("__RequestVerificationToken", _token ?? "") };
        using var response = await SendAsync(new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(body) });
        await response.Content.LoadIntoBufferAsync();
        if ((int)response.StatusCode >= 500) throw new HttpRequestException($"POST {path}: {(int)response.StatusCode}", null, response.StatusCode);
        return (response.StatusCode, response.Headers.Location?.OriginalString);
    }

    /// <summary>The value of a hidden input on a page, e.g. the form's idempotency key.</summary>
    public static string? Hidden(string html, string name) =>
        HiddenInput().Matches(html).Select(m => m.Value).FirstOrDefault(i => i.Contains($"name=\"{name}\"", StringComparison.Ordinal)) is { } input
            ? WebUtility.HtmlDecode(InputValue().Match(input).Groups[1].Value) : null;

    [System.Text.RegularExpressions.GeneratedRegex("<input[^>]*__RequestVerificationToken[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex AntiforgeryInput();

    [System.Text.RegularExpressions.GeneratedRegex("<input[^>]*type=\"hidden\"[^>]*>")]
    private static partial System.Text.RegularExpressions.Regex HiddenInput();

    [System.Text.RegularExpressions.GeneratedRegex("value=\"([^\"]*)\"")]
    private static partial System.Text.RegularExpressions.Regex InputValue();
}
