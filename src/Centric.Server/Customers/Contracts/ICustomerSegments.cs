namespace Centric.Server.Customers.Contracts;

/// <summary>A segment as another module offers it to choose from.</summary>
public sealed record SegmentChoice(Guid Id, string Name);

/// <summary>
/// Which segments a customer is in. Modules below Engagement ask (Commerce's promotions for a segment, Insights' KPIs for one), Engagement answers:
/// it owns segments and their live membership.
/// </summary>
public interface ICustomerSegments
{
    /// <summary>Every segment, by name.</summary>
    Task<IReadOnlyList<SegmentChoice>> ListAsync(CancellationToken ct);

    /// <summary>The ids of the segments the profile is in now.</summary>
    Task<IReadOnlySet<Guid>> OfAsync(Guid profileId, CancellationToken ct);

    /// <summary>
    /// The profiles in a segment now, as a query on the request's DbContext, so a caller's own query can be narrowed to them in
    /// the database (Insights' KPIs for a segment).
    /// </summary>
    IQueryable<Guid> Members(Guid segmentId);
}
