using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Tests.Insights;

/// <summary>A small hand-built shop: customers who keep ordering and customers who stopped, written onto the timeline.</summary>
internal static class InsightsData
{
    /// <summary>
    /// <paramref name="loyal"/> customers ordering (every 12 to 44 days on average) up to a few days ago, and
    /// <paramref name="lapsed"/> who stopped about 200 days ago. Returns their profile ids. With <paramref name="fixedIds"/>
    /// the profile ids are the same every run, and so is the hold-out slice the trainers pick by id.
    /// </summary>
    public static async Task<(List<Guid> Loyal, List<Guid> Lapsed)> SeedAsync(IServiceProvider s, DateTime now, int loyal, int lapsed, bool fixedIds = false)
    {
        var db = s.GetRequiredService<CentricDbContext>();
        var directory = s.GetRequiredService<ProfileDirectory>();
        var log = s.GetRequiredService<InteractionLog>();
        var product = Guid.NewGuid();
        (List<Guid>, List<Guid>) result = ([], []);
        for (var i = 0; i < loyal + lapsed; i++)
        {
            var isLoyal = i < loyal;
            var profile = fixedIds ? FixedProfile(db, now, 1000 + i) : directory.Create(ProfileKind.Known);
            (isLoyal ? result.Item1 : result.Item2).Add(profile.Id);
            // Gaps between orders drawn at random around each customer's own pace (seeded: the same shop every run).
            var random = new Random(i);
            var pace = 12 + i % 5 * 8;
            var spend = 10 + i * 37 % 90;   // each customer's usual order value
            var last = isLoyal ? 3 + i % 5 : 200 + i % 7;
            for (var ago = 400.0 + i % 11; ago >= last; ago -= Math.Max(1, -pace * Math.Log(1 - random.NextDouble())))
            {
                // Values vary around it, gamma-distributed (shape 6: the sum of six exponential draws), as Gamma-Gamma expects.
                var total = Math.Round((decimal)(spend * Enumerable.Range(0, 6).Sum(_ => -Math.Log(1 - random.NextDouble())) / 6), 2);
                log.Append(db, profile.Id, InteractionTypes.OrderPlaced, "web",
                    new OrderPlacedProperties(Guid.NewGuid(), "T-" + i + "-" + (int)ago, total, "EUR", "standard", null,
                        [new OrderedItem(i % 3 == 0 ? product : Guid.NewGuid(), "SKU", "cat", 1, total)], ["cat"]),
                    occurredAt: now.AddDays(-ago));
            }
            // The last order exactly where the customer stopped (a few days ago, or about 200), whatever the draw.
            log.Append(db, profile.Id, InteractionTypes.OrderPlaced, "web",
                new OrderPlacedProperties(Guid.NewGuid(), "T-" + i + "-last", spend, "EUR", "standard", null, [new OrderedItem(product, "SKU", "cat", 1, spend)], ["cat"]),
                occurredAt: now.AddDays(-last + 0.5));
        }
        await db.SaveChangesAsync();
        return result;
    }

    private static CustomerProfile FixedProfile(CentricDbContext db, DateTime now, int seed)
    {
        var id = new byte[16];
        new Random(seed).NextBytes(id);
        var profile = new CustomerProfile { Id = new Guid(id), Kind = ProfileKind.Known, CreatedAt = now, UpdatedAt = now };
        db.Profiles.Add(profile);
        return profile;
    }
}
