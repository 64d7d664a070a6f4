using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Unicode;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;

namespace Centric.Server.Customers.Events;

/// <summary>Who an event is about, as the integrator named them (already normalised).</summary>
public sealed record CustomerRef(string? Email, bool EmailVerified, string? Phone, string? ExternalId, Guid? ProfileId,
    string? FirstName, string? LastName)
{
    public bool HasIdentity => Email is not null || Phone is not null || ExternalId is not null || ProfileId is not null;
}

public sealed record IncomingEvent(int Index, string Id, string Type, DateTime OccurredAt, string Channel,
    CustomerRef? Customer, string? AnonymousId, string Properties);

/// <summary>
/// Reads and validates a batch by hand rather than through model binding, so every error names the event
/// index and field (events[3].occurredAt) and one bad event rejects the whole batch before anything is stored.
/// </summary>
public static partial class EventBatchParser
{
    public const int MaxEvents = 1000;
    public const int MaxPropertiesBytes = 32 * 1024;

    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9_.:\- ]{0,99}$")]
    private static partial Regex TypePattern();

    [GeneratedRegex(@"^[a-z0-9][a-z0-9_\-]{0,49}$")]
    private static partial Regex ChannelPattern();

    public static List<IncomingEvent> Parse(JsonElement root, DateTime now)
    {
        var errors = new Dictionary<string, string[]>();
        // Before any field is read: a name with a broken escape would make every lookup in its object throw.
        CheckText(root, [], errors);
        if (errors.Count > 0) throw Refused(errors);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("events", out var events) || events.ValueKind != JsonValueKind.Array)
            throw RequestValidationException.For("events", "The body must be an object with an 'events' array.");
        var count = events.GetArrayLength();
        if (count == 0) throw RequestValidationException.For("events", "The batch holds no events.");
        if (count > MaxEvents) throw RequestValidationException.For("events", $"A batch holds at most {MaxEvents} events; this one has {count}.");

        var result = new List<IncomingEvent>(count);
        var index = 0;
        foreach (var e in events.EnumerateArray())
        {
            var parsed = ParseEvent(e, index, now, errors);
            if (parsed is not null) result.Add(parsed);
            index++;
            if (errors.Count >= 20) break; // enough to fix a systematic mistake; keep the response small
        }
        if (errors.Count > 0) throw Refused(errors);
        return result;
    }

    private static RequestValidationException Refused(Dictionary<string, string[]> errors)
    {
        var first = errors.First();
        return new RequestValidationException($"{first.Key}: {first.Value[0]}", errors);
    }

    /// <summary>
    /// Every string and property name must be valid Unicode without NUL: the JSON reader accepts invalid UTF-8 bytes
    /// and escaped lone surrogates (\udc00), which no consumer can write out again (webhooks, exports), and PostgreSQL
    /// cannot store NUL in text. Refused here, both databases answer alike. Unescaped text is checked on its raw
    /// bytes; only escaped text is decoded.
    /// </summary>
    private static void CheckText(JsonElement element, List<(JsonProperty? Property, int Index)> path, Dictionary<string, string[]> errors)
    {
        if (errors.Count >= 20) return;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                if (TextProblem(JsonMarshal.GetRawUtf8Value(element), element, default) is { } problem) errors[FieldPath(path)] = [problem];
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (TextProblem(JsonMarshal.GetRawUtf8PropertyName(property), default, property) is { } nameProblem)
                    {
                        // The name cannot be shown as it is, so the error belongs to the object holding it.
                        errors[FieldPath(path)] = ["A property name " + char.ToLowerInvariant(nameProblem[0]) + nameProblem[1..]];
                        return;
                    }
                    path.Add((property, 0));
                    CheckText(property.Value, path, errors);
                    path.RemoveAt(path.Count - 1);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    path.Add((null, index++));
                    CheckText(item, path, errors);
                    path.RemoveAt(path.Count - 1);
                }
                break;
        }
    }

    /// <summary>What is wrong with a string value (or, given a property, its name); null when nothing.</summary>
    private static string? TextProblem(ReadOnlySpan<byte> raw, JsonElement value, JsonProperty? name)
    {
        if (raw.IndexOf((byte)'\\') < 0)
            return Utf8.IsValid(raw) ? null : "Is not valid UTF-8 text.";   // NUL can only arrive escaped
        string text;
        try
        {
            text = name is { } p ? p.Name : value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "Is not valid Unicode text (invalid UTF-8 or a lone surrogate such as \\udc00).";
        }
        return text.Contains('\0', StringComparison.Ordinal) ? "Must not contain NUL characters (\\u0000)." : null;
    }

    /// <summary>The field as errors name it, e.g. events[0].properties.x; built only for an error.</summary>
    private static string FieldPath(List<(JsonProperty? Property, int Index)> path)
    {
        if (path.Count == 0) return "body";
        var text = new StringBuilder();
        foreach (var (property, index) in path)
        {
            if (property is { } p) text.Append(text.Length == 0 ? "" : ".").Append(p.Name);
            else text.Append('[').Append(index.ToString(CultureInfo.InvariantCulture)).Append(']');
        }
        return text.ToString();
    }

    private static IncomingEvent? ParseEvent(JsonElement e, int index, DateTime now, Dictionary<string, string[]> errors)
    {
        var at = $"events[{index}]";
        void Fail(string field, string message) => errors[$"{at}.{field}"] = [message];
        if (e.ValueKind != JsonValueKind.Object)
        {
            errors[at] = ["Each event must be a JSON object."];
            return null;
        }
        var before = errors.Count;

        var id = String(e, "id", Fail, required: true, maxLength: 200);
        // Ids the product gives its own interactions; a client's event must not pass for one (imported history skips webhooks).
        if (id is not null && (id.StartsWith("internal:", StringComparison.Ordinal) || id.StartsWith(Platform.Interactions.InteractionLog.ImportedPrefix, StringComparison.Ordinal)))
            Fail("id", "Ids starting with 'internal:' or 'import:' are reserved for the product's own interactions.");
        var type = String(e, "type", Fail, required: true, maxLength: 100);
        if (type is not null && !TypePattern().IsMatch(type)) Fail("type", "Use letters, digits, '_', '.', ':', '-' or spaces (at most 100).");

        var occurredAt = now;
        if (String(e, "occurredAt", Fail, required: false, maxLength: 40) is { } text)
        {
            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                || !(text.EndsWith('Z') || text.EndsWith('z') || text.Length > 6 && (text[^6] == '+' || text[^6] == '-')))
                Fail("occurredAt", "Must be an ISO 8601 timestamp with an offset, e.g. 2025-03-01T12:00:00Z.");
            else if (parsed.UtcDateTime > now.AddDays(1))
                Fail("occurredAt", "Must not be more than a day in the future.");
            else if (parsed.Year < 1990)
                Fail("occurredAt", "Must not be before 1990.");
            else occurredAt = parsed.UtcDateTime;
        }

        var channel = String(e, "channel", Fail, required: false, maxLength: 50)?.ToLowerInvariant() ?? "api";
        if (!ChannelPattern().IsMatch(channel)) Fail("channel", "Use lower-case letters, digits, '_' or '-' (at most 50).");

        var anonymousId = String(e, "anonymousId", Fail, required: false, maxLength: 200);

        CustomerRef? customer = null;
        if (e.TryGetProperty("customer", out var c) && c.ValueKind != JsonValueKind.Null)
        {
            if (c.ValueKind != JsonValueKind.Object) Fail("customer", "Must be an object.");
            else customer = ParseCustomer(c, (f, m) => Fail("customer." + f, m));
        }
        if (customer is not { HasIdentity: true } && anonymousId is null && errors.Count == before)
            Fail("customer", "Name the customer (email, phone, externalId or profileId) or give an anonymousId.");

        var properties = "{}";
        if (e.TryGetProperty("properties", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Object) Fail("properties", "Must be a JSON object.");
            else
            {
                properties = p.GetRawText();
                if (properties.Length > MaxPropertiesBytes) Fail("properties", $"At most {MaxPropertiesBytes / 1024} KiB per event.");
            }
        }

        return errors.Count > before ? null : new IncomingEvent(index, id!, type!, occurredAt, channel, customer, anonymousId, properties);
    }

    private static CustomerRef ParseCustomer(JsonElement c, Action<string, string> fail)
    {
        string? email = null, phone = null;
        if (String(c, "email", fail, false, 320) is { } rawEmail)
        {
            email = ContactAddress.NormaliseEmail(rawEmail);
            if (email is null) fail("email", "Not a valid email address.");
        }
        if (String(c, "phone", fail, false, 40) is { } rawPhone)
        {
            phone = ContactAddress.NormalisePhone(rawPhone);
            if (phone is null) fail("phone", "Not a valid phone number: use international format, e.g. +4915112345678.");
        }
        var externalId = String(c, "externalId", fail, false, 200);
        Guid? profileId = null;
        if (String(c, "profileId", fail, false, 40) is { } rawId)
        {
            if (Guid.TryParse(rawId, out var g)) profileId = g;
            else fail("profileId", "Not a valid profile id.");
        }
        var verified = false;
        if (c.TryGetProperty("emailVerified", out var v) && v.ValueKind != JsonValueKind.Null)
        {
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) verified = v.GetBoolean();
            else fail("emailVerified", "Must be true or false.");
        }
        var firstName = String(c, "firstName", fail, false, 100);
        var lastName = String(c, "lastName", fail, false, 100);
        return new CustomerRef(email, verified && email is not null, phone, externalId, profileId, firstName, lastName);
    }

    private static string? String(JsonElement e, string name, Action<string, string> fail, bool required, int maxLength)
    {
        if (!e.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required) fail(name, "Is required.");
            return null;
        }
        if (value.ValueKind != JsonValueKind.String)
        {
            fail(name, $"Must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
            return null;
        }
        var s = value.GetString()!.Trim();
        if (s.Length == 0)
        {
            if (required) fail(name, "Must not be empty.");
            return null;
        }
        if (s.Length > maxLength)
        {
            fail(name, $"At most {maxLength} characters.");
            return null;
        }
        return s;
    }
}
