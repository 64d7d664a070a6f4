using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Centric.Server.Support.Measures;

/// <summary>A row the import could not take at face value, and why.</summary>
public sealed record DatasetIssue(int Row, string TicketId, string Kind, string Detail);

public sealed record DatasetImport(int Rows, IReadOnlyList<DatasetIssue> Issues, IReadOnlyList<TicketFact> Tickets, IReadOnlyList<int> Ratings, int Backlog)
{
    public int Count(string kind) => Issues.Count(i => i.Kind == kind);
}

/// <summary>
/// Reads a ticket export in the shape of the public "Customer Support Ticket Dataset" (CSV: Ticket ID, Ticket Status,
/// Ticket Channel, First Response Time, Time to Resolution, Customer Satisfaction Rating, Ticket Description, …) into
/// measure facts, and reports rows that are wrong rather than quietly using or dropping them:
/// <list type="bullet">
/// <item><c>resolved-before-first-response</c>: the resolution time is earlier than the first response (left out of resolution time);</item>
/// <item><c>placeholder-in-text</c>: the description still holds a template placeholder such as {product_purchased} (counted, kept);</item>
/// <item><c>bad-field</c>: a date, rating or column that does not parse (row skipped).</item>
/// </list>
/// The export has no creation time, so a ticket's clock starts at its first response: "resolution hours" here are first
/// response to resolution, and first response time cannot be measured.
/// </summary>
public static partial class TicketDatasetImport
{
    public const string ResolvedBeforeFirstResponse = "resolved-before-first-response";
    public const string PlaceholderInText = "placeholder-in-text";
    public const string BadField = "bad-field";

    public static DatasetImport Read(TextReader reader)
    {
        var rows = ReadCsv(reader).GetEnumerator();
        if (!rows.MoveNext()) return new DatasetImport(0, [], [], [], 0);
        var header = rows.Current.Select((name, index) => (name, index)).ToDictionary(x => x.name.Trim(), x => x.index, StringComparer.OrdinalIgnoreCase);
        int Col(string name) => header.TryGetValue(name, out var i) ? i : throw new FormatException($"Column '{name}' is missing.");
        var (id, status, channel, first, resolved, rating, description) =
            (Col("Ticket ID"), Col("Ticket Status"), Col("Ticket Channel"), Col("First Response Time"), Col("Time to Resolution"), Col("Customer Satisfaction Rating"), Col("Ticket Description"));

        var issues = new List<DatasetIssue>();
        var facts = new List<TicketFact>();
        var ratings = new List<int>();
        var count = 0;
        var backlog = 0;
        while (rows.MoveNext())
        {
            var row = rows.Current;
            count++;
            var line = count + 1;   // the header is line 1
            string Field(int i) => i < row.Count ? row[i].Trim() : "";
            var ticketId = Field(id);
            if (row.Count != header.Count) { issues.Add(new(line, ticketId, BadField, $"{row.Count} fields, expected {header.Count}")); continue; }
            if (PlaceholderPattern().Match(Field(description)) is { Success: true } placeholder)
                issues.Add(new(line, ticketId, PlaceholderInText, placeholder.Value));
            if (!TryDate(Field(first), out var firstAt) || !TryDate(Field(resolved), out var resolvedAt))
            { issues.Add(new(line, ticketId, BadField, "First Response Time or Time to Resolution is not a date")); continue; }
            var isOpen = !string.Equals(Field(status), "Closed", StringComparison.OrdinalIgnoreCase);
            if (isOpen) backlog++;
            if (Field(rating) is { Length: > 0 } r)
            {
                if (!double.TryParse(r, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 1 or > 5)
                { issues.Add(new(line, ticketId, BadField, $"rating '{r}'")); continue; }
                ratings.Add((int)Math.Round(value));
            }
            DateTime? solved = resolvedAt;
            if (firstAt is { } f && resolvedAt is { } s && s < f)
            {
                issues.Add(new(line, ticketId, ResolvedBeforeFirstResponse, $"resolved {s:yyyy-MM-dd HH:mm:ss} before first response {f:yyyy-MM-dd HH:mm:ss}"));
                solved = null;
            }
            // Without a creation time the clock starts at the first response (or the resolution when nothing else is known).
            var start = firstAt ?? resolvedAt;
            if (start is null) { facts.Add(new TicketFact(Channel(Field(channel)), DateTime.MinValue, null, null, isOpen, 0, 0, 0)); continue; }
            facts.Add(new TicketFact(Channel(Field(channel)), start.Value, null, solved, isOpen, 0, 0, 0));
        }
        return new DatasetImport(count, issues, facts, ratings, backlog);
    }

    private static string Channel(string text) => text.ToLowerInvariant() switch
    {
        "social media" => "social",
        var c => c.Replace(' ', '-'),
    };

    private static bool TryDate(string text, out DateTime? value)
    {
        value = null;
        if (text.Length == 0) return true;
        if (!DateTime.TryParseExact(text, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var d))
            return false;
        value = d;
        return true;
    }

    /// <summary>RFC 4180: quoted fields may hold commas, doubled quotes and line breaks.</summary>
    public static IEnumerable<List<string>> ReadCsv(TextReader reader)
    {
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        var any = false;
        int c;
        while ((c = reader.Read()) != -1)
        {
            any = true;
            var ch = (char)c;
            if (quoted)
            {
                if (ch != '"') { field.Append(ch); continue; }
                if (reader.Peek() == '"') { reader.Read(); field.Append('"'); }
                else quoted = false;
                continue;
            }
            switch (ch)
            {
                case '"': quoted = true; break;
                case ',': row.Add(field.ToString()); field.Clear(); break;
                case '\r': break;
                case '\n':
                    row.Add(field.ToString());
                    field.Clear();
                    yield return row;
                    row = [];
                    any = false;
                    break;
                default: field.Append(ch); break;
            }
        }
        if (any)
        {
            row.Add(field.ToString());
            yield return row;
        }
    }

    [GeneratedRegex(@"\{[a-z_]+\}")]
    private static partial Regex PlaceholderPattern();
}
