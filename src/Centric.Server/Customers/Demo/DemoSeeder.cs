using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Customers.Demo;

public sealed record DemoLogin(string Role, string Email, string Password);

/// <summary>
/// Seeds a small demo business into an empty database: a few hundred customers with varied, plausible
/// timelines over the past two years, and one login per role. Deterministic, so every demo looks the same.
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
    private static readonly string[] Categories = ["bed_bath_table", "health_beauty", "sports_leisure", "furniture_decor", "computers_accessories", "housewares", "watches_gifts", "toys"];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Users.AnyAsync(ct) || await db.Profiles.AnyAsync(ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        var random = new Random(20261123);
        Guid? anaProfile = null;

        for (var n = 0; n < 300; n++)
        {
            var first = n == 0 ? "Ana" : FirstNames[random.Next(FirstNames.Length)];
            var last = n == 0 ? "Silva" : LastNames[random.Next(LastNames.Length)];
            var email = n == 0 ? "ana.silva@example.com" : $"{first}.{last}{n}@example.com".ToLowerInvariant();
            var created = now.AddDays(-random.Next(30, 730)).AddMinutes(-random.Next(1440));
            var profile = new CustomerProfile
            {
                Kind = ProfileKind.Known, FirstName = first, LastName = last, Email = email, CreatedAt = created, UpdatedAt = created,
                Phone = random.NextDouble() < 0.6 ? $"+3519{random.Next(10000000, 99999999)}" : null,
                Traits = $$"""{"tier":"{{(random.NextDouble() < 0.15 ? "gold" : random.NextDouble() < 0.4 ? "silver" : "standard")}}","city":"{{(new[] { "Lisbon", "Porto", "Berlin", "Madrid", "Paris", "Dublin" })[random.Next(6)]}}"}""",
            };
            profile.RefreshSearchText();
            db.Profiles.Add(profile);
            db.Identities.Add(new ProfileIdentity { ProfileId = profile.Id, Kind = IdentityKinds.Email, Value = email, Key = ProfileIdentity.KeyOf(IdentityKinds.Email, email), Verified = n % 3 == 0, CreatedAt = created });
            if (profile.Phone is { } phone)
                db.Identities.Add(new ProfileIdentity { ProfileId = profile.Id, Kind = IdentityKinds.Phone, Value = phone, Key = ProfileIdentity.KeyOf(IdentityKinds.Phone, phone), CreatedAt = created });
            foreach (var channel in new[] { "email", "sms" })
            {
                var granted = random.NextDouble() < 0.55;
                db.Consents.Add(new ConsentState { ProfileId = profile.Id, Channel = channel, Purpose = ConsentPurposes.Marketing, Granted = granted, UpdatedAt = created, Source = "signup" });
                db.ConsentChanges.Add(new ConsentChange { ProfileId = profile.Id, Channel = channel, Purpose = ConsentPurposes.Marketing, Granted = granted, At = created, Source = "signup" });
            }
            AddTimeline(profile, created, now, random, n == 0 ? 3.0 : 0.3 + random.NextDouble() * 1.7);
            if (n == 0) anaProfile = profile.Id;
            if (n % 50 == 49) await db.SaveChangesAsync(ct);
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();

        foreach (var login in Logins)
        {
            var user = new CentricUser
            {
                UserName = login.Email, Email = login.Email, EmailConfirmed = true, IsStaff = login.Role != Roles.Customer,
                DisplayName = login.Role == Roles.Customer ? "Ana Silva" : $"Demo {login.Role}", CreatedAt = now,
                ProfileId = login.Role == Roles.Customer ? anaProfile : null,
            };
            var result = await users.CreateAsync(user, login.Password);
            if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
            await users.AddToRoleAsync(user, login.Role);
        }
        return true;
    }

    /// <summary>A life with the business: visits, orders, emails, support, surveys; some customers drift away.</summary>
    private void AddTimeline(CustomerProfile profile, DateTime start, DateTime now, Random random, double intensity)
    {
        var churnAt = random.NextDouble() < 0.3 ? start.AddDays(random.Next(30, Math.Max(31, (int)(now - start).TotalDays))) : now;
        var t = start;
        var orders = 0;
        Add(profile, "account_registered", "web", t, new { });
        while (true)
        {
            t = t.AddHours(random.Next(6, 24 * 20) / intensity);
            if (t >= churnAt || t >= now) break;
            var roll = random.NextDouble();
            var category = Categories[random.Next(Categories.Length)];
            if (roll < 0.35)
            {
                Add(profile, "product_viewed", random.NextDouble() < 0.6 ? "web" : "mobile", t, new { productId = $"P{random.Next(1000, 9999)}", category });
            }
            else if (roll < 0.45)
            {
                Add(profile, "cart_item_added", "web", t, new { sku = $"SKU-{random.Next(100, 999)}", category, price = Math.Round(5 + random.NextDouble() * 120, 2), currency = "EUR" });
            }
            else if (roll < 0.58)
            {
                orders++;
                var total = Math.Round(15 + random.NextDouble() * 240, 2);
                var number = $"CO-{random.Next(100000, 999999)}";
                Add(profile, "order_placed", "web", t, new { orderNumber = number, total, currency = "EUR", items = random.Next(1, 5), categories = new[] { category } }, "order", number);
                Add(profile, "order_delivered", "web", t.AddDays(random.Next(1, 6)), new { orderNumber = number }, "order", number);
            }
            else if (roll < 0.75)
            {
                var campaign = $"C{random.Next(1, 40):000}";
                Add(profile, "email_sent", "email", t, new { campaignId = campaign });
                if (random.NextDouble() < 0.45) Add(profile, "email_opened", "email", t.AddHours(random.Next(1, 48)), new { campaignId = campaign });
            }
            else if (roll < 0.84)
            {
                var channel = new[] { "email", "chat", "phone", "sms" }[random.Next(4)];
                var ticket = $"T-{random.Next(10000, 99999)}";
                Add(profile, "ticket_created", channel, t, new { ticketId = ticket, priority = random.NextDouble() < 0.2 ? "high" : "normal" }, "ticket", ticket);
                Add(profile, "ticket_solved", channel, t.AddHours(random.Next(1, 72)), new { ticketId = ticket }, "ticket", ticket);
            }
            else if (roll < 0.9 && orders > 0)
            {
                Add(profile, "survey_answered", "web", t, new { survey = "nps", score = random.Next(0, 11) });
            }
            else if (roll < 0.95)
            {
                Add(profile, "loyalty_points_earned", "web", t, new { points = random.Next(10, 300) });
            }
            else
            {
                Add(profile, "page_viewed", "web", t, new { path = "/help" });
            }
        }
    }

    private void Add(CustomerProfile profile, string type, string channel, DateTime at, object properties, string? sourceKind = null, string? sourceId = null)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (at > now) at = now;
        var interaction = new Interaction
        {
            ProfileId = profile.Id, EventId = "demo:" + Guid.CreateVersion7().ToString("N"), Type = type, Channel = channel,
            OccurredAt = at, ReceivedAt = at, Properties = System.Text.Json.JsonSerializer.Serialize(properties, System.Text.Json.JsonSerializerOptions.Web),
            SourceKind = sourceKind, SourceId = sourceId,
        };
        InteractionLog.Add(db, interaction);
        profile.FirstSeenAt = profile.FirstSeenAt is { } f && f < at ? f : at;
        profile.LastSeenAt = profile.LastSeenAt is { } l && l > at ? l : at;
        profile.InteractionCount++;
    }
}
