using System.Globalization;
using CsvHelper;

namespace Centric.Analytics.Tabular;

/// <summary>
/// Reads comma-separated text (header row first, RFC 4180 quoting) into a <see cref="TabularTable"/>,
/// inferring each column's kind: a column is numeric when every non-blank value parses as an
/// invariant-culture number, otherwise categorical. Blank fields and the tokens NA, N/A, NULL and NaN
/// (any case) are missing values.
/// </summary>
public static class CsvTable
{
    // Comma-separated whatever the first lines look like; blank lines are skipped; a ragged record is refused below.
    private static readonly CsvReaderOptions Options = CsvReaderOptions.Default with { Separator = ',' };

    private static readonly HashSet<string> MissingTokens = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "NULL", "NaN" };

    /// <summary>Reads the whole text; the caller owns (and disposes) the reader.</summary>
    /// <exception cref="AnalyticsException">No header, or a row with a different number of fields.</exception>
    public static TabularTable Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        using var csv = CsvReader.Create(reader, Options, leaveOpen: true);
        var header = csv.Headers;
        if (header.Count == 0) throw new AnalyticsException("the CSV is empty: no header row");
        var cells = new List<string>[header.Count];
        for (var c = 0; c < cells.Length; c++) cells[c] = [];
        while (csv.Read())
        {
            if (csv.FieldCount != header.Count)
                throw new AnalyticsException($"CSV record {csv.RowNumber + 1} has {csv.FieldCount} fields, the header has {header.Count}");
            for (var c = 0; c < cells.Length; c++) cells[c].Add(csv.GetString(c) ?? "");
        }
        var columns = new TabularColumn[header.Count];
        for (var c = 0; c < columns.Length; c++) columns[c] = Infer(header[c].Trim(), cells[c]);
        return new TabularTable(columns);
    }

    /// <summary>Whether a field counts as missing (blank or a missing-value token).</summary>
    public static bool IsMissing(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return MissingTokens.Contains(field.Trim());
    }

    private static TabularColumn Infer(string name, List<string> values)
    {
        var numbers = new double[values.Count];
        for (var i = 0; i < numbers.Length; i++)
        {
            var v = values[i].Trim();
            if (MissingTokens.Contains(v)) numbers[i] = double.NaN;
            else if (!double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out numbers[i]))
                return TabularColumn.Categorical(name, [.. values.Select(s => IsMissing(s) ? null : s)]);
        }
        return TabularColumn.Numeric(name, numbers);
    }
}
