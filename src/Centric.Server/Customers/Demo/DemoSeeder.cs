using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Demo;

public sealed record DemoLogin(string Role, string Email, string Password);

/// <summary>
/// Seeds the people of the demo business into an empty database: a few hundred customers and one login per role, plus
/// support staff. Deterministic, so every demo looks the same.
/// </summary>
public sealed class DemoSeeder(CentricDbContext db, UserManager<CentricUser> users, TimeProvider clock)
{
    public const string Password = "Centric-demo-2026";
    public static readonly DemoLogin[] Logins =
    [
        new(Roles.Admin, "admin@centric.demo", Password),
        new(Roles.Agent, "agent@centric.demo", Password),
        new(Roles.Marketer, "marketer@centric.demo", Password),
        new(Roles.Analyst, "analyst@centric.demo", Password),
        new(Roles.Customer, "ana.silva@example.com", Password),
    ];

    private static readonly string[] FirstNames =
    [
        "Ana", "Bruno", "Carla", "Daniel", "Elena", "Felipe", "Grace", "Hugo", "Ines", "Jonas", "Kara", "Luis", "Maya", "Nico", "Olga",
        "Pedro", "Quinn", "Rosa", "Samir", "Tara", "Umar", "Vera", "Wen", "Ximena", "Yusuf", "Zoe", "Amara", "Bjorn", "Chloe", "Dev",
    ];
    private static readonly string[] LastNames =
    [
        "Silva", "Santos", "Oliveira", "Costa", "Pereira", "Almeida", "Ferreira", "Rodrigues", "Martins", "Lima", "Gomes", "Ribeiro",
        "Carvalho", "Schmidt", "Novak", "Okafor", "Tanaka", "Kowalski", "Haddad", "Nguyen", "Murphy", "Rossi", "Dubois", "Jensen",
    ];

    /// <summary>Support staff beyond the demo logins: they work tickets in the seeded history but cannot sign in (no password).</summary>
    public static readonly (string Email, string Name)[] ExtraAgents = [("marta.reis@centric.demo", "Marta Reis"), ("tom.becker@centric.demo", "Tom Becker")];

    /// <summary>The customers seeded, oldest first, for the demo history to give each a life with the business.</summary>
    public IReadOnlyList<DemoCustomer> Customers { get; private set; } = [];

    /// <summary>How long the demo business has existed at the first start when nothing else is said: two years.</summary>
    public const int FullHistoryDays = 730;

    /// <summary>
    /// Profiles (with identities and consent), the demo logins and the support staff. What the customers then do is lived
    /// through the product's services by the demo history, so this writes no interactions. Customers joined over the
    /// business's <paramref name="historyDays"/> (the same people, their sign-up dates drawn closer together in a shorter history).
    /// </summary>
    public async Task<bool> SeedIfEmptyAsync(int historyDays, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(historyDays, 1);
        if (await db.Users.AnyAsync(ct) || await db.Profiles.AnyAsync(ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var span = Math.Min(historyDays, FullHistoryDays) / (double)FullHistoryDays;
        var random = new Random(20261123);
        var customers = new List<DemoCustomer>();

        for (var n = 0; n < CustomerCount; n++)
        {
            var first = n == 0 ? "Ana" : FirstNames[random.Next(FirstNames.Length)];
            var last = n == 0 ? "Silva" : LastNames[random.Next(LastNames.Length)];
            var email = n == 0 ? "ana.silva@example.com" : $"{first}.{last}{n}@example.com".ToLowerInvariant();
            var created = n == 0 ? now.AddDays(-700 * span).AddHours(-5) : now.AddDays(-random.Next(20, FullHistoryDays) * span).AddMinutes(-random.Next(1440));
            var tier = n == 0 ? "gold" : random.NextDouble() < 0.12 ? "gold" : random.NextDouble() < 0.35 ? "silver" : "standard";
            var city = n == 0 ? "Lisbon" : Cities[random.Next(Cities.Length)].City;
            var profile = new CustomerProfile
            {
                Kind = ProfileKind.Known, FirstName = first, LastName = last, Email = email, CreatedAt = created, UpdatedAt = created,
                Phone = n == 0 || random.NextDouble() < 0.6 ? $"+3519{random.Next(10000000, 99999999)}" : null,
                Traits = $$"""{"tier":"{{tier}}","city":"{{city}}"}""",
            };
            profile.RefreshSearchText();
            db.Profiles.Add(profile);
            db.Identities.Add(new ProfileIdentity { ProfileId = profile.Id, Kind = IdentityKinds.Email, Value = email, Key = ProfileIdentity.KeyOf(IdentityKinds.Email, email), Verified = n % 3 == 0, CreatedAt = created });
            if (profile.Phone is { } phone)
                db.Identities.Add(new ProfileIdentity { ProfileId = profile.Id, Kind = IdentityKinds.Phone, Value = phone, Key = ProfileIdentity.KeyOf(IdentityKinds.Phone, phone), CreatedAt = created });
            foreach (var channel in new[] { "email", "sms" })
            {
                var granted = n == 0 || random.NextDouble() < 0.55;
                db.Consents.Add(new ConsentState { ProfileId = profile.Id, Channel = channel, Purpose = ConsentPurposes.Marketing, Granted = granted, UpdatedAt = created, Source = "signup" });
                db.ConsentChanges.Add(new ConsentChange { ProfileId = profile.Id, Channel = channel, Purpose = ConsentPurposes.Marketing, Granted = granted, At = created, Source = "signup" });
            }
            var place = Cities.First(c => c.City == city);
            customers.Add(new DemoCustomer(n, profile.Id, first, last, email, created, tier, city, place.PostalCode, place.Country));
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        foreach (var login in Logins)
        {
            var user = new CentricUser
            {
                UserName = login.Email, Email = login.Email, EmailConfirmed = true, IsStaff = login.Role != Roles.Customer,
                DisplayName = login.Role == Roles.Customer ? "Ana Silva" : $"Demo {login.Role}", CreatedAt = login.Role == Roles.Customer ? customers[0].JoinedAt : now,
                ProfileId = login.Role == Roles.Customer ? customers[0].ProfileId : null,
            };
            var result = await users.CreateAsync(user, login.Password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, login.Role);
        }
        foreach (var (email, name) in ExtraAgents)
        {
            var user = new CentricUser { UserName = email, Email = email, EmailConfirmed = true, IsStaff = true, DisplayName = name, CreatedAt = now };
            var result = await users.CreateAsync(user);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, Roles.Agent);
        }
        Customers = customers;
        return true;
    }

    private const int CustomerCount = 240;

    private static readonly (string City, string PostalCode, string Country)[] Cities =
    [
        ("Lisbon", "1100-148", "PT"), ("Porto", "4000-322", "PT"), ("Berlin", "10115", "DE"), ("Madrid", "28013", "ES"), ("Paris", "75004", "FR"), ("Dublin", "D02 X285", "IE"),
    ];
}

/// <summary>A seeded customer: who they are and where parcels go.</summary>
public sealed record DemoCustomer(int Index, Guid ProfileId, string FirstName, string LastName, string Email, DateTime JoinedAt, string Tier,
    string City, string PostalCode, string Country)
{
    public string Name => FirstName + " " + LastName;
}
