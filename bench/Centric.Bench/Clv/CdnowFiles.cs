using System.Globalization;
using System.IO.Compression;
using Centric.Analytics.Lifetime;

namespace Centric.Bench.Clv;

/// <summary>One row of the published CDNOW calibration summary, values kept as printed (two decimals).</summary>
internal readonly record struct PublishedSummaryRow(int Id, int X, decimal Tx, decimal T, decimal MeanValue);

/// <summary>Readers for the CDNOW files in shared/data/cdnow (see its SOURCE.md).</summary>
internal static class CdnowFiles
{
    /// <summary>The calibration period of the published summary ends on 30 September 1997 (39 weeks after 1 January).</summary>
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);

    public static List<PublishedSummaryRow> ReadSummary(string path)
    {
        var rows = new List<PublishedSummaryRow>();
        using var reader = OpenText(path);
        var header = reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty");
        if (!header.StartsWith("ID,x,t_x,T", StringComparison.Ordinal)) throw new InvalidDataException($"{path}: unexpected header '{header}'");
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0) continue;
            var f = line.Split(',');
            rows.Add(new PublishedSummaryRow(
                int.Parse(f[0], CultureInfo.InvariantCulture), int.Parse(f[1], CultureInfo.InvariantCulture),
                decimal.Parse(f[2], CultureInfo.InvariantCulture), decimal.Parse(f[3], CultureInfo.InvariantCulture),
                f.Length > 4 ? decimal.Parse(f[4], CultureInfo.InvariantCulture) : 0m));
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

    private static StreamReader OpenText(string path) =>
        new(new GZipStream(File.OpenRead(path), CompressionMode.Decompress));
}
