namespace Centric.Server.Customers.Contracts;

/// <summary>
/// Who is browsing in this request: a signed-in customer's profile, or an anonymous visitor known by a cookie token.
/// The token is also the visitor's anonymous identity, so what they do before signing in joins their profile later.
/// </summary>
public interface IVisitor
{
    /// <summary>The cookie holding the visitor token (HttpOnly, a year, first-party only); the chat reads it too.</summary>
    const string Cookie = "centric_visitor";

    bool IsSignedIn { get; }

    /// <summary>The signed-in customer's profile; null for a visitor or an account without a profile.</summary>
    Task<Guid?> SignedInProfileAsync(CancellationToken ct);

    /// <summary>The visitor token, issued on first use unless <paramref name="issue"/> is false.</summary>
    string Token(bool issue = true);

    /// <summary>The token this browser already has (or was issued in this request); null when none.</summary>
    string? ExistingToken();

    /// <summary>The profile to record interactions on: the customer's, or the anonymous visitor's (created on demand).</summary>
    Task<Guid> TrackingProfileAsync(CancellationToken ct);
}
