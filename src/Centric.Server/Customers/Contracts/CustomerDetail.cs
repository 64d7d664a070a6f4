using System.Text.Json;

namespace Centric.Server.Customers.Contracts;

public sealed record IdentityView(string Kind, string Value, bool Verified, DateTime CreatedAt);
public sealed record ConsentView(string Channel, string Purpose, bool Granted, bool Explicit, DateTime? UpdatedAt, string? Source);
public sealed record ConsentChangeView(string Channel, string Purpose, bool Granted, DateTime At, string Source, string? ChangedBy);
public sealed record CountView(string Key, long Count);

/// <summary>Everything the console shows about one customer (the 360 and the customer card beside a ticket).</summary>
public sealed record CustomerDetail(
    Guid Id, string Kind, string DisplayName, string? FirstName, string? LastName, string? Email, string? Phone,
    JsonElement Traits, DateTime CreatedAt, DateTime? FirstSeenAt, DateTime? LastSeenAt, long InteractionCount, DateTime? ErasedAt,
    IReadOnlyList<IdentityView> Identities, IReadOnlyList<ConsentView> Consent, IReadOnlyList<ConsentChangeView> ConsentHistory,
    IReadOnlyList<CountView> CountsByType, IReadOnlyList<CountView> CountsByChannel, IReadOnlyList<Guid> MergedProfileIds,
    CustomerInsights? Insights = null);
