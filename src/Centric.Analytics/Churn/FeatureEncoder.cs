using System.Globalization;
using Centric.Analytics.Tabular;

namespace Centric.Analytics.Churn;

/// <summary>
/// Turns table columns into a row-major matrix of doubles both models share: numbers as they are
/// (NaN = missing), categories as codes 0..k-1 in order of training frequency (NaN = missing).
/// Labels seen fewer than <see cref="MinCategoryCount"/> times in training, beyond the
/// <see cref="MaxCategories"/> most frequent, or never seen, are encoded as missing: that is the
/// documented fallback for unseen categories at scoring time.
/// </summary>
internal sealed class FeatureEncoder
{
    public const int MinCategoryCount = 3;
    public const int MaxCategories = 100;

    private readonly Dictionary<string, int>[] _codes;

    public FeatureEncoder(string[] names, ColumnKind[] kinds, string[][] categories)
    {
        Names = names;
        Kinds = kinds;
        Categories = categories;
        _codes = new Dictionary<string, int>[names.Length];
        for (var f = 0; f < names.Length; f++)
        {
            _codes[f] = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var c = 0; c < categories[f].Length; c++) _codes[f][categories[f][c]] = c;
        }
    }

    public string[] Names { get; }
    public ColumnKind[] Kinds { get; }
    public string[][] Categories { get; }
    public int Count => Names.Length;

    public static FeatureEncoder Fit(TabularTable table)
    {
        if (table.Columns.Count == 0) throw new AnalyticsException("no feature columns to learn from");
        var names = new string[table.Columns.Count];
        var kinds = new ColumnKind[names.Length];
        var categories = new string[names.Length][];
        for (var f = 0; f < names.Length; f++)
        {
            var column = table.Columns[f];
            names[f] = column.Name;
            kinds[f] = column.Kind;
            categories[f] = column.Kind == ColumnKind.Numeric ? [] : FrequentLabels(column.Labels);
        }
        return new FeatureEncoder(names, kinds, categories);
    }

    private static string[] FrequentLabels(ReadOnlySpan<string?> labels)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var label in labels)
            if (label is not null) counts[label] = counts.GetValueOrDefault(label) + 1;
        return [.. counts.Where(kv => kv.Value >= MinCategoryCount)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(MaxCategories).Select(kv => kv.Key)];
    }

    /// <summary>The table's columns in feature order, matched by name.</summary>
    public TabularColumn[] Bind(TabularTable table)
    {
        var bound = new TabularColumn[Count];
        for (var f = 0; f < bound.Length; f++)
            bound[f] = table.Find(Names[f]) ?? throw new AnalyticsException($"the data has no column '{Names[f]}' that the model needs");
        return bound;
    }

    /// <summary>Encodes every row, row-major (rows × features).</summary>
    public double[] Encode(TabularTable table)
    {
        var bound = Bind(table);
        var x = new double[table.RowCount * Count];
        for (var f = 0; f < Count; f++)
            for (var r = 0; r < table.RowCount; r++)
                x[r * Count + f] = Value(bound[f], f, r);
        return x;
    }

    public void EncodeRow(TabularColumn[] bound, int row, Span<double> destination)
    {
        for (var f = 0; f < Count; f++) destination[f] = Value(bound[f], f, row);
    }

    private double Value(TabularColumn column, int f, int row)
    {
        if (Kinds[f] == ColumnKind.Numeric)
        {
            double x;
            if (column.Kind == ColumnKind.Numeric) x = column.Numbers[row];
            else if (column.Labels[row] is not { } text) x = double.NaN;
            else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out x))
                throw new AnalyticsException($"column '{Names[f]}' should be numeric but row {row} holds '{text}'");
            if (double.IsInfinity(x)) throw new AnalyticsException($"column '{Names[f]}' row {row} is infinite; use a finite number or NaN for missing");
            return x;
        }
        var label = column.Kind == ColumnKind.Categorical
            ? column.Labels[row]
            : double.IsNaN(column.Numbers[row]) ? null : column.Numbers[row].ToString(CultureInfo.InvariantCulture);
        return label is not null && _codes[f].TryGetValue(label, out var code) ? code : double.NaN;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Count);
        for (var f = 0; f < Count; f++)
        {
            writer.Write(Names[f]);
            writer.Write((byte)Kinds[f]);
            writer.Write(Categories[f].Length);
            foreach (var c in Categories[f]) writer.Write(c);
        }
    }

    public static FeatureEncoder Read(BinaryReader reader)
    {
        var count = reader.ReadInt32();
        var names = new string[count];
        var kinds = new ColumnKind[count];
        var categories = new string[count][];
        for (var f = 0; f < count; f++)
        {
            names[f] = reader.ReadString();
            kinds[f] = (ColumnKind)reader.ReadByte();
            categories[f] = new string[reader.ReadInt32()];
            for (var c = 0; c < categories[f].Length; c++) categories[f][c] = reader.ReadString();
        }
        return new FeatureEncoder(names, kinds, categories);
    }
}
