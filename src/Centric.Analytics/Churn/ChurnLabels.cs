using Centric.Analytics.Tabular;

namespace Centric.Analytics.Churn;

/// <summary>Reads the churn outcome (the target) from a column.</summary>
public static class ChurnLabels
{
    private static readonly string[] UsualPositives = ["1", "true", "yes", "y"];

    /// <summary>
    /// The outcome of each row that has one: true where the value equals <paramref name="positive"/>
    /// (case-insensitive; for numbers, numerically). Without <paramref name="positive"/>, 1 / true / yes / y
    /// is the positive value when present. Rows with a missing outcome are left out; <c>Rows</c> says which rows were kept.
    /// </summary>
    /// <exception cref="AnalyticsException">No positive value could be chosen, or the column has more than two values.</exception>
    public static (bool[] Churned, int[] Rows) FromColumn(TabularColumn column, string? positive = null)
    {
        ArgumentNullException.ThrowIfNull(column);
        var text = new string?[column.Length];
        for (var i = 0; i < text.Length; i++) text[i] = column.TextAt(i);
        var distinct = text.Where(t => t is not null).Select(t => t!).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (distinct.Count > 2 && positive is null)
            throw new AnalyticsException($"target column '{column.Name}' has {distinct.Count} values; a binary target needs two (or name the positive value)");
        positive ??= distinct.FirstOrDefault(d => UsualPositives.Contains(d, StringComparer.OrdinalIgnoreCase))
            ?? throw new AnalyticsException($"target column '{column.Name}' has values {string.Join(", ", distinct)}: say which one means churned");
        if (column.Kind == ColumnKind.Numeric && double.TryParse(positive, System.Globalization.CultureInfo.InvariantCulture, out var p))
            positive = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var rows = new List<int>();
        var churned = new List<bool>();
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] is null) continue;
            rows.Add(i);
            churned.Add(string.Equals(text[i], positive, StringComparison.OrdinalIgnoreCase));
        }
        return ([.. churned], [.. rows]);
    }
}
