using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Segments;

/// <summary>Answers Customers' question "which segments is this profile in" from the live membership.</summary>
internal sealed class CustomerSegments(CentricDbContext db) : ICustomerSegments
{
    public async Task<IReadOnlyList<SegmentChoice>> ListAsync(CancellationToken ct) =>
        await db.Segments.AsNoTracking().OrderBy(s => s.Name).Select(s => new SegmentChoice(s.Id, s.Name)).ToListAsync(ct);

    public async Task<IReadOnlySet<Guid>> OfAsync(Guid profileId, CancellationToken ct) =>
        (await db.SegmentMembers.AsNoTracking().Where(m => m.ProfileId == profileId).Select(m => m.SegmentId).ToListAsync(ct)).ToHashSet();

    public IQueryable<Guid> Members(Guid segmentId) => db.SegmentMembers.AsNoTracking().Where(m => m.SegmentId == segmentId).Select(m => m.ProfileId);
}
