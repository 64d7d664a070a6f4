namespace Centric.Analytics.Sentiment;

/// <summary>A feedback text with its known sentiment.</summary>
/// <param name="Text">The text as written.</param>
/// <param name="Positive">True when the text is positive.</param>
public sealed record LabelledSentence(string Text, bool Positive);

/// <summary>Reads labelled feedback in the plain "text TAB 0|1" format, one per line.</summary>
public static class LabelledSentences
{
    /// <summary>
    /// Parses lines of text, a tab, then 0 (negative) or 1 (positive). The label is whatever
    /// follows the last tab, so tabs and quotes inside the text are kept as written (no CSV
    /// quoting). Blank lines are skipped; a line without a tab-separated 0 or 1 throws
    /// <see cref="AnalyticsException"/> naming the line.
    /// </summary>
    public static IReadOnlyList<LabelledSentence> Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var sentences = new List<LabelledSentence>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var tab = line.LastIndexOf('\t');
            if (tab < 0) throw new AnalyticsException($"Line {lineNumber}: expected text, a tab, then 0 or 1.");
            var label = line.AsSpan(tab + 1).Trim();
            var positive = label.SequenceEqual("1") ? true
                : label.SequenceEqual("0") ? false
                : throw new AnalyticsException($"Line {lineNumber}: the label must be 0 or 1, not '{label}'.");
            sentences.Add(new LabelledSentence(line[..tab].Trim(), positive));
        }
        return sentences;
    }
}
