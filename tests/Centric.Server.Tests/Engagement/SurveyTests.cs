using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Surveys;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Engagement;

/// <summary>
/// Surveys end to end on each database: invitations sent by email (one link per score) and in-app notice, answered from the
/// link without signing in, once per invitation however often it is answered; the NPS, CSAT and CES results and the KPIs
/// against answers worked out by hand; comments scored for sentiment; the API's answers to bad input.
/// </summary>
public abstract class SurveyTests(string provider)
{
    private static ManualClockApp NewApp(string provider)
    {
        var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false");
        return app;
    }

    private static async Task<Guid> CustomerAsync(ManualClockApp app, string? email = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var p = directory.Create(ProfileKind.Known);
        directory.AddIdentity(p, IdentityKinds.Email, email ?? Json.NewEmail(), true);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return p.Id;
    }

    private static async Task<Guid> SurveyAsync(HttpClient writer, string kind, string? prompt = "Why?")
    {
        var created = await writer.PostAsJsonAsync("/api/v1/surveys", new { kind, name = $"{kind} survey", question = $"The {kind} question?", commentPrompt = prompt });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.ReadJsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Invites through <see cref="ISurveys"/> in a unit of work of the test's own, and returns the link's key.</summary>
    private static async Task<string> InviteAsync(ManualClockApp app, Guid profile, Guid survey, SurveyContext? context = null, string? sendKey = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var sent = await scope.ServiceProvider.GetRequiredService<ISurveys>().InviteAsync(profile, survey, sendKey ?? Guid.NewGuid().ToString(), context, default);
        Assert.Equal(SurveyInviteOutcome.Sent, sent.Outcome);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return sent.Link!["/surveys/".Length..];
    }

    private static async Task<HttpResponseMessage> PostAnswerAsync(PortalSession session, string key, string score, string? comment = null, string? tokenFrom = null)
    {
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "survey", ["Score"] = score, ["__RequestVerificationToken"] = await session.AntiforgeryTokenAsync(tokenFrom ?? $"/surveys/{key}"),
        };
        if (comment is not null) fields["Comment"] = comment;
        return await session.Client.PostAsync(new Uri($"/surveys/{key}", UriKind.Relative), new FormUrlEncodedContent(fields));
    }

    [SkippableFact]
    public async Task NPS_CSAT_and_CES_results_and_KPIs_match_answers_worked_out_by_hand()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("surveys:write"));
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("surveys:read"));
        var nps = await SurveyAsync(writer, "nps");
        var csat = await SurveyAsync(writer, "csat");
        var ces = await SurveyAsync(writer, "ces");
        using var guest = PortalSession.Guest(app);

        // NPS: 12 asked, 10 answered. Promoters 10, 10, 9, 9, 9 (5); passives 8, 7; detractors 6, 2, 0 (3): (5 − 3) / 10 = +20.
        // In the store: 10, 10, 6 → (2 − 1) / 3 = +33.3; on the web the other seven: 9, 9, 9, 8, 7, 2, 0 → (3 − 2) / 7 = +14.3.
        int[] npsScores = [10, 10, 6, 9, 9, 9, 8, 7, 2, 0];
        for (var i = 0; i < 12; i++)
        {
            var key = await InviteAsync(app, await CustomerAsync(app), nps, new SurveyContext(Channel: i < 3 ? "store" : "web", Agent: i < 3 ? "Rita" : null));
            if (i < npsScores.Length) Assert.Equal(HttpStatusCode.OK, (await guest.Client.GetAsync($"/surveys/{key}?score={npsScores[i]}")).StatusCode);
        }
        // CSAT: 5, 4, 4, 3, 1 → 3 of 5 are 4 or 5 = 0.6. CES: 7, 6, 5, 2 → mean 5.0.
        foreach (var s in new[] { 5, 4, 4, 3, 1 }) await guest.Client.GetAsync($"/surveys/{await InviteAsync(app, await CustomerAsync(app), csat)}?score={s}");
        foreach (var s in new[] { 7, 6, 5, 2 }) await guest.Client.GetAsync($"/surveys/{await InviteAsync(app, await CustomerAsync(app), ces)}?score={s}");

        var today = DateOnly.FromDateTime(app.Clock.GetUtcNow().UtcDateTime);
        var range = $"from={today:yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        async Task<JsonElement> ResultsAsync(Guid id)
        {
            var response = await reader.GetAsync($"/api/v1/surveys/{id}/results?{range}");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.ReadJsonAsync();
        }
        var n = await ResultsAsync(nps);
        Assert.Equal((12, 10, 20.0), (n.GetProperty("invited").GetInt32(), n.GetProperty("answered").GetInt32(), n.GetProperty("score").GetDouble()));
        Assert.Equal(0.8333, n.GetProperty("responseRate").GetDouble());
        var byChannel = n.GetProperty("byChannel").EnumerateArray().ToDictionary(r => r.GetProperty("value").GetString()!, r => (r.GetProperty("answers").GetInt32(), r.GetProperty("score").GetDouble()));
        Assert.Equal((7, 14.2857), byChannel["web"]);
        Assert.Equal((3, 33.3333), byChannel["store"]);
        Assert.Equal("Rita", Assert.Single(n.GetProperty("byAgent").EnumerateArray()).GetProperty("value").GetString());
        Assert.Equal(11, n.GetProperty("distribution").GetArrayLength());   // 0 … 10
        Assert.Equal(2, n.GetProperty("distribution")[10].GetProperty("answers").GetInt32());
        Assert.Equal(0.6, (await ResultsAsync(csat)).GetProperty("score").GetDouble());
        Assert.Equal(5.0, (await ResultsAsync(ces)).GetProperty("score").GetDouble());

        // A range without answers has nothing to measure: null, never 0.
        var before = await reader.GetAsync($"/api/v1/surveys/{nps}/results?from=2020-01-01&to=2020-02-01");
        Assert.Equal(JsonValueKind.Null, (await before.ReadJsonAsync()).GetProperty("score").ValueKind);

        // Insights' NPS and effort KPIs are computed from the same answers.
        using var insights = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        var kpis = (await (await insights.GetAsync($"/api/v1/insights/kpis?{range}")).ReadJsonAsync()).GetProperty("kpis").EnumerateArray()
            .ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("value"));
        Assert.Equal(20.0, kpis["nps"].GetDouble());
        Assert.Equal(5.0, kpis["customer_effort_score"].GetDouble());
        var store = (await (await insights.GetAsync($"/api/v1/insights/kpis?{range}&channel=store")).ReadJsonAsync()).GetProperty("kpis").EnumerateArray()
            .ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("value"));
        Assert.Equal(33.3, store["nps"].GetDouble());
        Assert.Equal(JsonValueKind.Null, store["customer_effort_score"].ValueKind);   // no effort answers about the store
    }

    /// <summary>An email's links go through signed click links (/m/click/…); the score links are what they lead to.</summary>
    private static string Unwrapped(ManualClockApp app, string html)
    {
        var links = app.Services.GetRequiredService<Centric.Server.Engagement.Messages.MessageLinks>();
        return Regex.Replace(html, "href=\"[^\"]*/m/click/(?<token>[^\"]+)\"", m =>
            links.ReadClick(WebUtility.HtmlDecode(m.Groups["token"].Value)) is { } click ? $"href=\"{WebUtility.HtmlEncode(click.Target)}\"" : m.Value);
    }

    [SkippableFact]
    public async Task One_click_from_the_email_records_the_score_and_answering_again_updates_the_one_answer()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("surveys:write", "surveys:read"));
        var survey = await SurveyAsync(writer, "nps", "What is the main reason for your score?");
        var email = Json.NewEmail();
        var profile = await CustomerAsync(app, email);
        await InviteAsync(app, profile, survey, new SurveyContext(OrderNumber: "CO-1001", Channel: "web"), sendKey: "journey:run-1:step-2");

        // The email carries one absolute link per score; the in-app notice links the survey; survey_sent is on the timeline.
        var mail = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == email));
        Assert.Contains("order CO-1001", mail.Subject, StringComparison.Ordinal);
        var links = Regex.Matches(Unwrapped(app, mail.HtmlBody), "href=\"(?<url>[^\"]+\\?score=(?<s>\\d+))\"").Select(m => (Url: new Uri(WebUtility.HtmlDecode(m.Groups["url"].Value)), Score: m.Groups["s"].Value)).ToList();
        Assert.Equal([.. Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))], links.Select(l => l.Score));
        Assert.All(links, l => Assert.True(l.Url.IsAbsoluteUri));
        var path = links[9].Url.AbsolutePath;
        Assert.Matches("^/surveys/[A-Za-z0-9_-]{43}$", path);
        Assert.True(await app.WithDbAsync(db => db.Set<Centric.Server.Customers.Notifications.Notification>().AnyAsync(n => n.ProfileId == profile && n.Link == path)));
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.ProfileId == profile && i.Type == InteractionTypes.SurveySent.Name)));
        // The same send key asks nobody twice.
        await using (var scope = app.Services.CreateAsyncScope())
            Assert.Equal(SurveyInviteOutcome.AlreadyInvited, (await scope.ServiceProvider.GetRequiredService<ISurveys>().InviteAsync(profile, survey, "journey:run-1:step-2", null, default)).Outcome);
        Assert.Equal(1, await app.WithDbAsync(db => db.Mail.CountAsync(m => m.To == email)));

        using var guest = PortalSession.Guest(app);
        var key = path["/surveys/".Length..];
        var clicked = await guest.Client.GetAsync(links[9].Url.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, clicked.StatusCode);
        var page = await clicked.Content.ReadAsStringAsync();
        Assert.Contains("id=\"survey-thanks\"", page, StringComparison.Ordinal);
        Assert.Contains("What is the main reason for your score?", page, StringComparison.Ordinal);
        Assert.Equal(9, (await app.WithDbAsync(db => db.SurveyInvitations.SingleAsync(i => i.ProfileId == profile))).Score);

        // A score off the scale is refused and records nothing; a wrong key is not found.
        Assert.Equal(HttpStatusCode.BadRequest, (await guest.Client.GetAsync($"/surveys/{key}?score=11")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAnswerAsync(guest, key, "-1")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.Client.GetAsync($"/surveys/{new string('A', 43)}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await guest.Client.GetAsync($"/surveys/{new string('A', 43)}?score=9")).StatusCode);
        Assert.Equal(9, (await app.WithDbAsync(db => db.SurveyInvitations.SingleAsync(i => i.ProfileId == profile))).Score);

        // The comment box, and a change of mind: still one answer, now 10 with the comment; each answer is on the timeline.
        Assert.Equal(HttpStatusCode.OK, (await PostAnswerAsync(guest, key, "10", "Fast delivery and lovely, friendly service")).StatusCode);
        var answer = await app.WithDbAsync(db => db.SurveyInvitations.SingleAsync(i => i.ProfileId == profile));
        Assert.Equal((10, "Fast delivery and lovely, friendly service"), (answer.Score, answer.Comment));
        var answered = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profile && i.Type == InteractionTypes.SurveyAnswered.Name).OrderBy(i => i.ReceivedAt).ThenBy(i => i.Id).ToListAsync());
        Assert.Equal(2, answered.Count);
        var last = InteractionTypes.SurveyAnswered.Read(answered[1].Properties)!;
        Assert.Equal(("nps", 10, 42, true, "CO-1001"), (last.Kind, last.Score, last.CommentLength, last.Changed, last.Context!.OrderNumber));
        Assert.Equal(answered[1].Id, answer.AnswerInteractionId);

        // The comment joins the sentiment subscriber's texts, and the results show it with its sentiment.
        await app.DispatchAsync("insights.sentiment");
        var sentiment = await app.WithDbAsync(db => db.TextSentiments.SingleAsync(s => s.ProfileId == profile));
        Assert.Equal(("survey_comment", answered[1].Id, "positive"), (sentiment.Source, sentiment.InteractionId, sentiment.Label));
        var results = await (await writer.GetAsync($"/api/v1/surveys/{survey}/results")).ReadJsonAsync();
        var comment = Assert.Single(results.GetProperty("comments").EnumerateArray());
        Assert.Equal(("Fast delivery and lovely, friendly service", "positive"), (comment.GetProperty("comment").GetString(), comment.GetProperty("sentimentLabel").GetString()));
        Assert.Equal((1, 100.0), (results.GetProperty("answered").GetInt32(), results.GetProperty("score").GetDouble()));
    }

    [SkippableFact]
    public async Task A_signed_in_customer_sees_and_answers_only_their_own_surveys()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("surveys:write"));
        var survey = await SurveyAsync(writer, "csat");
        var (aEmail, bEmail) = (Json.NewEmail(), Json.NewEmail());
        var (a, b) = (await CustomerAsync(app, aEmail), await CustomerAsync(app, bEmail));
        var aKey = await InviteAsync(app, a, survey);
        var bKey = await InviteAsync(app, b, survey);
        using var guest = PortalSession.Guest(app);
        Assert.Equal(HttpStatusCode.OK, (await PostAnswerAsync(guest, aKey, "2", "Parcel came late, not happy")).StatusCode);

        using var bSession = await PortalSession.SignInAsync(app, b, bEmail);
        Assert.Equal(HttpStatusCode.OK, (await PostAnswerAsync(bSession, bKey, "5", "All good")).StatusCode);
        // A's link, opened while signed in as B, is not found, and a post to it changes nothing.
        Assert.Equal(HttpStatusCode.NotFound, (await bSession.Client.GetAsync($"/surveys/{aKey}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await bSession.Client.GetAsync($"/surveys/{aKey}?score=5")).StatusCode);
        var foreign = await PostAnswerAsync(bSession, aKey, "5", "B was here", tokenFrom: $"/surveys/{bKey}");
        Assert.True(foreign.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.BadRequest, foreign.StatusCode.ToString());
        var aAnswer = await app.WithDbAsync(db => db.SurveyInvitations.SingleAsync(i => i.ProfileId == a));
        Assert.Equal((2, "Parcel came late, not happy"), (aAnswer.Score, aAnswer.Comment));

        // B's account lists B's answers only.
        var mine = await bSession.Client.GetStringAsync("/surveys");
        Assert.Contains("All good", mine, StringComparison.Ordinal);
        Assert.DoesNotContain("Parcel came late", mine, StringComparison.Ordinal);
        // A signed-in customer opens their own link as well.
        Assert.Equal(HttpStatusCode.OK, (await bSession.Client.GetAsync($"/surveys/{bKey}")).StatusCode);
    }

    [SkippableFact]
    public async Task The_surveys_API_answers_bad_input_with_problems_and_needs_its_scopes()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("surveys:write"));
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("surveys:read"));
        using var other = app.ClientWithKey(await app.CreateKeyAsync("segments:read"));
        var bad = await writer.PostAsJsonAsync("/api/v1/surveys", new { kind = "stars", name = "x", question = "y" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("kind", (await bad.ReadJsonAsync()).GetProperty("errors").EnumerateObject().Select(e => e.Name));
        Assert.Equal(HttpStatusCode.BadRequest, (await writer.PostAsJsonAsync("/api/v1/surveys", new { kind = "nps", name = "", question = "y" })).StatusCode);
        var id = await SurveyAsync(writer, "ces", prompt: null);
        var one = await (await reader.GetAsync($"/api/v1/surveys/{id}")).ReadJsonAsync();
        Assert.Equal(("ces", true, 0), (one.GetProperty("kind").GetString(), one.GetProperty("active").GetBoolean(), one.GetProperty("invited").GetInt32()));
        Assert.Contains(id.ToString(), await reader.GetStringAsync("/api/v1/surveys"), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/surveys/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/surveys/{Guid.NewGuid()}/results")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync($"/api/v1/surveys/{id}/results?from=yesterday")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync($"/api/v1/surveys/{id}/results?from=2026-02-01&to=2026-01-01")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/surveys", new { kind = "nps", name = "x", question = "y" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/surveys")).StatusCode);
    }

    [SkippableFact]
    public async Task Marketers_write_and_send_surveys_in_the_console_and_agents_are_refused()
    {
        await using var app = NewApp(provider);
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        var profile = await CustomerAsync(app, email);
        using var agent = await StaffSession.SignInAsync(app, "Agent", withMfa: true);
        Assert.True(StaffSession.Refused(await agent.GetAsync("/console/engagement/surveys")));
        using var marketer = await StaffSession.SignInAsync(app, "Marketer", withMfa: true);
        var created = await marketer.PostAsync("/console/engagement/surveys/new", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "survey-edit", ["kind"] = "csat", ["name"] = "After delivery", ["question"] = "How satisfied are you with your order?",
            ["commentPrompt"] = "Anything to add?", ["active"] = "true",
            ["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(marketer, "/console/engagement/surveys/new"),
        }));
        Assert.True(created.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.OK, created.StatusCode.ToString());
        var id = await app.WithDbAsync(db => db.Surveys.Where(s => s.Name == "After delivery").Select(s => s.Id).SingleAsync());
        Assert.Contains("After delivery", await marketer.GetStringAsync("/console/engagement/surveys"), StringComparison.Ordinal);
        var page = $"/console/engagement/surveys/{id}";
        var sent = await marketer.PostAsync(page, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "survey-send", ["email"] = email, ["order"] = "CO-77",
            ["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(marketer, page),
        }));
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        Assert.Contains($"Sent to {email}", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var invitation = await app.WithDbAsync(db => db.SurveyInvitations.SingleAsync(i => i.ProfileId == profile));
        Assert.Equal((id, "CO-77"), (invitation.SurveyId, invitation.OrderNumber));
        var mail = await app.WithDbAsync(db => db.Mail.SingleAsync(m => m.To == email));
        Assert.Contains("?score=5", Unwrapped(app, mail.HtmlBody), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync($"/console/engagement/surveys/{id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await marketer.GetAsync($"/console/engagement/surveys/{Guid.NewGuid()}")).StatusCode);
    }
}

public sealed class SurveysOnSqlite() : SurveyTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SurveysOnPostgres() : SurveyTests("postgres");
