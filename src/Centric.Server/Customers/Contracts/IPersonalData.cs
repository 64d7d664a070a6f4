using System.Text.Json.Nodes;
using Centric.Server.Platform.Data;

namespace Centric.Server.Customers.Contracts;

/// <summary>
/// A module that keeps rows about customers outside the Customers module's own tables (orders, tickets, notices...). Export,
/// erasure and merging ask every holder, and a holder answers all three: a module cannot take part in one and be forgotten by
/// another. Every table with a profile id must be covered by its module's holder (a test walks the model to check).
/// All three run inside the caller's unit of work.
/// </summary>
public interface IPersonalData
{
    /// <summary>The section name in an export (e.g. "commerce").</summary>
    string Section { get; }

    Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct);

    /// <summary>Removes or pseudonymises what identifies the person; keeps what the business must (amounts, counts). Returns rows touched.</summary>
    Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct);

    /// <summary>
    /// Two profiles turned out to be one person: moves the module's stored rows from <paramref name="fromProfileId"/> to
    /// <paramref name="toProfileId"/> inside the merge's transaction, reconciling where the person may hold only one of something
    /// (a cart, a review per product). Rows added but not yet saved are re-pointed by the merge itself.
    /// </summary>
    Task MoveAsync(CentricDbContext db, Guid fromProfileId, Guid toProfileId, CancellationToken ct);
}
