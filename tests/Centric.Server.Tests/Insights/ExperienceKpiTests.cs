using System.Net;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Scores;
using Centric.Server.Insights.Sentiment;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Insights;

/// <summary>The value stream's KPIs beyond order counts, against figures worked out by hand on a small week of trade.</summary>
public abstract class ExperienceKpiTests(string provider)
{
    private static DateTime Day(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task Cycle_time_conversion_feedback_channels_cross_sell_and_churn_match_the_hand_computed_figures()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            var (a, b, c) = (directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id);
            Guid Order(Guid who, DateTime at, string channel, params (string Category, decimal Price)[] lines)
            {
                var id = Guid.NewGuid();
                log.Append(db, who, InteractionTypes.OrderPlaced, channel, new OrderPlacedProperties(id, "K-" + id.ToString("N")[..6], lines.Sum(l => l.Price), "EUR", "standard", null,
                    [.. lines.Select(l => new OrderedItem(Guid.NewGuid(), "SKU-" + l.Category, l.Category, 1, l.Price))], [.. lines.Select(l => l.Category)]), occurredAt: at);
                return id;
            }
            void Delivered(Guid who, Guid order, DateTime at) =>
                log.Append(db, who, InteractionTypes.OrderStatusChanged, "web", new OrderStatusChangedProperties(order, "K", "OutForDelivery", "Delivered"), occurredAt: at);
            void Viewed(Guid who, string channel, int day = 2) =>
                log.Append(db, who, InteractionTypes.ProductViewed, channel, new ProductViewedProperties(Guid.NewGuid(), "tea", 10m, "EUR"), occurredAt: Day(11, day, 9));
            // A bought tea before the range, then tea and cups in it (the cups are cross-sell); B is new, on the phone.
            Order(a, Day(10, 28), "web", ("tea", 10m));
            var o2 = Order(a, Day(11, 2), "web", ("tea", 20m), ("cups", 30m));
            var o3 = Order(b, Day(11, 3), "phone", ("tea", 40m));
            Delivered(a, o2, Day(11, 4));    // 2 days
            Delivered(b, o3, Day(11, 6));    // 3 days
            // Visits: A twice on the 2nd (one visit) and again on the 5th; B on the web and C in the app on the 2nd.
            Viewed(a, "web"); Viewed(a, "web"); Viewed(a, "web", day: 5); Viewed(b, "web"); Viewed(c, "app");
            db.TextSentiments.Add(new TextSentiment { InteractionId = Guid.NewGuid(), ProfileId = a, OccurredAt = Day(11, 3), Source = "message", Channel = "email", Score = -0.5, Label = "negative", Scorer = "lexicon" });
            db.TextSentiments.Add(new TextSentiment { InteractionId = Guid.NewGuid(), ProfileId = b, OccurredAt = Day(11, 4), Source = "review", Channel = "web", Score = 0.9, Label = "positive", Scorer = "lexicon" });
            var now = app.Clock.GetUtcNow().UtcDateTime;
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = a, Clv12m = 100, ScoredAt = now });
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = b, Clv12m = 50, ScoredAt = now });
            await db.SaveChangesAsync();
        }
        await app.DispatchAsync("insights.kpi-rollups");

        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        async Task<Dictionary<string, (double? Value, double? Previous, string Group, string Unit)>> KpisAsync(string query)
        {
            var response = await reader.GetAsync("/api/v1/insights/kpis?" + query);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            static double? N(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
            return (await response.ReadJsonAsync()).GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("id").GetString()!,
                k => (N(k.GetProperty("value")), N(k.GetProperty("previous")), k.GetProperty("group").GetString()!, k.GetProperty("unit").GetString()!));
        }
        var all = await KpisAsync("from=2026-11-01&to=2026-11-08");
        Assert.Equal((2.5, (double?)null, "run", "days"), all["order_cycle_time"]);
        Assert.Equal(0.5, all["conversion_rate"].Value);      // 2 orders, 4 visits (A on two days, B, C)
        Assert.Equal((2.0, 0.2), (all["feedback_volume"].Value, all["feedback_sentiment"].Value));
        Assert.Equal(30.0, all["cross_sell_revenue"].Value);
        Assert.Equal((0.0, (double?)null), (all["churn_rate"].Value, all["churn_rate"].Previous));   // A came back; nobody before A
        Assert.Equal(0.5, all["digital_adoption"].Value);      // the web order of two orders and no tickets
        Assert.Equal((75.0, (double?)null, "grow", "EUR"), all["average_clv"]);
        Assert.Equal(0.0, all["ticket_volume"].Value);
        Assert.Null(all["first_contact_resolution"].Value);   // nothing to measure: null, never 0
        Assert.Null(all["nps"].Value);                         // comes with NPS surveys
        Assert.Null(all["customer_effort_score"].Value);
        Assert.Equal(0.0, all["cost_of_acquisition"].Value);  // no message cost for one new customer (B)

        await AssertDaysAddUpAsync(app);

        // On one channel only the KPIs that split by channel are measured.
        var web = await KpisAsync("from=2026-11-01&to=2026-11-08&channel=web");
        Assert.Equal(2.0, web["order_cycle_time"].Value);
        Assert.Equal(0.3333, web["conversion_rate"].Value);    // A's order; A (two days) and B visited on the web
        Assert.Equal(1.0, web["feedback_volume"].Value);
        Assert.False(web.ContainsKey("ticket_volume"));
        Assert.False(web.ContainsKey("average_clv"));
    }
    [SkippableFact]
    public async Task Visits_first_orders_and_cross_sell_are_made_from_history_and_follow_a_merge()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        Guid a, b;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            (a, b) = (directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id);
            void Order(Guid who, DateTime at, string category, decimal price)
            {
                var id = Guid.NewGuid();
                log.Append(db, who, InteractionTypes.OrderPlaced, "web", new OrderPlacedProperties(id, "K-" + id.ToString("N")[..6], price, "EUR", "standard", null,
                    [new OrderedItem(Guid.NewGuid(), "SKU-" + category, category, 1, price)], [category]), occurredAt: at);
            }
            void Viewed(Guid who, int day) =>
                log.Append(db, who, InteractionTypes.ProductViewed, "web", new ProductViewedProperties(Guid.NewGuid(), "tea", 10m, "EUR"), occurredAt: Day(11, day, 9));
            // B (later the same person as A) first ordered tea in October; A orders cups, then tea, in the range.
            Order(b, Day(10, 20), "tea", 10m);
            Order(a, Day(11, 2), "cups", 30m);
            Order(a, Day(11, 3), "tea", 20m);
            Viewed(a, 2); Viewed(b, 2); Viewed(b, 3);
            await db.SaveChangesAsync();
        }
        // Views the stream still holds are left to the subscriber.
        Assert.Equal(0, await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpVisitsAsync(db, default)));
        // As on a database filled before the rollups existed, its stream since pruned of the oldest view: the views are made
        // into visits in one statement, once.
        await app.WithDbAsync(async db =>
        {
            var oldest = await db.Interactions.Where(i => i.Type == InteractionTypes.ProductViewed.Name).OrderBy(i => i.OccurredAt).Select(i => i.Id).FirstAsync();
            return await db.Outbox.Where(m => m.InteractionId == oldest).ExecuteDeleteAsync();
        });
        Assert.Equal(3, await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpVisitsAsync(db, default)));
        Assert.Equal(0, await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpVisitsAsync(db, default)));
        await app.DispatchAsync("insights.kpi-rollups");   // the subscriber meeting the same views adds nothing

        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        async Task<Dictionary<string, double?>> KpisAsync()
        {
            var response = await reader.GetAsync("/api/v1/insights/kpis?from=2026-11-01&to=2026-11-08");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return (await response.ReadJsonAsync()).GetProperty("kpis").EnumerateArray().ToDictionary(k => k.GetProperty("id").GetString()!,
                k => k.GetProperty("value").ValueKind == JsonValueKind.Null ? null : (double?)k.GetProperty("value").GetDouble());
        }
        async Task<double> ActiveAsync()
        {
            var response = await reader.GetAsync("/api/v1/insights/kpis?from=2026-10-01&to=2026-11-08");
            return (await response.ReadJsonAsync()).GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "active_customers")
                .GetProperty("value").GetDouble();
        }
        var apart = await KpisAsync();
        Assert.Equal(2.0, await ActiveAsync());   // A and B both ordered in October and November
        Assert.Equal(1.0, apart["new_customers"]);          // A's first order is in the range
        Assert.Equal(20.0, apart["cross_sell_revenue"]);    // A's tea: A had bought cups before, never tea
        Assert.Equal(0.6667, apart["conversion_rate"]);     // 2 orders, 3 visits

        // A and B turn out to be one person: the first order is B's, so nobody is new; tea was bought before, cups were not.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var (survivor, merged) = (await db.Profiles.SingleAsync(p => p.Id == a), await db.Profiles.SingleAsync(p => p.Id == b));
            await directory.MergeAsync(survivor, merged, "same person", default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        var together = await KpisAsync();
        Assert.Equal(1.0, await ActiveAsync());
        Assert.Equal(0.0, together["new_customers"]);
        Assert.Equal(30.0, together["cross_sell_revenue"]);
        Assert.Equal(1.0, together["conversion_rate"]);     // A's and B's visits on the 2nd are one visit now: 2 orders, 2 visits
        await AssertDaysAddUpAsync(app);
    }

    /// <summary>
    /// The day rows and the customer-day sets kept along the way are exactly what the facts add up to (a rebuild from them
    /// changes nothing).
    /// </summary>
    private static async Task AssertDaysAddUpAsync(ManualClockApp app)
    {
        Task<List<string>> SetsAsync() => app.WithDbAsync(async db => (await db.CustomerDays.AsNoTracking().ToListAsync())
            .OrderBy(d => d.Day).ThenBy(d => d.Channel, StringComparer.Ordinal)
            .Select(d => $"{d.Day:yyyy-MM-dd} {d.Channel}: {string.Join(",", Centric.Server.Insights.Kpis.CustomerDays.Decode(d.Customers).Distinct().Order())}")
            .ToList());
        var sets = await SetsAsync();
        Assert.NotEmpty(sets);
        Assert.True(await app.WithDbAsync(db => Centric.Server.Insights.Kpis.CustomerDays.UpToDateAsync(db, default)));
        // As a database from before the sets: they are missing, said so, and made from the facts.
        await app.WithDbAsync(db => db.CustomerDays.ExecuteDeleteAsync());
        Assert.False(await app.WithDbAsync(db => Centric.Server.Insights.Kpis.CustomerDays.UpToDateAsync(db, default)));
        await app.WithDbAsync(db => Centric.Server.Insights.Kpis.CustomerDays.RebuildAsync(db, default));
        Assert.Equal(await SetsAsync(), sets);

        Task<List<string>> DaysAsync() => app.WithDbAsync(db => db.KpiDays.AsNoTracking().OrderBy(d => d.Day).ThenBy(d => d.Channel)
            .Select(d => $"{d.Day:yyyy-MM-dd} {d.Channel}: {d.Orders} orders, {d.ValueMinor} value, {d.TakenBackMinor} back, {d.Visits} visits, {d.CrossSellMinor} cross-sell")
            .ToListAsync());
        var kept = (await DaysAsync()).Where(d => !d.EndsWith(": 0 orders, 0 value, 0 back, 0 visits, 0 cross-sell", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(kept);
        Assert.True(await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiDays.AddUpAsync(db, default)));
        await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiDays.RebuildAsync(db, default));
        Assert.Equal(await DaysAsync(), kept);
    }
}

public sealed class ExperienceKpisOnSqlite() : ExperienceKpiTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class ExperienceKpisOnPostgres() : ExperienceKpiTests("postgres");
