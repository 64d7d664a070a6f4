using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Privacy;

public sealed record ErasureResult(Guid ProfileId, DateTime ErasedAt, int IdentitiesRemoved, int InteractionsScrubbed, int AccountsRemoved);

/// <summary>Data-subject rights: export everything held about a person, and erase them.</summary>
public sealed class PrivacyService(CentricDbContext db, ProfileDirectory directory, CustomerQueries queries, AuditLog audit,
    InteractionLog interactions, IEnumerable<IPersonalData> holders, TimeProvider clock)
{
    /// <summary>
    /// Property names kept when an interaction is scrubbed: they describe what happened, not who it happened to.
    /// Numbers and booleans are always kept; any other string is removed.
    /// </summary>
    private static readonly HashSet<string> KeptStrings = new(StringComparer.OrdinalIgnoreCase)
    {
        "currency", "category", "categories", "status", "sku", "productId", "orderId", "orderNumber", "ticketId", "campaignId",
        "channel", "purpose", "reason", "source", "step", "plan", "variant", "outcome", "priority", "queue",
    };

    /// <summary>Id-like keys that point at the person rather than at a record.</summary>
    private static readonly HashSet<string> PersonKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "externalId", "anonymousId", "userId", "customerId", "deviceId", "profileId",
    };

    public async Task<JsonObject?> ExportAsync(Guid id, CancellationToken ct)
    {
        var detail = await queries.DetailAsync(id, ct);
        if (detail is null) return null;
        var all = await db.Interactions.AsNoTracking().Where(i => i.ProfileId == detail.Id)
            .OrderBy(i => i.OccurredAt).ToListAsync(ct);
        var accounts = await db.Users.AsNoTracking().Where(u => u.ProfileId == detail.Id)
            .Select(u => new { u.Id, u.Email, u.EmailConfirmed, u.PhoneNumber, u.TwoFactorEnabled, u.CreatedAt, u.DisplayName })
            .ToListAsync(ct);
        var mail = detail.Email is null ? [] : await db.Mail.AsNoTracking().Where(m => m.To == detail.Email)
            .Select(m => new { m.Id, m.Subject, m.CreatedAt }).ToListAsync(ct);

        audit.Record("customer.exported", detail.Id);
        await db.SaveChangesAsync(ct);

        var options = JsonSerializerOptions.Web;
        var export = new JsonObject
        {
            ["exportedAt"] = clock.GetUtcNow().UtcDateTime,
            ["profile"] = JsonSerializer.SerializeToNode(detail, options),
            ["accounts"] = JsonSerializer.SerializeToNode(accounts, options),
            ["messages"] = JsonSerializer.SerializeToNode(mail, options),
            ["interactions"] = JsonSerializer.SerializeToNode(all.Select(CustomerQueries.Entry), options),
        };
        foreach (var holder in holders) export[holder.Section] = await holder.ExportAsync(db, detail.Id, ct);
        return export;
    }

    public async Task<ErasureResult?> EraseAsync(Guid id, CancellationToken ct)
    {
        var profile = await directory.FindAsync(id, ct);
        if (profile is null) return null;
        var now = clock.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Held until the erasure commits: no merge moves rows onto the person, and no writer attaches any, half-way through.
            await ProfileLocks.LockAsync(db, new Dictionary<Guid, ProfileLock> { [profile.Id] = ProfileLock.MergeAway }, ct);
            var email = profile.Email;
            var profileIds = await db.Profiles.Where(p => p.Id == profile.Id || p.MergedIntoId == profile.Id).Select(p => p.Id).ToListAsync(ct);

            var identities = await db.Identities.Where(i => i.ProfileId == profile.Id).ExecuteDeleteAsync(ct);
            var scrubbed = 0;
            foreach (var interaction in await db.Interactions.Where(i => i.ProfileId == profile.Id).ToListAsync(ct))
            {
                interaction.Properties = Scrub(interaction.Properties);
                interaction.AnonymousId = null;
                scrubbed++;
            }
            await db.ConsentChanges.Where(c => c.ProfileId == profile.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ChangedBy, (string?)null), ct);
            await db.WebhookDeliveries.Where(d => d.ProfileId == profile.Id && d.Status == Platform.Webhooks.WebhookDeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, Platform.Webhooks.WebhookDeliveryStatus.Failed)
                    .SetProperty(d => d.Payload, "{}").SetProperty(d => d.LastError, "customer erased"), ct);
            await db.WebhookDeliveries.Where(d => d.ProfileId == profile.Id).ExecuteUpdateAsync(s => s.SetProperty(d => d.Payload, "{}"), ct);
            if (email is not null) await db.Mail.Where(m => m.To == email).ExecuteDeleteAsync(ct);
            var accounts = await db.Users.Where(u => u.ProfileId != null && profileIds.Contains(u.ProfileId.Value)).ExecuteDeleteAsync(ct);
            var held = 0;
            // Profiles merged into this one before their rows moved with the merge still count as the person.
            foreach (var holder in holders)
                foreach (var profileId in profileIds) held += await holder.EraseAsync(db, profileId, ct);

            foreach (var p in await db.Profiles.Where(p => profileIds.Contains(p.Id)).ToListAsync(ct))
            {
                var target = p.Id == profile.Id ? profile : p;
                target.FirstName = target.LastName = target.Email = target.Phone = null;
                target.Traits = "{}";
                target.SearchText = "";
                target.ErasedAt = now;
                target.UpdatedAt = now;
            }
            audit.Record("customer.erased", profile.Id, $"identities removed: {identities}, interactions scrubbed: {scrubbed}, accounts removed: {accounts}, module rows: {held}");
            interactions.Append(db, profile.Id, InteractionTypes.ProfileErased, "system", new NoProperties());
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new ErasureResult(profile.Id, now, identities, scrubbed, accounts);
        });
    }

    /// <summary>Keeps numbers, booleans and a few descriptive keys; drops every other string (names, emails, free text).</summary>
    public static string Scrub(string json)
    {
        var node = JsonNode.Parse(json);
        return Scrub(node, null)?.ToJsonString() ?? "{}";
    }

    private static JsonNode? Scrub(JsonNode? node, string? key) => node switch
    {
        JsonObject o => new JsonObject(o.Select(kv => KeyValuePair.Create(kv.Key, Scrub(kv.Value, kv.Key)))
            .Where(kv => kv.Value is not null || o[kv.Key] is null)),
        JsonArray a => new JsonArray([.. a.Select(x => Scrub(x, key)).Where(x => x is not null)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.String =>
            key is not null && (KeptStrings.Contains(key) || key.EndsWith("Id", StringComparison.Ordinal) && !PersonKeys.Contains(key)) ? v.DeepClone() : null,
        JsonValue v => v.DeepClone(),
        null => null,
        _ => null,
    };
}
