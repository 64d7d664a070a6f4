using System.Reflection;
using System.Text.Json;

namespace Centric.Server.Platform.Interactions;

/// <summary>
/// A kind of interaction the product records, declared once in <see cref="InteractionTypes"/>: its wire name (the
/// <c>type</c> on the timeline, in webhooks and in the events API), the module that emits it, what it means, and the
/// record its properties are written from. Producers and consumers use the declaration, never the string.
/// </summary>
public abstract class InteractionType(string name, string module, string summary)
{
    public string Name { get; } = name;
    public string Module { get; } = module;
    public string Summary { get; } = summary;

    /// <summary>The record whose public properties are the interaction's properties (camelCase in JSON).</summary>
    public abstract Type PropertiesType { get; }

    /// <summary>The declared properties as they appear in JSON: name and JSON type ("?" when it may be null).</summary>
    public IReadOnlyList<(string Name, string JsonType)> Properties
    {
        get
        {
            var nullability = new NullabilityInfoContext();
            return [.. PropertiesType.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .Where(p => p.Name != "EqualityContract")
                .Select(p => (JsonNamingPolicy.CamelCase.ConvertName(p.Name),
                    JsonTypeOf(p.PropertyType) + (nullability.Create(p).ReadState == NullabilityState.Nullable ? "?" : "")))];
        }
    }

    public bool Is(string type) => string.Equals(type, Name, StringComparison.Ordinal);

    public override string ToString() => Name;

    private static string JsonTypeOf(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string)) return "string";
        if (t == typeof(bool)) return "boolean";
        if (t == typeof(Guid)) return "uuid";
        if (t == typeof(DateTime) || t == typeof(DateTimeOffset)) return "date-time";
        if (t == typeof(int) || t == typeof(long)) return "integer";
        if (t == typeof(decimal) || t == typeof(double)) return "number";
        if (t.IsArray) return JsonTypeOf(t.GetElementType()!) + "[]";
        return "object";
    }
}

/// <summary>An interaction type whose properties are written from <typeparamref name="TProperties"/>.</summary>
public sealed class InteractionType<TProperties>(string name, string module, string summary)
    : InteractionType(name, module, summary) where TProperties : class
{
    public override Type PropertiesType => typeof(TProperties);

    /// <summary>The declared properties that may not be null (strings, lists, records): missing, they leave the record unusable.</summary>
    private static readonly PropertyInfo[] Required = RequiredProperties();

    /// <summary>
    /// The properties of a stored interaction of this type, or null when they do not fit the declaration: an integrator
    /// may send the same type name with properties of its own, or none, and a consumer must then pass it over rather than
    /// fail on it (a subscriber that fails on every retry parks the interaction as a dead letter).
    /// </summary>
    public TProperties? Read(string propertiesJson)
    {
        try
        {
            var read = JsonSerializer.Deserialize<TProperties>(propertiesJson, JsonSerializerOptions.Web);
            if (read is null) return null;
            // A loop, not LINQ: every subscriber reads every interaction it is handed through here.
            foreach (var property in Required)
                if (property.GetValue(read) is null) return null;
            return read;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static PropertyInfo[] RequiredProperties()
    {
        var nullability = new NullabilityInfoContext();
        return [.. typeof(TProperties).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.Name != "EqualityContract" && !p.PropertyType.IsValueType && nullability.Create(p).ReadState == NullabilityState.NotNull)];
    }
}

/// <summary>The catalogue as the Markdown table docs/webhooks.md carries between its catalogue markers.</summary>
public static class InteractionCatalogueDocs
{
    public const string Start = "<!-- interaction-catalogue:start (generated from InteractionTypes.cs) -->";
    public const string End = "<!-- interaction-catalogue:end -->";

    public static string Render(IEnumerable<InteractionType> types)
    {
        var md = new System.Text.StringBuilder();
        md.Append("| type | module | when | properties |\n|---|---|---|---|\n");
        foreach (var t in types)
        {
            var properties = t.Properties.Count == 0 ? "—" : string.Join(", ", t.Properties.Select(p => $"`{p.Name}` {p.JsonType}"));
            md.Append($"| `{t.Name}` | {t.Module} | {t.Summary} | {properties} |\n");
        }
        return md.ToString();
    }
}
