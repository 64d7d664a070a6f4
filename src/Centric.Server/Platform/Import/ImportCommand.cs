using System.CommandLine;

namespace Centric.Server.Platform.Import;

/// <summary>`centric import customers|orders|tickets --file F.csv [--map target=source,...] [--dry-run]`.</summary>
internal static class ImportCommand
{
    private static readonly (string Kind, string Help)[] Kinds =
    [
        ("customers", "Customers, one per row: customer_id (your id for them) or email, and first_name, last_name, phone, country, created_at."),
        ("orders", "Order lines, one per row: order_id, customer_id or email, ordered_at, sku, quantity, unit_price; product_name, category, currency, country, channel optional. A negative quantity returns that line."),
        ("tickets", "Support tickets, one per row: ticket_id, customer_id or email, created_at, subject, message; channel, status (open or solved), solved_at, csat (1–5) optional."),
    ];

    public static Command Define(Func<IServiceProvider> services)
    {
        var import = new Command("import", "Load a business's history from CSV: customers, orders or tickets. Re-running a file imports nothing twice.");
        foreach (var (kind, help) in Kinds)
        {
            var file = new Option<FileInfo>("--file") { Description = "The CSV file (with a header row; .gz is read compressed).", Required = true };
            var map = new Option<string?>("--map") { Description = "Your column names: target=source,... (e.g. customer_id=client,ordered_at=date)." };
            var dryRun = new Option<bool>("--dry-run") { Description = "Check every row and say what would be imported; store nothing." };
            var command = new Command(kind, help) { file, map, dryRun };
            command.SetAction(async (result, ct) =>
            {
                var output = result.InvocationConfiguration.Output;
                var error = result.InvocationConfiguration.Error;
                var path = result.GetValue(file)!;
                if (!path.Exists)
                {
                    await error.WriteLineAsync($"No file at {path.FullName}.");
                    return 2;
                }
                var (columns, mapError) = ImportFile.ParseMap(result.GetValue(map));
                if (columns is null)
                {
                    await error.WriteLineAsync(mapError);
                    return 2;
                }
                // History often goes into a new installation: its tables are made first, as `centric migrate` would.
                await Data.DatabaseSetup.MigrateAsync(services(), ct);
                await using var scope = services().CreateAsyncScope();
                var importer = scope.ServiceProvider.GetServices<IImporter>().Single(i => i.Kind == kind);
                var dry = result.GetValue(dryRun);
                var bar = new ProgressBar(output, interactive: ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);
                try
                {
                    var report = await importer.RunAsync(new ImportFile(path.FullName, columns), dry, bar, ct);
                    bar.Done();
                    foreach (var problem in report.Problems) await output.WriteLineAsync(problem);
                    if (report.BadRows > report.Problems.Count) await output.WriteLineAsync($"... and {report.BadRows - report.Problems.Count:N0} more bad rows.");
                    await output.WriteLineAsync(report.Summary(dry));
                    return 0;
                }
                catch (ImportFileException e)
                {
                    bar.Done();
                    await error.WriteLineAsync(e.Message);
                    return 2;
                }
            });
            import.Subcommands.Add(command);
        }
        return import;
    }

    /// <summary>
    /// A bar redrawn in place on a terminal, at most a few times a second; when the output is a file or a pipe, a line at each
    /// tenth of each phase instead, so a log stays readable.
    /// </summary>
    private sealed class ProgressBar(TextWriter output, bool interactive) : IProgress<ImportProgress>
    {
        private const int Width = 30;
        private long _drawnAt;
        private (string Phase, int Tenth) _logged = ("", -1);
        private bool _open;

        public void Report(ImportProgress value)
        {
            var fraction = Math.Clamp(value.Fraction, 0, 1);
            if (interactive)
            {
                var now = Environment.TickCount64;
                if (now - _drawnAt < 200 && fraction < 1) return;
                _drawnAt = now;
                var filled = (int)(fraction * Width);
                output.Write($"\r{value.Phase,-8} [{new string('#', filled)}{new string('-', Width - filled)}] {fraction,4:P0}  {value.Count:N0} {value.Unit}   ");
                _open = true;
                return;
            }
            var tenth = (int)(fraction * 10);
            if (_logged == (value.Phase, tenth)) return;
            _logged = (value.Phase, tenth);
            output.WriteLine($"{value.Phase,-8} {tenth * 10,3}%  {value.Count:N0} {value.Unit}");
        }

        public void Done()
        {
            if (_open) output.WriteLine();
            _open = false;
        }
    }
}
