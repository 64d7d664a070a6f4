using Centric.Server.Platform.Data;
using Centric.Server.Platform.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>Answers the webhook fan-out's question: the email and phone of the profiles in a batch.</summary>
internal sealed class WebhookCustomers : IWebhookCustomers
{
    public async Task<IReadOnlyDictionary<Guid, WebhookCustomer>> FindAsync(CentricDbContext db, IReadOnlyCollection<Guid> profileIds, CancellationToken ct) =>
        await db.Profiles.AsNoTracking().Where(p => profileIds.Contains(p.Id))
            .Select(p => new { p.Id, p.Email, p.Phone }).ToDictionaryAsync(p => p.Id, p => new WebhookCustomer(p.Email, p.Phone), ct);
}
