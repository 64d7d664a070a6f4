using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Tests.Insights;

/// <summary>A small hand-built shop: customers who keep ordering and customers who stopped, written onto the timeline.</summary>
internal static class InsightsData
{
    /// <summary>
    /// <paramref name="loyal"/> customers ordering every 20 days up to a few days ago, and <paramref name="lapsed"/> who
    /// ordered every 20 days until 200 days ago. Returns their profile ids.
    /// </summary>
    public static async Task<(List<Guid> Loyal, List<Guid> Lapsed)> SeedAsync(IServiceProvider s, DateTime now, int loyal, int lapsed)
    {
        var db = s.GetRequiredService<CentricDbContext>();
        var directory = s.GetRequiredService<ProfileDirectory>();
        var log = s.GetRequiredService<InteractionLog>();
        var product = Guid.NewGuid();
        (List<Guid>, List<Guid>) result = ([], []);
        for (var i = 0; i < loyal + lapsed; i++)
        {
            var isLoyal = i < loyal;
            var profile = directory.Create(ProfileKind.Known);
            (isLoyal ? result.Item1 : result.Item2).Add(profile.Id);
            var last = isLoyal ? 3 + i % 5 : 200 + i % 7;
            for (var ago = 420 + i % 11; ago >= last; ago -= 20)
            {
                var total = 20m + i % 9 * 5;
                log.Append(db, profile.Id, InteractionTypes.OrderPlaced, "web",
                    new OrderPlacedProperties(Guid.NewGuid(), "T-" + i + "-" + ago, total, "EUR", "standard", null,
                        [new OrderedItem(i % 3 == 0 ? product : Guid.NewGuid(), "SKU", "cat", 1, total)], ["cat"]),
                    occurredAt: now.AddDays(-ago));
            }
        }
        await db.SaveChangesAsync();
        return result;
    }
}
