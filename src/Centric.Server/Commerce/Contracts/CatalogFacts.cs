using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Contracts;

/// <summary>What Commerce tells other modules about the catalogue as a whole.</summary>
public sealed class CatalogFacts(CentricDbContext db)
{
    /// <summary>How many categories the catalogue has (Insights measures how many of them a customer buys from).</summary>
    public Task<int> CategoryCountAsync(CancellationToken ct) => db.Categories.CountAsync(ct);
}
