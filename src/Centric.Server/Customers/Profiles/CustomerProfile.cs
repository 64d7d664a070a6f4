namespace Centric.Server.Customers.Profiles;

public enum ProfileKind { Anonymous = 0, Known = 1 }

/// <summary>One person. Anonymous until an identity (email, phone, external id) is known.</summary>
public sealed class CustomerProfile
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public ProfileKind Kind { get; set; }
    public string? FirstName { get; set; }
    public string? LastName { get; set; }
    /// <summary>Primary email, normalised to lower case.</summary>
    public string? Email { get; set; }
    /// <summary>Primary phone in E.164.</summary>
    public string? Phone { get; set; }
    /// <summary>Other traits as a JSON object.</summary>
    public string Traits { get; set; } = "{}";
    /// <summary>Lower-cased name, email and phone for staff search.</summary>
    public string SearchText { get; set; } = "";
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    /// <summary>Set when this profile was merged into another; lookups follow it to the survivor.</summary>
    public Guid? MergedIntoId { get; set; }
    public DateTime? ErasedAt { get; set; }

    // Aggregates maintained by the profile-aggregates subscriber from the interaction stream.
    public DateTime? FirstSeenAt { get; set; }
    public DateTime? LastSeenAt { get; set; }
    public long InteractionCount { get; set; }

    public string DisplayName =>
        ErasedAt is not null ? "Erased customer"
        : $"{FirstName} {LastName}".Trim() is { Length: > 0 } name ? name
        : Email ?? Phone ?? (Kind == ProfileKind.Anonymous ? "Anonymous visitor" : "Unnamed customer");

    public void RefreshSearchText() =>
        SearchText = string.Join(' ', new[] { FirstName, LastName, Email, Phone }.Where(s => !string.IsNullOrEmpty(s)))
            .ToLowerInvariant();
}

/// <summary>A key that identifies a profile: email, phone, external id or anonymous id. Unique across profiles.</summary>
public sealed class ProfileIdentity
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>email, phone, external or anonymous.</summary>
    public required string Kind { get; set; }
    /// <summary>The normalised value.</summary>
    public required string Value { get; set; }
    /// <summary>Kind and value in one unique column ("email:ana@example.com"), so a batch resolves in one query.</summary>
    public required string Key { get; set; }
    public bool Verified { get; set; }
    public DateTime CreatedAt { get; set; }

    public static string KeyOf(string kind, string value) => kind + ":" + value;
}
