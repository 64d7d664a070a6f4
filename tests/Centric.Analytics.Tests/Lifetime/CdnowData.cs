using System.Globalization;
using System.IO.Compression;
using Centric.Analytics.Lifetime;
using CsvHelper;

namespace Centric.Analytics.Tests.Lifetime;

/// <summary>Reads the CDNOW files of shared/data/cdnow for the quality tests.</summary>
internal static class CdnowData
{
    public static readonly DateOnly CalibrationEnd = new(1997, 9, 30);

    public sealed record SummaryRow(int Id, int X, decimal Tx, decimal T, decimal MeanValue);

    public static List<SummaryRow> ReadSummary()
    {
        var rows = new List<SummaryRow>();
        using var csv = CsvReader.Create(Open("cdnow_customers_summary.csv.gz"),
            CsvReaderOptions.Default with { Separator = ',', FormatProvider = CultureInfo.InvariantCulture });
        while (csv.Read())
            rows.Add(new SummaryRow(csv.Parse<int>(0), csv.Parse<int>(1), csv.Parse<decimal>(2), csv.Parse<decimal>(3), csv.Parse<decimal>(4)));
        return rows;
    }

    public static PurchaseHistory SummaryHistory()
    {
        var rows = ReadSummary();
        return new PurchaseHistory([.. rows.Select(r => r.X)], [.. rows.Select(r => (double)r.Tx)],
            [.. rows.Select(r => (double)r.T)], [.. rows.Select(r => (double)r.MeanValue)], PurchaseTimeUnit.Weeks);
    }

    public static (int[] Customers, DateOnly[] Dates, double[] Amounts) ReadTransactions()
    {
        var customers = new List<int>();
        var dates = new List<DateOnly>();
        var amounts = new List<double>();
        using var reader = Open("CDNOW_sample.txt.gz");
        while (reader.ReadLine() is { } line)
        {
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 5) continue;
            customers.Add(int.Parse(f[1], CultureInfo.InvariantCulture));
            dates.Add(DateOnly.ParseExact(f[2], "yyyyMMdd", CultureInfo.InvariantCulture));
            amounts.Add(double.Parse(f[4], CultureInfo.InvariantCulture));
        }
        return ([.. customers], [.. dates], [.. amounts]);
    }

    private static StreamReader Open(string file) =>
        new(new GZipStream(File.OpenRead(TestData.PathOf("cdnow", file)), CompressionMode.Decompress));
}
