using System.Text.Json.Nodes;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Import;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Import;

/// <summary>
/// Identity resolution for imported history (<see cref="ICustomerImport"/>), and `centric import customers`: one customer a row,
/// found or created by their external id and email, with names, phone and country filled in where the profile has none.
/// </summary>
internal sealed class CustomerImport(CentricDbContext db, ProfileDirectory profiles, TimeProvider clock) : ICustomerImport, IImporter
{
    private const int Batch = 2_000;

    public string Kind => "customers";

    public IReadOnlyList<string> Required { get; } = ["customer_id|email"];

    public Task<IReadOnlyDictionary<string, Guid>> FindAsync(IReadOnlyCollection<ImportedCustomer> customers, CancellationToken ct) =>
        ResolveAsync(customers, create: false, ct);

    public Task<IReadOnlyDictionary<string, Guid>> ResolveAsync(IReadOnlyCollection<ImportedCustomer> customers, CancellationToken ct) =>
        ResolveAsync(customers, create: true, ct);

    private async Task<IReadOnlyDictionary<string, Guid>> ResolveAsync(IReadOnlyCollection<ImportedCustomer> customers, bool create, CancellationToken ct)
    {
        var wanted = customers.DistinctBy(c => c.Key).ToList();
        var keys = wanted.SelectMany(c => new[]
        {
            c.ExternalId is null ? null : ProfileIdentity.KeyOf(IdentityKinds.External, c.ExternalId),
            c.Email is null ? null : ProfileIdentity.KeyOf(IdentityKinds.Email, c.Email),
        }).OfType<string>().Distinct().ToList();
        var held = await db.Identities.Where(i => keys.Contains(i.Key)).Select(i => new { i.Key, i.ProfileId }).ToDictionaryAsync(i => i.Key, i => i.ProfileId, ct);
        var live = await LiveProfilesAsync(held.Values.Distinct().ToList(), ct);

        var resolved = new Dictionary<string, Guid>();
        // New rows go straight into the tables (COPY on PostgreSQL): an import creates profiles by the hundred thousand.
        var newProfiles = new List<CustomerProfile>();
        var newIdentities = new List<ProfileIdentity>();
        var now = clock.GetUtcNow().UtcDateTime;
        ProfileIdentity Identity(Guid profileId, string kind, string value) => new()
        {
            ProfileId = profileId, Kind = kind, Value = value, Key = ProfileIdentity.KeyOf(kind, value), Verified = false, CreatedAt = now,
        };
        foreach (var c in wanted)
        {
            var external = c.ExternalId is null ? null : ProfileIdentity.KeyOf(IdentityKinds.External, c.ExternalId);
            var email = c.Email is null ? null : ProfileIdentity.KeyOf(IdentityKinds.Email, c.Email);
            if (external is not null && held.TryGetValue(external, out var byExternal)) { resolved[c.Key] = live[byExternal]; continue; }
            if (email is not null && held.TryGetValue(email, out var byEmail))
            {
                var profileId = live[byEmail];
                resolved[c.Key] = profileId;
                if (create && external is not null)
                {
                    newIdentities.Add(Identity(profileId, IdentityKinds.External, c.ExternalId!));
                    held[external] = profileId;
                }
                continue;
            }
            if (!create) continue;
            var created = new CustomerProfile { Kind = ProfileKind.Known, Email = c.Email, CreatedAt = now, UpdatedAt = now };
            created.RefreshSearchText();
            newProfiles.Add(created);
            if (c.ExternalId is not null) newIdentities.Add(Identity(created.Id, IdentityKinds.External, c.ExternalId));
            if (c.Email is not null) newIdentities.Add(Identity(created.Id, IdentityKinds.Email, c.Email));
            resolved[c.Key] = created.Id;
            live[created.Id] = created.Id;
            if (external is not null) held[external] = created.Id;
            if (email is not null) held[email] = created.Id;
        }
        await BulkInsert.WriteAsync(db, newProfiles, ct);
        await BulkInsert.WriteAsync(db, newIdentities, ct);
        return resolved;
    }

    /// <summary>Each profile id mapped to the live profile it was merged into (itself when never merged).</summary>
    private async Task<Dictionary<Guid, Guid>> LiveProfilesAsync(List<Guid> ids, CancellationToken ct)
    {
        var merged = await db.Profiles.Where(p => ids.Contains(p.Id) && p.MergedIntoId != null).Select(p => p.Id).ToListAsync(ct);
        var live = ids.ToDictionary(id => id, id => id);
        foreach (var id in merged) live[id] = (await profiles.FindAsync(id, ct))!.Id;
        return live;
    }

    public async Task<ImportReport> RunAsync(ImportFile file, bool dryRun, IProgress<ImportProgress> progress, CancellationToken ct)
    {
        var report = new ImportReport("customers");
        var batch = new List<(ImportRow Row, ImportedCustomer Customer, string? Phone, DateTime? CreatedAt)>();
        await foreach (var row in file.RowsAsync(Required, ct))
        {
            report.Rows++;
            var (customer, problem) = ImportedCustomer.Read(row);
            string? phone = null;
            DateTime? createdAt = null;
            if (problem is null && row["phone"] is { Length: > 0 } rawPhone && (phone = ContactAddress.NormalisePhone(rawPhone)) is null) problem = $"phone '{rawPhone}' is not a phone number (+ and country code)";
            if (problem is null && row["created_at"] is { Length: > 0 } rawTime && (createdAt = ImportFile.ParseTime(rawTime)) is null) problem = $"created_at '{rawTime}' is not an ISO 8601 date";
            if (problem is null && (row["first_name"].Length > 100 || row["last_name"].Length > 100)) problem = "names are at most 100 characters";
            if (problem is null && row["country"] is { Length: > 0 } country && (country.Length != 2 || !country.All(char.IsAsciiLetter))) problem = $"country '{country}' is not a two-letter code";
            if (problem is not null) { report.Bad(row.Line, problem); continue; }
            batch.Add((row, customer!, phone, createdAt));
            if (batch.Count == Batch) await StoreAsync(batch, dryRun, report, ct);
            progress.Report(new ImportProgress("reading", file.Fraction, report.Rows, "rows"));
        }
        await StoreAsync(batch, dryRun, report, ct);
        return report;
    }

    private async Task StoreAsync(List<(ImportRow Row, ImportedCustomer Customer, string? Phone, DateTime? CreatedAt)> batch, bool dryRun, ImportReport report, CancellationToken ct)
    {
        if (batch.Count == 0) return;
        var known = await FindAsync([.. batch.Select(b => b.Customer)], ct);
        if (dryRun)
        {
            var fresh = batch.Select(b => b.Customer.Key).Distinct().Count(k => !known.ContainsKey(k));
            report.Imported += fresh;
            report.AlreadyThere += batch.Count - fresh;
            batch.Clear();
            return;
        }
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Thousands of rows are tracked per batch: changes are looked for once, before saving, not at every lookup.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var resolved = await ResolveAsync([.. batch.Select(b => b.Customer)], ct);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);   // the new profiles, so they are read below with the others
        var ids = resolved.Values.Distinct().ToList();
        var byId = await db.Profiles.Where(p => ids.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var counted = new HashSet<string>();
        foreach (var (row, customer, phone, createdAt) in batch)
        {
            var profile = byId[resolved[customer.Key]];
            if (profile.ErasedAt is not null) { report.Bad(row.Line, "this customer's data was erased on request; they are not imported again"); continue; }
            if (counted.Add(customer.Key)) { if (known.ContainsKey(customer.Key)) report.AlreadyThere++; else report.Imported++; }
            // Fill in what the profile lacks; what it already holds (perhaps corrected by the customer) is kept.
            if (profile.FirstName is null && row.Has("first_name")) profile.FirstName = row["first_name"];
            if (profile.LastName is null && row.Has("last_name")) profile.LastName = row["last_name"];
            if (phone is not null && profile.Phone is null && !await db.Identities.AnyAsync(i => i.Key == ProfileIdentity.KeyOf(IdentityKinds.Phone, phone), ct)
                && !db.Identities.Local.Any(i => i.Key == ProfileIdentity.KeyOf(IdentityKinds.Phone, phone)))
                profiles.AddIdentity(profile, IdentityKinds.Phone, phone, verified: false);
            if (row["country"] is { Length: 2 } country)
            {
                var traits = JsonNode.Parse(profile.Traits) as JsonObject ?? [];
                traits.TryAdd("country", country.ToUpperInvariant());
                profile.Traits = traits.ToJsonString();
            }
            if (createdAt is { } at && at < profile.CreatedAt) profile.CreatedAt = at;
            profile.UpdatedAt = now;
            profile.RefreshSearchText();
        }
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        batch.Clear();
    }
}
