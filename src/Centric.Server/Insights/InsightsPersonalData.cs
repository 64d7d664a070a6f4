using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights;

/// <summary>
/// The scores on a profile and the sentiment of its texts are derived from what the other modules hold and are computed again on the next scoring, so:
/// not part of the person's export (customers never see their own scores), removed on erasure, and on a merge the
/// merged-away profile's row goes (the survivor is scored again on its next order or the next training).
/// </summary>
internal sealed class InsightsPersonalData : IPersonalData
{
    public string Section => "insights";

    public Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct) => Task.FromResult<JsonNode?>(null);

    public async Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct) =>
        await db.ProfileInsights.Where(p => p.ProfileId == profileId).ExecuteDeleteAsync(ct)
        + await db.TextSentiments.Where(t => t.ProfileId == profileId).ExecuteDeleteAsync(ct);

    /// <summary>The texts' sentiments follow the person; the merged-away profile's scores go (the survivor is scored again).</summary>
    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct)
    {
        await db.ProfileInsights.Where(p => p.ProfileId == fromProfileId).ExecuteDeleteAsync(ct);
        await db.TextSentiments.Where(t => t.ProfileId == fromProfileId).ExecuteUpdateAsync(u => u.SetProperty(t => t.ProfileId, toProfileId), ct);
    }
}
