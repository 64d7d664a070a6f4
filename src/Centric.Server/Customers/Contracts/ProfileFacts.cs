using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;

namespace Centric.Server.Customers.Contracts;

/// <summary>A live, known profile as other modules filter on it (Engagement's segments). Traits are the profile's JSON object.</summary>
public sealed class ProfileFact
{
    public Guid Id { get; init; }
    public string? Email { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
    public string Traits { get; init; } = "{}";
    public DateTime CreatedAt { get; init; }
    public DateTime? LastSeenAt { get; init; }
}

/// <summary>The current consent answer for a profile, channel and purpose.</summary>
public sealed class ConsentFact
{
    public Guid ProfileId { get; init; }
    public string Channel { get; init; } = "";
    public string Purpose { get; init; } = "";
    public bool Granted { get; init; }
}

/// <summary>
/// Profiles and consent as composable queries over the DbContext it is given, so another module can build one database query
/// across them (a segment rule) without reaching into the Customers tables. Read-only; nothing is loaded until the caller runs it.
/// </summary>
public sealed class ProfileFacts(CentricDbContext db)
{
    /// <summary>Known profiles that are neither merged away nor erased.</summary>
    public IQueryable<ProfileFact> Live =>
        db.Profiles.Where(p => p.Kind == ProfileKind.Known && p.MergedIntoId == null && p.ErasedAt == null)
            .Select(p => new ProfileFact
            {
                Id = p.Id, Email = p.Email, FirstName = p.FirstName, LastName = p.LastName, Traits = p.Traits,
                CreatedAt = p.CreatedAt, LastSeenAt = p.LastSeenAt,
            });

    public IQueryable<ConsentFact> Consents =>
        db.Consents.Select(c => new ConsentFact { ProfileId = c.ProfileId, Channel = c.Channel, Purpose = c.Purpose, Granted = c.Granted });
}
