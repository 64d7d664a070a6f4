using System.Globalization;

namespace Centric.Server.Customers.Contracts;

/// <summary>
/// What the customer card knows about a customer, reduced to the facts its rules read: value decile (1 = most valuable tenth),
/// churn risk and whether it is high, sentiment −1…1 over 90 days, open orders, open tickets, late deliveries lately, and
/// whether they accept marketing by email.
/// </summary>
public sealed record CustomerCardFacts(int? Decile, bool ChurnRiskHigh, double? Sentiment, int OpenOrders, int OpenTickets, int LateDeliveries,
    bool MarketingConsent)
{
    /// <summary>The facts from the customer's scores, the modules' highlights and their consent.</summary>
    public static CustomerCardFacts From(CustomerInsights? insights, IReadOnlyList<CustomerHighlight> highlights, IReadOnlyList<ConsentView> consent)
    {
        int CountOf(string key) => (int)Math.Min(int.MaxValue, highlights.Where(h => h.Key == key).Sum(h => h.Count ?? 0));
        return new CustomerCardFacts(insights?.Decile, insights?.ChurnRiskHigh ?? false, insights?.Sentiment, CountOf(HighlightKeys.OpenOrders),
            CountOf(HighlightKeys.OpenTickets), CountOf(HighlightKeys.LateDeliveries),
            consent.Any(c => c.Channel == "email" && c.Purpose == ConsentPurposes.Marketing && c.Granted));
    }
}

/// <summary>A suggestion in one sentence ("High value, at risk, two late deliveries: offer free shipping and call back") with its parts.</summary>
public sealed record SuggestedAction(string Sentence, IReadOnlyList<string> Reasons, IReadOnlyList<string> Actions, string Tone);

/// <summary>
/// The suggested next best action on the customer card: a short list of rules over the card's facts, read in order. Each rule
/// may name a reason (what stands out) and an action (what to do); the sentence is the reasons, then the actions. A module
/// added later (loyalty) brings its figures as highlights and its rule here.
/// </summary>
public static class NextBestAction
{
    /// <summary>Deciles 1–3 (the most valuable 30%) count as high value.</summary>
    public const int HighValueDecile = 3;

    /// <summary>Sentiment at or below this over the last 90 days counts as unhappy (the 360's "Negative").</summary>
    public const double Unhappy = -0.2;

    public static SuggestedAction Suggest(CustomerCardFacts facts)
    {
        var highValue = facts.Decile is { } d && d <= HighValueDecile;
        var atRisk = facts.ChurnRiskHigh;
        var unhappy = facts.Sentiment is { } s && s <= Unhappy;
        var reasons = new List<string>();
        var actions = new List<string>();

        if (highValue) reasons.Add("high value");
        if (atRisk) reasons.Add("at risk");
        if (facts.LateDeliveries > 0) reasons.Add(Count(facts.LateDeliveries, "late delivery", "late deliveries"));
        if (facts.OpenTickets > 0) reasons.Add(Count(facts.OpenTickets, "open ticket", "open tickets"));
        if (unhappy) reasons.Add("unhappy lately");

        // The customer's open question comes before anything we want from them.
        if (facts.OpenTickets > 0) actions.Add(atRisk || unhappy || highValue ? "answer the open ticket today" : "answer the open ticket");
        var offer = false;
        if (facts.LateDeliveries > 0)
        {
            if (highValue || atRisk) { actions.Add("offer free shipping"); offer = true; }
            else actions.Add("apologise for the delay");
        }
        if (atRisk && highValue) actions.Add("call back");
        else if (atRisk && facts.OpenTickets == 0 && facts.LateDeliveries == 0) { actions.Add("send a win-back offer"); offer = true; }
        if (unhappy && !atRisk && facts.OpenTickets == 0) actions.Add("ask what went wrong");
        if (highValue && !atRisk && !unhappy && facts.OpenTickets == 0 && facts.LateDeliveries == 0)
            actions.Add(facts.MarketingConsent ? "thank them and suggest what is new" : "thank them");
        if (offer && !facts.MarketingConsent)
        {
            reasons.Add("no marketing consent");
            actions.Add("make the offer in person, not by email");
        }

        var tone = atRisk || unhappy ? "danger" : facts.OpenTickets > 0 || facts.LateDeliveries > 0 ? "warning" : highValue ? "success" : "neutral";
        if (actions.Count == 0)
            return new SuggestedAction(reasons.Count == 0 ? "Nothing stands out: serve as usual." : $"{Capitalise(string.Join(", ", reasons))}: serve as usual.",
                reasons, ["serve as usual"], tone);
        var sentence = (reasons.Count == 0 ? Capitalise(JoinAnd(actions)) : $"{Capitalise(string.Join(", ", reasons))}: {JoinAnd(actions)}") + ".";
        return new SuggestedAction(sentence, reasons, actions, tone);
    }

    private static readonly string[] Words = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"];

    private static string Count(int n, string one, string many) =>
        $"{(n < Words.Length ? Words[n] : n.ToString(CultureInfo.InvariantCulture))} {(n == 1 ? one : many)}";

    private static string JoinAnd(List<string> parts) =>
        parts.Count == 1 ? parts[0] : string.Join(", ", parts.Take(parts.Count - 1)) + " and " + parts[^1];

    private static string Capitalise(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
