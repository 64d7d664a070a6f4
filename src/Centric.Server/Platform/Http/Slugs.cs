using System.Text.RegularExpressions;

namespace Centric.Server.Platform.Http;

/// <summary>Web addresses made from text: lower-case ASCII letters and digits, anything else one dash, at most a given length.</summary>
public static partial class Slugs
{
    public static string From(string text, int maxLength) =>
        NotSlug().Replace(text.Trim().ToLowerInvariant(), "-").Trim('-') is var s && s.Length > maxLength ? s[..maxLength].Trim('-') : s;

    [GeneratedRegex(@"[^a-z0-9]+")]
    private static partial Regex NotSlug();
}
