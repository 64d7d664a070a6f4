using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Centric.Server.Platform.Seo;

/// <summary>Text for search engines and link previews: page descriptions and schema.org JSON-LD.</summary>
public static class SeoText
{
    /// <summary>What search engines show of a description before cutting it off.</summary>
    public const int DescriptionLength = 155;

    /// <summary>
    /// The default encoder escapes &lt;, &gt;, &amp; and quotes as \uXXXX, so a product named "&lt;/script&gt;" cannot end the
    /// JSON-LD script element it is written into.
    /// </summary>
    private static readonly JsonSerializerOptions JsonLdOptions = new() { Encoder = JavaScriptEncoder.Default, WriteIndented = false };

    /// <summary>
    /// <paramref name="text"/> on one line, cut to at most <paramref name="max"/> characters at a word boundary, with "…"
    /// when cut.
    /// </summary>
    public static string Summary(string? text, int max = DescriptionLength)
    {
        var line = new StringBuilder();
        foreach (var word in (text ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0) line.Append(' ');
            line.Append(word);
        }
        if (line.Length <= max) return line.ToString();
        var cut = line.ToString(0, max - 1);
        var space = cut.LastIndexOf(' ');
        if (space > max / 2) cut = cut[..space];
        return cut.TrimEnd(',', ';', ':', '.', '-', '–', '—', ' ') + "…";
    }

    /// <summary>JSON-LD for a script element: System.Text.Json with the escaping above.</summary>
    public static string JsonLd(JsonNode data) => data.ToJsonString(JsonLdOptions);
}
