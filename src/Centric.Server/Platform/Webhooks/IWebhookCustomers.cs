using Centric.Server.Platform.Data;

namespace Centric.Server.Platform.Webhooks;

/// <summary>How to reach a profile: the <c>customer</c> block of a webhook payload.</summary>
public sealed record WebhookCustomer(string? Email, string? Phone);

/// <summary>
/// Platform knows customers only by profile id; the module that owns the profiles (Customers) says who they are. Read
/// through the fan-out's DbContext, inside the dispatcher's transaction.
/// </summary>
public interface IWebhookCustomers
{
    /// <summary>The profiles among <paramref name="profileIds"/> that exist, by id.</summary>
    Task<IReadOnlyDictionary<Guid, WebhookCustomer>> FindAsync(CentricDbContext db, IReadOnlyCollection<Guid> profileIds, CancellationToken ct);
}
