using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Segments;
using Centric.Server.Insights.Scores;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Engagement;

/// <summary>
/// Segment rules against memberships worked out by hand on a shop of four customers (one erased), their upkeep as interactions
/// arrive and as time passes, static lists from CSV, and the API's answers to bad rules and missing scopes.
/// </summary>
public abstract class SegmentTests(string provider)
{
    private sealed record Shop(Guid Ana, Guid Ben, Guid Cleo, Guid Erased, Guid Garden);

    private static ManualClockApp NewApp(string provider)
    {
        var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false");
        return app;
    }

    /// <summary>
    /// Ana: gold, says yes to marketing email, three paid orders of €100 (the last 10 days ago), viewed a garden product three times this week.
    /// Ben: silver, one order 100 days ago, one ticket, viewed something 40 days ago.
    /// Cleo: never ordered, viewed a garden product 2 days ago, decile 1 at churn risk 0.8.
    /// Erased: ordered and viewed, but erased: never in any segment.
    /// </summary>
    private static async Task<Shop> SeedAsync(ManualClockApp app)
    {
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
        CustomerProfile Person(string first, string email, string traits)
        {
            var p = directory.Create(ProfileKind.Known);
            (p.FirstName, p.Email, p.Traits) = (first, email, traits);
            return p;
        }
        var ana = Person("Ana", "ana@example.com", """{"tier":"gold","city":"Lisbon"}""");
        var ben = Person("Ben", "ben@example.com", """{"tier":"silver"}""");
        var cleo = Person("Cleo", "cleo@example.com", "{}");
        var erased = Person("Eve", "eve@example.com", """{"tier":"gold"}""");
        erased.ErasedAt = now;
        var garden = Guid.NewGuid();
        var n = 0;
        void Order(Guid who, int daysAgo, OrderStatus status = OrderStatus.Paid) => db.Orders.Add(new Order
        {
            Number = $"CO-T{++n}", ProfileId = who, Email = "x@example.com", Currency = "EUR", ShippingMethod = "standard",
            IdempotencyKey = Guid.NewGuid().ToString(), Status = status, TotalMinor = 10_000, PlacedAt = now.AddDays(-daysAgo),
        });
        void Viewed(Guid who, int daysAgo, Guid product, string category) =>
            log.Append(db, who, InteractionTypes.ProductViewed, "web", new ProductViewedProperties(product, category, 10m, "EUR"), occurredAt: now.AddDays(-daysAgo));
        Order(ana.Id, 40); Order(ana.Id, 20); Order(ana.Id, 10);
        Order(ana.Id, 5, OrderStatus.Cancelled);   // neither an order nor spend
        Order(ben.Id, 100);
        Order(erased.Id, 3);
        Viewed(ana.Id, 1, garden, "Garden"); Viewed(ana.Id, 2, garden, "Garden"); Viewed(ana.Id, 3, garden, "Garden");
        Viewed(ben.Id, 40, Guid.NewGuid(), "Kitchen");
        Viewed(cleo.Id, 2, garden, "Garden");
        Viewed(erased.Id, 1, garden, "Garden");
        db.Consents.Add(new ConsentState { ProfileId = ana.Id, Channel = "email", Purpose = "marketing", Granted = true, UpdatedAt = now, Source = "test" });
        db.Consents.Add(new ConsentState { ProfileId = ben.Id, Channel = "email", Purpose = "marketing", Granted = false, UpdatedAt = now, Source = "test" });
        db.Tickets.Add(new Ticket { Number = "T-1", ProfileId = ben.Id, Channel = "email", Subject = "Where is it?", Status = TicketStatus.Solved, CreatedAt = now.AddDays(-50) });
        db.ProfileInsights.Add(new ProfileInsight { ProfileId = cleo.Id, Decile = 1, ChurnRisk = 0.8, Clv12m = 500, Sentiment = -0.2, ScoredAt = now });
        db.ProfileInsights.Add(new ProfileInsight { ProfileId = ana.Id, Decile = 2, ChurnRisk = 0.1, Clv12m = 900, Sentiment = 0.5, ScoredAt = now });
        await db.SaveChangesAsync();
        return new Shop(ana.Id, ben.Id, cleo.Id, erased.Id, garden);
    }

    private static async Task<HashSet<Guid>> MatchAsync(ManualClockApp app, string ruleJson)
    {
        var rule = SegmentRules.Parse(ruleJson);
        SegmentRules.Validate(rule);
        return await app.WithDbAsync(async db =>
            (await new SegmentQuery(db, app.Clock.GetUtcNow().UtcDateTime).Matching(rule).Select(p => p.Id).ToListAsync()).ToHashSet());
    }

    [SkippableFact]
    public async Task Rules_match_the_hand_computed_memberships()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var s = await SeedAsync(app);
        async Task Expect(string rule, params Guid[] expected) => Assert.Equal(expected.ToHashSet(), await MatchAsync(app, rule));

        await Expect("""{"match":"all","conditions":[{"kind":"behaviour","type":"product_viewed","days":30}]}""", s.Ana, s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"behaviour","did":false,"type":"product_viewed","days":30}]}""", s.Ben);
        await Expect("""{"match":"all","conditions":[{"kind":"behaviour","type":"product_viewed","days":30,"atLeast":2,"where":{"category":"garden"}}]}""", s.Ana);
        await Expect($$$"""{"match":"all","conditions":[{"kind":"behaviour","type":"product_viewed","days":30,"where":{"productId":"{{{s.Garden}}}"}}]}""", s.Ana, s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"behaviour","type":"product_viewed","days":30,"atLeast":4}]}""");
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"orders","op":"gte","value":2}]}""", s.Ana);
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"orders","op":"eq","value":0}]}""", s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"spend","op":"gte","value":300}]}""", s.Ana);
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"spend","op":"gt","value":300}]}""");
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"daysSinceLastOrder","op":"gte","value":90}]}""", s.Ben);
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"daysSinceLastOrder","op":"lt","value":30}]}""", s.Ana);
        await Expect("""{"match":"all","conditions":[{"kind":"aggregate","field":"tickets","op":"gte","value":1}]}""", s.Ben);
        await Expect("""{"match":"all","conditions":[{"kind":"trait","trait":"tier","op":"eq","value":"GOLD"}]}""", s.Ana);
        await Expect("""{"match":"all","conditions":[{"kind":"trait","trait":"tier","op":"missing"}]}""", s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"trait","trait":"email","op":"contains","value":"en@"}]}""", s.Ben);
        await Expect("""{"match":"all","conditions":[{"kind":"consent","channel":"email","purpose":"marketing"}]}""", s.Ana);
        await Expect("""{"match":"all","conditions":[{"kind":"consent","channel":"email","purpose":"marketing","granted":false}]}""", s.Ben, s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"insight","field":"churnRisk","op":"gte","value":0.7}]}""", s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"insight","field":"decile","op":"lte","value":2}]}""", s.Ana, s.Cleo);
        await Expect("""{"match":"all","conditions":[{"kind":"insight","field":"sentiment","op":"lt","value":0}]}""", s.Cleo);
        await Expect("""
            {"match":"any","conditions":[
              {"kind":"group","match":"all","conditions":[{"kind":"trait","trait":"tier","op":"eq","value":"silver"},{"kind":"aggregate","field":"tickets","op":"gte","value":1}]},
              {"kind":"insight","field":"churnRisk","op":"gte","value":0.7}]}
            """, s.Ben, s.Cleo);
        await Expect("""
            {"match":"all","conditions":[
              {"kind":"insight","field":"decile","op":"lte","value":2},
              {"kind":"group","match":"any","conditions":[{"kind":"consent","channel":"email","purpose":"marketing"},{"kind":"behaviour","did":false,"type":"order_placed","days":365}]}]}
            """, s.Ana, s.Cleo);
    }

    [SkippableFact]
    public async Task Membership_follows_new_interactions_and_the_clock_with_entries_and_exits_on_the_timeline()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        await app.DispatchAsync("engagement.segments");   // the subscriber starts at the end of the stream: from here
        var s = await SeedAsync(app);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("segments:read", "segments:write"));
        var created = await api.PostAsJsonAsync("/api/v1/segments", new
        {
            name = "Viewed in the last 3 days",
            rule = new { match = "all", conditions = new object[] { new { kind = "behaviour", type = "product_viewed", days = 3 } } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var segment = await created.ReadJsonAsync();
        var id = segment.GetProperty("id").GetGuid();
        Assert.Equal(2, segment.GetProperty("members").GetInt32());
        Assert.True(segment.GetProperty("timeBased").GetBoolean());
        Assert.Equal(new[] { s.Ana, s.Cleo }.Order(), (await MembersAsync(app, id)).Order());
        Assert.Equal(2, await TimelineCountAsync(app, InteractionTypes.SegmentEntered, id));

        // Ben looks at something now: the stream subscriber lets him in.
        await app.WithDbAsync(async db =>
        {
            new InteractionLog(app.Clock).Append(db, s.Ben, InteractionTypes.ProductViewed, "web", new ProductViewedProperties(Guid.NewGuid(), "Kitchen", 5m, "EUR"));
            return await db.SaveChangesAsync();
        });
        await app.DispatchAsync("engagement.segments");
        Assert.Equal(new[] { s.Ana, s.Ben, s.Cleo }.Order(), (await MembersAsync(app, id)).Order());
        await app.DispatchAsync("engagement.segments");   // the entries' own interactions change nothing
        Assert.Equal(3, await TimelineCountAsync(app, InteractionTypes.SegmentEntered, id));

        // Two days on, Ana's and Cleo's views from 2–3 days ago have fallen out of the window; Ben's and Ana's latest have not.
        app.Clock.Advance(TimeSpan.FromDays(1.5));
        await RefreshAsync(app);
        Assert.Equal(new[] { s.Ana, s.Ben }.Order(), (await MembersAsync(app, id)).Order());
        var left = await app.WithDbAsync(db => db.Interactions.Where(i => i.Type == InteractionTypes.SegmentLeft.Name).ToListAsync());
        Assert.Equal([s.Cleo], left.Select(i => i.ProfileId));
        Assert.Equal(id, InteractionTypes.SegmentLeft.Read(left[0].Properties)!.SegmentId);
        Assert.Equal(2, (await (await api.GetAsync($"/api/v1/segments/{id}")).ReadJsonAsync()).GetProperty("members").GetInt32());
        app.Clock.Advance(TimeSpan.FromDays(5));
        await RefreshAsync(app);
        Assert.Empty(await MembersAsync(app, id));
        Assert.Equal(3, await TimelineCountAsync(app, InteractionTypes.SegmentLeft, id));
        await RefreshAsync(app);   // nothing left to leave
        Assert.Equal(3, await TimelineCountAsync(app, InteractionTypes.SegmentLeft, id));
    }

    [SkippableFact]
    public async Task A_score_that_moves_without_an_interaction_is_caught_by_the_periodic_evaluation()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var s = await SeedAsync(app);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("segments:read", "segments:write"));
        var created = await api.PostAsJsonAsync("/api/v1/segments", new
        {
            name = "At risk", rule = new { match = "all", conditions = new object[] { new { kind = "insight", field = "churnRisk", op = "gte", value = 0.5 } } },
        });
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal([s.Cleo], await MembersAsync(app, id));
        await app.WithDbAsync(db => db.ProfileInsights.Where(p => p.ProfileId == s.Ana).ExecuteUpdateAsync(u => u.SetProperty(p => p.ChurnRisk, 0.6)));
        await RefreshAsync(app);
        Assert.Equal(new[] { s.Ana, s.Cleo }.Order(), (await MembersAsync(app, id)).Order());
    }

    private static Task<int> RefreshAsync(ManualClockApp app) =>
        SegmentRefreshWorker.RefreshTimeBasedAsync(app.Services.GetRequiredService<IServiceScopeFactory>(),
            Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, CancellationToken.None);

    private static Task<List<Guid>> MembersAsync(ManualClockApp app, Guid segment) =>
        app.WithDbAsync(db => db.SegmentMembers.Where(m => m.SegmentId == segment).Select(m => m.ProfileId).ToListAsync());

    private static Task<int> TimelineCountAsync(ManualClockApp app, InteractionType type, Guid segment) =>
        app.WithDbAsync(db => db.Interactions.CountAsync(i => i.Type == type.Name && i.SourceId == segment.ToString()));

    [SkippableFact]
    public async Task Bad_rules_get_a_400_naming_the_faulty_part()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var api = app.ClientWithKey(await app.CreateKeyAsync("segments:read", "segments:write"));
        async Task Expect(string body, string path)
        {
            var response = await api.PostAsync("/api/v1/segments/preview", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var problem = await response.ReadJsonAsync();
            Assert.Contains(path, problem.GetProperty("detail").GetString());
        }
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"trait","trait":"tier","op":"eq","value":"gold"},{"kind":"behaviour","type":"order_placed","days":0}]}}""",
            "rule.conditions[1].days must be 1–3650");
        await Expect("""{"rule":{"match":"most","conditions":[]}}""", "rule.match");
        await Expect("""{"rule":{"match":"all","conditions":[]}}""", "rule.conditions");
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"weather"}]}}""", "rule.conditions[0].kind");
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"behaviour","type":"teleported","days":3}]}}""", "rule.conditions[0].type");
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"behaviour","type":"product_viewed","days":3,"where":{"colour":"red"}}]}}""", "rule.conditions[0].where.colour");
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"insight","field":"decile","op":"lte","value":11}]}}""", "rule.conditions[0].value");
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"group","match":"any","conditions":[{"kind":"consent","channel":"fax","purpose":"marketing"}]}]}}""",
            "rule.conditions[0].conditions[0].channel");
        await Expect("""{"rule":{"match":"all","conditions":[{"kind":"aggregate","field":"orders","op":"about","value":1}]}}""", "rule.conditions[0].op");
        await Expect("""{"rule":null}""", "rule");
        // Not JSON of the expected shape: still a 400 problem, naming where.
        var malformed = await api.PostAsync("/api/v1/segments/preview", new StringContent("""{"rule":{"match":"all","conditions":[{"kind":"behaviour","days":"soon"}]}}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Contains("days", (await malformed.ReadJsonAsync()).GetProperty("detail").GetString());
        var noName = await api.PostAsJsonAsync("/api/v1/segments", new { name = " ", kind = "static" });
        Assert.Equal(HttpStatusCode.BadRequest, noName.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.Segments.CountAsync()));
    }

    [SkippableFact]
    public async Task Scopes_guard_the_segments_api()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("segments:read"));
        using var customers = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        using var anonymous = app.CreateClient();
        var rule = new { match = "all", conditions = new object[] { new { kind = "aggregate", field = "orders", op = "gte", value = 1 } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/segments", new { name = "A", rule })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customers.GetAsync("/api/v1/segments")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await customers.PostAsJsonAsync("/api/v1/segments/preview", new { rule })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/segments")).StatusCode);
        // The OpenAPI document describes the routes and the rule's fields.
        var openapi = await (await anonymous.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        foreach (var path in new[] { "/api/v1/segments", "/api/v1/segments/preview", "/api/v1/segments/{id}", "/api/v1/segments/{id}/members", "/api/v1/segments/{id}/members/import" })
            Assert.True(openapi.GetProperty("paths").TryGetProperty(path, out _), path);
        var condition = openapi.GetProperty("components").GetProperty("schemas").GetProperty("SegmentCondition");
        Assert.Contains("1–3650", condition.GetProperty("properties").GetProperty("days").GetProperty("description").GetString());
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/segments")).StatusCode);
        Assert.Equal(0, (await (await reader.PostAsJsonAsync("/api/v1/segments/preview", new { rule })).ReadJsonAsync()).GetProperty("members").GetInt32());
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/segments/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/segments/{Guid.NewGuid()}/members")).StatusCode);
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/segments", new { name = "A", rule })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await admin.PostAsJsonAsync("/api/v1/segments", new { name = "a", rule })).StatusCode);
    }

    [SkippableFact]
    public async Task A_static_list_is_uploaded_from_csv_and_its_members_export_to_csv()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var s = await SeedAsync(app);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("segments:read", "segments:write"));
        var created = await api.PostAsJsonAsync("/api/v1/segments", new { name = "VIP list", kind = "static" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        var csv = $"Email,customer_id\nANA@example.com,\n,{s.Cleo}\nnobody@example.com,\n\neve@example.com,\nben@example.com,{s.Ben}\n";
        var imported = await api.PostAsync($"/api/v1/segments/{id}/members/import", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);
        var result = await imported.ReadJsonAsync();
        Assert.Equal(3, result.GetProperty("added").GetInt32());
        Assert.Equal(2, result.GetProperty("unknown").GetInt32());   // nobody@, and the erased customer
        Assert.Equal([4, 6], result.GetProperty("unknownLines").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(3, await TimelineCountAsync(app, InteractionTypes.SegmentEntered, id));
        // The same file again adds nobody.
        var again = await (await api.PostAsync($"/api/v1/segments/{id}/members/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).ReadJsonAsync();
        Assert.Equal((0, 3), (again.GetProperty("added").GetInt32(), again.GetProperty("alreadyMembers").GetInt32()));

        var page = await (await api.GetAsync($"/api/v1/segments/{id}/members?pageSize=2")).ReadJsonAsync();
        Assert.Equal(3, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("items").GetArrayLength());
        Assert.True(page.GetProperty("hasMore").GetBoolean());

        var export = await api.GetAsync($"/api/v1/segments/{id}/members.csv");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal("customer_id,email,first_name,last_name,entered_at", lines[0]);
        Assert.Equal(new[] { "ana@example.com", "ben@example.com", "cleo@example.com" }, lines.Skip(1).Select(l => l.Split(',')[1]).Order());

        Assert.Equal(HttpStatusCode.BadRequest, (await api.PostAsync($"/api/v1/segments/{id}/members/import", new StringContent("name\nAna\n", Encoding.UTF8, "text/csv"))).StatusCode);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await api.PostAsync($"/api/v1/segments/{id}/members/import", new StringContent("{}", Encoding.UTF8, "application/json"))).StatusCode);
        var rule = await api.PostAsJsonAsync("/api/v1/segments", new { name = "Rule", rule = new { match = "all", conditions = new object[] { new { kind = "trait", trait = "tier", op = "exists" } } } });
        var ruleId = (await rule.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await api.PostAsync($"/api/v1/segments/{ruleId}/members/import", new StringContent(csv, Encoding.UTF8, "text/csv"))).StatusCode);
    }
}

public abstract class SegmentConsoleTests(string provider)
{
    [SkippableFact]
    public async Task Marketers_and_admins_build_segments_in_the_console_and_other_staff_are_refused()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false");
        app.SkipIfUnavailable();
        await app.WithDbAsync(async db =>
        {
            var p = new CustomerProfile { Kind = ProfileKind.Known, Email = "known@example.com", CreatedAt = DateTime.UtcNow, UpdatedAt = DateTime.UtcNow };
            db.Profiles.Add(p);
            return await db.SaveChangesAsync();
        });
        using var agent = await StaffSession.SignInAsync(app, "Agent", withMfa: true);
        using var analyst = await StaffSession.SignInAsync(app, "Analyst", withMfa: true);
        foreach (var refused in new[] { agent, analyst })
        {
            Assert.True(StaffSession.Refused(await refused.GetAsync("/console/segments")));
            Assert.True(StaffSession.Refused(await refused.GetAsync("/console/segments/new")));
        }
        using var marketer = await StaffSession.SignInAsync(app, "Marketer", withMfa: true);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/console/segments")).StatusCode);

        // The builder's live count posts the builder's own fields.
        var fields = new Dictionary<string, string>
        {
            ["name"] = "Known emails", ["match"] = "all", ["g0.match"] = "all",
            ["g0.c0.what"] = "trait", ["g0.c0.trait"] = "email", ["g0.c0.op"] = "exists",
        };
        var preview = await marketer.PostAsync("/console/segments/preview", new FormUrlEncodedContent(fields));
        Assert.Equal(HttpStatusCode.OK, preview.StatusCode);
        var known = await app.WithDbAsync(db => db.Profiles.CountAsync(p => p.Kind == ProfileKind.Known && p.Email != null && p.Email != "" && p.MergedIntoId == null && p.ErasedAt == null));
        Assert.True(known >= 1);
        Assert.Equal(known, (await preview.ReadJsonAsync()).GetProperty("members").GetInt32());
        var bad = await marketer.PostAsync("/console/segments/preview", new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["g0.c0.what"] = "did", ["g0.c0.type"] = "order_placed", ["g0.c0.days"] = "0" }));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("rule.conditions[0].days must be 1–3650", (await bad.ReadJsonAsync()).GetProperty("detail").GetString());
        Assert.True(StaffSession.Refused(await agent.PostAsync("/console/segments/preview", new FormUrlEncodedContent(fields))));

        // Saving the builder creates the segment and opens its page.
        var token = await StaffSession.AntiforgeryTokenAsync(marketer, "/console/segments/new");
        var save = await marketer.PostAsync("/console/segments/new", new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["_handler"] = "segment-builder", ["__RequestVerificationToken"] = token, ["action"] = "save",
        }));
        var id = await app.WithDbAsync(db => db.Segments.Where(s => s.Name == "Known emails").Select(s => s.Id).SingleAsync());
        Assert.Contains($"console/segments/{id}", save.Headers.Location?.ToString() ?? save.RequestMessage!.RequestUri!.ToString());
        var page = await marketer.GetStringAsync($"/console/segments/{id}");
        Assert.Contains("Customers matching: email is set", page);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync($"/console/segments/{id}/export")).StatusCode);
        Assert.True(StaffSession.Refused(await agent.GetAsync($"/console/segments/{id}/export")));
    }
}

public sealed class SegmentConsoleOnSqlite() : SegmentConsoleTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SegmentConsoleOnPostgres() : SegmentConsoleTests("postgres");

public sealed class SegmentsOnSqlite() : SegmentTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SegmentsOnPostgres() : SegmentTests("postgres");
