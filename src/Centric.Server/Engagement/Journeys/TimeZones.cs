using System.Collections.Concurrent;

namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// Time zones by id, matched without case (trait values are stored lower-cased), looked up once per name: the system's
/// list is large and a journey asks for a customer's zone at every timed step.
/// </summary>
public static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Known = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The zone called <paramref name="id"/>, or null when there is none by that name.</summary>
    public static TimeZoneInfo? Find(string? id) =>
        string.IsNullOrWhiteSpace(id) ? null : Known.GetOrAdd(id.Trim(), static name =>
            TimeZoneInfo.GetSystemTimeZones().FirstOrDefault(z => string.Equals(z.Id, name, StringComparison.OrdinalIgnoreCase))
            ?? (TimeZoneInfo.TryFindSystemTimeZoneById(name, out var found) ? found : null));
}
