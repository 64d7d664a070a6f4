using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights;

/// <summary>
/// The scores on a profile are derived from what the other modules hold and are computed again on the next scoring, so:
/// not part of the person's export (customers never see their own scores), removed on erasure, and on a merge the
/// merged-away profile's row goes (the survivor is scored again on its next order or the next training).
/// </summary>
internal sealed class InsightsPersonalData : IPersonalData
{
    public string Section => "insights";

    public Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct) => Task.FromResult<JsonNode?>(null);

    public Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct) =>
        db.ProfileInsights.Where(p => p.ProfileId == profileId).ExecuteDeleteAsync(ct);

    public async Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct) =>
        await db.ProfileInsights.Where(p => p.ProfileId == fromProfileId).ExecuteDeleteAsync(ct);
}
