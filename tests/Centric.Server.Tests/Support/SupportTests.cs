using System.Net;
using System.Text;
using System.Text.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Webhooks;
using Centric.Server.Support.Email;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

public abstract class SupportTests(CentricAppFactory app)
{
    public const string Secret = "test-inbound-secret-0123456789";

    /// <summary>
    /// These tests follow a ticket's own thread, mail and timeline exactly; the automatic acknowledgement, assistant and
    /// survey (SupportWorkTests) would add their own entries at times the background dispatcher chooses.
    /// </summary>
    public static void Configure(CentricAppFactory app) => app.With("Support:InboundSecret", Secret)
        .With("Support:Automation:AutoAcknowledge", "false").With("Support:Automation:OutOfHoursAssistant", "false")
        .With("Support:Automation:CsatSurvey", "false");

    internal static HttpRequestMessage Signed(object email, long? unix = null, string secret = Secret)
    {
        var body = JsonSerializer.Serialize(email, JsonSerializerOptions.Web);
        return new(HttpMethod.Post, "/api/v1/support/inbound/email")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { EmailChannel.SignatureHeader, Centric.Server.Platform.Signing.HmacSignature.Sign(secret, unix ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body) } },
        };
    }

    private static async Task<JsonElement> ReceiveAsync(HttpClient client, object email)
    {
        var response = await client.SendAsync(Signed(email));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    internal static string MessageId() => $"<{Guid.NewGuid():N}@mail.example>";

    private async Task<Guid> KnownProfileAsync(string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var profile = await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync(email, "Ana Silva", default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return profile.Id;
    }

    private async Task<(Guid Profile, string Number, string MessageId)> OpenByEmailAsync(HttpClient client, string? email = null)
    {
        email ??= Json.NewEmail();
        var profile = await KnownProfileAsync(email);
        var id = MessageId();
        var opened = await ReceiveAsync(client, new { from = $"Ana Silva <{email}>", to = "help@shop.example", subject = "Parcel missing", text = "My parcel never came.", messageId = id });
        return (profile, opened.GetProperty("ticketNumber").GetString()!, id);
    }

    [SkippableFact]
    public async Task Inbound_email_opens_a_ticket_on_the_senders_profile_and_replies_thread_into_it()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var email = Json.NewEmail();
        var profile = await KnownProfileAsync(email);
        var first = MessageId();
        var opened = await ReceiveAsync(client, new
        {
            from = $"Ana Silva <{email.ToUpperInvariant()}>", to = "help@shop.example", subject = "Where is my parcel?", text = "Order CO-1 has not arrived.",
            html = "<p>Order <b>CO-1</b> has not arrived.</p><script>alert(1)</script><img src=\"https://tracker.example/p.gif\">", messageId = first,
            attachments = new[] { new { fileName = "photo.jpg", contentType = "image/jpeg", size = 1234 } },
        });
        Assert.True(opened.GetProperty("created").GetBoolean());
        var number = opened.GetProperty("ticketNumber").GetString()!;
        Assert.Matches(@"^T-\d{6}$", number);

        var ticket = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Number == number));
        Assert.Equal(profile, ticket.ProfileId);
        Assert.Equal((TicketStatus.New, "email", "Where is my parcel?"), (ticket.Status, ticket.Channel, ticket.Subject));
        var stored = await app.WithDbAsync(db => db.TicketMessages.SingleAsync(m => m.TicketId == ticket.Id));
        Assert.Equal(first.Trim('<', '>'), stored.ExternalMessageId);
        Assert.Equal(MessageDirection.Inbound, stored.Direction);
        Assert.Contains("<b>CO-1</b>", stored.BodyHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("script", stored.BodyHtml, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("tracker.example", stored.BodyHtml, StringComparison.Ordinal);
        Assert.Contains("photo.jpg", stored.Attachments, StringComparison.Ordinal);

        // A redelivered webhook is recognised by its Message-ID.
        var again = await ReceiveAsync(client, new { from = email, subject = "Where is my parcel?", text = "Order CO-1 has not arrived.", messageId = first });
        Assert.True(again.GetProperty("duplicate").GetBoolean());

        // A reply threads by In-Reply-To even with a different subject, and by the subject token without headers.
        var reply = await ReceiveAsync(client, new { from = email, subject = "Re: something else", text = "Any news?", messageId = MessageId(), inReplyTo = first });
        Assert.Equal((number, false), (reply.GetProperty("ticketNumber").GetString(), reply.GetProperty("created").GetBoolean()));
        var byReferences = await ReceiveAsync(client, new { from = email, subject = "Fwd", text = "Hello?", messageId = MessageId(), references = $"<unknown@x> {first}" });
        Assert.Equal(number, byReferences.GetProperty("ticketNumber").GetString());
        var byToken = await ReceiveAsync(client, new { from = email, subject = $"Still waiting [{number}]", text = "Still nothing." });
        Assert.Equal(number, byToken.GetProperty("ticketNumber").GetString());
        Assert.Equal(4, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => m.TicketId == ticket.Id)));

        // Someone else quoting the token gets their own ticket and a profile of their own.
        var stranger = Json.NewEmail();
        var other = await ReceiveAsync(client, new { from = stranger, subject = $"About [{number}]", html = "<p>I saw this number</p>" });
        Assert.True(other.GetProperty("created").GetBoolean());
        Assert.NotEqual(number, other.GetProperty("ticketNumber").GetString());
        var strangerTicket = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Number == other.GetProperty("ticketNumber").GetString()));
        Assert.NotEqual(profile, strangerTicket.ProfileId);
        Assert.Equal("About", strangerTicket.Subject);
        Assert.Equal(strangerTicket.ProfileId, await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:" + stranger).Select(i => i.ProfileId).SingleAsync()));
        Assert.Equal("I saw this number", await app.WithDbAsync(db => db.TicketMessages.Where(m => m.TicketId == strangerTicket.Id).Select(m => m.BodyText).SingleAsync()));

        // The customer 360's timeline shows the ticket's footprints.
        using var admin = app.AdminClient();
        var timeline = await (await admin.GetAsync($"/api/v1/customers/{profile}/timeline?limit=50")).ReadJsonAsync();
        var entries = timeline.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("sourceId").GetString() == number).ToList();
        Assert.Equal(["ticket_created", "ticket_message_received", "ticket_message_received", "ticket_message_received"],
            entries.Select(e => e.GetProperty("type").GetString()).Reverse());
        Assert.All(entries, e => Assert.Equal("ticket", e.GetProperty("sourceKind").GetString()));
    }

    [SkippableFact]
    public async Task Bad_stale_or_missing_signatures_are_refused_and_nothing_is_stored()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var email = Json.NewEmail();
        var id = MessageId();
        var mail = new { from = email, subject = "Hi", text = "Hello", messageId = id };
        var responses = new[]
        {
            await client.SendAsync(Signed(mail, secret: "not-the-secret-at-all")),
            await client.SendAsync(Signed(mail, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds())),
            await client.PostAsync("/api/v1/support/inbound/email", new StringContent(JsonSerializer.Serialize(mail), Encoding.UTF8, "application/json")),
        };
        foreach (var response in responses)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal(ProblemTypes.Unauthorized, (await response.ReadJsonAsync()).GetProperty("type").GetString());
        }
        Assert.False(await app.WithDbAsync(db => db.TicketMessages.AnyAsync(m => m.ExternalMessageId == id.Trim('<', '>'))));
        Assert.False(await app.WithDbAsync(db => db.Identities.AnyAsync(i => i.Key == "email:" + email)));

        var noSender = await client.SendAsync(Signed(new { subject = "Hi", text = "Hello" }));
        Assert.Equal(HttpStatusCode.BadRequest, noSender.StatusCode);
        var empty = await client.SendAsync(Signed(new { from = email, subject = "Hi" }));
        Assert.Equal(HttpStatusCode.BadRequest, empty.StatusCode);
    }

    [SkippableFact]
    public async Task Agent_replies_go_to_the_mail_outbox_and_the_timeline_and_status_changes_are_recorded()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var email = Json.NewEmail();
        var (profile, number, _) = await OpenByEmailAsync(client, email);

        string replyId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
            var ticket = (await tickets.FindAsync(number, default))!;
            var result = await scope.ServiceProvider.GetRequiredService<EmailChannel>().ReplyAsync(ticket, "agent-1", "Ines", "We are on it.\nIt left the depot today.", null, default);
            Assert.True(result.Emailed);
            Assert.Equal(TicketStatus.PendingCustomer, ticket.Status);
            Assert.NotNull(ticket.FirstResponseAt);
            replyId = result.Message.ExternalMessageId!;
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Note, "web", "Ines", "Carrier says Tuesday.", Author: "agent-1"), default);
        }
        var sent = await app.WithDbAsync(db => db.Mail.Where(m => m.To == email).SingleAsync());
        Assert.Contains($"[{number}]", sent.Subject, StringComparison.Ordinal);
        Assert.Contains("It left the depot today.", sent.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(replyId, sent.HtmlBody, StringComparison.Ordinal);

        // The customer answers our mail: it threads by our Message-ID and the ticket is open again.
        var answer = await ReceiveAsync(client, new { from = email, subject = "Re: Parcel missing", text = "Thanks!", messageId = MessageId(), inReplyTo = $"<{replyId}>" });
        Assert.Equal(number, answer.GetProperty("ticketNumber").GetString());
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
            var ticket = (await tickets.FindAsync(number, default))!;
            Assert.Equal(TicketStatus.Open, ticket.Status);
            await tickets.ChangeStatusAsync(ticket, TicketStatus.Solved, "agent-1", default);
            Assert.NotNull(ticket.SolvedAt);
            await tickets.ChangeStatusAsync(ticket, TicketStatus.Closed, "agent-1", default);
            var closed = await Assert.ThrowsAsync<DomainException>(() => tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Inbound, "web", "Ana", "One more thing"), default));
            Assert.Equal("ticket-closed", closed.Code);
            Assert.Equal(2, (await tickets.ThreadAsync(ticket.Id, includeNotes: false, default)).Count(m => m.Direction == MessageDirection.Inbound));
            Assert.Single(await tickets.ThreadAsync(ticket.Id, includeNotes: true, default), m => m.Direction == MessageDirection.Note);
        }
        // Mail about a closed ticket opens a new one.
        var late = await ReceiveAsync(client, new { from = email, subject = $"Re: Parcel missing [{number}]", text = "It came broken." });
        Assert.True(late.GetProperty("created").GetBoolean());

        var footprints = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profile && i.SourceId == number).OrderBy(i => i.ReceivedAt).ThenBy(i => i.Id)
            .Select(i => new { i.Type, i.Channel, i.Properties }).ToListAsync());
        Assert.Equal(["ticket_created", "ticket_replied", "ticket_status_changed", "ticket_message_received", "ticket_status_changed", "ticket_status_changed", "ticket_status_changed"],
            footprints.Select(f => f.Type));
        Assert.Equal("email", footprints[1].Channel);
        var moves = footprints.Where(f => f.Type == "ticket_status_changed").Select(f => JsonDocument.Parse(f.Properties).RootElement)
            .Select(p => p.GetProperty("from").GetString() + ">" + p.GetProperty("to").GetString());
        Assert.Equal(["New>PendingCustomer", "PendingCustomer>Open", "Open>Solved", "Solved>Closed"], moves);
    }

    [SkippableFact]
    public async Task A_customer_who_refused_service_email_gets_the_reply_in_the_portal_only_and_phone_calls_are_logged()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var email = Json.NewEmail();
        var (profile, number, _) = await OpenByEmailAsync(client, email);
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        await s.GetRequiredService<ConsentService>().RecordAsync(profile, "email", ConsentPurposes.Service, false, "test", null, default);
        await s.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        var tickets = s.GetRequiredService<TicketService>();
        var ticket = (await tickets.FindAsync(number, default))!;

        var result = await s.GetRequiredService<EmailChannel>().ReplyAsync(ticket, "agent-1", "Ines", "Answer in the portal", TicketStatus.OnHold, default);
        Assert.False(result.Emailed);
        Assert.Equal(SupportChannels.Web, result.Message.Channel);
        Assert.Equal(TicketStatus.OnHold, ticket.Status);
        Assert.False(await app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == email)));

        await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, SupportChannels.Phone, "Ines", "Called about the parcel.", Author: "agent-1",
            CallSeconds: 185, CallOutcome: "resolved"), default, TicketStatus.Solved);
        Assert.Equal(TicketStatus.Solved, ticket.Status);
        var call = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.ProfileId == profile && i.Type == "ticket_call_logged"));
        Assert.Equal("phone", call.Channel);
        Assert.Contains("185", call.Properties, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Customers_find_only_their_own_tickets_and_the_inbox_filters_by_view()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var (mine, number, _) = await OpenByEmailAsync(client);
        var (theirs, otherNumber, _) = await OpenByEmailAsync(client);
        await using var scope = app.Services.CreateAsyncScope();
        var tickets = scope.ServiceProvider.GetRequiredService<TicketService>();
        Assert.NotNull(await tickets.FindOwnAsync(number, mine, default));
        Assert.Null(await tickets.FindOwnAsync(otherNumber, mine, default));
        Assert.Null(await tickets.FindOwnAsync(number, theirs, default));
        Assert.Equal([number], (await tickets.ListOwnAsync(mine, default)).Select(t => t.Number));

        var web = await tickets.OpenAsync(mine, "Change my address", new NewMessage(MessageDirection.Inbound, SupportChannels.Web, "Ana", "New address: Rua 2"), "CO-ABC", default);
        Assert.Equal("CO-ABC", web.OrderNumber);
        var agent = "agent-" + Guid.NewGuid().ToString("N");
        await tickets.UpdateAsync(web, TicketPriority.Urgent, TicketType.Task, agent, "Address, urgent address", null, default);
        Assert.Equal("address urgent", web.Tags);
        var minePage = await tickets.InboxAsync(new InboxQuery(InboxViews.Mine, agent), default);
        Assert.Equal([web.Number], minePage.Select(t => t.Number));
        var unassigned = await tickets.InboxAsync(new InboxQuery(InboxViews.Unassigned, Channel: SupportChannels.Email, Priority: TicketPriority.Normal), default);
        Assert.Contains(unassigned, t => t.Number == number);
        Assert.DoesNotContain(unassigned, t => t.Number == web.Number);
        Assert.Contains(await tickets.InboxAsync(new InboxQuery(Priority: TicketPriority.Urgent, Channel: SupportChannels.Web), default), t => t.Number == web.Number);
    }

    [SkippableFact]
    public async Task The_portal_shows_a_signed_in_customer_their_own_ticket_and_not_found_for_anyone_elses()
    {
        app.SkipIfUnavailable();
        using var webhook = app.CreateClient();
        var email = Json.NewEmail();
        var (profile, number, _) = await OpenByEmailAsync(webhook, email);
        var (_, otherNumber, _) = await OpenByEmailAsync(webhook);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.UserManager<Centric.Server.Platform.Identity.CentricUser>>();
            var user = new Centric.Server.Platform.Identity.CentricUser { UserName = email, Email = email, EmailConfirmed = true, ProfileId = profile, DisplayName = "Ana Silva" };
            Assert.True((await users.CreateAsync(user, "Portal-pass-1234")).Succeeded);
        }
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });
        var login = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = email, ["Input.Password"] = "Portal-pass-1234",
            ["__RequestVerificationToken"] = await TokenAsync(client, "/Account/Login"),
        }));
        Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);

        var own = await client.GetAsync($"/support/{number}");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.Contains("Parcel missing", await own.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/support/{otherNumber}")).StatusCode);
        Assert.Contains(number, await client.GetStringAsync("/support"), StringComparison.Ordinal);
        Assert.DoesNotContain(otherNumber, await client.GetStringAsync("/support"), StringComparison.Ordinal);

        var reply = await client.PostAsync($"/support/{number}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "reply", ["Text"] = "Replying from the portal", ["__RequestVerificationToken"] = await TokenAsync(client, $"/support/{number}"),
        }));
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.TicketMessages.AnyAsync(m => m.ProfileId == profile && m.Channel == "web" && m.BodyText == "Replying from the portal")));
    }

    private static async Task<string> TokenAsync(HttpClient client, string path)
    {
        var html = await client.GetStringAsync(path);
        var input = System.Text.RegularExpressions.Regex.Match(html, "<input[^>]*__RequestVerificationToken[^>]*>").Value;
        var token = System.Text.RegularExpressions.Regex.Match(input, "value=\"([^\"]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(token), $"no antiforgery token on {path}");
        return System.Net.WebUtility.HtmlDecode(token);
    }

    [SkippableFact]
    public async Task Help_search_ranks_title_matches_first_and_hides_drafts()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var kb = scope.ServiceProvider.GetRequiredService<KnowledgeBase>();
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        var inBody = await kb.SaveAsync(null, new ArticleInput($"Delivery times {word[..4]}", null, $"Parcels usually arrive in two days. Lost {word}? Ask us.", "Delivery", true), default);
        var inTitle = await kb.SaveAsync(null, new ArticleInput($"Lost {word} parcel", null, "What to do when a parcel is lost.", "Delivery", true), default);
        await kb.SaveAsync(null, new ArticleInput($"Draft {word}", null, $"{word} {word} {word}", "Delivery", false), default);

        var hits = await kb.SearchAsync($"lost {word}", 10, default);
        Assert.Equal([inTitle.Slug, inBody.Slug], hits.Select(h => h.Slug).Take(2));
        Assert.Null(await kb.FindPublishedAsync(KnowledgeBase.Slugify($"Draft {word}"), default));
        var clash = await Assert.ThrowsAsync<DomainException>(() => kb.SaveAsync(null, new ArticleInput("x", inTitle.Slug, "y", null, true), default));
        Assert.Equal("article-slug-taken", clash.Code);

        var article = (await kb.FindPublishedAsync(inTitle.Slug, default))!;
        article.Body = "# Title\n\n<script>alert(1)</script> **bold**";
        var html = kb.Render(article);
        Assert.Contains("<strong>bold</strong>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
    }
}

public sealed class SupportSqliteApp : CentricAppFactory
{
    public SupportSqliteApp() : base("sqlite") => SupportTests.Configure(this);
}

public sealed class SupportPostgresApp : CentricAppFactory
{
    public SupportPostgresApp() : base("postgres") => SupportTests.Configure(this);
}

public sealed class SupportOnSqlite(SupportSqliteApp app) : SupportTests(app), IClassFixture<SupportSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class SupportOnPostgres(SupportPostgresApp app) : SupportTests(app), IClassFixture<SupportPostgresApp>;
