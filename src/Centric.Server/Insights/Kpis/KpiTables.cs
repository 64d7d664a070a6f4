using System.Globalization;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Errors;

namespace Centric.Server.Insights.Kpis;

/// <summary>A range of UTC days, <c>From</c> inclusive, <c>To</c> exclusive, as every KPI figure is asked for.</summary>
public readonly record struct KpiRange(DateOnly From, DateOnly To)
{
    /// <summary>The longest range one request measures (with the period before it, the rollups read twice that).</summary>
    public const int MaxDays = 1096;

    /// <summary>The range in a request, or a 400 problem naming the field that is wrong.</summary>
    public static KpiRange Parse(string? from, string? to)
    {
        var start = Day("from", from);
        var end = Day("to", to);
        if (end <= start) throw RequestValidationException.For("to", "After from (the range is from inclusive, to exclusive).");
        if (end.DayNumber - start.DayNumber > MaxDays) throw RequestValidationException.For("to", $"At most {MaxDays} days after from.");
        return new KpiRange(start, end);
    }

    /// <summary>A channel filter as requests give it: absent, or a name of at most 40 characters.</summary>
    public static string? Channel(string? channel)
    {
        var only = string.IsNullOrWhiteSpace(channel) ? null : channel.Trim().ToLowerInvariant();
        return only is { Length: > 40 } ? throw RequestValidationException.For("channel", "A channel name, at most 40 characters.") : only;
    }

    public static string Text(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly Day(string field, string? text) =>
        DateOnly.TryParseExact(text?.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) && day.Year is >= 2000 and <= 2100
            ? day : throw RequestValidationException.For(field, "A day as yyyy-MM-dd.");
}

/// <summary>A table of figures as the KPI pages show it and exports write it: a title, column names, rows of cells.</summary>
public sealed record KpiTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<object?>> Rows);

/// <summary>
/// The tables of the KPI dashboard (the KPIs, over time, by channel, by decile, the customers behind them) built once for
/// the page and for the CSV and XLSX exports, so an export holds exactly what the page shows.
/// </summary>
public sealed class KpiTables(KpiCatalogue catalogue, KpiBreakdowns breakdowns, ICustomerDirectory directory)
{
    public static readonly IReadOnlyList<string> Names = ["kpis", "over-time", "channels", "deciles", "customers"];

    public async Task<KpiTable> BuildAsync(string name, KpiRange range, KpiScope scope, CancellationToken ct) => name switch
    {
        "kpis" => Kpis(await catalogue.MeasureAsync(range.From, range.To, scope.Channel, ct)),
        "over-time" => OverTime(await breakdowns.SeriesAsync(range.From, range.To, scope.Channel, ct), range),
        "channels" => Slices("channels", "By channel", "Channel", await breakdowns.ByChannelAsync(range.From, range.To, ct)),
        "deciles" => Slices("deciles", "By value decile", "Decile", await breakdowns.ByDecileAsync(range.From, range.To, scope.Channel, ct)),
        "customers" => await CustomersAsync(await breakdowns.CustomersAsync(range.From, range.To, scope, ct), ct),
        _ => throw RequestValidationException.For("table", "One of: " + string.Join(", ", Names) + "."),
    };

    public static KpiTable Kpis(IReadOnlyList<KpiValue> kpis) => new("kpis", "KPIs",
        ["KPI", "Group", "Value", "Previous period", "Unit"],
        [.. kpis.Select(k => (IReadOnlyList<object?>)[k.Name, k.Group, k.Value, k.Previous, k.Unit])]);

    public static KpiTable OverTime(IReadOnlyList<KpiPoint> points, KpiRange range) => new("over-time", "Over time",
        [KpiBreakdowns.BucketDays(range.From, range.To) == 1 ? "Day" : "Period from", "Orders", "Revenue"],
        [.. points.Select(p => (IReadOnlyList<object?>)[KpiRange.Text(p.Start), p.Orders, p.Revenue])]);

    public static KpiTable Slices(string name, string title, string key, IReadOnlyList<KpiSlice> slices) => new(name, title,
        [key, "Orders", "Revenue", "Share of revenue", "Customers", "New customers"],
        [.. slices.Select(s => (IReadOnlyList<object?>)[s.Label, s.Orders, s.Revenue, Share(s.Revenue, slices.Sum(x => x.Revenue)), s.Customers, s.NewCustomers])]);

    private async Task<KpiTable> CustomersAsync(IReadOnlyList<CountedCustomer> customers, CancellationToken ct)
    {
        var names = await directory.NamesAsync(customers.Select(c => c.ProfileId), ct);
        return new KpiTable("customers", "Customers", ["Customer", "Profile id", "Orders", "Revenue", "New in the range", "Decile"],
            [.. customers.Select(c => (IReadOnlyList<object?>)[names.GetValueOrDefault(c.ProfileId, "Unnamed customer"), c.ProfileId.ToString(), c.Orders, c.Revenue, c.New ? "yes" : "no", c.Decile])]);
    }

    /// <summary>A part of a whole, 0–1 with four places; null when the whole is not positive.</summary>
    public static double? Share(double part, double whole) => whole > 0 ? Math.Round(part / whole, 4) : null;
}
