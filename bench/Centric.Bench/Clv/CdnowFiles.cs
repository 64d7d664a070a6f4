using System.Globalization;
using System.IO.Compression;
using Centric.Analytics.Lifetime;
using CsvHelper;

namespace Centric.Bench.Clv;

/// <summary>One row of the published CDNOW calibration summary, values kept as printed (two decimals).</summary>
internal readonly record struct PublishedSummaryRow(int Id, int X, decimal Tx, decimal T, decimal MeanValue);

/// <summary>Readers for the CDNOW files in shared/data/cdnow (see its SOURCE.md).</summary>
internal static class CdnowFiles
{
    private static readonly CsvReaderOptions SummaryOptions = CsvReaderOptions.Default with { Separator = ',', FormatProvider = CultureInfo.InvariantCulture };

    /// <summary>The calibration period of the published summary ends on 30 September 1997 (39 weeks after 1 January).</summary>
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);

    public static List<PublishedSummaryRow> ReadSummary(string path)
    {
        var rows = new List<PublishedSummaryRow>();
        using var csv = CsvReader.Create(OpenText(path), SummaryOptions);
        if (csv.Headers.Count == 0) throw new InvalidDataException($"{path} is empty");
        if (csv.Headers is not ["ID", "x", "t_x", "T", ..]) throw new InvalidDataException($"{path}: unexpected header '{string.Join(',', csv.Headers)}'");
        while (csv.Read())
        {
            rows.Add(new PublishedSummaryRow(csv.Parse<int>(0), csv.Parse<int>(1), csv.Parse<decimal>(2), csv.Parse<decimal>(3),
                csv.FieldCount > 4 ? csv.Parse<decimal>(4) : 0m));
        }
        return rows;
    }

    public static PurchaseHistory ToHistory(List<PublishedSummaryRow> rows) => new(
        [.. rows.Select(r => r.X)], [.. rows.Select(r => (double)r.Tx)], [.. rows.Select(r => (double)r.T)],
        [.. rows.Select(r => (double)r.MeanValue)], PurchaseTimeUnit.Weeks);

    /// <summary>Transactions: sample index, customer id, date (yyyyMMdd), CDs, dollar value.</summary>
    public static (int[] Customers, DateOnly[] Dates, double[] Amounts) ReadTransactions(string path)
    {
        var customers = new List<int>();
        var dates = new List<DateOnly>();
        var amounts = new List<double>();
        using var reader = OpenText(path);
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5) continue;
            customers.Add(int.Parse(f[1], CultureInfo.InvariantCulture));
            dates.Add(DateOnly.ParseExact(f[2], "yyyyMMdd", CultureInfo.InvariantCulture));
            amounts.Add(double.Parse(f[4], CultureInfo.InvariantCulture));
        }
        return ([.. customers], [.. dates], [.. amounts]);
    }

    /// <summary>Whether a computed value prints as the published two-decimal figure (rounded half away from zero).</summary>
    public static bool SameAtTwoDecimals(double computed, decimal published) =>
        Math.Round((decimal)computed, 2, MidpointRounding.AwayFromZero) == published;

    /// <summary>The file's text, gunzipped when it starts with gzip's magic bytes (1f 8b), whatever its name.</summary>
    private static StreamReader OpenText(string path)
    {
        var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        var gzip = file.Read(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        file.Position = 0;
        return new StreamReader(gzip ? new GZipStream(file, CompressionMode.Decompress) : file);
    }
}
