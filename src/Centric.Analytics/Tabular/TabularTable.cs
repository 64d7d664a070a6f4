namespace Centric.Analytics.Tabular;

/// <summary>Named columns of equal length: one row per customer.</summary>
public sealed class TabularTable
{
    private readonly TabularColumn[] _columns;
    private readonly Dictionary<string, int> _byName = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a table; columns must have distinct names (case-insensitive) and equal lengths.</summary>
    /// <exception cref="AnalyticsException">Names repeat or lengths differ.</exception>
    public TabularTable(IEnumerable<TabularColumn> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        _columns = [.. columns];
        RowCount = _columns.Length == 0 ? 0 : _columns[0].Length;
        for (var i = 0; i < _columns.Length; i++)
        {
            if (_columns[i].Length != RowCount)
                throw new AnalyticsException($"column '{_columns[i].Name}' has {_columns[i].Length} rows, expected {RowCount}");
            if (!_byName.TryAdd(_columns[i].Name, i))
                throw new AnalyticsException($"column '{_columns[i].Name}' appears twice");
        }
    }

    /// <summary>The columns in order.</summary>
    public IReadOnlyList<TabularColumn> Columns => _columns;

    /// <summary>Number of rows.</summary>
    public int RowCount { get; }

    /// <summary>The column with this name (case-insensitive), or null.</summary>
    public TabularColumn? Find(string name) => _byName.TryGetValue(name, out var i) ? _columns[i] : null;

    /// <summary>The column with this name (case-insensitive).</summary>
    /// <exception cref="AnalyticsException">No such column.</exception>
    public TabularColumn this[string name] =>
        Find(name) ?? throw new AnalyticsException($"no column '{name}'; columns are {string.Join(", ", _columns.Select(c => c.Name))}");

    /// <summary>A table with the given rows, in that order.</summary>
    public TabularTable Take(ReadOnlySpan<int> rows)
    {
        var taken = new TabularColumn[_columns.Length];
        for (var i = 0; i < taken.Length; i++) taken[i] = _columns[i].Take(rows);
        return new TabularTable(taken);
    }

    /// <summary>A table without the named columns (names not present are ignored).</summary>
    public TabularTable Without(params IEnumerable<string> names)
    {
        var drop = new HashSet<string>(names, StringComparer.OrdinalIgnoreCase);
        return new TabularTable(_columns.Where(c => !drop.Contains(c.Name)));
    }
}
