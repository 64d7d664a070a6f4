using System.Text.Json.Nodes;
using Centric.Server.Platform.Data;

namespace Centric.Server.Customers.Privacy;

/// <summary>
/// A module that keeps personal data about customers outside the Customers module's own tables (orders,
/// tickets...). Export and erasure ask every holder, so a new module cannot be forgotten by the privacy rules.
/// Erasure runs inside the caller's transaction.
/// </summary>
public interface IPersonalData
{
    /// <summary>The section name in an export (e.g. "commerce").</summary>
    string Section { get; }

    Task<JsonNode?> ExportAsync(CentricDbContext db, Guid profileId, CancellationToken ct);

    /// <summary>Removes or pseudonymises what identifies the person; keeps what the business must (amounts, counts). Returns rows touched.</summary>
    Task<int> EraseAsync(CentricDbContext db, Guid profileId, CancellationToken ct);
}
