using System.Net;
using Centric.Server.Commerce.Carts;
using Centric.Server.Customers.Consent;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Centric.Server.Tests.Customers;

public abstract class ProfileMergeTests(CentricAppFactory app)
{
    private static object Event(object customer, string type = "page_viewed", string channel = "web", object? properties = null) =>
        new { id = Json.NewId(), type, occurredAt = "2026-01-05T10:00:00Z", channel, customer, properties = properties ?? new { } };

    private Task<Guid> ProfileOfAsync(string key) =>
        app.WithDbAsync(db => db.Identities.Where(i => i.Key == key).Select(i => i.ProfileId).SingleAsync());

    [SkippableFact]
    public async Task Every_row_that_belongs_to_a_profile_follows_a_merge()
    {
        using var client = app.AdminClient();
        var (email, external) = (Json.NewEmail(), "crm-" + Json.NewId());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostEventsAsync(Event(new { email }), Event(new { externalId = external }))).StatusCode);
        var merged = await ProfileOfAsync("email:" + email);
        var survivor = await ProfileOfAsync("external:" + external);

        // Both profiles own a row in every table that has a profile id: orders, carts, tickets, notices, accounts...
        var types = await app.WithDbAsync(async db =>
        {
            ProfileRows.AddOneOfEach(db, merged);
            ProfileRows.AddOneOfEach(db, survivor);
            await db.SaveChangesAsync();
            return ProfileRows.OwnedTypes(db);
        });
        Assert.Contains(types, t => t.ClrType == typeof(Cart));
        Assert.Contains(types, t => t.ClrType == typeof(ConsentState));
        foreach (var type in types)
            Assert.True(await app.WithDbAsync(db => ProfileRows.CountAsync(db, type, merged)) > 0, $"no {type.ClrType.Name} row was made");

        var verified = await client.PostEventsAsync(Event(new { externalId = external, email, emailVerified = true }, "email_verified"));
        Assert.Equal(HttpStatusCode.Accepted, verified.StatusCode);
        Assert.Equal(survivor, await app.WithDbAsync(db => db.Profiles.Where(p => p.Id == merged).Select(p => p.MergedIntoId).SingleAsync()));

        var left = new List<string>();
        foreach (var type in types.Where(ProfileRows.Moves))
        {
            if (await app.WithDbAsync(db => ProfileRows.CountAsync(db, type, merged)) is > 0 and var n) left.Add($"{type.ClrType.Name}: {n}");
            Assert.True(await app.WithDbAsync(db => ProfileRows.CountAsync(db, type, survivor)) > 0, $"{type.ClrType.Name} has nothing on the survivor");
        }
        Assert.True(left.Count == 0, "rows left on the merged profile: " + string.Join(", ", left));
        // One cart per person: the two carts became one.
        Assert.Equal(1, await app.WithDbAsync(db => db.Carts.CountAsync(c => c.ProfileId == survivor)));

        // A writer that read the old id before the merge saves rows afterwards: they are pinned to the survivor. (Not a second row
        // of a table that holds one per person: the survivor has its own, and those writers only create one where there is none.)
        await app.WithDbAsync(async db =>
        {
            ProfileRows.AddOneOfEach(db, merged, ProfileRows.OnePerPerson);
            return await db.SaveChangesAsync();
        });
        foreach (var type in types.Where(ProfileRows.Moves))
            Assert.Equal(0, await app.WithDbAsync(db => ProfileRows.CountAsync(db, type, merged)));
    }

    [SkippableFact]
    public async Task A_table_holding_the_merged_profiles_only_row_still_moves()
    {
        // A merge moves only the tables that hold the merged profile's rows: each table in turn is the only one that does
        // (besides the identity and the event that made the profile), so a table the merge forgets to look at stays behind.
        using var client = app.AdminClient();
        var types = await app.WithDbAsync(db => Task.FromResult(ProfileRows.OwnedTypes(db).Where(ProfileRows.Moves).ToList()));
        var pairs = new List<(string Type, string Email, string External, Guid Merged)>();
        foreach (var type in types)
        {
            var (email, external) = (Json.NewEmail(), "crm-" + Json.NewId());
            Assert.Equal(HttpStatusCode.Accepted, (await client.PostEventsAsync(Event(new { email }), Event(new { externalId = external }))).StatusCode);
            var merged = await ProfileOfAsync("email:" + email);
            await app.WithDbAsync(async db =>
            {
                ProfileRows.AddOneOfEach(db, merged, t => t.ClrType != type.ClrType);
                return await db.SaveChangesAsync();
            });
            pairs.Add((type.ClrType.Name, email, external, merged));
        }

        // All the merges in one batch, as sign-ins arrive.
        var verified = await client.PostEventsAsync([.. pairs.Select(p => Event(new { externalId = p.External, email = p.Email, emailVerified = true }, "email_verified"))]);
        Assert.Equal(HttpStatusCode.Accepted, verified.StatusCode);

        var left = new List<string>();
        foreach (var (type, pair) in types.Zip(pairs))
            if (await app.WithDbAsync(db => ProfileRows.CountAsync(db, type, pair.Merged)) is > 0 and var n) left.Add($"{pair.Type}: {n}");
        Assert.True(left.Count == 0, "rows left on the merged profile: " + string.Join(", ", left));
    }

    [SkippableFact]
    public async Task A_verified_email_marks_the_stored_identity_verified_on_its_owner_and_after_a_merge()
    {
        using var client = app.AdminClient();
        var (mine, shared, external) = (Json.NewEmail(), Json.NewEmail(), "crm-" + Json.NewId());
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostEventsAsync(Event(new { email = mine }), Event(new { email = shared }), Event(new { externalId = external }))).StatusCode);
        async Task<(Guid Profile, bool Verified)> IdentityAsync(string email)
        {
            var i = await app.WithDbAsync(db => db.Identities.AsNoTracking().SingleAsync(i => i.Key == "email:" + email));
            return (i.ProfileId, i.Verified);
        }
        Assert.False((await IdentityAsync(mine)).Verified);

        // The same person verifies: the stored identity is marked, in place.
        var owner = (await IdentityAsync(mine)).Profile;
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostEventsAsync(Event(new { email = mine, emailVerified = true }, "email_verified"))).StatusCode);
        Assert.Equal((owner, true), await IdentityAsync(mine));

        // Another profile verifies the address: the two merge, and the identity is verified on the survivor.
        var survivor = await ProfileOfAsync("external:" + external);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostEventsAsync(Event(new { externalId = external, email = shared, emailVerified = true }, "email_verified"))).StatusCode);
        Assert.Equal((survivor, true), await IdentityAsync(shared));
    }

    [SkippableFact]
    public async Task A_batch_rejected_for_an_unknown_profile_id_stores_no_profiles_or_identities()
    {
        using var client = app.AdminClient();
        var emails = Enumerable.Range(0, 50).Select(_ => Json.NewEmail()).ToList();
        var profilesBefore = await app.WithDbAsync(db => db.Profiles.CountAsync());
        var events = emails.Select(e => Event(new { email = e }))
            .Append(Event(new { profileId = Guid.CreateVersion7() })).ToArray();

        var response = await client.PostEventsAsync(events);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.ReadJsonAsync()).GetProperty("errors").TryGetProperty("events[50].customer.profileId", out _));
        var keys = emails.Select(e => "email:" + e).ToList();
        Assert.Equal(0, await app.WithDbAsync(db => db.Identities.CountAsync(i => keys.Contains(i.Key))));
        Assert.Equal(profilesBefore, await app.WithDbAsync(db => db.Profiles.CountAsync()));
    }
}

public sealed class ProfileMergeOnSqlite(SqliteApp app) : ProfileMergeTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ProfileMergeOnPostgres(PostgresApp app) : ProfileMergeTests(app), IClassFixture<PostgresApp>;

/// <summary>A batch that fails after its profiles were resolved (here: the database refuses the final save) leaves nothing behind.</summary>
public abstract class FailedBatchTests(string provider)
{
    private const string FailingChannel = "refused";

    /// <summary>Refuses any save that records a consent change from the <see cref="FailingChannel"/> channel.</summary>
    private sealed class RefuseConsentFromChannel : SaveChangesInterceptor
    {
        public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            eventData.Context!.ChangeTracker.Entries<ConsentChange>().Any(e => e.Entity.Source == "event:" + FailingChannel)
                ? throw new InvalidOperationException("refused by the test")
                : base.SavingChangesAsync(eventData, result, cancellationToken);
    }

    [SkippableFact]
    public async Task A_batch_that_fails_after_resolving_profiles_stores_no_profiles_or_identities()
    {
        await using var app = new CentricAppFactory(provider).WithServices(s =>
        {
            s.ConfigureDbContext<PostgresCentricDbContext>(o => o.AddInterceptors(new RefuseConsentFromChannel()));
            s.ConfigureDbContext<SqliteCentricDbContext>(o => o.AddInterceptors(new RefuseConsentFromChannel()));
        });
        using var client = app.AdminClient();
        var profilesBefore = await app.WithDbAsync(db => db.Profiles.CountAsync());
        var emails = Enumerable.Range(0, 50).Select(_ => Json.NewEmail()).ToList();
        var events = emails.Select(email => (object)new { id = Json.NewId(), type = "page_viewed", customer = new { email } })
            .Append(new { id = Json.NewId(), type = "consent_changed", channel = FailingChannel, customer = new { email = Json.NewEmail() },
                properties = new { channel = "email", purpose = "marketing", granted = true } })
            .ToArray();

        var response = await client.PostEventsAsync(events);

        Assert.False(response.IsSuccessStatusCode, "the save was refused, so the batch cannot be accepted");
        var keys = emails.Select(e => "email:" + e).ToList();
        Assert.Equal(0, await app.WithDbAsync(db => db.Identities.CountAsync(i => keys.Contains(i.Key))));
        Assert.Equal(profilesBefore, await app.WithDbAsync(db => db.Profiles.CountAsync()));
    }
}

public sealed class FailedBatchOnSqlite() : FailedBatchTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class FailedBatchOnPostgres() : FailedBatchTests("postgres");
