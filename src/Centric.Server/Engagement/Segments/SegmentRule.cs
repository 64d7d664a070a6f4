using System.ComponentModel;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Engagement.Segments;

/// <summary>
/// A segment's rule as JSON (docs/api.md, "Segment rules"): conditions joined by <c>match</c> ("all" = AND, "any" = OR), where
/// a condition may itself be a group. <see cref="SegmentRules.Validate"/> checks it and names the faulty part
/// ("conditions[1].days"); <see cref="SegmentQuery"/> turns a valid rule into one database query.
/// </summary>
[Description("A segment rule: conditions joined by match (\"all\" = AND, \"any\" = OR). See docs/api.md, \"Segment rules\".")]
public sealed record SegmentRule(
    [property: Description("\"all\" (every condition) or \"any\" (at least one).")] string? Match,
    [property: Description("1–50 conditions in all, groups included.")] IReadOnlyList<SegmentCondition>? Conditions);

/// <summary>One condition; which members apply depends on <see cref="Kind"/> (trait, consent, aggregate, insight, behaviour, group).</summary>
public sealed record SegmentCondition
{
    [Description("trait, consent, aggregate, insight, behaviour or group.")]
    public string? Kind { get; init; }
    // group
    [Description("group: \"all\" or \"any\".")]
    public string? Match { get; init; }
    [Description("group: its conditions (groups nest at most 3 levels).")]
    public IReadOnlyList<SegmentCondition>? Conditions { get; init; }
    // trait
    [Description("trait: email, firstName, lastName or a key of the profile's traits.")]
    public string? Trait { get; init; }
    // trait, aggregate, insight
    [Description("trait: eq, neq, contains, exists, missing; aggregate and insight: eq, neq, gt, gte, lt, lte.")]
    public string? Op { get; init; }
    [Description("trait: text to compare with (ignoring case); aggregate and insight: a number.")]
    public JsonElement? Value { get; init; }
    // consent
    [Description("consent: email, sms, push, phone or in_app.")]
    public string? Channel { get; init; }
    [Description("consent: marketing or service.")]
    public string? Purpose { get; init; }
    [Description("consent: true (default) for customers who may be contacted, false for those who may not.")]
    public bool? Granted { get; init; }
    // aggregate, insight
    [Description("aggregate: orders, spend, daysSinceLastOrder, tickets, openTickets; insight: decile, churnRisk, clv, sentiment.")]
    public string? Field { get; init; }
    // behaviour
    [Description("behaviour: true (default) for did, false for did not.")]
    public bool? Did { get; init; }
    [Description("behaviour: an interaction type from the catalogue (docs/webhooks.md).")]
    public string? Type { get; init; }
    [Description("behaviour: how many times at least, 1–10000 (default 1).")]
    public int? AtLeast { get; init; }
    [Description("behaviour: the window, the last 1–3650 days.")]
    public int? Days { get; init; }
    [Description("behaviour: declared properties and the values they must have (a list property must contain the value).")]
    public IReadOnlyDictionary<string, string>? Where { get; init; }
}

public static class SegmentRules
{
    public const string All = "all", Any = "any";
    public static readonly string[] Kinds = ["trait", "consent", "aggregate", "insight", "behaviour", "group"];
    public static readonly string[] TraitOps = ["eq", "neq", "contains", "exists", "missing"];
    public static readonly string[] NumberOps = ["eq", "neq", "gt", "gte", "lt", "lte"];
    /// <summary>Profile columns a trait condition reads directly; any other name is read from the profile's traits.</summary>
    public static readonly string[] ProfileTraits = ["email", "firstName", "lastName"];

    /// <summary>Aggregates: name, what it means, its smallest and largest sensible value.</summary>
    public static readonly IReadOnlyList<(string Field, string Words, double Min, double Max)> Aggregates =
    [
        ("orders", "Orders placed (cancelled ones not counted)", 0, 1_000_000),
        ("spend", "Money spent on paid orders, in the shop's currency", 0, 1_000_000_000),
        ("daysSinceLastOrder", "Days since the last order (customers who never ordered do not match)", 0, 3650),
        ("tickets", "Support tickets opened", 0, 1_000_000),
        ("openTickets", "Support tickets still open", 0, 1_000_000),
    ];

    public static readonly IReadOnlyList<(string Field, string Words, double Min, double Max)> Insights =
    [
        ("decile", "Value decile (1 = the most valuable tenth)", 1, 10),
        ("churnRisk", "Churn risk, 0–1", 0, 1),
        ("clv", "12-month lifetime value, in the shop's currency", 0, 1_000_000_000),
        ("sentiment", "Sentiment over 90 days, −1…1", -1, 1),
    ];

    public const int MaxConditions = 50, MaxDepth = 4, MaxDays = 3650;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(SegmentRule rule) => JsonSerializer.Serialize(rule, Json);

    public static SegmentRule Parse(string json) =>
        JsonSerializer.Deserialize<SegmentRule>(json, Json) ?? throw new JsonException("A rule is a JSON object.");

    /// <summary>Throws a <see cref="RequestValidationException"/> naming the first faulty part, with <paramref name="prefix"/> before its path.</summary>
    public static void Validate(SegmentRule? rule, string prefix = "rule")
    {
        if (rule is null) throw Fault(prefix, "is required: {\"match\":\"all\",\"conditions\":[…]}");
        var count = 0;
        ValidateGroup(rule.Match, rule.Conditions, prefix, 1, ref count);
    }

    /// <summary>Whether the rule says "in the last D days" or "days since": membership then changes as time passes.</summary>
    public static bool IsTimeBased(SegmentRule rule) => Walk(rule.Conditions).Any(c =>
        c.Kind is "behaviour" || (c.Kind is "aggregate" && c.Field is "daysSinceLastOrder"));

    /// <summary>
    /// Whether membership can change with no interaction to say so: a time window passes, or a score is recomputed (scores
    /// write an interaction only when they cross a line). Such rules are re-evaluated periodically.
    /// </summary>
    public static bool NeedsPeriodicRefresh(SegmentRule rule) => IsTimeBased(rule) || Walk(rule.Conditions).Any(c => c.Kind is "insight");

    /// <summary>Every condition of the rule, groups opened.</summary>
    public static IEnumerable<SegmentCondition> Walk(IReadOnlyList<SegmentCondition>? conditions) =>
        (conditions ?? []).SelectMany(c => c.Kind == "group" ? Walk(c.Conditions) : [c]);

    private static string Path(string prefix, string member) => prefix.Length == 0 ? member : prefix + "." + member;

    private static void ValidateGroup(string? match, IReadOnlyList<SegmentCondition>? conditions, string prefix, int depth, ref int count)
    {
        if (match is not (All or Any)) throw Fault(Path(prefix, "match"), "must be \"all\" or \"any\"");
        if (conditions is null || conditions.Count == 0) throw Fault(Path(prefix, "conditions"), "must hold at least one condition");
        for (var i = 0; i < conditions.Count; i++)
        {
            var at = Path(prefix, $"conditions[{i}]");
            if (++count > MaxConditions) throw Fault(at, $"is one too many: a rule holds at most {MaxConditions} conditions");
            ValidateCondition(conditions[i], at, depth, ref count);
        }
    }

    private static void ValidateCondition(SegmentCondition? c, string at, int depth, ref int count)
    {
        if (c is null) throw Fault(at, "must be a condition object");
        switch (c.Kind)
        {
            case "group":
                if (depth >= MaxDepth) throw Fault(at, $"nests too deep: groups go at most {MaxDepth - 1} levels down");
                ValidateGroup(c.Match, c.Conditions, at, depth + 1, ref count);
                break;
            case "trait":
                if (string.IsNullOrWhiteSpace(c.Trait) || c.Trait.Length > 64 || !c.Trait.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-'))
                    throw Fault(at + ".trait", "must be a trait name: letters, digits, _ or -, up to 64");
                if (c.Op is not { } op || !TraitOps.Contains(op)) throw Fault(at + ".op", "must be one of " + string.Join(", ", TraitOps));
                if (op is not ("exists" or "missing") && Text(c.Value) is not { Length: > 0 and <= 200 })
                    throw Fault(at + ".value", "must be text of 1–200 characters");
                if (op is not ("exists" or "missing") && !StorableText.IsStorable(Text(c.Value)))
                    throw Fault(at + ".value", "must not hold NUL characters or unpaired surrogates");
                break;
            case "consent":
                if (c.Channel is null || !ConsentChannels.All.Contains(c.Channel)) throw Fault(at + ".channel", "must be one of " + string.Join(", ", ConsentChannels.All));
                if (c.Purpose is null || !ConsentPurposes.All.Contains(c.Purpose)) throw Fault(at + ".purpose", "must be one of " + string.Join(", ", ConsentPurposes.All));
                break;
            case "aggregate":
                ValidateNumber(c, at, Aggregates);
                if (c.Field == "daysSinceLastOrder" && c.Op is "eq" or "neq") throw Fault(at + ".op", "must be one of gt, gte, lt, lte for daysSinceLastOrder");
                break;
            case "insight":
                ValidateNumber(c, at, Insights);
                break;
            case "behaviour":
                if (c.Type is null || InteractionTypes.Find(c.Type) is not { } type)
                    throw Fault(at + ".type", "must be an interaction type from the catalogue (docs/webhooks.md), such as order_placed or product_viewed");
                if (c.Days is not (>= 1 and <= MaxDays)) throw Fault(at + ".days", $"must be 1–{MaxDays}");
                if (c.AtLeast is { } n && n is < 1 or > 10_000) throw Fault(at + ".atLeast", "must be 1–10000");
                foreach (var (name, value) in c.Where ?? new Dictionary<string, string>())
                {
                    if (PropertyOf(type, name) is null)
                        throw Fault($"{at}.where.{name}", $"is not a property of {type.Name} ({string.Join(", ", type.Properties.Select(p => p.Name))})");
                    if (value is not { Length: > 0 and <= 200 }) throw Fault($"{at}.where.{name}", "must be text of 1–200 characters");
                }
                break;
            default:
                throw Fault(at + ".kind", "must be one of " + string.Join(", ", Kinds));
        }
    }

    private static void ValidateNumber(SegmentCondition c, string at, IReadOnlyList<(string Field, string Words, double Min, double Max)> fields)
    {
        if (fields.FirstOrDefault(f => f.Field == c.Field) is not { Field: not null } field)
            throw Fault(at + ".field", "must be one of " + string.Join(", ", fields.Select(f => f.Field)));
        if (c.Op is not { } op || !NumberOps.Contains(op)) throw Fault(at + ".op", "must be one of " + string.Join(", ", NumberOps));
        if (Number(c.Value) is not { } v || v < field.Min || v > field.Max)
            throw Fault(at + ".value", $"must be a number from {field.Min.ToString(CultureInfo.InvariantCulture)} to {field.Max.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>
    /// The declared property a behaviour filter reads, with whether it is a list: a declared name, or on a type with a list of
    /// categories, "category" for that list.
    /// </summary>
    public static (string Name, bool IsList)? PropertyOf(InteractionType type, string name)
    {
        foreach (var (n, jsonType) in type.Properties)
        {
            if (n != name) continue;
            var t = jsonType.TrimEnd('?');
            if (t is "string[]") return (n, true);
            if (t is "string" or "uuid" or "integer" or "number" or "boolean") return (n, false);
            return null;
        }
        return name == "category" && type.Properties.Any(p => p.Name == "categories" && p.JsonType.StartsWith("string[]", StringComparison.Ordinal))
            ? ("categories", true) : null;
    }

    public static string? Text(JsonElement? value) => value is { } v ? v.ValueKind switch
    {
        JsonValueKind.String => v.GetString(),
        JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => v.GetRawText(),
        _ => null,
    } : null;

    public static double? Number(JsonElement? value) => value is { } v ? v.ValueKind switch
    {
        JsonValueKind.Number when v.TryGetDouble(out var d) && double.IsFinite(d) => d,
        JsonValueKind.String when double.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d,
        _ => null,
    } : null;

    private static RequestValidationException Fault(string path, string message) => RequestValidationException.For(path, $"{path} {message}.");
}
