using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Centric.Testing;

/// <summary>
/// The built server as a child process (`dotnet Centric.Server.dll ...`, Production environment), for the test suite's
/// crash and command-line tests and the benchmark harness. Compiled into both (linked source, not a project).
/// </summary>
internal static class ServerBinary
{
    /// <summary>src/Centric.Server/bin/&lt;this build's configuration&gt;/net10.0/Centric.Server.dll above the running binary.</summary>
    public static string Find()
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

    /// <summary>A loopback port nobody listens on now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts the server with these arguments and settings; every line it writes (output and errors) goes to <paramref name="line"/>.</summary>
    public static Process Start(string dll, IEnumerable<string> args, IEnumerable<KeyValuePair<string, string>> environment, Action<string> line)
    {
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
        var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the server");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) line(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) line(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>
    /// Waits until /health answers 200 (or, with <paramref name="anyAnswer"/>, until the server answers at all: /health/live,
    /// which runs no checks, so a server busy catching up answers at once); throws when the process exits first or the time
    /// is up (with <paramref name="explain"/> in the message).
    /// </summary>
    public static async Task WaitHealthyAsync(Process process, Uri baseUrl, TimeSpan timeout, Func<string> explain, bool anyAnswer = false)
    {
        using var client = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var watch = Stopwatch.StartNew();
        var last = "no answer yet";
        while (watch.Elapsed < timeout)
        {
            if (process.HasExited) throw new InvalidOperationException("the server exited while starting: " + explain());
            try
            {
                using var response = await client.GetAsync(new Uri(anyAnswer ? "/health/live" : "/health", UriKind.Relative));
                if (response.IsSuccessStatusCode || anyAnswer) return;
                last = $"answered {(int)response.StatusCode}";
            }
            // Why it did not answer, for the message: refused (not listening yet) or timed out (listening but stuck).
            catch (HttpRequestException e) { last = e.Message; }
            catch (TaskCanceledException) { last = "no answer within 5 s"; }
            await Task.Delay(100);
        }
        throw new TimeoutException($"the server was not {(anyAnswer ? "answering" : "healthy")} within {timeout} (last try: {last}): " + explain());
    }
}
