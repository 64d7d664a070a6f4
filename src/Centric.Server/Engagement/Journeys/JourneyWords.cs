using System.Globalization;

namespace Centric.Server.Engagement.Journeys;

/// <summary>A journey in a marketer's words: the flow view and the report say what each trigger and step does.</summary>
public static class JourneyWords
{
    public static string Trigger(JourneyTrigger? t) => t?.On switch
    {
        "interaction" => (t.First == true ? "First " : "When ") + Event(new JourneyEvent { Type = t.Type, Where = t.Where }),
        "segment_entered" => "Joins a segment",
        "segment_left" => "Leaves a segment",
        "date" => $"{(t.OffsetDays is { } o and not 0 ? Days(Math.Abs(o)) + (o > 0 ? " after" : " before") : "On")} the date in “{t.Trait}”{(t.Annual == true ? ", every year" : "")}",
        "inactivity" => $"No {(t.Type is null ? "activity" : Type(t.Type))} for {Days(t.Days ?? 0)}",
        _ => "No trigger",
    };

    public static string Event(JourneyEvent e) =>
        Type(e.Type ?? "?") + (e.Where is { Count: > 0 } w ? " (" + string.Join(", ", w.Select(kv => $"{kv.Key} = {kv.Value}")) + ")" : "");

    public static string Step(JourneyStep s) => s.Label is { Length: > 0 } label ? label : s.Kind switch
    {
        "wait" => "Wait " + Span(s.Delay),
        "wait_until" => $"Wait until {s.Hour:00}:00 on the customer's clock",
        "wait_for" => $"Wait up to {Span(s.Delay)} for {Event(s.Event ?? new JourneyEvent())}",
        "send" => $"Send {s.Channel switch { "in_app" => "an in-app notice", "sms" => "an SMS", "email" => "an email", "push" => "a push notification", _ => "a message" }}" + (s.Subject is { Length: > 0 } subject ? $": “{subject}”" : ""),
        "condition" => "If the customer matches the condition",
        "split" => "Split: " + string.Join(" / ", (s.Arms ?? []).Select(a => $"{a.Name} {a.Percent} %{(a.Holdout == true ? " (holdout)" : "")}")),
        "tag" => (s.Remove == true ? "Remove tag “" : "Add tag “") + s.Tag + "”",
        "set_trait" => s.Value is null ? $"Clear “{s.Trait}”" : $"Set “{s.Trait}” to “{s.Value}”",
        "task" => $"Task for {s.Role}: {s.Title}",
        "webhook" => "Call " + (Uri.TryCreate(s.Url, UriKind.Absolute, out var u) ? u.Host : "a webhook"),
        "survey" => s.SurveyKind is { } kind ? $"Ask the {kind.ToUpperInvariant()} survey" : "Ask a survey",
        "exit" => "Leave the journey",
        _ => s.Kind ?? "?",
    };

    private static string Type(string type) => type.Replace('_', ' ');

    private static string Days(int days) => days == 1 ? "1 day" : days.ToString(CultureInfo.InvariantCulture) + " days";

    public static string Span(TimeSpan t)
    {
        if (t.TotalDays >= 1 && t.TotalDays == Math.Floor(t.TotalDays)) return Days((int)t.TotalDays);
        if (t.TotalHours >= 1 && t.TotalHours == Math.Floor(t.TotalHours)) return t.TotalHours == 1 ? "1 hour" : $"{t.TotalHours:0} hours";
        return $"{t.TotalMinutes:0} minutes";
    }
}
