using System.Globalization;

namespace Centric.Server.Insights.Deciles;

public enum Trend { Unknown, Steady, Better, Worse }

/// <summary>How one figure moved against the range before: its trend and, when it got worse, by how much (relative).</summary>
public sealed record FigureMove(string Figure, double? Now, double? Before, Trend Trend, double Worsening);

/// <summary>What to do about a decile's worst-moving figure, in words, and where to start (the customer list, filtered).</summary>
public sealed record DecileLever(string Figure, string Words, string Href);

/// <summary>
/// Reads a decile's REAP figures against the range before: each figure's trend, and the lever the worst-moving one points to
/// (docs/insights.md, "Trends and levers").
/// </summary>
public static class DecileLevers
{
    public const string Retention = "retention";
    public const string Efficiency = "efficiency";
    public const string Acquisition = "acquisition";
    public const string Penetration = "penetration";

    /// <summary>A figure moving less than this (relative) is steady.</summary>
    public const double SteadyWithin = 0.05;

    /// <summary>Each REAP figure's move, in REAP order.</summary>
    public static IReadOnlyList<FigureMove> Moves(DecileFigures now, DecileFigures before) =>
    [
        Move(Retention, now.Retention, before.Retention, higherIsBetter: true),
        Move(Efficiency, now.Efficiency, before.Efficiency, higherIsBetter: false),
        Move(Acquisition, now.Acquisition, before.Acquisition, higherIsBetter: true),
        Move(Penetration, now.Penetration, before.Penetration, higherIsBetter: true),
    ];

    /// <summary>
    /// The figure's trend: relative change against before; under <see cref="SteadyWithin"/> it is steady. Efficiency is cost
    /// per unit of revenue, so lower is better. From 0, any rise counts as a change of 100%.
    /// </summary>
    public static FigureMove Move(string figure, double? now, double? before, bool higherIsBetter)
    {
        if (now is not { } n || before is not { } b) return new FigureMove(figure, now, before, Trend.Unknown, 0);
        var change = b == 0 ? (n == 0 ? 0 : Math.Sign(n)) : (n - b) / Math.Abs(b);
        var worsening = higherIsBetter ? -change : change;
        var trend = Math.Abs(change) < SteadyWithin ? Trend.Steady : worsening > 0 ? Trend.Worse : Trend.Better;
        return new FigureMove(figure, now, before, trend, trend == Trend.Worse ? worsening : 0);
    }

    /// <summary>The lever of the decile's worst-moving figure, or null when none got worse.</summary>
    public static DecileLever? For(DecileFigures now, DecileFigures before)
    {
        var worst = Moves(now, before).Where(m => m.Trend == Trend.Worse).OrderByDescending(m => m.Worsening).FirstOrDefault();
        if (worst is null) return null;
        var d = now.Decile;
        var list = $"console/customers?decile={d}";
        return worst.Figure switch
        {
            Retention => new(Retention, $"Retention fell from {Percent(worst.Before)} to {Percent(worst.Now)}: reach decile {d}'s customers at high churn risk before they go.",
                list + "&risk=high"),
            Efficiency => new(Efficiency, $"Cost to serve rose from {Cost(worst.Before)} to {Cost(worst.Now)} per unit of revenue: look into decile {d}'s support contacts, returns and payments.",
                list),
            Acquisition => new(Acquisition, $"Fewer newcomers ({Percent(worst.Before)} → {Percent(worst.Now)} of the decile): bring in more customers like decile {d}'s.", list),
            _ => new(Penetration, $"Buying from fewer categories ({Percent(worst.Before)} → {Percent(worst.Now)} of the catalogue): show decile {d} the categories they do not buy yet.", list),
        };
    }

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "—";

    public static string Cost(double? perUnit) => perUnit is { } c ? c.ToString("0.000", CultureInfo.InvariantCulture) : "—";
}
