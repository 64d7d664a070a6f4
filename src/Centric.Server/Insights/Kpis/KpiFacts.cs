using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>
/// The order rollups (<see cref="CountedOrder"/>, <see cref="RevenueAdjustment"/>) narrowed to a scope: a channel, the
/// customers of a value decile as last scored (1–10), the customers of a segment now. Queries, so the database does the
/// narrowing.
/// </summary>
public sealed class KpiFacts(CentricDbContext db, ICustomerSegments segments)
{
    public IQueryable<CountedOrder> Orders(KpiScope scope)
    {
        var facts = db.CountedOrders.AsNoTracking();
        if (scope.Channel is { } channel) facts = facts.Where(f => f.Channel == channel);
        if (Profiles(scope) is { } profiles) facts = facts.Where(f => profiles.Contains(f.ProfileId));
        return facts;
    }

    public IQueryable<RevenueAdjustment> Adjustments(KpiScope scope)
    {
        var adjustments = db.RevenueAdjustments.AsNoTracking();
        if (scope.Channel is { } channel) adjustments = adjustments.Where(a => a.Channel == channel);
        if (Profiles(scope) is { } profiles) adjustments = adjustments.Where(a => profiles.Contains(a.ProfileId));
        return adjustments;
    }

    /// <summary>The profiles a decile (1–10) and a segment keep; null when the scope keeps everyone.</summary>
    private IQueryable<Guid>? Profiles(KpiScope scope)
    {
        IQueryable<Guid>? profiles = null;
        if (scope.Decile is >= 1 and <= 10 and var decile)
        {
            // A profile may hold an older score row for a moment after a merge: the newest decides.
            var insights = db.ProfileInsights.AsNoTracking();
            profiles = insights.Where(p => p.Decile == decile && !insights.Any(q => q.ProfileId == p.ProfileId && q.ScoredAt > p.ScoredAt)).Select(p => p.ProfileId);
        }
        if (scope.Segment is { } segment)
        {
            var members = segments.Members(segment);
            profiles = profiles is null ? members : profiles.Where(p => members.Contains(p));
        }
        return profiles;
    }
}
