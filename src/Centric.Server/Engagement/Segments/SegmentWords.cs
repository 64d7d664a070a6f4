using System.Globalization;

namespace Centric.Server.Engagement.Segments;

/// <summary>A rule in a marketer's words, for the console ("Did Placed an order at least 2 times in the last 30 days").</summary>
public static class SegmentWords
{
    public static string Op(string? op) => op switch
    {
        "eq" => "exactly", "neq" => "not", "gt" => "more than", "gte" => "at least", "lt" => "less than", "lte" => "at most",
        _ => op ?? "",
    };

    public static string TraitOp(string? op) => op switch
    {
        "eq" => "is", "neq" => "is not", "contains" => "contains", "exists" => "is set", "missing" => "is not set", _ => op ?? "",
    };

    public static string Describe(SegmentRule rule) => Group(rule.Match, rule.Conditions ?? []);

    private static string Group(string? match, IReadOnlyList<SegmentCondition> conditions) =>
        string.Join(match == SegmentRules.Any ? " or " : " and ", conditions.Select(c => c.Kind == "group" ? $"({Group(c.Match, c.Conditions ?? [])})" : Condition(c)));

    public static string Condition(SegmentCondition c)
    {
        var value = SegmentRules.Text(c.Value) ?? "";
        return c.Kind switch
        {
            "trait" => c.Op is "exists" or "missing" ? $"{c.Trait} {TraitOp(c.Op)}" : $"{c.Trait} {TraitOp(c.Op)} “{value}”",
            "consent" => $"{(c.Granted == false ? "may not" : "may")} be contacted by {SegmentForm.Channel(c.Channel ?? "")} for {c.Purpose}",
            "aggregate" or "insight" => $"{Field(c.Field)} is {Op(c.Op)} {value}",
            "behaviour" => $"{(c.Did == false ? "did not do" : "did")} {c.Type}"
                + (c.Where is { Count: > 0 } w ? " where " + string.Join(", ", w.Select(p => $"{p.Key} is “{p.Value}”")) : "")
                + ((c.AtLeast ?? 1) > 1 ? $" at least {(c.AtLeast ?? 1).ToString(CultureInfo.InvariantCulture)} times" : "")
                + $" in the last {c.Days?.ToString(CultureInfo.InvariantCulture)} days",
            _ => c.Kind ?? "",
        };
    }

    private static string Field(string? field) => field switch
    {
        "orders" => "orders placed", "spend" => "spend", "daysSinceLastOrder" => "days since the last order", "tickets" => "tickets",
        "openTickets" => "open tickets", "decile" => "value decile", "churnRisk" => "churn risk", "clv" => "lifetime value",
        "sentiment" => "sentiment", _ => field ?? "",
    };
}
