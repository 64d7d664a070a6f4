using Centric.Server.Insights.Contracts;

namespace Centric.Server.Engagement.Surveys;

/// <summary>The score of a set of answers, by the kind of survey (docs/engagement.md, "Surveys").</summary>
public static class SurveyMath
{
    /// <summary>NPS: % promoters (9–10) − % detractors (0–6), −100…100.</summary>
    public static double? Nps(IReadOnlyCollection<int> scores) =>
        scores.Count == 0 ? null : 100.0 * (scores.Count(s => s >= 9) - scores.Count(s => s <= 6)) / scores.Count;

    /// <summary>CSAT: the share of answers that are 4 or 5, as a ratio 0…1.</summary>
    public static double? Csat(IReadOnlyCollection<int> scores) =>
        scores.Count == 0 ? null : (double)scores.Count(s => s >= 4) / scores.Count;

    /// <summary>CES: the mean answer, 1 (very difficult) … 7 (very easy).</summary>
    public static double? Ces(IReadOnlyCollection<int> scores) => scores.Count == 0 ? null : scores.Average();

    public static double? Score(string kind, IReadOnlyCollection<int> scores) => kind switch
    {
        SurveyKinds.Nps => Nps(scores),
        SurveyKinds.Csat => Csat(scores),
        SurveyKinds.Ces => Ces(scores),
        _ => null,
    };

    /// <summary>The score as staff read it: "+32", "84 %", "5.6".</summary>
    public static string Format(string kind, double? score) => score is not { } s ? "—" : kind switch
    {
        SurveyKinds.Nps => (s > 0 ? "+" : "") + s.ToString("0", System.Globalization.CultureInfo.InvariantCulture),
        SurveyKinds.Csat => (s * 100).ToString("0", System.Globalization.CultureInfo.InvariantCulture) + " %",
        _ => s.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture),
    };
}
