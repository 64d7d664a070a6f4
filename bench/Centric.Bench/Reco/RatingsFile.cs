using System.Globalization;
using System.IO.Compression;
using Centric.Analytics.Recommendations;

namespace Centric.Bench.Reco;

/// <summary>Reads a MovieLens u.data-style file (user, item, rating, unix seconds; tab-separated), gzip or plain.
/// Every rating becomes one interaction, whatever its stars, as in Recommenders' benchmark.</summary>
public static class RatingsFile
{
    public static string Find(string directory)
    {
        foreach (var name in new[] { "u.data.gz", "u.data" })
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path)) return path;
        }
        var any = Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.data*").Order(StringComparer.Ordinal).FirstOrDefault()
            : null;
        return any ?? throw new FileNotFoundException($"no u.data or u.data.gz in {directory}");
    }

    public static List<Interaction> Read(string path)
    {
        using var file = File.OpenRead(path);
        using Stream input = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(input);
        var rows = new List<Interaction>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            if (f.Length < 4 || !long.TryParse(f[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
                throw new FormatException($"{path}:{lineNumber}: expected user<TAB>item<TAB>rating<TAB>unix-seconds");
            rows.Add(new Interaction(f[0], f[1], InteractionKind.Rating, DateTimeOffset.FromUnixTimeSeconds(seconds)));
        }
        return rows;
    }
}
