using System.Globalization;
using System.Text.Json;
using Centric.Server.Insights.Kpis;

namespace Centric.Server.Insights.Pages;

/// <summary>How the KPI pages write figures: money with its symbol, ratios as percentages, "—" where there is nothing.</summary>
public static class KpiFormat
{
    public static string Value(double? value, string unit) => value switch
    {
        null => "—",
        { } v when unit == "ratio" => v.ToString("P0", CultureInfo.InvariantCulture),
        { } v when unit is "days" or "hours" => v.ToString("N1", CultureInfo.InvariantCulture) + " " + unit,
        { } v when unit == "score" => v.ToString("0.00", CultureInfo.InvariantCulture),
        { } v when unit.Length == 3 && unit.All(char.IsAsciiLetterUpper) => Platform.Http.MoneyText.Format(v, unit),
        { } v => v.ToString("N0", CultureInfo.InvariantCulture),
    };

    public static string Compare(KpiValue k) => (k.Value, k.Previous) switch
    {
        (null, _) => "nothing to measure in this range yet",
        (_, null) => "nothing to compare with before",
        ({ } now, { } before) when before == 0 => $"{Value(before, k.Unit)} before",
        // A rate moves in points: 2 % to 10 % is 8 points up, not "+400 %".
        ({ } now, { } before) when k.Unit == "ratio" => $"{(now >= before ? "▲" : "▼")} {Math.Abs(now - before) * 100:0} points on {Value(before, k.Unit)} before",
        ({ } now, { } before) => $"{(now >= before ? "▲" : "▼")} {Math.Abs((now - before) / before):P0} on {Value(before, k.Unit)} before",
    };

    /// <summary>A chart as js/charts.js draws it (the data-chart attribute of a canvas).</summary>
    public static string Chart(string kind, IReadOnlyList<string> labels, string unit, params (string Name, IReadOnlyList<double?> Values, bool Dashed)[] series) =>
        JsonSerializer.Serialize(new
        {
            kind,
            labels,
            unit,
            series = series.Select(s => new { name = s.Name, values = s.Values, dashed = s.Dashed }),
        });
}
