using System.Diagnostics;
using System.Globalization;
using Centric.Testing;
using Npgsql;

namespace Centric.Bench.Platform;

/// <summary>
/// `import-orders`: `centric import orders` on a generated order history (default 1,000,000 lines: 100,000 customers,
/// 2,000 products in 20 categories, one to four lines an order over two years, one order in fifty with a return),
/// timed as the operator runs it: the Release server binary as a child process, on a fresh PostgreSQL database (made
/// with `migrate` first, untimed). Then the same file again (everything already there), and the baseline: the rows
/// the import stored re-loaded with binary COPY into empty tables of the same shape (<see cref="CopyCeiling"/>).
/// </summary>
public static class ImportBench
{
    private static readonly string[] Tables =
        ["customers_profiles", "customers_identities", "commerce_products", "commerce_variants", "commerce_orders", "commerce_order_lines", "customers_interactions", "platform_outbox"];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var lines = options.GetInt("lines", 1_000_000);
        var pg = options.Get("pg") ?? throw new ArgumentException("import-orders needs --pg \"Host=...;Port=...;Username=...\"");
        var dll = options.Get("server-dll") ?? ServerBinary.Find();
        var scratch = Directory.CreateTempSubdirectory("centric-import-").FullName;
        var file = Path.Combine(scratch, "orders.csv");
        var orders = Generate(file, lines, seed: 7);
        var database = new NpgsqlConnectionStringBuilder(pg) { Database = $"centric_bench_import_{TimeProvider.System.GetUtcNow():yyyyMMddHHmmss}" }.ConnectionString;
        var settings = new Dictionary<string, string>
        {
            ["Database__Provider"] = "postgres", ["ConnectionStrings__Default"] = database, ["Database__SeedDemoData"] = "false",
            ["Logging__LogLevel__Default"] = "Warning",
        };
        try
        {
            await RunAsync(dll, settings, "migrate");
            var (first, firstOutput) = await RunAsync(dll, settings, "import", "orders", "--file", file);
            var (second, secondOutput) = await RunAsync(dll, settings, "import", "orders", "--file", file);
            var (copySeconds, rows) = await CopyCeiling.RunAsync(database, Tables);
            JsonLine.Write(new
            {
                bench = "import-orders", lines, orders, seconds = Math.Round(first, 1), linesPerSecond = Math.Round(lines / first),
                rerunSeconds = Math.Round(second, 1), copyCeilingSeconds = Math.Round(copySeconds, 1), ratioToCopy = Math.Round(copySeconds / first, 3),
                rows, summary = Last(firstOutput), rerun = Last(secondOutput),
            });
            return 0;
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
            if (!options.Has("keep"))
            {
                await using var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(pg) { Database = "postgres" }.ConnectionString);
                await admin.OpenAsync();
                await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{new NpgsqlConnectionStringBuilder(database).Database}\" WITH (FORCE)", admin);
                await drop.ExecuteNonQueryAsync();
            }
        }
    }

    private static string Last(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "";

    /// <summary>Runs `centric ARGS` with the Release server binary as an operator would; throws on a non-zero exit.</summary>
    internal static async Task<(double Seconds, string Output)> RunAsync(string dll, Dictionary<string, string> settings, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(dll)! };
        start.ArgumentList.Add(dll);
        foreach (var a in args) start.ArgumentList.Add(a);
        foreach (var (k, v) in settings) start.Environment[k] = v;
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var seconds = clock.Elapsed.TotalSeconds;
        if (process.ExitCode != 0) throw new InvalidOperationException($"centric {string.Join(' ', args)} exited {process.ExitCode}: {await error}\n{await output}");
        Console.Error.WriteLine($"centric {args[0]} {(args.Length > 1 ? args[1] : "")}: {seconds:0.0} s");
        return (seconds, await output);
    }

    /// <summary>Writes the order lines; returns how many orders they make.</summary>
    private static int Generate(string path, int lines, int seed)
    {
        var random = new Random(seed);
        var customers = Math.Max(10, lines / 10);
        var start = new DateTime(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc);
        using var writer = new StreamWriter(path);
        writer.WriteLine("order_id,customer_id,ordered_at,sku,product_name,category,quantity,unit_price,currency");
        var (written, orders) = (0, 0);
        while (written < lines)
        {
            orders++;
            var customer = random.Next(customers);
            var at = start.AddMinutes(random.Next(730 * 24 * 60));
            var count = Math.Min(1 + random.Next(4), lines - written);
            var bought = new List<(int Product, decimal Price)>();
            for (var i = 0; i < count; i++)
            {
                var product = random.Next(2_000);
                var price = 5 + product % 95 + 0.99m;
                bought.Add((product, price));
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"O{orders},C{customer},{at:yyyy-MM-ddTHH:mm:ssZ},P{product:D5},Product {product},category-{product % 20},{1 + random.Next(3)},{price},EUR"));
                written++;
            }
            if (written < lines && random.Next(50) == 0)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"O{orders},C{customer},{at.AddDays(10):yyyy-MM-ddTHH:mm:ssZ},P{bought[0].Product:D5},Product {bought[0].Product},category-{bought[0].Product % 20},-1,{bought[0].Price},EUR"));
                written++;
            }
        }
        return orders;
    }
}
