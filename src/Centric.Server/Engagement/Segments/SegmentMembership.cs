using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Segments;

/// <summary>
/// Keeps who is in each segment current, writing <c>segment_entered</c> / <c>segment_left</c> on the customer's timeline in the
/// same unit of work as the membership change. Works in the DbContext it is given: the request's, or the dispatcher's
/// transaction when the stream subscriber calls it.
/// </summary>
internal sealed class SegmentMembership(CentricDbContext db, InteractionLog log, TimeProvider clock)
{
    /// <summary>Rows written per save when a whole segment changes at once (a new rule over a large base).</summary>
    private const int Chunk = 1000;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>Works the whole membership of a rule segment out again. Returns (entered, left).</summary>
    public async Task<(int Entered, int Left)> RefreshAsync(Segment segment, CancellationToken ct)
    {
        if (segment.Kind != SegmentKind.Rule || segment.Rule is null) return (0, 0);
        var now = Now;
        var matching = (await new SegmentQuery(db, now).Matching(SegmentRules.Parse(segment.Rule)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
        var current = (await db.SegmentMembers.Where(m => m.SegmentId == segment.Id).Select(m => m.ProfileId).ToListAsync(ct)).ToHashSet();
        var result = await ApplyAsync(segment, [.. matching.Except(current)], [.. current.Except(matching)], ct);
        segment.EvaluatedAt = now;
        segment.MemberCount = matching.Count;
        await db.SaveChangesAsync(ct);
        return result;
    }

    /// <summary>Re-evaluates these profiles against every rule segment (interactions arrived for them). Saves with the caller.</summary>
    public async Task ReevaluateAsync(IReadOnlyCollection<Guid> profileIds, CancellationToken ct)
    {
        if (profileIds.Count == 0) return;
        var segments = await db.Segments.Where(s => s.Kind == SegmentKind.Rule && s.Rule != null).ToListAsync(ct);
        if (segments.Count == 0) return;
        var ids = profileIds.ToList();
        var memberships = await db.SegmentMembers.Where(m => ids.Contains(m.ProfileId)).Select(m => new { m.SegmentId, m.ProfileId }).ToListAsync(ct);
        var query = new SegmentQuery(db, Now);
        foreach (var segment in segments)
        {
            var matching = (await query.Matching(SegmentRules.Parse(segment.Rule!)).Where(p => ids.Contains(p.Id)).Select(p => p.Id).ToListAsync(ct)).ToHashSet();
            var current = memberships.Where(m => m.SegmentId == segment.Id).Select(m => m.ProfileId).ToHashSet();
            var (entered, left) = await ApplyAsync(segment, [.. matching.Except(current)], [.. current.Except(matching)], ct, save: false);
            segment.MemberCount += entered - left;
            if (entered + left > 0) segment.UpdatedAt = Now;
        }
    }

    /// <summary>Adds and removes members, each with its interaction. Saves in chunks unless <paramref name="save"/> is false.</summary>
    public async Task<(int Entered, int Left)> ApplyAsync(Segment segment, IReadOnlyList<Guid> enter, IReadOnlyList<Guid> leave, CancellationToken ct, bool save = true)
    {
        var now = Now;
        var kind = segment.Kind == SegmentKind.Rule ? "rule" : "static";
        var properties = new SegmentMembershipProperties(segment.Id, segment.Name, kind);
        var pending = 0;
        foreach (var profileId in enter)
        {
            db.SegmentMembers.Add(new SegmentMember { SegmentId = segment.Id, ProfileId = profileId, EnteredAt = now });
            log.Append(db, profileId, InteractionTypes.SegmentEntered, "system", properties, "segment", segment.Id.ToString());
            if (save && ++pending % Chunk == 0) await db.SaveChangesAsync(ct);
        }
        foreach (var batch in leave.Chunk(Chunk))
        {
            var gone = await db.SegmentMembers.Where(m => m.SegmentId == segment.Id && batch.Contains(m.ProfileId)).ToListAsync(ct);
            db.SegmentMembers.RemoveRange(gone);
            foreach (var m in gone) log.Append(db, m.ProfileId, InteractionTypes.SegmentLeft, "system", properties, "segment", segment.Id.ToString());
            if (save) await db.SaveChangesAsync(ct);
        }
        if (save) await db.SaveChangesAsync(ct);
        return (enter.Count, leave.Count);
    }
}
