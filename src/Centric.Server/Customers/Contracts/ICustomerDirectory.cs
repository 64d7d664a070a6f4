namespace Centric.Server.Customers.Contracts;

/// <summary>A live profile as other modules see it: who the person is and how to address them.</summary>
public sealed record ProfileCard(Guid Id, bool IsKnown, string DisplayName, string? FirstName, string? LastName, string? Email, string? Phone);

/// <summary>
/// Customers' profiles for the other modules, which know a person only by profile id: find them, resolve a sender or a guest to
/// a profile, and join an anonymous visitor to the customer they turn out to be. It works in the caller's unit of work (the
/// request's DbContext): what it adds is committed by the caller's SaveChanges, and a merge runs in the caller's transaction.
/// Identity values are passed normalised (<see cref="Platform.Http.ContactAddress"/>).
/// </summary>
public interface ICustomerDirectory
{
    /// <summary>The live profile for an id (itself, or the profile it was merged into), one added in this unit of work included; null when unknown.</summary>
    Task<ProfileCard?> FindAsync(Guid profileId, CancellationToken ct);

    /// <summary>The live profile holding the identity <c>kind:value</c> (<see cref="IdentityKinds"/>); null when nobody holds it.</summary>
    Task<ProfileCard?> FindByIdentityAsync(string kind, string value, CancellationToken ct);

    /// <summary>The value of a profile's identity of one kind (its phone number, its handle on a network); null when it has none.</summary>
    Task<string?> IdentityValueAsync(Guid profileId, string kind, CancellationToken ct);

    /// <summary>Display names for a list of profiles (other modules' lists show who a row belongs to).</summary>
    Task<Dictionary<Guid, string>> NamesAsync(IEnumerable<Guid> profileIds, CancellationToken ct);

    /// <summary>The customer 360 (identities, consent, counts); null when the profile is unknown.</summary>
    Task<CustomerDetail?> DetailAsync(Guid profileId, CancellationToken ct);

    /// <summary>Known customers: not anonymous visitors, not merged away.</summary>
    Task<int> CountKnownAsync(CancellationToken ct);

    /// <summary>
    /// The live profile holding <c>email:address</c>, or a new known profile with that (unverified) identity added to the caller's
    /// unit of work. For channels that only know an address (inbound email, chat).
    /// </summary>
    Task<Guid> FindOrCreateByEmailAsync(string email, string? displayName, CancellationToken ct);

    /// <summary>
    /// The live profile holding <c>kind:value</c> (a phone number, a social handle), or a new known profile with it (unverified).
    /// A profile without a name takes <paramref name="displayName"/>, the name the channel gives.
    /// </summary>
    Task<Guid> FindOrCreateByIdentityAsync(string kind, string value, string? displayName, CancellationToken ct);

    /// <summary>The live profile of the anonymous visitor known by <paramref name="visitorToken"/>, or a new anonymous profile with that identity.</summary>
    Task<Guid> VisitorProfileAsync(string visitorToken, CancellationToken ct);

    /// <summary>
    /// The visitor known by <paramref name="visitorToken"/> turned out to be the customer <paramref name="profileId"/> (signed in, proved an
    /// address): the visitor's profile, while still anonymous, is merged into the customer's with everything on it. Returns the visitor's
    /// live profile id (merged or not), null when the token is unknown.
    /// </summary>
    Task<Guid?> MergeVisitorAsync(string visitorToken, Guid profileId, string reason, CancellationToken ct);

    /// <summary>
    /// The profile a guest's order lands on: the one that holds their email (history from anywhere); failing that, the visitor's own
    /// anonymous profile becomes this customer's (what they did before checking out is already on it); failing that, a new profile.
    /// Only a profile nobody else holds is given the email: an email typed at a guest checkout is unverified, and must not tie this
    /// browser to someone else's existing profile.
    /// </summary>
    Task<Guid> GuestProfileAsync(string email, string? visitorToken, CancellationToken ct);
}
