using System.IO.Compression;
using Centric.Analytics.Sentiment;

namespace Centric.Bench.Sentiment;

/// <summary>The three UCI labelled-sentence sources, read as plain tab-separated lines (no CSV quoting).</summary>
public sealed record SentimentCorpus(string[] Texts, bool[] Positive, string[] Sources)
{
    public static readonly string[] SourceNames = ["amazon", "imdb", "yelp"];

    private static readonly Dictionary<string, string> FileNames = new(StringComparer.Ordinal)
    {
        ["amazon"] = "amazon_cells_labelled.txt.gz",
        ["imdb"] = "imdb_labelled.txt.gz",
        ["yelp"] = "yelp_labelled.txt.gz",
    };

    public static SentimentCorpus Load(string folder)
    {
        var texts = new List<string>();
        var labels = new List<bool>();
        var sources = new List<string>();
        foreach (var source in SourceNames)
        {
            foreach (var s in ReadFile(Path.Combine(folder, FileNames[source])))
            {
                texts.Add(s.Text);
                labels.Add(s.Positive);
                sources.Add(source);
            }
        }
        return new SentimentCorpus([.. texts], [.. labels], [.. sources]);
    }

    /// <summary>Reads "text TAB 0|1" lines from a file, gunzipping when it ends in .gz.</summary>
    public static IReadOnlyList<LabelledSentence> ReadFile(string path)
    {
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            ? new GZipStream(file, CompressionMode.Decompress)
            : file;
        using var reader = new StreamReader(stream);
        return LabelledSentences.Parse(reader);
    }
}
