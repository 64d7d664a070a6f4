namespace Centric.Server.Platform.Import;

/// <summary>
/// What one kind of history (customers, orders, tickets) loads from an import file. Each module registers the importers
/// of its own records; <c>centric import &lt;kind&gt;</c> runs them. An importer is idempotent (a second run of the
/// same file stores nothing twice), skips a bad row (or the whole order/ticket it belongs to) with its line number, and
/// stores nothing in a dry run.
/// </summary>
public interface IImporter
{
    /// <summary>The word after <c>centric import</c>.</summary>
    string Kind { get; }

    /// <summary>Columns that must be present (a|b: either), after --map.</summary>
    IReadOnlyList<string> Required { get; }

    Task<ImportReport> RunAsync(ImportFile file, bool dryRun, IProgress<ImportProgress> progress, CancellationToken ct);
}

/// <summary>How far an import has come: the phase (reading the file, storing), its fraction done, and a count to show.</summary>
public readonly record struct ImportProgress(string Phase, double Fraction, long Count, string Unit);

/// <summary>What an import did: records stored, records already there from an earlier run, and the rows refused with why.</summary>
public sealed class ImportReport(string what)
{
    /// <summary>At most this many bad rows are listed one by one; the rest are counted.</summary>
    public const int Listed = 50;

    private readonly List<string> _problems = [];

    public string What => what;
    public long Rows { get; set; }
    public long Imported { get; set; }
    public long AlreadyThere { get; set; }
    public long BadRows { get; private set; }
    public IReadOnlyList<string> Problems => _problems;

    public void Bad(int line, string why, int rows = 1)
    {
        BadRows += rows;
        if (_problems.Count < Listed) _problems.Add($"line {line}: {why}");
    }

    public string Summary(bool dryRun) =>
        $"{(dryRun ? "Dry run: would import" : "Imported")} {Imported:N0} {what}; {AlreadyThere:N0} already there; {BadRows:N0} bad rows skipped (of {Rows:N0} rows).";
}
