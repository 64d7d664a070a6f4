using System.Net;
using System.Net.Http.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Campaigns;
using Centric.Server.Engagement.Segments;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Engagement;

/// <summary>
/// Campaigns on a manual clock: the audience fixed at the start, the throttle, consent at sending time, cancelling mid-send
/// without losing track, a restart that sends nobody twice, an A/B test whose winner goes to the rest, and bad requests.
/// </summary>
public abstract class CampaignTests(string provider)
{
    private static ManualClockApp NewApp(string provider)
    {
        var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false");
        return app;
    }

    /// <summary>A static segment of <paramref name="count"/> customers who say yes to marketing email, and one who says no.</summary>
    private static async Task<(Guid Segment, List<Guid> People, Guid Refuser)> AudienceAsync(ManualClockApp app, int count)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var segment = new Segment { Name = "Audience", NameKey = "audience", Kind = SegmentKind.Static, CreatedAt = now, UpdatedAt = now };
        db.Segments.Add(segment);
        var people = new List<Guid>();
        Guid refuser = default;
        for (var i = 0; i <= count; i++)
        {
            var p = directory.Create(ProfileKind.Known);
            (p.FirstName, p.Email) = ("C" + i, $"c{i}@example.com");
            var yes = i < count;
            db.Consents.Add(new ConsentState { ProfileId = p.Id, Channel = "email", Purpose = "marketing", Granted = yes, UpdatedAt = now, Source = "test" });
            db.SegmentMembers.Add(new SegmentMember { SegmentId = segment.Id, ProfileId = p.Id, EnteredAt = now });
            if (yes) people.Add(p.Id); else refuser = p.Id;
        }
        await db.SaveChangesAsync();
        return (segment.Id, people, refuser);
    }

    private static Task<int> RunAsync(ManualClockApp app) =>
        CampaignRunner.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), CancellationToken.None);

    private static async Task<JsonElementView> GetAsync(HttpClient api, Guid id) => new(await (await api.GetAsync($"/api/v1/campaigns/{id}")).ReadJsonAsync());

    private sealed record JsonElementView(System.Text.Json.JsonElement Json)
    {
        public int Int(string name) => Json.GetProperty(name).GetInt32();
        public string? Text(string name) => Json.GetProperty(name).GetString();
    }

    [SkippableFact]
    public async Task A_campaign_is_throttled_checks_consent_survives_a_restart_and_is_sent_to_everyone_once()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var (segment, people, refuser) = await AudienceAsync(app, 30);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("campaigns:read", "campaigns:write"));
        var created = await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "Spring", segmentId = segment, subject = "Spring is here", body = "New arrivals", link = "/shop", ratePerMinute = 10 });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
        Assert.Equal(0, await RunAsync(app));   // a draft is not sent
        Assert.Equal(HttpStatusCode.OK, (await api.PostAsJsonAsync($"/api/v1/campaigns/{id}/schedule", new { at = app.Clock.GetUtcNow().UtcDateTime.AddHours(1) })).StatusCode);
        Assert.Equal(0, await RunAsync(app));
        app.Clock.Advance(TimeSpan.FromHours(1));

        // Ten a minute: the first round sends ten, the next one nothing until a minute has passed.
        Assert.Equal(10, await RunAsync(app));
        Assert.Equal(0, await RunAsync(app));
        var view = await GetAsync(api, id);
        Assert.Equal(31, view.Int("audience"));
        Assert.Equal("sending", view.Text("status"));

        // A restart mid-send: a new runner carries on; nobody gets it twice.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(10, await RunAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        while (await RunAsync(app) > 0) { }
        view = await GetAsync(api, id);
        Assert.Equal("sent", view.Text("status"));
        Assert.Equal(30, view.Int("sent"));
        Assert.Equal(1, view.Int("skipped"));
        var messages = await app.WithDbAsync(db => db.EngagementMessages.Select(m => m.ProfileId).ToListAsync());
        Assert.Equal(people.Order(), messages.Order());
        Assert.DoesNotContain(refuser, messages);
        Assert.Equal(30, await app.WithDbAsync(db => db.Mail.CountAsync()));
    }

    [SkippableFact]
    public async Task Cancelling_mid_send_stops_it_and_keeps_who_got_what()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var (segment, _, _) = await AudienceAsync(app, 20);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("campaigns:read", "campaigns:write"));
        var id = (await (await api.PostAsJsonAsync("/api/v1/campaigns", new { name = "Sale", segmentId = segment, subject = "Sale", body = "Half price", ratePerMinute = 5 })).ReadJsonAsync()).GetProperty("id").GetGuid();
        await api.PostAsync($"/api/v1/campaigns/{id}/schedule", null);
        Assert.Equal(5, await RunAsync(app));
        var cancelled = await api.PostAsync($"/api/v1/campaigns/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, await RunAsync(app));
        var view = await GetAsync(api, id);
        // Five were done before the cancel (the one who said no to marketing may be among them, skipped); the other sixteen never get it.
        Assert.Equal(("cancelled", 5, 16, 0), (view.Text("status"), view.Int("sent") + view.Int("skipped"), view.Int("cancelled"), view.Int("pending")));
        Assert.Equal(view.Int("sent"), await app.WithDbAsync(db => db.EngagementMessages.CountAsync()));
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/campaigns/{id}/cancel", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await api.PostAsync($"/api/v1/campaigns/{id}/schedule", null)).StatusCode);
    }

    [SkippableFact]
    public async Task An_ab_test_sends_the_test_slice_first_and_the_subject_opened_more_to_the_rest()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var (segment, people, _) = await AudienceAsync(app, 60);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("campaigns:read", "campaigns:write"));
        var id = (await (await api.PostAsJsonAsync("/api/v1/campaigns", new
        {
            name = "Subjects", segmentId = segment, subject = "Plain subject", subjectB = "Exciting subject", body = "Hello", testPercent = 50, testHours = 2, ratePerMinute = 10_000,
        })).ReadJsonAsync()).GetProperty("id").GetGuid();
        await api.PostAsync($"/api/v1/campaigns/{id}/schedule", null);
        await RunAsync(app);
        var view = await GetAsync(api, id);
        Assert.Equal("testing", view.Text("status"));
        var recipients = await app.WithDbAsync(db => db.CampaignRecipients.Where(r => r.CampaignId == id).ToListAsync());
        var test = recipients.Where(r => r.Variant != "rest").ToList();
        Assert.All(test, r => Assert.Equal(people.Contains(r.ProfileId) ? RecipientStatus.Sent : RecipientStatus.NoConsent, r.Status));
        Assert.All(recipients.Where(r => r.Variant == "rest"), r => Assert.Equal(RecipientStatus.Pending, r.Status));
        Assert.Contains(test, r => r.Variant == "A");
        Assert.Contains(test, r => r.Variant == "B");

        // B is opened more; once the test hours are over, the rest get B's subject.
        await app.WithDbAsync(async db =>
        {
            foreach (var m in await db.EngagementMessages.Where(m => m.Source.EndsWith(":B")).ToListAsync()) m.OpenedAt = app.Clock.GetUtcNow().UtcDateTime;
            return await db.SaveChangesAsync();
        });
        Assert.Equal(0, await RunAsync(app));
        app.Clock.Advance(TimeSpan.FromHours(2));
        while (await RunAsync(app) > 0) { }
        view = await GetAsync(api, id);
        Assert.Equal(("sent", "B"), (view.Text("status"), view.Json.GetProperty("winner").GetString()));
        var rest = recipients.Where(r => r.Variant == "rest").Select(r => r.ProfileId).ToHashSet();
        var subjects = await app.WithDbAsync(db => db.EngagementMessages.ToListAsync());
        Assert.Equal(people.Count, subjects.Count);
        Assert.All(subjects.Where(m => rest.Contains(m.ProfileId)), m => Assert.Equal("Exciting subject", m.Subject));
    }

    [SkippableFact]
    public async Task Bad_campaigns_are_refused_with_the_field_named()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var (segment, _, _) = await AudienceAsync(app, 1);
        using var api = app.ClientWithKey(await app.CreateKeyAsync("campaigns:read", "campaigns:write"));
        async Task Refused(object body, string field)
        {
            var response = await api.PostAsJsonAsync("/api/v1/campaigns", body);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync());
        }
        await Refused(new { name = "", segmentId = segment, subject = "S", body = "B" }, "name");
        await Refused(new { name = "X", segmentId = Guid.NewGuid(), subject = "S", body = "B" }, "segmentId");
        await Refused(new { name = "X", segmentId = segment, subject = "S", body = "B", channel = "fax" }, "channel");
        await Refused(new { name = "X", segmentId = segment, subject = "S", body = "B", subjectB = "T", testPercent = 80 }, "testPercent");
        await Refused(new { name = "X", segmentId = segment, subject = "S", body = "B", ratePerMinute = 0 }, "ratePerMinute");
        await Refused(new { name = "X", segmentId = segment, subject = "S", body = "B", link = "https://elsewhere.example" }, "link");
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/campaigns/{Guid.NewGuid()}")).StatusCode);
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("campaigns:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/campaigns", new { name = "X", segmentId = segment, subject = "S", body = "B" })).StatusCode);
    }
}

public sealed class CampaignsOnSqlite() : CampaignTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class CampaignsOnPostgres() : CampaignTests("postgres");
