using System.Text.Json;
using System.Text.Json.Serialization;

namespace Centric.Server.Platform.Http;

/// <summary>
/// Text the databases can hold. PostgreSQL refuses NUL in text and jsonb, and an unpaired UTF-16 surrogate cannot be
/// encoded as UTF-8 at all; SQLite would store both. Input is checked once at the edge (query strings, JSON bodies) so
/// that both databases answer the same 400 instead of one of them failing with a 500.
/// </summary>
public static class StorableText
{
    public const string Rule = "Text may not contain NUL characters or unpaired surrogates.";

    public static bool IsStorable(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\0') return false;
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1])) return false;
                i++;
            }
            else if (char.IsLowSurrogate(c)) return false;
        }
        return true;
    }
}

/// <summary>Every string read from a JSON body goes through this: unstorable text fails binding with a 400 problem.</summary>
internal sealed class StorableStringConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var value = reader.GetString();
        if (value is not null && !StorableText.IsStorable(value)) throw new JsonException(StorableText.Rule);
        return value;
    }

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>How request bodies are read, also by the signed webhooks that read the raw body before binding it.</summary>
public static class InputJson
{
    public static readonly JsonSerializerOptions Options = Configure(new JsonSerializerOptions(JsonSerializerDefaults.Web));

    public static JsonSerializerOptions Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new StorableStringConverter());
        return options;
    }
}
