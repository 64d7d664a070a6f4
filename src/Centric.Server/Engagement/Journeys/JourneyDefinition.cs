using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Segments;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// A journey as JSON (docs/engagement.md, "Journeys"): what brings a customer in (<see cref="Trigger"/>), the steps they walk
/// in order (a step may jump forward with <c>next</c>, <c>else</c>, <c>timeout</c> or a split arm's <c>goto</c>; never back, so
/// every walk ends), the goal that takes them out, and whether they may enter again.
/// </summary>
[Description("A journey: trigger, steps, goal, re-entry. See docs/engagement.md, \"Journeys\".")]
public sealed record JourneyDefinition
{
    public JourneyTrigger? Trigger { get; init; }
    public IReadOnlyList<JourneyStep>? Steps { get; init; }
    [Description("An interaction that takes the customer out of the journey and counts as a conversion.")]
    public JourneyEvent? Goal { get; init; }
    [Description("Days after entering during which the goal still counts as a conversion (holdout included); 1–90, default 7.")]
    public int? ConversionDays { get; init; }
    [Description("\"never\" (once per customer), \"after_exit\" (default: again once the last walk ended) or \"after_days\" with reentryDays.")]
    public string? Reentry { get; init; }
    public int? ReentryDays { get; init; }
}

/// <summary>An interaction type with property filters (the same filters as a segment's behaviour condition).</summary>
public sealed record JourneyEvent
{
    public string? Type { get; init; }
    public IReadOnlyDictionary<string, string>? Where { get; init; }
}

/// <summary>What brings a customer into a journey.</summary>
public sealed record JourneyTrigger
{
    [Description("interaction, segment_entered, segment_left, date or inactivity.")]
    public string? On { get; init; }
    // interaction; inactivity (optional: inactive as to this type)
    public string? Type { get; init; }
    public IReadOnlyDictionary<string, string>? Where { get; init; }
    [Description("interaction: only the customer's first such interaction.")]
    public bool? First { get; init; }
    // segment_entered / segment_left
    public Guid? Segment { get; init; }
    // date: a trait holding a date (yyyy-MM-dd), e.g. birthday or renewal_date
    public string? Trait { get; init; }
    [Description("date: days after the date (negative: before).")]
    public int? OffsetDays { get; init; }
    [Description("date: every year on the date's month and day (birthdays).")]
    public bool? Annual { get; init; }
    // inactivity
    public int? Days { get; init; }
}

/// <summary>One step; which members apply depends on <see cref="Kind"/>.</summary>
public sealed record JourneyStep
{
    public string? Id { get; init; }
    [Description("wait, wait_until, wait_for, send, condition, split, tag, set_trait, task, webhook, survey or exit.")]
    public string? Kind { get; init; }
    [Description("The step to go to after this one (a later step); default the following step.")]
    public string? Next { get; init; }
    [Description("A short name for the flow view.")]
    public string? Label { get; init; }
    // wait, wait_for
    public int? Days { get; init; }
    public int? Hours { get; init; }
    public int? Minutes { get; init; }
    // wait_until: the next time the customer's clock shows this hour
    public int? Hour { get; init; }
    // wait_for
    public JourneyEvent? Event { get; init; }
    [Description("wait_for: where to go when the wait times out; default: leave the journey.")]
    public string? Timeout { get; init; }
    // send
    public string? Channel { get; init; }
    public string? Purpose { get; init; }
    public Guid? TemplateId { get; init; }
    public string? Subject { get; init; }
    public string? Body { get; init; }
    public string? Link { get; init; }
    // condition: a segment rule evaluated for this customer now
    public SegmentRule? If { get; init; }
    public string? Else { get; init; }
    // split
    public IReadOnlyList<JourneyArm>? Arms { get; init; }
    // tag
    public string? Tag { get; init; }
    public bool? Remove { get; init; }
    // set_trait
    public string? Trait { get; init; }
    public string? Value { get; init; }
    // task
    public string? Title { get; init; }
    public string? Role { get; init; }
    // webhook
    public string? Url { get; init; }
    // survey: a survey by id, or the first active survey of a kind (nps, csat, ces)
    public Guid? Survey { get; init; }
    public string? SurveyKind { get; init; }

    [JsonIgnore]
    public TimeSpan Delay => TimeSpan.FromDays(Days ?? 0) + TimeSpan.FromHours(Hours ?? 0) + TimeSpan.FromMinutes(Minutes ?? 0);
}

/// <summary>A split's arm: a share of customers and where they go; a holdout arm gets nothing and is the baseline.</summary>
public sealed record JourneyArm
{
    public string? Name { get; init; }
    public int? Percent { get; init; }
    public string? Goto { get; init; }
    public bool? Holdout { get; init; }
}

public static class JourneyDefinitions
{
    public static readonly string[] Triggers = ["interaction", "segment_entered", "segment_left", "date", "inactivity"];
    public static readonly string[] StepKinds = ["wait", "wait_until", "wait_for", "send", "condition", "split", "tag", "set_trait", "task", "webhook", "survey", "exit"];
    public static readonly string[] Reentries = ["never", "after_exit", "after_days"];
    public static readonly string[] SendChannels = ["email", "sms", "push", ConsentChannels.InApp];
    public static readonly string[] TaskRoles = ["admin", "agent", "marketer", "analyst"];
    public const int MaxSteps = 50;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(JourneyDefinition d) => JsonSerializer.Serialize(d, Json);

    public static JourneyDefinition Parse(string json) =>
        JsonSerializer.Deserialize<JourneyDefinition>(json, Json) ?? throw new JsonException("A journey is a JSON object.");

    public static int ConversionDays(this JourneyDefinition d) => d.ConversionDays ?? 7;

    /// <summary>The step with this id; null at the end of the walk.</summary>
    public static JourneyStep? Step(this JourneyDefinition d, string? id) => id is null ? null : d.Steps?.FirstOrDefault(s => s.Id == id);

    /// <summary>Where a walk goes after <paramref name="step"/>: its <c>next</c>, else the following step, else the end (null).</summary>
    public static string? After(this JourneyDefinition d, JourneyStep step)
    {
        if (step.Next is { } next) return next;
        var steps = d.Steps ?? [];
        for (var i = 0; i < steps.Count - 1; i++)
            if (ReferenceEquals(steps[i], step)) return steps[i + 1].Id;
        return null;
    }

    /// <summary>Throws a <see cref="RequestValidationException"/> naming the first faulty part ("definition.steps[2].hours").</summary>
    public static void Validate(JourneyDefinition? d, string prefix = "definition")
    {
        if (d is null) throw Fault(prefix, "is required: {\"trigger\":{…},\"steps\":[…]}");
        ValidateTrigger(d.Trigger, prefix + ".trigger");
        if (d.Goal is not null) ValidateEvent(d.Goal, prefix + ".goal");
        if (d.ConversionDays is { } cd && cd is < 1 or > 90) throw Fault(prefix + ".conversionDays", "must be 1–90");
        if (d.Reentry is { } r && !Reentries.Contains(r)) throw Fault(prefix + ".reentry", "must be one of " + string.Join(", ", Reentries));
        if (d.Reentry == "after_days" && d.ReentryDays is not (>= 1 and <= 3650)) throw Fault(prefix + ".reentryDays", "must be 1–3650 with reentry after_days");
        var steps = d.Steps;
        if (steps is null || steps.Count == 0) throw Fault(prefix + ".steps", "must hold at least one step");
        if (steps.Count > MaxSteps) throw Fault(prefix + ".steps", $"must hold at most {MaxSteps} steps");
        var index = new Dictionary<string, int>();
        for (var i = 0; i < steps.Count; i++)
        {
            var at = $"{prefix}.steps[{i}]";
            if (steps[i] is null) throw Fault(at, "must be a step object");
            if (steps[i].Id is not { Length: > 0 and <= 40 } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw Fault(at + ".id", "must be 1–40 letters, digits, _ or -");
            if (!index.TryAdd(id, i)) throw Fault(at + ".id", $"repeats the id of steps[{index[id]}]");
        }
        for (var i = 0; i < steps.Count; i++) ValidateStep(steps[i], $"{prefix}.steps[{i}]", i, index);
    }

    private static void ValidateTrigger(JourneyTrigger? t, string at)
    {
        if (t is null) throw Fault(at, "is required");
        switch (t.On)
        {
            case "interaction":
                ValidateEvent(new JourneyEvent { Type = t.Type, Where = t.Where }, at);
                break;
            case "segment_entered" or "segment_left":
                if (t.Segment is null || t.Segment == Guid.Empty) throw Fault(at + ".segment", "must be a segment id");
                break;
            case "date":
                if (t.Trait is not { Length: > 0 and <= 64 } trait || !trait.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                    throw Fault(at + ".trait", "must be the name of a trait holding a date (yyyy-MM-dd)");
                if (t.OffsetDays is { } o && o is < -365 or > 365) throw Fault(at + ".offsetDays", "must be −365–365");
                break;
            case "inactivity":
                if (t.Days is not (>= 1 and <= 3650)) throw Fault(at + ".days", "must be 1–3650");
                if (t.Type is not null && InteractionTypes.Find(t.Type) is null) throw Fault(at + ".type", "must be an interaction type from the catalogue (docs/webhooks.md)");
                break;
            default:
                throw Fault(at + ".on", "must be one of " + string.Join(", ", Triggers));
        }
    }

    private static void ValidateEvent(JourneyEvent e, string at)
    {
        if (e.Type is null || InteractionTypes.Find(e.Type) is not { } type)
            throw Fault(at + ".type", "must be an interaction type from the catalogue (docs/webhooks.md), such as order_placed or cart_item_added");
        foreach (var (name, value) in e.Where ?? new Dictionary<string, string>())
        {
            if (SegmentRules.PropertyOf(type, name) is null)
                throw Fault($"{at}.where.{name}", $"is not a property of {type.Name} ({string.Join(", ", type.Properties.Select(p => p.Name))})");
            if (value is not { Length: > 0 and <= 200 }) throw Fault($"{at}.where.{name}", "must be text of 1–200 characters");
        }
    }

    private static void ValidateStep(JourneyStep s, string at, int i, Dictionary<string, int> index)
    {
        void Target(string? id, string member)
        {
            if (id is null) return;
            if (!index.TryGetValue(id, out var j)) throw Fault($"{at}.{member}", $"names no step (\"{id}\")");
            if (j <= i) throw Fault($"{at}.{member}", "must name a later step: a journey only moves forward");
        }
        Target(s.Next, "next");
        switch (s.Kind)
        {
            case "wait":
                if (s.Days is < 0 or > 365 || s.Hours is < 0 or > 8760 || s.Minutes is < 0 or > 525_600) throw Fault(at, "has a negative or too long delay");
                if (s.Delay <= TimeSpan.Zero || s.Delay > TimeSpan.FromDays(365)) throw Fault(at + ".hours", "days, hours and minutes must add up to more than 0 and at most 365 days");
                break;
            case "wait_until":
                if (s.Hour is not (>= 0 and <= 23)) throw Fault(at + ".hour", "must be 0–23 (the customer's local time)");
                break;
            case "wait_for":
                if (s.Event is null) throw Fault(at + ".event", "is required: the interaction waited for");
                ValidateEvent(s.Event, at + ".event");
                if (s.Days is < 0 or > 365 || s.Hours is < 0 or > 8760 || s.Minutes is < 0) throw Fault(at, "has a negative or too long timeout");
                if (s.Delay <= TimeSpan.Zero || s.Delay > TimeSpan.FromDays(365)) throw Fault(at + ".hours", "the timeout (days, hours, minutes) must be more than 0 and at most 365 days");
                Target(s.Timeout, "timeout");
                break;
            case "send":
                if (s.Channel is null || !SendChannels.Contains(s.Channel)) throw Fault(at + ".channel", "must be one of " + string.Join(", ", SendChannels));
                if (s.Purpose is null || !ConsentPurposes.All.Contains(s.Purpose)) throw Fault(at + ".purpose", "must be one of " + string.Join(", ", ConsentPurposes.All));
                if (s.TemplateId is null && string.IsNullOrWhiteSpace(s.Body)) throw Fault(at + ".body", "is required without a templateId");
                if (s.Subject is { Length: > 300 }) throw Fault(at + ".subject", "must be at most 300 characters");
                if (s.Body is { Length: > 10_000 }) throw Fault(at + ".body", "must be at most 10000 characters");
                if (!StorableText.IsStorable(s.Subject) || !StorableText.IsStorable(s.Body)) throw Fault(at + ".body", "must not hold NUL characters or unpaired surrogates");
                if (s.Link is not null && (!s.Link.StartsWith('/') || s.Link.StartsWith("//", StringComparison.Ordinal) || s.Link.Length > 300))
                    throw Fault(at + ".link", "must be a path on this site starting with /");
                break;
            case "condition":
                SegmentRules.Validate(s.If, at + ".if");
                Target(s.Else, "else");
                break;
            case "split":
                if (s.Arms is not { Count: >= 2 and <= 5 } arms) throw Fault(at + ".arms", "must hold 2–5 arms");
                for (var a = 0; a < arms.Count; a++)
                {
                    var arm = arms[a] ?? throw Fault($"{at}.arms[{a}]", "must be an arm object");
                    if (arm.Name is not { Length: > 0 and <= 40 }) throw Fault($"{at}.arms[{a}].name", "must be 1–40 characters");
                    if (arm.Percent is not (>= 1 and <= 100)) throw Fault($"{at}.arms[{a}].percent", "must be 1–100");
                    Target(arm.Goto, $"arms[{a}].goto");
                }
                if (arms.Sum(a => a.Percent!.Value) != 100) throw Fault(at + ".arms", "percentages must add up to 100");
                if (arms.Select(a => a.Name).Distinct().Count() != arms.Count) throw Fault(at + ".arms", "must have different names");
                if (arms.Count(a => a.Holdout == true) > 1) throw Fault(at + ".arms", "may hold one holdout arm");
                break;
            case "tag":
                if (s.Tag is not { Length: > 0 and <= 40 } tag || !tag.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                    throw Fault(at + ".tag", "must be 1–40 letters, digits, _ or -");
                break;
            case "set_trait":
                if (s.Trait is not { Length: > 0 and <= 64 } trait || !trait.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') || trait == "tags")
                    throw Fault(at + ".trait", "must be a trait name: letters, digits, _ or -, up to 64 (tags are set with a tag step)");
                if (s.Value is { Length: > 200 } || !StorableText.IsStorable(s.Value)) throw Fault(at + ".value", "must be text of at most 200 characters (none removes the trait)");
                break;
            case "task":
                if (s.Title is not { Length: > 0 and <= 200 } || !StorableText.IsStorable(s.Title)) throw Fault(at + ".title", "must be 1–200 characters");
                if (s.Role is null || !TaskRoles.Contains(s.Role)) throw Fault(at + ".role", "must be one of " + string.Join(", ", TaskRoles));
                break;
            case "webhook":
                if (s.Url is not { Length: <= 2000 } url || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http"))
                    throw Fault(at + ".url", "must be an absolute http(s) URL");
                break;
            case "survey":
                if ((s.Survey is null || s.Survey == Guid.Empty) && s.SurveyKind is not ("nps" or "csat" or "ces"))
                    throw Fault(at + ".survey", "must be a survey id, or give surveyKind nps, csat or ces");
                break;
            case "exit":
                break;
            default:
                throw Fault(at + ".kind", "must be one of " + string.Join(", ", StepKinds));
        }
    }

    /// <summary>Whether an interaction is of the event's type and has every filtered property (lists: contains; text: equal, any case).</summary>
    public static bool Matches(JourneyEvent e, Interaction i)
    {
        if (e.Type is null || !string.Equals(e.Type, i.Type, StringComparison.Ordinal)) return false;
        if (e.Where is not { Count: > 0 } where) return true;
        try
        {
            using var doc = JsonDocument.Parse(i.Properties);
            var type = InteractionTypes.Find(i.Type);
            foreach (var (name, wanted) in where)
            {
                var property = type is not null && SegmentRules.PropertyOf(type, name) is { } p ? p.Name : name;
                if (!doc.RootElement.TryGetProperty(property, out var value)) return false;
                var hit = value.ValueKind == JsonValueKind.Array
                    ? value.EnumerateArray().Any(v => Equal(v, wanted))
                    : Equal(value, wanted);
                if (!hit) return false;
            }
            return true;
        }
        catch (JsonException) { return false; }
    }

    private static bool Equal(JsonElement v, string wanted) =>
        string.Equals(SegmentRules.Text(v), wanted, StringComparison.OrdinalIgnoreCase);

    private static RequestValidationException Fault(string path, string message) => RequestValidationException.For(path, $"{path} {message}.");
}
