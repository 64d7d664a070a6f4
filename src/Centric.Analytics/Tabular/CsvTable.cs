using System.Globalization;
using System.Text;

namespace Centric.Analytics.Tabular;

/// <summary>
/// Reads comma-separated text (header row first, RFC 4180 quoting) into a <see cref="TabularTable"/>,
/// inferring each column's kind: a column is numeric when every non-blank value parses as an
/// invariant-culture number, otherwise categorical. Blank fields and the tokens NA, N/A, NULL and NaN
/// (any case) are missing values.
/// </summary>
public static class CsvTable
{
    private static readonly HashSet<string> MissingTokens = new(StringComparer.OrdinalIgnoreCase) { "", "NA", "N/A", "NULL", "NaN" };

    /// <summary>Reads the whole text; the caller owns (and disposes) the reader.</summary>
    /// <exception cref="AnalyticsException">No header, or a row with a different number of fields.</exception>
    public static TabularTable Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var header = ReadRecord(reader) ?? throw new AnalyticsException("the CSV is empty: no header row");
        var cells = new List<string>[header.Count];
        for (var c = 0; c < cells.Length; c++) cells[c] = [];
        var line = 1;
        while (ReadRecord(reader) is { } record)
        {
            line++;
            if (record.Count == 1 && record[0].Length == 0) continue; // blank line
            if (record.Count != header.Count)
                throw new AnalyticsException($"CSV record {line} has {record.Count} fields, the header has {header.Count}");
            for (var c = 0; c < cells.Length; c++) cells[c].Add(record[c]);
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

    // One record, honouring quotes (which may hold commas, doubled quotes and line breaks); null at end of input.
    private static List<string>? ReadRecord(TextReader reader)
    {
        var first = reader.Peek();
        if (first < 0) return null;
        var fields = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        while (true)
        {
            var ch = reader.Read();
            if (ch < 0)
            {
                fields.Add(field.ToString());
                return fields;
            }
            if (quoted)
            {
                if (ch == '"')
                {
                    if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                    else quoted = false;
                }
                else field.Append((char)ch);
                continue;
            }
            switch (ch)
            {
                case '"':
                    quoted = true;
                    break;
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    if (reader.Peek() == '\n') reader.Read();
                    fields.Add(field.ToString());
                    return fields;
                case '\n':
                    fields.Add(field.ToString());
                    return fields;
                default:
                    field.Append((char)ch);
                    break;
            }
        }
    }
}
