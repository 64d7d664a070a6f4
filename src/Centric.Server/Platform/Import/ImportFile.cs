using System.Globalization;
using System.IO.Compression;
using CsvHelper;

namespace Centric.Server.Platform.Import;

/// <summary>One data row of an import file: its line number (for reports) and its fields by target column name.</summary>
public sealed class ImportRow(int line, IReadOnlyDictionary<string, int> columns, string[] fields)
{
    public int Line => line;

    /// <summary>The trimmed field of a target column; "" when the file has no such column.</summary>
    public string this[string column] => columns.TryGetValue(column, out var i) && i < fields.Length ? fields[i].Trim() : "";

    public bool Has(string column) => this[column].Length > 0;
}

/// <summary>
/// A CSV file to import (RFC 4180, a header row; <c>.gz</c> is read compressed), its columns renamed by <c>--map
/// target=source,...</c> so a business's own export loads without editing. Rows come one at a time, so a file of
/// millions of lines is never held as text.
/// </summary>
public sealed class ImportFile(string path, IReadOnlyDictionary<string, string> map)
{
    private FileStream? _stream;

    public string Path => path;

    /// <summary>How much of the file has been read, 0–1 (of the compressed bytes for .gz).</summary>
    public double Fraction => _stream is null ? 0 : _stream is { CanSeek: true, Length: > 0 } s ? (double)s.Position / s.Length : 1;

    /// <summary>Parses <c>target=source,...</c>; null with a message when it is malformed.</summary>
    public static (Dictionary<string, string>? Map, string? Error) ParseMap(string? text)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(text)) return (map, null);
        foreach (var pair in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = pair.Split('=', 2, StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0)
                return (null, $"--map expects target=source pairs separated by commas; '{pair}' is not one.");
            if (!map.TryAdd(parts[0], parts[1])) return (null, $"--map names the column '{parts[0]}' twice.");
        }
        return (map, null);
    }

    /// <summary>The file's rows after checking its header: every required column present (after the map) or a message naming the missing ones.</summary>
    public async IAsyncEnumerable<ImportRow> RowsAsync(IReadOnlyCollection<string> required, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var stream = _stream = File.OpenRead(path);
        await using var decompressed = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(stream, CompressionMode.Decompress) : (Stream)stream;
        using var reader = new StreamReader(decompressed);
        await using var csv = CsvReader.Create(reader, CsvReaderOptions.Default with { Separator = ',', TrackLineNumbers = true }, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var columns = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++) columns.TryAdd(header[i], i);
        foreach (var (target, source) in map)
        {
            if (!columns.TryGetValue(source, out var i)) throw new ImportFileException($"--map names the column '{source}', which the file's header does not have.");
            columns[target] = i;
        }
        var missing = required.Where(c => !columns.ContainsKey(c) && !(c.Contains('|') && c.Split('|').Any(columns.ContainsKey))).ToList();
        if (missing.Count > 0)
            throw new ImportFileException($"The file has no column {string.Join(", ", missing.Select(m => m.Replace("|", " or ")))} (its header: {string.Join(", ", header)}); name yours with --map target=source.");
        while (await csv.ReadAsync(ct))
        {
            var fields = new string[csv.FieldCount];
            for (var i = 0; i < fields.Length; i++) fields[i] = csv.GetString(i) ?? "";
            if (fields.All(string.IsNullOrWhiteSpace)) continue;
            yield return new ImportRow((int)csv.LineNumber, columns, fields);
        }
    }

    /// <summary>
    /// A record number derived from the file's id for it (IM- and ten base-32 characters), so a second run of the file names
    /// the same record and finds it stored.
    /// </summary>
    public static string NumberFor(string kind, string id)
    {
        const string alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
        var bits = BitConverter.ToUInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(kind + ":" + id)), 0);
        var number = new System.Text.StringBuilder("IM-", 13);
        for (var i = 0; i < 10; i++, bits >>= 5) number.Append(alphabet[(int)(bits & 31)]);
        return number.ToString();
    }

    /// <summary>ISO 8601 dates and times (2024-03-01, 2024-03-01T09:30:00Z, basic 20240301), read as UTC when no offset is given.</summary>
    public static DateTime? ParseTime(string text)
    {
        string[] formats = ["yyyy-MM-dd", "yyyyMMdd", "yyyy-MM-ddTHH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss",
            "yyyy-MM-ddTHH:mmK", "yyyy-MM-ddTHH:mm:ssK", "yyyy-MM-ddTHH:mm:ss.FFFFFFFK", "yyyyMMddTHHmmssK", "yyyyMMddTHHmmss"];
        return DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at)
            && at.Year is >= 1900 and <= 2200 ? at.UtcDateTime : null;
    }
}

/// <summary>The file cannot be imported at all (a missing column, a bad map): said before anything is stored.</summary>
public sealed class ImportFileException(string message) : Exception(message);
