using Centric.Server.Commerce;
using Centric.Server.Customers.Interactions;
using Centric.Server.Platform.Data;

namespace Centric.Server.Support.Measures;

/// <summary>
/// Records help-centre searches and article views on the visitor's profile (signed in, or the anonymous visitor's), so
/// deflection can be measured: help used and no ticket opened afterwards.
/// </summary>
public sealed class HelpActivity(Shopper shopper, CentricDbContext db, InteractionLog interactions)
{
    public async Task SearchedAsync(string query, int results, CancellationToken ct)
    {
        var q = query.Trim();
        if (q.Length == 0) return;
        interactions.Append(db, await shopper.TrackingProfileAsync(ct), "help_searched", "web", new { query = q.Length > 200 ? q[..200] : q, results });
        await db.SaveChangesAsync(ct);
    }

    public async Task ViewedAsync(string slug, CancellationToken ct)
    {
        interactions.Append(db, await shopper.TrackingProfileAsync(ct), "help_article_viewed", "web", new { slug }, sourceKind: "article", sourceId: slug);
        await db.SaveChangesAsync(ct);
    }
}
