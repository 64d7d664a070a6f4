using System.Globalization;
using System.Text.Json;
using Centric.Server.Customers.Contracts;

namespace Centric.Server.Engagement.Segments;

/// <summary>One condition as the console's rule builder edits it: what it looks at, then the fields that thing needs.</summary>
public sealed class BuilderCondition
{
    /// <summary>trait, consent:{channel}:{purpose}, aggregate:{field}, insight:{field}, did, didnot; empty for an unused row.</summary>
    public string What { get; set; } = "";
    public string Trait { get; set; } = "";
    public string Op { get; set; } = "";
    public string Value { get; set; } = "";
    public string Type { get; set; } = "";
    public string AtLeast { get; set; } = "1";
    public string Days { get; set; } = "30";
    public string Property { get; set; } = "";
    public string PropertyValue { get; set; } = "";
}

public sealed class BuilderGroup
{
    public string Match { get; set; } = SegmentRules.All;
    public List<BuilderCondition> Conditions { get; set; } = [];
}

/// <summary>The rule builder's state: name, description, how groups combine, and the groups of conditions.</summary>
public sealed class SegmentForm
{
    public string Name { get; set; } = "";
    public string Description { get; set; } = "";
    public string Match { get; set; } = SegmentRules.All;
    public List<BuilderGroup> Groups { get; set; } = [];

    /// <summary>What a condition row can look at, for the builder's first drop-down: value and words.</summary>
    public static IReadOnlyList<(string Value, string Words)> Choices { get; } =
    [
        ("did", "Did something"),
        ("didnot", "Did not do something"),
        .. SegmentRules.Aggregates.Select(a => ("aggregate:" + a.Field, a.Words)),
        .. SegmentRules.Insights.Select(i => ("insight:" + i.Field, i.Words)),
        .. ConsentChannels.All.SelectMany(c => ConsentPurposes.All.Select(p => ($"consent:{c}:{p}", $"May be contacted by {Channel(c)} for {p}"))),
        ("trait", "A trait (email, first name, tier…)"),
    ];

    public static string Channel(string channel) => channel switch { "in_app" => "in-app notice", "sms" => "SMS", _ => channel };

    /// <summary>Reads the builder's fields: g{i}.match and g{i}.c{j}.{field}; rows left blank are skipped.</summary>
    public static SegmentForm Read(IFormCollection form)
    {
        string Get(string key) => form[key].ToString().Trim();
        var model = new SegmentForm { Name = Get("name"), Description = Get("description"), Match = Get("match") is { Length: > 0 } m ? m : SegmentRules.All };
        for (var g = 0; g < 20 && form.Keys.Any(k => k.StartsWith($"g{g}.", StringComparison.Ordinal)); g++)
        {
            var group = new BuilderGroup { Match = Get($"g{g}.match") is { Length: > 0 } gm ? gm : SegmentRules.All };
            for (var c = 0; c < SegmentRules.MaxConditions && form.ContainsKey($"g{g}.c{c}.what"); c++)
            {
                var p = $"g{g}.c{c}.";
                group.Conditions.Add(new BuilderCondition
                {
                    What = Get(p + "what"), Trait = Get(p + "trait"), Op = Get(p + "op"), Value = Get(p + "value"), Type = Get(p + "type"),
                    AtLeast = Get(p + "atLeast"), Days = Get(p + "days"), Property = Get(p + "property"), PropertyValue = Get(p + "propertyValue"),
                });
            }
            model.Groups.Add(group);
        }
        return model;
    }

    /// <summary>The rule the builder describes (groups with one condition or one group collapse), for validation and saving.</summary>
    public SegmentRule Rule
    {
        get
        {
            var groups = Groups.Select(g => (g.Match, Conditions: g.Conditions.Where(c => c.What.Length > 0).Select(ToCondition).ToList()))
                .Where(g => g.Conditions.Count > 0).ToList();
            if (groups.Count == 1) return new SegmentRule(groups[0].Match, groups[0].Conditions);
            return new SegmentRule(Match, [.. groups.Select(g => new SegmentCondition { Kind = "group", Match = g.Match, Conditions = g.Conditions })]);
        }
    }

    public NewSegment ToNewSegment() => new(Name, Description, "rule", Rule);

    private static SegmentCondition ToCondition(BuilderCondition c)
    {
        var parts = c.What.Split(':');
        int? Int(string s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;
        return parts[0] switch
        {
            "did" or "didnot" => new SegmentCondition
            {
                Kind = "behaviour", Did = parts[0] == "did", Type = c.Type, AtLeast = c.AtLeast.Length == 0 ? 1 : Int(c.AtLeast) ?? -1,
                Days = Int(c.Days) ?? -1,
                Where = c.Property.Length > 0 ? new Dictionary<string, string> { [c.Property] = c.PropertyValue } : null,
            },
            "consent" when parts.Length == 3 => new SegmentCondition { Kind = "consent", Channel = parts[1], Purpose = parts[2], Granted = c.Op != "no" },
            "aggregate" or "insight" when parts.Length == 2 => new SegmentCondition { Kind = parts[0], Field = parts[1], Op = c.Op, Value = Element(c.Value) },
            "trait" => new SegmentCondition { Kind = "trait", Trait = c.Trait, Op = c.Op, Value = Element(c.Value) },
            _ => new SegmentCondition { Kind = c.What },
        };
    }

    private static JsonElement? Element(string text) =>
        text.Length == 0 ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? JsonSerializer.SerializeToElement(d)
        : JsonSerializer.SerializeToElement(text);

    /// <summary>The builder showing an existing rule: a flat rule is one group; a rule of groups is one builder group each.</summary>
    public static SegmentForm From(SegmentDetail segment)
    {
        var form = new SegmentForm { Name = segment.Name, Description = segment.Description ?? "" };
        if (segment.Rule is not { } rule) return form;
        form.Match = rule.Match ?? SegmentRules.All;
        var conditions = rule.Conditions ?? [];
        if (conditions.Count > 0 && conditions.All(c => c.Kind == "group"))
            form.Groups = [.. conditions.Select(g => new BuilderGroup { Match = g.Match ?? SegmentRules.All, Conditions = [.. SegmentRules.Walk(g.Conditions).Select(FromCondition)] })];
        else
            form.Groups = [new BuilderGroup { Match = form.Match, Conditions = [.. SegmentRules.Walk(conditions).Select(FromCondition)] }];
        return form;
    }

    private static BuilderCondition FromCondition(SegmentCondition c) => c.Kind switch
    {
        "behaviour" => new BuilderCondition
        {
            What = c.Did == false ? "didnot" : "did", Type = c.Type ?? "", AtLeast = (c.AtLeast ?? 1).ToString(CultureInfo.InvariantCulture),
            Days = c.Days?.ToString(CultureInfo.InvariantCulture) ?? "", Property = c.Where?.Keys.FirstOrDefault() ?? "",
            PropertyValue = c.Where?.Values.FirstOrDefault() ?? "",
        },
        "consent" => new BuilderCondition { What = $"consent:{c.Channel}:{c.Purpose}", Op = c.Granted == false ? "no" : "yes" },
        "trait" => new BuilderCondition { What = "trait", Trait = c.Trait ?? "", Op = c.Op ?? "", Value = SegmentRules.Text(c.Value) ?? "" },
        _ => new BuilderCondition { What = $"{c.Kind}:{c.Field}", Op = c.Op ?? "", Value = SegmentRules.Text(c.Value) ?? "" },
    };
}
