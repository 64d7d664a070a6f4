using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Privacy;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Profiles;

/// <summary>Links portal accounts to customer profiles, so what a customer does signed in lands on their one timeline.</summary>
public sealed class CustomerAccounts(CentricDbContext db, ProfileDirectory directory, InteractionLog interactions, PrivacyService privacy)
    : ICustomerAccounts
{
    public async Task LinkNewAccountAsync(CentricUser user, CancellationToken ct)
    {
        var email = user.Email!.Trim().ToLowerInvariant();
        var key = ProfileIdentity.KeyOf(IdentityKinds.Email, email);
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Key == key, ct);
        var profile = identity is null ? null : await directory.FindAsync(identity.ProfileId, ct);
        if (profile is null)
        {
            profile = directory.Create(ProfileKind.Known);
            directory.AddIdentity(profile, IdentityKinds.Email, email, verified: false);
        }
        if (user.DisplayName is { Length: > 0 } name && profile.FirstName is null)
        {
            var parts = name.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            profile.FirstName = parts.ElementAtOrDefault(0);
            profile.LastName = parts.ElementAtOrDefault(1);
            profile.RefreshSearchText();
        }
        var tracked = await db.Users.FirstAsync(u => u.Id == user.Id, ct);
        tracked.ProfileId = profile.Id;
        user.ProfileId = profile.Id;
        interactions.Append(db, profile.Id, InteractionTypes.AccountRegistered, "web", new AccountProperties(user.Id), sourceKind: "account", sourceId: user.Id);
        await db.SaveChangesAsync(ct);
    }

    public async Task EmailConfirmedAsync(CentricUser user, CancellationToken ct)
    {
        if (user.ProfileId is not { } profileId || user.Email is null) return;
        var profile = await directory.FindAsync(profileId, ct);
        if (profile is null) return;
        var key = ProfileIdentity.KeyOf(IdentityKinds.Email, user.Email.Trim().ToLowerInvariant());
        var identity = await db.Identities.FirstOrDefaultAsync(i => i.Key == key, ct);
        if (identity is null) directory.AddIdentity(profile, IdentityKinds.Email, user.Email.Trim().ToLowerInvariant(), verified: true);
        else if (identity.ProfileId == profile.Id) identity.Verified = true;
        else if (await directory.FindAsync(identity.ProfileId, ct) is { } other && other.Id != profile.Id)
        {
            // Another profile holds this now-verified email: they are the same person.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await directory.MergeAsync(profile, other, "verified email shared", ct);
            identity.Verified = true;
            interactions.Append(db, profile.Id, InteractionTypes.AccountEmailVerified, "web", new AccountProperties(user.Id), sourceKind: "account", sourceId: user.Id);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return;
        }
        interactions.Append(db, profile.Id, InteractionTypes.AccountEmailVerified, "web", new AccountProperties(user.Id), sourceKind: "account", sourceId: user.Id);
        await db.SaveChangesAsync(ct);
    }

    public Task<JsonObject?> ExportAsync(Guid profileId, CancellationToken ct) => privacy.ExportAsync(profileId, ct);

    public async Task EraseAsync(Guid profileId, CancellationToken ct) => await privacy.EraseAsync(profileId, ct);
}
