using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Scores;

/// <summary>Insights' answer to Customers' <see cref="ICustomerInsights"/>: the profile's score row as the 360 and the API show it.</summary>
internal sealed class CustomerInsightsReader(CentricDbContext db, Microsoft.Extensions.Options.IOptions<InsightsOptions> options) : ICustomerInsights
{
    public async Task<CustomerInsights?> FindAsync(Guid profileId, CancellationToken ct) =>
        await db.ProfileInsights.AsNoTracking().Where(p => p.ProfileId == profileId).OrderByDescending(p => p.ScoredAt).FirstOrDefaultAsync(ct) is { } p ? View(p, options.Value.HighChurnRisk) : null;

    public static CustomerInsights View(ProfileInsight p, double highChurnRisk) => new(
        Round(p.Clv12m, 2), Round(p.PAlive, 4), Round(p.ExpectedPurchases12m, 2), Round(p.ChurnRisk, 4), p.Reasons, p.Decile,
        p.RfmRecency is { } r && p.RfmFrequency is { } f && p.RfmMonetary is { } m ? new RfmView(r, f, m) : null, Round(p.Sentiment, 3), p.ScoredAt,
        p.ChurnRisk >= highChurnRisk);

    private static double? Round(double? v, int digits) => v is { } x ? Math.Round(x, digits) : null;
}
