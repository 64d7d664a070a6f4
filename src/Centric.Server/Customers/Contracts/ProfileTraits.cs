using System.Text.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Contracts;

/// <summary>How to address a customer: names and primary email (null when unknown or erased).</summary>
public sealed record ProfileContact(string? FirstName, string? LastName, string? Email, string DisplayName);

/// <summary>
/// Reads a profile's traits, contact and consent for other modules (Support's routing and SLA use "tier" and "language"). It reads
/// through the DbContext it is given, so a stream subscriber gets its answers inside the dispatcher's transaction.
/// </summary>
public sealed class ProfileTraits(CentricDbContext db)
{
    /// <summary>The answer of <see cref="IConsent.MayContactAsync"/>, for code that holds a DbContext rather than a request scope.</summary>
    public Task<bool> MayContactAsync(Guid profileId, string channel, string purpose, CancellationToken ct) =>
        ConsentService.MayContactAsync(db, profileId, channel, purpose, ct);

    /// <summary>The live profile's names and email, following merges; null when the profile is unknown.</summary>
    public async Task<ProfileContact?> ContactAsync(Guid profileId, CancellationToken ct)
    {
        var profile = await db.Profiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == profileId, ct);
        for (var hops = 0; profile?.MergedIntoId is { } next && hops < 20; hops++)
            profile = await db.Profiles.AsNoTracking().FirstOrDefaultAsync(p => p.Id == next, ct);
        return profile is null || profile.ErasedAt is not null ? null : new ProfileContact(profile.FirstName, profile.LastName, profile.Email, profile.DisplayName);
    }

    /// <summary>Scalar traits as lower-case text by name; empty when the profile is missing.</summary>
    public async Task<IReadOnlyDictionary<string, string>> ReadAsync(Guid profileId, CancellationToken ct) =>
        Parse(await db.Profiles.AsNoTracking().Where(p => p.Id == profileId).Select(p => p.Traits).FirstOrDefaultAsync(ct));

    /// <summary>The traits of many profiles at once, as <see cref="ReadAsync(Guid, CancellationToken)"/> reads one's; missing profiles are left out.</summary>
    public async Task<IReadOnlyDictionary<Guid, IReadOnlyDictionary<string, string>>> ReadAsync(IReadOnlyCollection<Guid> profileIds, CancellationToken ct) =>
        (await db.Profiles.AsNoTracking().Where(p => profileIds.Contains(p.Id)).Select(p => new { p.Id, p.Traits }).ToListAsync(ct))
            .ToDictionary(p => p.Id, p => (IReadOnlyDictionary<string, string>)Parse(p.Traits));

    private static Dictionary<string, string> Parse(string? json)
    {
        var traits = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (string.IsNullOrWhiteSpace(json)) return traits;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return traits;
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Value.ValueKind is JsonValueKind.String or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False)
                    traits[p.Name] = (p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() ?? "" : p.Value.GetRawText()).ToLowerInvariant();
            }
        }
        catch (JsonException)
        {
            // Traits are validated on write; an unreadable document is treated as no traits.
        }
        return traits;
    }

    /// <summary>
    /// Live profiles whose scalar trait <paramref name="name"/> ends with <paramref name="suffix"/>, with the trait's text: a daily
    /// sweep such as the birthdays of the day ("birthday" ending "-03-14").
    /// </summary>
    public async Task<IReadOnlyList<(Guid ProfileId, string Value)>> WithTraitEndingAsync(string name, string suffix, CancellationToken ct) =>
        [.. (await db.Profiles.AsNoTracking()
            .Where(p => p.MergedIntoId == null && p.ErasedAt == null && JsonText.Member(p.Traits, name) != null && JsonText.Member(p.Traits, name)!.EndsWith(suffix))
            .Select(p => new { p.Id, Value = JsonText.Member(p.Traits, name)! }).Take(100_000).ToListAsync(ct)).Select(p => (p.Id, p.Value))];

    /// <summary>
    /// Sets a scalar trait (null removes it) on the live profile, in the caller's unit of work; false when the profile is
    /// unknown or erased. Tags live in the trait "tags" as a comma-separated list (<see cref="TagAsync"/>), so segment rules
    /// can ask "tags contains vip".
    /// </summary>
    public async Task<bool> SetAsync(Guid profileId, string name, string? value, CancellationToken ct)
    {
        var profile = await LiveTrackedAsync(profileId, ct);
        if (profile is null) return false;
        var traits = ParseObject(profile.Traits);
        if (value is null) traits.Remove(name); else traits[name] = value;
        profile.Traits = traits.ToJsonString();
        return true;
    }

    /// <summary>Adds or removes a tag (see <see cref="SetAsync"/>).</summary>
    public async Task<bool> TagAsync(Guid profileId, string tag, bool add, CancellationToken ct)
    {
        var profile = await LiveTrackedAsync(profileId, ct);
        if (profile is null) return false;
        var traits = ParseObject(profile.Traits);
        var tags = (traits["tags"]?.GetValueKind() == JsonValueKind.String ? traits["tags"]!.GetValue<string>() : "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        tags.RemoveAll(t => string.Equals(t, tag, StringComparison.OrdinalIgnoreCase));
        if (add) tags.Add(tag);
        if (tags.Count == 0) traits.Remove("tags"); else traits["tags"] = string.Join(",", tags);
        profile.Traits = traits.ToJsonString();
        return true;
    }

    private async Task<Profiles.CustomerProfile?> LiveTrackedAsync(Guid profileId, CancellationToken ct)
    {
        var profile = await db.Profiles.FirstOrDefaultAsync(p => p.Id == profileId, ct);
        for (var hops = 0; profile?.MergedIntoId is { } next && hops < 20; hops++)
            profile = await db.Profiles.FirstOrDefaultAsync(p => p.Id == next, ct);
        return profile is null || profile.ErasedAt is not null ? null : profile;
    }

    private static System.Text.Json.Nodes.JsonObject ParseObject(string? json)
    {
        try { return System.Text.Json.Nodes.JsonNode.Parse(string.IsNullOrWhiteSpace(json) ? "{}" : json) as System.Text.Json.Nodes.JsonObject ?? []; }
        catch (JsonException) { return []; }
    }
}
