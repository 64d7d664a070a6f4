using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Journeys;
using Centric.Server.Insights.Scores;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace Centric.Server.Tests.Engagement;

/// <summary>
/// Journeys walked on a manual clock: waits, a wait for an interaction with its timeout, the goal, re-entry, the holdout, the
/// frequency cap, quiet hours in three time zones, consent withdrawn while waiting, date triggers, tasks and tags, two runners
/// racing for the same due walks, and the API's answers to bad definitions.
/// </summary>
public abstract class JourneyTests(string provider)
{
    private static ManualClockApp NewApp(string provider, int quietStart = 0, int quietEnd = 0, int cap = 3)
    {
        var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false");
        app.With("Engagement:QuietHoursStart", quietStart.ToString());
        app.With("Engagement:QuietHoursEnd", quietEnd.ToString());
        app.With("Engagement:FrequencyCap", cap.ToString());
        return app;
    }

    private static async Task<Guid> PersonAsync(ManualClockApp app, string first, string? traits = null, bool marketing = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var p = scope.ServiceProvider.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Known);
        (p.FirstName, p.Email, p.Traits) = (first, first.ToLowerInvariant() + "@example.com", traits ?? "{}");
        db.Consents.Add(new ConsentState { ProfileId = p.Id, Channel = "email", Purpose = "marketing", Granted = marketing, UpdatedAt = app.Clock.GetUtcNow().UtcDateTime, Source = "test" });
        await db.SaveChangesAsync();
        return p.Id;
    }

    private static async Task<Guid> PublishAsync(ManualClockApp app, string name, object definition)
    {
        using var api = app.ClientWithKey(await app.CreateKeyAsync("journeys:read", "journeys:write"));
        var created = await api.PostAsJsonAsync("/api/v1/journeys", new { name, definition });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        var published = await api.PostAsync($"/api/v1/journeys/{id}/publish", null);
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        Assert.Equal("live", (await published.ReadJsonAsync()).GetProperty("status").GetString());
        return id;
    }

    private static Task<int> Emit<T>(ManualClockApp app, Guid who, InteractionType<T> type, T properties) where T : class =>
        app.WithDbAsync(async db =>
        {
            new InteractionLog(app.Clock).Append(db, who, type, "web", properties);
            return await db.SaveChangesAsync();
        });

    private static Task<int> CartAsync(ManualClockApp app, Guid who) =>
        Emit(app, who, InteractionTypes.CartItemAdded, new CartItemAddedProperties(Guid.NewGuid(), "MUG-1", "Kitchen", 1, 12m, "EUR"));

    private static Task<int> OrderAsync(ManualClockApp app, Guid who) =>
        Emit(app, who, InteractionTypes.OrderPlaced, new OrderPlacedProperties(Guid.NewGuid(), "CO-1", 12m, "EUR", "standard", null, [], ["Kitchen"]));

    private static Task DispatchAsync(ManualClockApp app) => app.DispatchAsync("engagement.journeys");

    private static Task<int> RunDueAsync(ManualClockApp app) =>
        JourneyRunner.RunDueAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), NullLogger.Instance, CancellationToken.None);

    private static Task<List<string>> SubjectsAsync(ManualClockApp app, Guid who) =>
        app.WithDbAsync(db => db.EngagementMessages.Where(m => m.ProfileId == who).OrderBy(m => m.CreatedAt).ThenBy(m => m.Id).Select(m => m.Subject).ToListAsync());

    private static Task<List<JourneyRun>> RunsAsync(ManualClockApp app, Guid journey) =>
        app.WithDbAsync(db => db.JourneyRuns.AsNoTracking().Where(r => r.JourneyId == journey).OrderBy(r => r.EnteredAt).ThenBy(r => r.Id).ToListAsync());

    private static object Send(string id, string subject, string purpose = "marketing", string channel = "email") =>
        new { id, kind = "send", channel, purpose, subject, body = "Hello " + subject };

    [SkippableFact]
    public async Task A_walk_waits_times_out_converts_on_the_goal_and_enters_again_after_it_ended()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        await DispatchAsync(app);   // the subscriber starts at the end of the stream: from here
        var ana = await PersonAsync(app, "Ana");
        var journey = await PublishAsync(app, "Cart reminder", new
        {
            trigger = new { on = "interaction", type = "cart_item_added" },
            goal = new { type = "order_placed" },
            steps = new object[]
            {
                new { id = "hour", kind = "wait", hours = 1 },
                Send("first", "Your cart"),
                new { id = "order", kind = "wait_for", @event = new { type = "order_placed" }, hours = 24, timeout = "late" },
                new { id = "gone", kind = "exit" },
                Send("late", "Still there"),
            },
        });

        await CartAsync(app, ana);
        await DispatchAsync(app);
        await DispatchAsync(app);   // handed over again: still one walk
        var run = Assert.Single(await RunsAsync(app, journey));
        Assert.Equal(JourneyRunStatus.Active, run.Status);
        Assert.Equal("first", run.StepId);
        Assert.Empty(await SubjectsAsync(app, ana));

        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await RunDueAsync(app);
        Assert.Empty(await SubjectsAsync(app, ana));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await RunDueAsync(app);
        Assert.Equal(["Your cart"], await SubjectsAsync(app, ana));
        Assert.Equal(JourneyRunStatus.Waiting, (await RunsAsync(app, journey))[0].Status);

        // No order within a day: the timeout branch sends the second reminder and the walk is complete.
        app.Clock.Advance(TimeSpan.FromHours(25));
        await RunDueAsync(app);
        await RunDueAsync(app);
        Assert.Equal(["Your cart", "Still there"], await SubjectsAsync(app, ana));
        Assert.Equal(JourneyRunStatus.Completed, (await RunsAsync(app, journey))[0].Status);

        // A new cart brings her in again (the last walk ended); her order is the goal: out at once, converted, nothing more sent.
        await CartAsync(app, ana);
        await DispatchAsync(app);
        Assert.Equal(2, (await RunsAsync(app, journey)).Count);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await OrderAsync(app, ana);
        await DispatchAsync(app);
        var second = (await RunsAsync(app, journey))[1];
        Assert.Equal(JourneyRunStatus.Goal, second.Status);
        // Begun and ended by the stream, one save each: the second raised its revision, so a runner holding the walk as it was fails.
        Assert.Equal(1, second.Revision);
        Assert.NotNull(second.ConvertedAt);
        Assert.NotNull((await RunsAsync(app, journey))[0].ConvertedAt);
        app.Clock.Advance(TimeSpan.FromHours(2));
        await RunDueAsync(app);
        Assert.Equal(2, (await SubjectsAsync(app, ana)).Count);

        var entered = await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == ana && i.Type == InteractionTypes.JourneyEntered.Name));
        var exited = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == ana && i.Type == InteractionTypes.JourneyExited.Name).Select(i => i.Properties).ToListAsync());
        Assert.Equal(2, entered);
        Assert.Equal(["completed", "goal"], exited.Select(p => InteractionTypes.JourneyExited.Read(p)!.Outcome));

        using var api = app.ClientWithKey(await app.CreateKeyAsync("journeys:read"));
        var report = await (await api.GetAsync($"/api/v1/journeys/{journey}/report")).ReadJsonAsync();
        Assert.Equal(2, report.GetProperty("entered").GetInt32());
        Assert.Equal(1, report.GetProperty("exitedByGoal").GetInt32());
        // The order also converts the first, completed walk: it came within that walk's 7-day conversion window.
        Assert.Equal(2, report.GetProperty("converted").GetInt32());
        var first = report.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("stepId").GetString() == "first");
        Assert.Equal(1, first.GetProperty("sent").GetInt32());
        Assert.Equal(1, first.GetProperty("outcomes").GetProperty("sent").GetInt32());
    }

    [SkippableFact]
    public async Task The_holdout_is_never_messaged_the_cap_holds_and_consent_is_checked_when_sending()
    {
        await using var app = NewApp(provider, cap: 2);
        app.SkipIfUnavailable();
        await DispatchAsync(app);
        var people = new List<Guid>();
        for (var i = 0; i < 24; i++) people.Add(await PersonAsync(app, "P" + i));
        var ben = await PersonAsync(app, "Ben");
        var journey = await PublishAsync(app, "Split test", new
        {
            trigger = new { on = "interaction", type = "cart_item_added" },
            goal = new { type = "order_placed" },
            steps = new object[]
            {
                new { id = "split", kind = "split", arms = new object[] { new { name = "A", percent = 50 }, new { name = "holdout", percent = 50, holdout = true } } },
                new { id = "wait", kind = "wait", hours = 1 },
                Send("one", "One"), Send("two", "Two"), Send("three", "Three"),
            },
        });
        foreach (var p in people.Append(ben)) await CartAsync(app, p);
        await DispatchAsync(app);

        // Ben says no to marketing email while he waits: checked at the moment of sending, nothing goes.
        await app.WithDbAsync(async db =>
        {
            var consent = await db.Consents.SingleAsync(c => c.ProfileId == ben);
            consent.Granted = false;
            return await db.SaveChangesAsync();
        });
        app.Clock.Advance(TimeSpan.FromHours(2));
        while (await RunDueAsync(app) > 0) { }

        var runs = await RunsAsync(app, journey);
        var messages = await app.WithDbAsync(db => db.EngagementMessages.ToListAsync());
        var held = runs.Where(r => r.Arm == "holdout").Select(r => r.ProfileId).ToHashSet();
        var armA = runs.Where(r => r.Arm == "A").Select(r => r.ProfileId).ToHashSet();
        Assert.NotEmpty(held);
        Assert.NotEmpty(armA);
        Assert.DoesNotContain(messages, m => held.Contains(m.ProfileId));
        // Two of three marketing emails per customer (the cap), none for Ben if he is in arm A. (All three steps run at the same
        // moment of the manual clock, so the rows are compared as a set.)
        foreach (var p in armA.Where(p => p != ben))
            Assert.Equal(["One", "Two"], messages.Where(m => m.ProfileId == p).Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(messages, m => m.ProfileId == ben);
        var log = await app.WithDbAsync(db => db.JourneyStepLogs.Where(l => l.JourneyId == journey).ToListAsync());
        Assert.Equal(armA.Count(p => p != ben), log.Count(l => l.StepId == "three" && l.Outcome == JourneyOutcomes.Capped));
        if (armA.Contains(ben)) Assert.Contains(log, l => l.StepId == "one" && l.Outcome == JourneyOutcomes.NoConsent);

        // Conversions in both arms give the uplift of A over the holdout with its interval.
        foreach (var p in armA.Take(3).Concat(held.Take(1))) await OrderAsync(app, p);
        await DispatchAsync(app);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("journeys:read"));
        var arms = (await (await api.GetAsync($"/api/v1/journeys/{journey}/report")).ReadJsonAsync()).GetProperty("arms").EnumerateArray().ToList();
        var a = arms.Single(x => x.GetProperty("arm").GetString() == "A");
        var h = arms.Single(x => x.GetProperty("arm").GetString() == "holdout");
        Assert.True(h.GetProperty("holdout").GetBoolean());
        Assert.Equal(3, a.GetProperty("converted").GetInt32());
        var (uplift, low, high) = JourneyService.Uplift(3, armA.Count, 1, held.Count);
        Assert.Equal(uplift, a.GetProperty("uplift").GetDouble(), 9);
        Assert.Equal(low, a.GetProperty("upliftLow").GetDouble(), 9);
        Assert.Equal(high, a.GetProperty("upliftHigh").GetDouble(), 9);
        Assert.True(low < uplift && uplift < high);
    }

    [SkippableFact]
    public async Task Quiet_hours_hold_a_message_until_the_morning_on_the_customers_own_clock()
    {
        await using var app = NewApp(provider, quietStart: 21, quietEnd: 8);
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow();
        app.Clock.SetUtcNow(new DateTimeOffset(now.Year, now.Month, now.Day, 22, 0, 0, TimeSpan.Zero).AddDays(1));
        await DispatchAsync(app);
        var york = await PersonAsync(app, "York", """{"timezone":"America/New_York"}""");   // 17:00 or 18:00 there: sends now
        var tokyo = await PersonAsync(app, "Tokyo", """{"timezone":"Asia/Tokyo"}""");      // 07:00 there: waits an hour
        var plain = await PersonAsync(app, "Plain");                                        // the business's zone (UTC): 22:00, waits till 08:00
        await PublishAsync(app, "Evening", new
        {
            trigger = new { on = "interaction", type = "cart_item_added" },
            steps = new object[] { Send("hi", "Hi") },
        });
        foreach (var p in new[] { york, tokyo, plain }) await CartAsync(app, p);
        await DispatchAsync(app);
        Assert.Single(await SubjectsAsync(app, york));
        Assert.Empty(await SubjectsAsync(app, tokyo));
        Assert.Empty(await SubjectsAsync(app, plain));

        app.Clock.Advance(TimeSpan.FromMinutes(59));
        await RunDueAsync(app);
        Assert.Empty(await SubjectsAsync(app, tokyo));
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await RunDueAsync(app);
        Assert.Single(await SubjectsAsync(app, tokyo));
        Assert.Empty(await SubjectsAsync(app, plain));
        app.Clock.Advance(TimeSpan.FromHours(9));   // 08:00 UTC
        await RunDueAsync(app);
        Assert.Single(await SubjectsAsync(app, plain));
        Assert.Single(await SubjectsAsync(app, york));
    }

    [SkippableFact]
    public async Task Two_runners_taking_the_same_due_walks_send_each_message_once()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        await DispatchAsync(app);
        var people = new List<Guid>();
        for (var i = 0; i < 12; i++) people.Add(await PersonAsync(app, "R" + i));
        await PublishAsync(app, "Later", new
        {
            trigger = new { on = "interaction", type = "cart_item_added" },
            steps = new object[] { new { id = "wait", kind = "wait", days = 1 }, Send("one", "One"), Send("two", "Two", purpose: "service") },
        });
        foreach (var p in people) await CartAsync(app, p);
        await DispatchAsync(app);
        // The server was down while the waits fell due: both nodes start and race for them.
        app.Clock.Advance(TimeSpan.FromDays(3));
        await Task.WhenAll(RunDueAsync(app), RunDueAsync(app), RunDueAsync(app));
        while (await RunDueAsync(app) > 0) { }
        var messages = await app.WithDbAsync(db => db.EngagementMessages.ToListAsync());
        Assert.Equal(24, messages.Count);
        Assert.All(people, p => Assert.Equal(["One", "Two"], messages.Where(m => m.ProfileId == p).Select(m => m.Subject).Order()));
        Assert.Equal(24, await app.WithDbAsync(db => db.Mail.CountAsync()));
    }

    [SkippableFact]
    public async Task Dates_bring_customers_in_once_and_a_valuable_customer_at_risk_becomes_a_task_and_a_tag()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        await DispatchAsync(app);
        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var bday = await PersonAsync(app, "Bea", $$"""{"birthday":"{{today.AddYears(-30):yyyy-MM-dd}}"}""");
        await PersonAsync(app, "Other", $$"""{"birthday":"{{today.AddDays(3).AddYears(-30):yyyy-MM-dd}}"}""");
        var vip = await PersonAsync(app, "Vic");
        var small = await PersonAsync(app, "Sam");
        await app.WithDbAsync(async db =>
        {
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = vip, Decile = 1, ChurnRisk = 0.8, Clv12m = 900, ScoredAt = app.Clock.GetUtcNow().UtcDateTime });
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = small, Decile = 8, ChurnRisk = 0.8, Clv12m = 20, ScoredAt = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        using var api = app.ClientWithKey(await app.CreateKeyAsync("journeys:read", "journeys:write"));
        var shipped = (await (await api.GetAsync("/api/v1/journeys")).ReadJsonAsync()).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(ShippedJourneys.All.Count, shipped.Count);
        Assert.All(shipped, j => Assert.Equal("draft", j.GetProperty("status").GetString()));
        Guid Shipped(string key) => shipped.Single(j => j.GetProperty("shippedKey").GetString() == key).GetProperty("id").GetGuid();
        foreach (var key in new[] { "birthday", "churn_risk_task" })
            Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/journeys/{Shipped(key)}/publish", null)).StatusCode);

        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        Assert.Equal(1, await JourneyRunner.EnterScheduledAsync(scopes, CancellationToken.None));
        Assert.Equal(0, await JourneyRunner.EnterScheduledAsync(scopes, CancellationToken.None));
        await RunDueAsync(app);
        Assert.Equal(["Happy birthday!"], await SubjectsAsync(app, bday));

        foreach (var p in new[] { vip, small })
            await Emit(app, p, InteractionTypes.ChurnRiskChanged, new ChurnRiskChangedProperties(0.8, 0.3, 0.6, true, ["no order for a while"]));
        await DispatchAsync(app);
        var task = Assert.Single(await app.WithDbAsync(db => db.StaffTasks.ToListAsync()));
        Assert.Equal((vip, "agent"), (task.ProfileId!.Value, task.Role));
        var traits = await app.WithDbAsync(db => db.Profiles.Where(p => p.Id == vip || p.Id == small).ToDictionaryAsync(p => p.Id, p => p.Traits));
        Assert.Equal("at-risk", JsonDocument.Parse(traits[vip]).RootElement.GetProperty("tags").GetString());
        Assert.False(JsonDocument.Parse(traits[small]).RootElement.TryGetProperty("tags", out _));
    }

    [SkippableFact]
    public async Task The_shipped_nps_journey_asks_the_survey_two_weeks_after_the_first_delivery_only()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        await DispatchAsync(app);
        var ana = await PersonAsync(app, "Ana");
        using var api = app.ClientWithKey(await app.CreateKeyAsync("journeys:read", "journeys:write", "surveys:read", "surveys:write"));
        var survey = await api.PostAsJsonAsync("/api/v1/surveys", new { kind = "nps", name = "Recommend", question = "How likely are you to recommend us?" });
        Assert.Equal(HttpStatusCode.Created, survey.StatusCode);
        var journeys = (await (await api.GetAsync("/api/v1/journeys")).ReadJsonAsync()).GetProperty("items").EnumerateArray();
        var nps = journeys.Single(j => j.GetProperty("shippedKey").GetString() == "nps_first_delivery").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsync($"/api/v1/journeys/{nps}/publish", null)).StatusCode);

        async Task DeliveredAsync() => await Emit(app, ana, InteractionTypes.OrderStatusChanged,
            new OrderStatusChangedProperties(Guid.NewGuid(), "CO-" + Guid.NewGuid().ToString("N")[..6], "shipped", "delivered"));
        await DeliveredAsync();
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await DeliveredAsync();   // the second delivery is not the first: nobody enters again
        await DispatchAsync(app);
        Assert.Single(await RunsAsync(app, nps));
        app.Clock.Advance(TimeSpan.FromDays(13));
        await RunDueAsync(app);
        var invitations = await app.WithDbAsync(db => db.SurveyInvitations.Where(i => i.ProfileId == ana).ToListAsync());
        Assert.Single(invitations);
        await RunDueAsync(app);
        Assert.Single(await app.WithDbAsync(db => db.SurveyInvitations.Where(i => i.ProfileId == ana).ToListAsync()));
        Assert.Equal(JourneyRunStatus.Completed, Assert.Single(await RunsAsync(app, nps)).Status);
    }

    [SkippableFact]
    public async Task Bad_definitions_are_refused_naming_the_faulty_part_and_scopes_are_enforced()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var api = app.ClientWithKey(await app.CreateKeyAsync("journeys:read", "journeys:write"));
        async Task Refused(object definition, string path)
        {
            var response = await api.PostAsJsonAsync("/api/v1/journeys", new { name = "Bad " + Guid.NewGuid(), definition });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(path, await response.Content.ReadAsStringAsync());
        }
        var trigger = new { on = "interaction", type = "cart_item_added" };
        await Refused(new { trigger = new { on = "sometimes" }, steps = new object[] { Send("a", "A") } }, "definition.trigger.on");
        await Refused(new { trigger = new { on = "interaction", type = "cart_itm_added" }, steps = new object[] { Send("a", "A") } }, "definition.trigger.type");
        await Refused(new { trigger, steps = Array.Empty<object>() }, "definition.steps");
        await Refused(new { trigger, steps = new object[] { new { id = "w", kind = "wait" } } }, "definition.steps[0].hours");
        await Refused(new { trigger, steps = new object[] { Send("a", "A"), new { id = "b", kind = "exit", next = "a" } } }, "definition.steps[1].next");
        await Refused(new { trigger, steps = new object[] { new { id = "s", kind = "split", arms = new object[] { new { name = "A", percent = 60 }, new { name = "B", percent = 30 } } } } }, "definition.steps[0].arms");
        await Refused(new { trigger, steps = new object[] { new { id = "a", kind = "send", channel = "fax", purpose = "marketing", body = "x" } } }, "definition.steps[0].channel");
        await Refused(new { trigger, steps = new object[] { new { id = "c", kind = "condition", @if = new { match = "all", conditions = new object[] { new { kind = "trait" } } } } } }, "definition.steps[0].if.conditions[0].trait");
        await Refused(new { trigger, goal = new { type = "order_placed", where = new { colour = "red" } }, steps = new object[] { Send("a", "A") } }, "definition.goal.where.colour");

        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/journeys/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.PostAsync($"/api/v1/journeys/{Guid.NewGuid()}/publish", null)).StatusCode);
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("journeys:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/journeys", new { name = "X", definition = new { trigger, steps = new object[] { Send("a", "A") } } })).StatusCode);
        using var segments = app.ClientWithKey(await app.CreateKeyAsync("segments:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await segments.GetAsync("/api/v1/journeys")).StatusCode);
    }
}

public sealed class JourneysOnSqlite() : JourneyTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class JourneysOnPostgres() : JourneyTests("postgres");
