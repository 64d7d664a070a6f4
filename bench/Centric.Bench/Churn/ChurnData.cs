using System.IO.Compression;
using Centric.Analytics.Churn;
using Centric.Analytics.Tabular;

namespace Centric.Bench.Churn;

/// <summary>A CSV read for churn benchmarking: feature columns and the outcome per row.</summary>
internal sealed record ChurnData(TabularTable Features, bool[] Churned, int DroppedWithoutOutcome)
{
    public static ChurnData Load(string path, string target, string? positive, IEnumerable<string> drop)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        var table = CsvTable.Read(reader);
        var (churned, rows) = ChurnLabels.FromColumn(table[target], positive);
        var features = table.Without([target, .. drop]);
        if (rows.Length < table.RowCount) features = features.Take(rows);
        return new ChurnData(features, churned, table.RowCount - rows.Length);
    }
}
