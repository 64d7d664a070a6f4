using System.Net;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Scores;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Insights;

/// <summary>The scores on each profile, from a small hand-built shop, and who may see them over the API.</summary>
public abstract class ProfileScoreTests(string provider)
{
    /// <summary>The customers the console's list shows for this query, in its order.</summary>
    private static async Task<List<Guid>> ListedAsync(HttpClient staff, string query)
    {
        var response = await staff.GetAsync("/console/customers?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        return System.Text.RegularExpressions.Regex.Matches(html, "href=\"console/customers/([0-9a-f-]{36})\"")
            .Select(m => Guid.Parse(m.Groups[1].Value)).ToList();
    }

    [SkippableFact]
    public async Task A_customer_who_keeps_ordering_scores_lower_churn_risk_and_higher_p_alive_than_one_who_stopped()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        List<Guid> loyal, lapsed;
        await using (var scope = app.Services.CreateAsyncScope())
            (loyal, lapsed) = await InsightsData.SeedAsync(scope.ServiceProvider, now, loyal: 40, lapsed: 40);

        foreach (var kind in new[] { "churn", "clv" })
        {
            var trained = await app.RunCliAsync("models", "train", "--kind", kind);
            Assert.True(trained.ExitCode == 0, trained.Error + trained.Output);
            Assert.True(trained.Output.Contains("Scored 80 customers in ", StringComparison.Ordinal), trained.Output);
        }

        var scores = await app.WithDbAsync(db => db.ProfileInsights.AsNoTracking().ToDictionaryAsync(p => p.ProfileId));
        Assert.Equal(80, scores.Count);
        foreach (var (l, g) in loyal.Zip(lapsed))
        {
            var (stays, left) = (scores[l], scores[g]);
            Assert.True(stays.ChurnRisk < left.ChurnRisk, $"churn risk {stays.ChurnRisk} (ordering) vs {left.ChurnRisk} (stopped)");
            Assert.True(stays.PAlive > left.PAlive, $"P(alive) {stays.PAlive} vs {left.PAlive}");
            Assert.True(stays.RfmRecency >= left.RfmRecency);   // quintiles of 80: the middle one holds both kinds
            Assert.InRange(left.ChurnRisk!.Value, 0, 1);
        }
        double MeanClv(List<Guid> ids) => ids.Average(id => scores[id].Clv12m!.Value);
        Assert.True(MeanClv(loyal) > 3 * MeanClv(lapsed), $"mean CLV {MeanClv(loyal)} (ordering) vs {MeanClv(lapsed)} (stopped)");
        Assert.True(loyal.Average(id => scores[id].RfmRecency!.Value) > lapsed.Average(id => scores[id].RfmRecency!.Value) + 2);
        var stopped = scores[lapsed[0]];
        Assert.InRange(stopped.Reasons.Count, 1, 3);
        Assert.Contains(stopped.Reasons, r => r.StartsWith("No order for ", StringComparison.Ordinal));
        Assert.Equal((1, 1), (stopped.ChurnModelVersion, stopped.ClvModelVersion));
        Assert.Equal("clv", stopped.DecileBy);
        // A high churn risk is a material change: it is on the customer's timeline.
        Assert.True(stopped.ChurnRisk >= 0.7, $"churn risk {stopped.ChurnRisk}");
        async Task<List<ChurnRiskChangedProperties>> RiskChanges(Guid id) => (await app.WithDbAsync(db => db.Interactions.AsNoTracking()
                .Where(i => i.ProfileId == id && i.Type == InteractionTypes.ChurnRiskChanged.Name).OrderBy(i => i.ReceivedAt).Select(i => i.Properties).ToListAsync()))
            .Select(p => InteractionTypes.ChurnRiskChanged.Read(p)!).ToList();
        var raised = Assert.Single(await RiskChanges(lapsed[0]));
        Assert.True(raised.High);
        Assert.Null(raised.Previous);
        Assert.Equal(stopped.Reasons, raised.Reasons);
        Assert.Empty(await RiskChanges(loyal[0]));   // a low risk is no news

        // The console's customer list filters and ranks by the scores, across all customers, not just the page shown.
        using (var staff = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Admin, withMfa: true))
        {
            var byRisk = await ListedAsync(staff, "order=risk");
            Assert.Equal(25, byRisk.Count);
            Assert.Equal(scores.Values.Max(s => s.ChurnRisk), scores[byRisk[0]].ChurnRisk);
            Assert.Equal(byRisk.Select(id => scores[id].ChurnRisk).OrderByDescending(r => r), byRisk.Select(id => scores[id].ChurnRisk));
            var highRisk = await ListedAsync(staff, "risk=high&order=risk");
            Assert.Equal(Math.Min(25, scores.Values.Count(s => s.ChurnRisk >= 0.7)), highRisk.Count);
            Assert.All(highRisk, id => Assert.True(scores[id].ChurnRisk >= 0.7));
            var topDecile = await ListedAsync(staff, "decile=1&order=value");
            Assert.Equal(scores.Values.Count(s => s.Decile == 1), topDecile.Count);
            Assert.All(topDecile, id => Assert.Equal(1, scores[id].Decile));
            Assert.Equal(topDecile.Select(id => scores[id].Clv12m).OrderByDescending(v => v), topDecile.Select(id => scores[id].Clv12m));
            // Out-of-range filters are ignored rather than refused: a hand-edited address still gets the list.
            Assert.Equal(HttpStatusCode.OK, (await staff.GetAsync("/console/customers?decile=11&risk=maybe&order=sideways&page=x")).StatusCode);
        }

        // The customer orders again: the order_placed subscriber scores them at once, and the risk falls.
        await app.DispatchAsync("insights.order-scores");   // the subscriber starts at the end of the stream
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            log.Append(db, lapsed[0], InteractionTypes.OrderPlaced, "web",
                new OrderPlacedProperties(Guid.NewGuid(), "T-again", 40m, "EUR", "standard", null, [new OrderedItem(Guid.NewGuid(), "SKU", "cat", 1, 40m)], ["cat"]));
            await db.SaveChangesAsync();
        }
        // On PostgreSQL the order becomes visible to the dispatcher once transactions begun before it have ended
        // (the app's own background work may hold one), so dispatch until the score moves.
        ProfileInsight rescored = stopped;
        await Json.EventuallyAsync(async () =>
        {
            await app.DispatchAsync("insights.order-scores");
            rescored = await app.WithDbAsync(db => db.ProfileInsights.AsNoTracking().SingleAsync(p => p.ProfileId == lapsed[0]));
            return rescored.ScoredAt > stopped.ScoredAt;
        }, "the order re-scores the customer");
        Assert.True(rescored.ChurnRisk < stopped.ChurnRisk, $"{rescored.ChurnRisk} after ordering, {stopped.ChurnRisk} before");
        Assert.True(rescored.PAlive > stopped.PAlive);
        Assert.Equal(stopped.Decile, rescored.Decile);   // relative scores move with the next full scoring
        var changes = await RiskChanges(lapsed[0]);
        Assert.Equal(2, changes.Count);   // and back below the threshold
        Assert.False(changes[1].High);
        Assert.Equal(Math.Round(stopped.ChurnRisk!.Value, 4), changes[1].Previous);
    }

    [SkippableFact]
    public async Task Value_deciles_and_rfm_follow_the_hand_computed_boundaries()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Insights:DecileBy", "revenue");
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var customers = new List<Guid>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            // 20 customers, one order each, worth 10, 20, … 200, placed 1 … 20 days ago (the biggest spender the longest ago).
            for (var k = 1; k <= 20; k++)
            {
                var profile = directory.Create(ProfileKind.Known);
                customers.Add(profile.Id);
                log.Append(db, profile.Id, InteractionTypes.OrderPlaced, "web",
                    new OrderPlacedProperties(Guid.NewGuid(), "D-" + k, 10m * k, "EUR", "standard", null, [], []), occurredAt: now.AddDays(-k));
            }
            await db.SaveChangesAsync();
            Assert.Equal(20, (await scope.ServiceProvider.GetRequiredService<ProfileScoring>().ScoreAllAsync(db, default)).Customers);
        }
        var scores = await app.WithDbAsync(db => db.ProfileInsights.AsNoTracking().ToDictionaryAsync(p => p.ProfileId));
        for (var k = 1; k <= 20; k++)
        {
            var s = scores[customers[k - 1]];
            // decile = 10 − ⌊10·w/n⌋ with w customers worth strictly less: 200 and 190 → 1, 180 and 170 → 2, … 20 and 10 → 10.
            Assert.Equal(10 - (k - 1) / 2, s.Decile);
            Assert.Equal("revenue", s.DecileBy);
            Assert.Equal(10.0 * k, s.Revenue, 6);
            // Everyone ordered once: one tie block, which takes the lowest frequency score.
            Assert.Equal(1, s.RfmFrequency);
            // Recency quintiles, 5 = most recent: 1–4 days ago → 5, … 17–20 days ago → 1. Monetary the other way round.
            Assert.Equal(5 - (k - 1) / 4, s.RfmRecency);
            Assert.Equal(1 + (k - 1) / 4, s.RfmMonetary);
            // No model trained yet: no churn risk, no lifetime value.
            Assert.Null(s.ChurnRisk);
            Assert.Null(s.Clv12m);
        }

        // The smallest spender places a big order: at the next scoring they move from decile 10 to 1, on their timeline.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            scope.ServiceProvider.GetRequiredService<InteractionLog>().Append(db, customers[0], InteractionTypes.OrderPlaced, "web",
                new OrderPlacedProperties(Guid.NewGuid(), "D-big", 1000m, "EUR", "standard", null, [], []));
            await db.SaveChangesAsync();
            await scope.ServiceProvider.GetRequiredService<ProfileScoring>().ScoreAllAsync(db, default);
        }
        var moves = await app.WithDbAsync(db => db.Interactions.AsNoTracking().Where(i => i.Type == InteractionTypes.ValueDecileChanged.Name)
            .Select(i => new { i.ProfileId, i.Properties }).ToListAsync());
        var moved = InteractionTypes.ValueDecileChanged.Read(Assert.Single(moves, m => m.ProfileId == customers[0]).Properties)!;
        Assert.Equal((10, 1, "revenue"), (moved.From, moved.To, moved.By));
        // 190 now has 17 of 20 customers below it, not 18: decile 10 − ⌊10·17/20⌋ = 2.
        Assert.Equal(2, InteractionTypes.ValueDecileChanged.Read(Assert.Single(moves, m => m.ProfileId == customers[18]).Properties)!.To);
    }

    [SkippableFact]
    public async Task A_full_scoring_keeps_the_newest_of_two_rows_and_records_each_material_change_once_with_its_outbox_row()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Insights:DecileBy", "revenue");
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var customers = new List<Guid>();
        Guid newer;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            // 10 customers, one order each, worth 10, 20, … 100: the smallest spender is in decile 10.
            for (var k = 1; k <= 10; k++)
            {
                var profile = directory.Create(ProfileKind.Known);
                customers.Add(profile.Id);
                log.Append(db, profile.Id, InteractionTypes.OrderPlaced, "web",
                    new OrderPlacedProperties(Guid.NewGuid(), "N-" + k, 10m * k, "EUR", "standard", null, [], []), occurredAt: now.AddDays(-k));
            }
            // The smallest spender holds two rows (a writer racing a merge): an older one in decile 3, a newer one in decile 5.
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = customers[0], Decile = 3, ScoredAt = now.AddDays(-2) });
            var row = new ProfileInsight { ProfileId = customers[0], Decile = 5, ScoredAt = now.AddDays(-1) };
            db.ProfileInsights.Add(row);
            newer = row.Id;
            await db.SaveChangesAsync();
            Assert.Equal(10, (await scope.ServiceProvider.GetRequiredService<ProfileScoring>().ScoreAllAsync(db, default)).Customers);
        }

        var kept = Assert.Single(await app.WithDbAsync(db => db.ProfileInsights.AsNoTracking().Where(p => p.ProfileId == customers[0]).ToListAsync()));
        Assert.Equal((newer, 10, 10.0, now), (kept.Id, kept.Decile, kept.Revenue, kept.ScoredAt));
        async Task<List<Centric.Server.Platform.Interactions.Interaction>> MovesAsync() => await app.WithDbAsync(db => db.Interactions.AsNoTracking()
            .Where(i => i.Type == InteractionTypes.ValueDecileChanged.Name && customers.Contains(i.ProfileId)).ToListAsync());
        // Only the customer who had a decile moved, from the newest row's decile; the move is on the stream like any interaction.
        var move = Assert.Single(await MovesAsync());
        Assert.Equal(customers[0], move.ProfileId);
        Assert.Equal((5, 10, "revenue"), InteractionTypes.ValueDecileChanged.Read(move.Properties) is { } p ? (p.From, p.To, p.By) : default);
        Assert.Equal((now, now, "insights", "decile"), (move.OccurredAt, move.ReceivedAt, move.SourceKind, move.SourceId));
        var outbox = Assert.Single(await app.WithDbAsync(db => db.Outbox.AsNoTracking().Where(m => m.InteractionId == move.Id).ToListAsync()));
        Assert.Equal((customers[0], move.Type), (outbox.ProfileId, outbox.Type));

        // The next scoring overwrites every row in place, and nothing moved, so nothing more is on the timeline.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<ProfileScoring>().ScoreAllAsync(scope.ServiceProvider.GetRequiredService<CentricDbContext>(), default);
        var rows = await app.WithDbAsync(db => db.ProfileInsights.AsNoTracking().Where(p => customers.Contains(p.ProfileId)).ToListAsync());
        Assert.Equal(10, rows.Count);
        Assert.All(rows, r => Assert.Equal(now.AddMinutes(1), r.ScoredAt));
        Assert.Equal(newer, rows.Single(r => r.ProfileId == customers[0]).Id);
        Assert.Equal(Enumerable.Range(1, 10).Reverse(), customers.Select(c => rows.Single(r => r.ProfileId == c).Decile!.Value));
        Assert.Single(await MovesAsync());
    }

    [SkippableFact]
    public async Task Histories_for_scoring_leave_browsing_out_but_start_tenure_at_the_first_view_and_keep_orders_in_time_order()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        Guid customer;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            customer = scope.ServiceProvider.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Known).Id;
            // Written newest first, so storage order is not time order.
            foreach (var days in new[] { 5, 40, 20 })
                log.Append(db, customer, InteractionTypes.OrderPlaced, "web",
                    new OrderPlacedProperties(Guid.NewGuid(), "H-" + days, days, "EUR", "standard", null, [], []), occurredAt: now.AddDays(-days));
            log.Append(db, customer, InteractionTypes.ProductViewed, "web", new ProductViewedProperties(Guid.NewGuid(), "cat", 5m, "EUR"), occurredAt: now.AddDays(-90));
            await db.SaveChangesAsync();
        }

        var read = await app.WithDbAsync(async db => (
            Scoring: (await Centric.Server.Insights.Models.CustomerHistories.ReadAsync(db, now.AddDays(-365), now, [customer], browsing: false, default))[customer],
            Training: (await Centric.Server.Insights.Models.CustomerHistories.ReadAsync(db, now.AddDays(-365), now, null, browsing: true, default))[customer]));
        foreach (var h in new[] { read.Scoring, read.Training })
        {
            Assert.Equal(now.AddDays(-90), h.FirstSeen);
            Assert.Equal([40.0, 20.0, 5.0], h.Orders.Select(o => o.Total));
        }
        Assert.Empty(read.Scoring.Browsing);
        Assert.Single(read.Training.Browsing);
    }

    [SkippableFact]
    public async Task The_customer_api_shows_insights_only_to_keys_that_may_read_them()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        List<Guid> loyal, lapsed;
        await using (var scope = app.Services.CreateAsyncScope())
            (loyal, lapsed) = await InsightsData.SeedAsync(scope.ServiceProvider, now, loyal: 30, lapsed: 30);
        Assert.Equal(0, (await app.RunCliAsync("models", "train", "--kind", "churn")).ExitCode);
        var customer = await ApiCustomer.SignInAsync(app);   // has no orders: not scored

        using var admin = app.AdminClient();
        var body = await (await admin.GetAsync($"/api/v1/customers/{lapsed[0]}")).ReadJsonAsync();
        var insights = body.GetProperty("insights");
        Assert.InRange(insights.GetProperty("churnRisk").GetDouble(), 0, 1);
        Assert.InRange(insights.GetProperty("churnReasons").GetArrayLength(), 1, 3);   // up to three: the features that raise the risk
        Assert.StartsWith("No order for ", insights.GetProperty("churnReasons")[0].GetString(), StringComparison.Ordinal);
        Assert.InRange(insights.GetProperty("decile").GetInt32(), 1, 10);
        Assert.InRange(insights.GetProperty("rfm").GetProperty("recency").GetInt32(), 1, 5);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, insights.GetProperty("clv12m").ValueKind);   // no lifetime value model yet
        Assert.True(insights.TryGetProperty("pAlive", out _) && insights.TryGetProperty("expectedPurchases12m", out _)
            && insights.TryGetProperty("sentiment", out _) && insights.TryGetProperty("scoredAt", out _));

        using var reader = app.ClientWithKey(await app.CreateKeyAsync("customers:read", "insights:read"));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, (await (await reader.GetAsync($"/api/v1/customers/{loyal[0]}")).ReadJsonAsync()).GetProperty("insights").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await (await reader.GetAsync($"/api/v1/customers/{customer.Profile}")).ReadJsonAsync()).GetProperty("insights").ValueKind);

        using var plain = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        var withoutScope = await plain.GetAsync($"/api/v1/customers/{loyal[0]}");
        Assert.Equal(HttpStatusCode.OK, withoutScope.StatusCode);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, (await withoutScope.ReadJsonAsync()).GetProperty("insights").ValueKind);

        using var insightsOnly = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await insightsOnly.GetAsync($"/api/v1/customers/{loyal[0]}")).StatusCode);

        // A customer's token opens neither the staff API nor any score on their own profile.
        Assert.True((await customer.Client.GetAsync($"/api/v1/customers/{customer.Profile}")).StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden);
        var me = await customer.Client.GetStringAsync("/api/v1/me");
        Assert.DoesNotContain("churn", me, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("clv", me, StringComparison.OrdinalIgnoreCase);
    }

    [SkippableFact]
    public async Task A_persons_export_carries_their_scores_and_erasure_removes_them()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        List<Guid> lapsed;
        await using (var scope = app.Services.CreateAsyncScope())
            (_, lapsed) = await InsightsData.SeedAsync(scope.ServiceProvider, now, loyal: 30, lapsed: 30);
        Assert.Equal(0, (await app.RunCliAsync("models", "train", "--kind", "churn")).ExitCode);

        await using var s = app.Services.CreateAsyncScope();
        var privacy = s.ServiceProvider.GetRequiredService<Centric.Server.Customers.Privacy.PrivacyService>();
        var scores = (await privacy.ExportAsync(lapsed[0], default))!["insights"]!["scores"]!;
        Assert.InRange(scores["churnRisk"]!.GetValue<double>(), 0, 1);
        Assert.StartsWith("No order for ", scores["churnReasons"]!.AsArray()[0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(scores["valueDecile"]!.GetValue<int>(), 1, 10);
        Assert.Equal(1, scores["churnModelVersion"]!.GetValue<int>());

        await privacy.EraseAsync(lapsed[0], default);
        Assert.False(await app.WithDbAsync(db => db.ProfileInsights.AnyAsync(p => p.ProfileId == lapsed[0])));
        Assert.Null((await privacy.ExportAsync(lapsed[0], default))?["insights"]);
    }
}

public sealed class ProfileScoresOnSqlite() : ProfileScoreTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class ProfileScoresOnPostgres() : ProfileScoreTests("postgres");
