using System.Globalization;

namespace Centric.Analytics.Tabular;

/// <summary>Whether a column holds numbers or labels.</summary>
public enum ColumnKind
{
    /// <summary>Numbers; <see cref="double.NaN"/> marks a missing value.</summary>
    Numeric,

    /// <summary>Labels such as a country or a plan name; <c>null</c> marks a missing value.</summary>
    Categorical,
}

/// <summary>
/// One named column of customer data: either numbers (NaN = missing) or category labels (null = missing).
/// The arrays are owned by the column after construction; callers should not change them.
/// </summary>
public sealed class TabularColumn
{
    private readonly double[]? _numbers;
    private readonly string?[]? _labels;

    private TabularColumn(string name, double[]? numbers, string?[]? labels)
    {
        if (string.IsNullOrWhiteSpace(name)) throw new AnalyticsException("a column needs a name");
        Name = name;
        _numbers = numbers;
        _labels = labels;
    }

    /// <summary>The column's name, matched case-insensitively when a model scores new data.</summary>
    public string Name { get; }

    /// <summary>Numbers or labels.</summary>
    public ColumnKind Kind => _numbers is not null ? ColumnKind.Numeric : ColumnKind.Categorical;

    /// <summary>Number of rows.</summary>
    public int Length => _numbers?.Length ?? _labels!.Length;

    /// <summary>A numeric column; NaN marks a missing value.</summary>
    public static TabularColumn Numeric(string name, double[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new TabularColumn(name, values, null);
    }

    /// <summary>A categorical column; null or blank marks a missing value.</summary>
    public static TabularColumn Categorical(string name, string?[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var labels = new string?[values.Length];
        for (var i = 0; i < values.Length; i++)
            labels[i] = string.IsNullOrWhiteSpace(values[i]) ? null : values[i]!.Trim();
        return new TabularColumn(name, null, labels);
    }

    /// <summary>The numbers of a numeric column.</summary>
    /// <exception cref="AnalyticsException">The column is categorical.</exception>
    public ReadOnlySpan<double> Numbers =>
        _numbers ?? throw new AnalyticsException($"column '{Name}' is categorical, not numeric");

    /// <summary>The labels of a categorical column (null = missing).</summary>
    /// <exception cref="AnalyticsException">The column is numeric.</exception>
    public ReadOnlySpan<string?> Labels =>
        _labels ?? throw new AnalyticsException($"column '{Name}' is numeric, not categorical");

    /// <summary>The value at <paramref name="row"/> as text (null when missing), e.g. for explanations.</summary>
    public string? TextAt(int row)
    {
        if (_labels is not null) return _labels[row];
        var x = _numbers![row];
        return double.IsNaN(x) ? null : x.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>A new column holding the given rows, in that order.</summary>
    public TabularColumn Take(ReadOnlySpan<int> rows)
    {
        if (_numbers is not null)
        {
            var n = new double[rows.Length];
            for (var i = 0; i < rows.Length; i++) n[i] = _numbers[rows[i]];
            return new TabularColumn(Name, n, null);
        }
        var l = new string?[rows.Length];
        for (var i = 0; i < rows.Length; i++) l[i] = _labels![rows[i]];
        return new TabularColumn(Name, null, l);
    }
}
