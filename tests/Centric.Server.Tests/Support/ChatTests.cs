using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Signing;
using Centric.Server.Support.Chat;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

public abstract class ChatTests(CentricAppFactory app)
{
    public const string TelephonySecret = "test-telephony-secret-0123456789";

    /// <summary>A widget visitor: their token, an HTTP client that sends it, and a live hub connection hearing their conversation.</summary>
    private sealed class Visitor(string token, HttpClient http, HubConnection hub, Channel<JsonElement> heard) : IAsyncDisposable
    {
        public string Token => token;
        public HttpClient Http => http;
        public HubConnection Hub => hub;

        public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (true)
            {
                var message = await heard.Reader.ReadAsync(timeout.Token);
                if (match(message)) return message;
            }
        }

        public Task<JsonElement> SendAsync(string text, string? clientId = null) =>
            hub.InvokeAsync<JsonElement>("Send", clientId ?? NewClientId(), text);

        public async ValueTask DisposeAsync()
        {
            await hub.DisposeAsync();
            http.Dispose();
        }
    }

    private static string NewClientId() => Guid.NewGuid().ToString("N");

    private async Task<Visitor> VisitorAsync(string? token = null)
    {
        var http = app.CreateClient();
        if (token is null)
        {
            var session = await (await http.PostAsync("/chat/api/visitor", null)).ReadJsonAsync();
            token = session.GetProperty("visitorToken").GetString()!;
        }
        http.DefaultRequestHeaders.Add(ChatVisitors.Header, token);
        var hub = Connect("/chat/hub", token);
        var heard = Channel.CreateUnbounded<JsonElement>();
        hub.On<string, JsonElement>("message", (_, m) => heard.Writer.TryWrite(m));
        await hub.StartAsync();
        return new Visitor(token, http, hub, heard);
    }

    private HubConnection Connect(string path, string? token) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.Server.BaseAddress, path), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            if (token is not null) o.Headers[ChatVisitors.Header] = token;
        })
        .Build();

    private async Task<Ticket> TicketAsync(string number) => await app.WithDbAsync(db => db.Tickets.AsNoTracking().SingleAsync(t => t.Number == number));

    private static ChatService ChatIn(AsyncServiceScope scope) => scope.ServiceProvider.GetRequiredService<ChatService>();

    private static HttpRequestMessage SignedCall(object call, long? unix = null, string secret = TelephonySecret)
    {
        var body = JsonSerializer.Serialize(call, JsonSerializerOptions.Web);
        return new(HttpMethod.Post, "/api/v1/support/inbound/call")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { ChatModule.SignatureHeader, HmacSignature.Sign(secret, unix ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body) } },
        };
    }

    [SkippableFact]
    public async Task A_visitors_first_message_opens_a_chat_ticket_and_a_resent_message_is_stored_once()
    {
        app.SkipIfUnavailable();
        _ = app.CreateClient();
        await using var visitor = await VisitorAsync();
        var clientId = NewClientId();
        var first = await visitor.SendAsync("Hello, is anyone there?", clientId);
        Assert.Equal((1L, "customer"), (first.GetProperty("sequence").GetInt64(), first.GetProperty("from").GetString()));
        var again = await visitor.SendAsync("Hello, is anyone there?", clientId);
        Assert.Equal(first.GetProperty("id").GetGuid(), again.GetProperty("id").GetGuid());

        var state = await visitor.Hub.InvokeAsync<JsonElement>("Resume", null, 0L);
        var number = state.GetProperty("ticketNumber").GetString()!;
        Assert.Single(state.GetProperty("messages").EnumerateArray());
        var ticket = await TicketAsync(number);
        Assert.Equal((SupportChannels.Chat, TicketStatus.New, 1L), (ticket.Channel, ticket.Status, ticket.LastSequence));
        Assert.Equal(1, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => m.TicketId == ticket.Id)));
        // The chat is on the visitor's anonymous profile's timeline.
        var profile = await app.WithDbAsync(db => db.Profiles.SingleAsync(p => p.Id == ticket.ProfileId));
        Assert.Equal(ProfileKind.Anonymous, profile.Kind);
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.ProfileId == ticket.ProfileId && i.Type == "ticket_created" && i.SourceId == number)));

        // The same id over HTTP (a client that fell back) is still the same message.
        var viaHttp = await (await visitor.Http.PostAsJsonAsync("/chat/api/messages", new { clientMessageId = clientId, text = "Hello, is anyone there?" })).ReadJsonAsync();
        Assert.Equal(first.GetProperty("id").GetGuid(), viaHttp.GetProperty("id").GetGuid());
        var bad = await visitor.Http.PostAsJsonAsync("/chat/api/messages", new { clientMessageId = "x", text = "hi" });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(ProblemTypes.Validation, (await bad.ReadJsonAsync()).GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task A_reconnecting_client_gets_exactly_the_messages_after_its_last_sequence_and_hears_agents_live()
    {
        app.SkipIfUnavailable();
        _ = app.CreateClient();
        await using var visitor = await VisitorAsync();
        await visitor.SendAsync("one");
        var two = await visitor.SendAsync("two");
        var number = (await visitor.Hub.InvokeAsync<JsonElement>("Resume", null, 0L)).GetProperty("ticketNumber").GetString()!;

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var chat = ChatIn(scope);
            await chat.AgentSendAsync(number, "agent-1", "Sam", NewClientId(), "Hi, Sam here.", null, default);
            await chat.AgentSendAsync(number, "agent-1", "Sam", NewClientId(), "Customer sounds worried", "note", default);
        }
        var live = await visitor.NextAsync(m => m.GetProperty("from").GetString() == "agent");
        Assert.Equal(("Hi, Sam here.", 3L), (live.GetProperty("text").GetString(), live.GetProperty("sequence").GetInt64()));

        // A second connection (the page after a dropped network) resumes after what it saw; notes never reach the customer.
        await using var again = await VisitorAsync(visitor.Token);
        await again.SendAsync("three");
        var resumed = await again.Hub.InvokeAsync<JsonElement>("Resume", null, two.GetProperty("sequence").GetInt64());
        Assert.Equal(["Hi, Sam here.", "three"], resumed.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));
        Assert.Equal([3L, 5L], resumed.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("sequence").GetInt64()));
        var viaHttp = await (await again.Http.GetAsync("/chat/api/conversation?after=4")).ReadJsonAsync();
        Assert.Equal(["three"], viaHttp.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("text").GetString()));

        // Read receipts only move forward.
        await again.Hub.InvokeAsync("Read", 5L);
        await again.Hub.InvokeAsync("Read", 1L);
        var ticket = await TicketAsync(number);
        Assert.Equal(5L, await app.WithDbAsync(db => db.ChatConversations.Where(c => c.TicketId == ticket.Id).Select(c => c.CustomerReadSequence).SingleAsync()));
        Assert.Equal(TicketStatus.Open, ticket.Status);
        Assert.NotNull(ticket.FirstResponseAt);
    }

    [SkippableFact]
    public async Task Another_visitors_conversation_and_files_are_not_found_over_the_hub_or_http()
    {
        app.SkipIfUnavailable();
        _ = app.CreateClient();
        await using var owner = await VisitorAsync();
        await owner.SendAsync("private matter");
        var number = (await owner.Hub.InvokeAsync<JsonElement>("Resume", null, 0L)).GetProperty("ticketNumber").GetString()!;
        using var png = new MultipartFormDataContent { { new ByteArrayContent(Png), "file", "photo.png" }, { new StringContent(NewClientId()), "clientMessageId" } };
        var file = (await (await owner.Http.PostAsync("/chat/api/attachments", png)).ReadJsonAsync()).GetProperty("attachment").GetProperty("id").GetGuid();

        await using var stranger = await VisitorAsync();
        var refused = await Assert.ThrowsAsync<HubException>(() => stranger.Hub.InvokeAsync<JsonElement>("Resume", number, 0L));
        Assert.Contains("HubException: chat-not-found", refused.Message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/chat/api/conversation?ticket={number}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.Http.GetAsync($"/chat/api/attachments/{file}")).StatusCode);
        // The stranger's own conversation is empty: nothing of the owner's leaks into "mine".
        var mine = await stranger.Hub.InvokeAsync<JsonElement>("Resume", null, 0L);
        Assert.Equal(JsonValueKind.Null, mine.GetProperty("ticketNumber").ValueKind);
        await stranger.SendAsync("my own question");
        Assert.NotEqual(number, (await stranger.Hub.InvokeAsync<JsonElement>("Resume", null, 0L)).GetProperty("ticketNumber").GetString());
        var ownerTicket = await TicketAsync(number);
        Assert.Equal(2, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => m.TicketId == ownerTicket.Id)));

        // No token (or a forged one) is no visitor at all; the agents' hub is for staff only.
        using var anonymous = app.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/chat/api/conversation")).StatusCode);
        anonymous.DefaultRequestHeaders.Add(ChatVisitors.Header, "forged-token");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/chat/api/conversation")).StatusCode);
        await using var agentHub = Connect("/console/chat/hub", owner.Token);
        await Assert.ThrowsAnyAsync<Exception>(() => agentHub.StartAsync());
        Assert.Equal(HttpStatusCode.OK, (await owner.Http.GetAsync($"/chat/api/attachments/{file}")).StatusCode);
    }

    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 1, 2, 3, 4];

    [SkippableFact]
    public async Task Attachments_are_accepted_by_their_content_within_the_size_limit()
    {
        app.SkipIfUnavailable();
        _ = app.CreateClient();
        await using var visitor = await VisitorAsync();
        MultipartFormDataContent Form(byte[] bytes, string name, string type)
        {
            var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new(type);
            return new() { { content, "file", name }, { new StringContent(NewClientId()), "clientMessageId" } };
        }

        using var ok = Form(Png, "../../etc/photo.png", "application/octet-stream");
        var sent = await (await visitor.Http.PostAsync("/chat/api/attachments", ok)).ReadJsonAsync();
        var attachment = sent.GetProperty("attachment");
        Assert.Equal(("photo.png", "image/png"), (attachment.GetProperty("fileName").GetString(), attachment.GetProperty("contentType").GetString()));
        Assert.Equal("attachment", sent.GetProperty("kind").GetString());
        var download = await visitor.Http.GetAsync($"/chat/api/attachments/{attachment.GetProperty("id").GetGuid()}");
        Assert.Equal("image/png", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Png, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());

        // A script named like a picture, and a file over the limit (4 KiB in this test host), are refused and not stored.
        using var disguised = Form(Encoding.UTF8.GetBytes("<script>alert(1)</script>"), "cat.png", "image/png");
        var refused = await visitor.Http.PostAsync("/chat/api/attachments", disguised);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.EndsWith("attachment-type", (await refused.ReadJsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        using var large = Form([.. Png, .. new byte[5000]], "big.png", "image/png");
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await visitor.Http.PostAsync("/chat/api/attachments", large)).StatusCode);
        var ticketId = await app.WithDbAsync(db => db.ChatAttachments.Where(a => a.Id == attachment.GetProperty("id").GetGuid()).Select(a => a.TicketId).SingleAsync());
        Assert.Equal(1, await app.WithDbAsync(db => db.ChatAttachments.CountAsync(a => a.TicketId == ticketId)));
    }

    /// <summary>The code in the newest verification mail to <paramref name="email"/>.</summary>
    private async Task<string> MailedCodeAsync(string email)
    {
        var html = await app.WithDbAsync(db => db.Mail.Where(m => m.To == email && m.Subject == "Your chat verification code")
            .OrderByDescending(m => m.CreatedAt).Select(m => m.HtmlBody).FirstAsync());
        return System.Text.RegularExpressions.Regex.Match(html, "<b>([0-9]{6})</b>").Groups[1].Value;
    }

    [SkippableFact]
    public async Task A_visitor_who_claims_a_customers_email_stays_apart_until_they_enter_the_code_mailed_there()
    {
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        Guid known;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            known = (await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync(email, "Ana Silva", default)).Id;
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        using var customer = await PortalSession.SignInAsync(app, known, email);
        using var agent = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Agent, withMfa: true);
        await using var visitor = await VisitorAsync();
        await visitor.SendAsync("Before I say who I am");
        var number = (await visitor.Hub.InvokeAsync<JsonElement>("Resume", null, 0L)).GetProperty("ticketNumber").GetString()!;
        var anonymous = (await TicketAsync(number)).ProfileId;
        Assert.NotEqual(known, anonymous);

        var bad = await Assert.ThrowsAsync<HubException>(() => visitor.Hub.InvokeAsync<JsonElement>("Identify", "not an email"));
        Assert.Contains("HubException: validation", bad.Message, StringComparison.Ordinal);

        // Saying an address proves nothing: the chat stays on the visitor's own profile, out of the customer's portal.
        var claimed = await visitor.Hub.InvokeAsync<JsonElement>("Identify", email);
        Assert.False(claimed.GetProperty("verified").GetBoolean());
        Assert.Equal(number, claimed.GetProperty("conversation").GetProperty("ticketNumber").GetString());
        await visitor.SendAsync("I am Ana, tell me my address");
        Assert.Equal(anonymous, (await TicketAsync(number)).ProfileId);
        Assert.Equal(0, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => m.ProfileId == known)));
        Assert.Null(await app.WithDbAsync(db => db.Profiles.Where(p => p.Id == anonymous).Select(p => p.MergedIntoId).SingleAsync()));
        Assert.DoesNotContain(number, await customer.Client.GetStringAsync("/support"), StringComparison.Ordinal);
        using var admin = app.AdminClient();
        var timeline = await (await admin.GetAsync($"/api/v1/customers/{known}/timeline?limit=50")).ReadJsonAsync();
        Assert.DoesNotContain(timeline.GetProperty("items").EnumerateArray(), e => e.GetProperty("sourceId").GetString() == number);
        // Agents see the claim, marked unverified.
        var page = await agent.GetStringAsync($"/console/tickets/{number}");
        Assert.Contains("chat-unverified-email", page, StringComparison.Ordinal);
        Assert.Contains(email, page, StringComparison.Ordinal);

        // A wrong code changes nothing; five wrong codes use the claim up.
        var code = await MailedCodeAsync(email);
        Assert.Matches("^[0-9]{6}$", code);
        var wrong = code == "000000" ? "111111" : "000000";
        var refused = await Assert.ThrowsAsync<HubException>(() => visitor.Hub.InvokeAsync<JsonElement>("ConfirmEmail", wrong));
        Assert.Contains("chat-code-invalid", refused.Message, StringComparison.Ordinal);
        Assert.Equal(anonymous, (await TicketAsync(number)).ProfileId);

        // The right code attaches the chat to the customer: their portal and timeline now hold it, agents see no claim.
        var confirmed = await visitor.Hub.InvokeAsync<JsonElement>("ConfirmEmail", code);
        Assert.True(confirmed.GetProperty("verified").GetBoolean());
        await visitor.SendAsync("Now you know me");
        var ticket = await TicketAsync(number);
        Assert.Equal(known, ticket.ProfileId);
        Assert.Equal(0, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => m.TicketId == ticket.Id && m.ProfileId != known)));
        Assert.Equal(known, await app.WithDbAsync(db => db.Profiles.Where(p => p.Id == anonymous).Select(p => p.MergedIntoId).SingleAsync()));
        Assert.Contains(number, await customer.Client.GetStringAsync("/support"), StringComparison.Ordinal);
        timeline = await (await admin.GetAsync($"/api/v1/customers/{known}/timeline?limit=50")).ReadJsonAsync();
        var types = timeline.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("sourceId").GetString() == number).Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("ticket_created", types);
        Assert.Contains("ticket_message_received", types);
        Assert.DoesNotContain("chat-unverified-email", await agent.GetStringAsync($"/console/tickets/{number}"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Guessing_the_code_is_cut_off_after_five_tries()
    {
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        await using var visitor = await VisitorAsync();
        await visitor.SendAsync("Hello");
        Assert.False((await visitor.Hub.InvokeAsync<JsonElement>("Identify", email)).GetProperty("verified").GetBoolean());
        var code = await MailedCodeAsync(email);
        var wrong = code == "000000" ? "111111" : "000000";
        for (var i = 0; i < ChatEmailVerification.MaxAttempts; i++)
            await Assert.ThrowsAsync<HubException>(() => visitor.Hub.InvokeAsync<JsonElement>("ConfirmEmail", wrong));
        var expired = await Assert.ThrowsAsync<HubException>(() => visitor.Hub.InvokeAsync<JsonElement>("ConfirmEmail", code));
        Assert.Contains("chat-code-expired", expired.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_customer_signed_in_is_verified_by_their_session_and_needs_a_code_only_for_another_address()
    {
        app.SkipIfUnavailable();
        var email = Json.NewEmail();
        Guid known;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            known = (await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync(email, "Ana Silva", default)).Id;
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        using var customer = await PortalSession.SignInAsync(app, known, email);
        var token = (await (await customer.Client.PostAsync("/chat/api/visitor", null)).ReadJsonAsync()).GetProperty("visitorToken").GetString()!;
        customer.Client.DefaultRequestHeaders.Add(ChatVisitors.Header, token);
        var own = await (await customer.Client.PostAsJsonAsync("/chat/api/identify", new { email = email.ToUpperInvariant() })).ReadJsonAsync();
        Assert.True(own.GetProperty("verified").GetBoolean());
        Assert.False(await app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == email && m.Subject == "Your chat verification code")));

        var other = Json.NewEmail();
        var response = await customer.Client.PostAsJsonAsync("/chat/api/identify", new { email = other });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False((await response.ReadJsonAsync()).GetProperty("verified").GetBoolean());
        var wrong = await customer.Client.PostAsJsonAsync("/chat/api/identify/confirm", new { code = "12" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Equal(ProblemTypes.ForCode("chat-code-invalid"), (await wrong.ReadJsonAsync()).GetProperty("type").GetString());
    }

    [SkippableFact]
    public async Task A_call_back_request_and_the_providers_call_join_the_chat_thread_once_and_bad_signatures_are_refused()
    {
        app.SkipIfUnavailable();
        using var webhook = app.CreateClient();
        await using var visitor = await VisitorAsync();
        await visitor.SendAsync("Can someone phone me?");
        var badPhone = await Assert.ThrowsAsync<HubException>(() => visitor.Hub.InvokeAsync<JsonElement>("RequestCallback", NewClientId(), "call me maybe", "today"));
        Assert.Contains("HubException: validation", badPhone.Message, StringComparison.Ordinal);
        var request = await visitor.Hub.InvokeAsync<JsonElement>("RequestCallback", NewClientId(), "+44 20 7946 0000", "after 5pm");
        Assert.Equal("callback_request", request.GetProperty("kind").GetString());
        Assert.Contains("+44 20 7946 0000", request.GetProperty("text").GetString(), StringComparison.Ordinal);
        var number = (await visitor.Hub.InvokeAsync<JsonElement>("Resume", null, 0L)).GetProperty("ticketNumber").GetString()!;

        var callId = "call-" + NewClientId();
        var call = new { callId, from = "+441234567", to = "+44 20 7946 0000", durationSeconds = 185, outcome = "resolved", recordingUrl = "https://calls.example/rec/1.mp3", reference = number };
        foreach (var refusedCall in new[] { SignedCall(call, secret: "not-the-telephony-secret"), SignedCall(call, DateTimeOffset.UtcNow.AddMinutes(-20).ToUnixTimeSeconds()) })
        {
            var refused = await webhook.SendAsync(refusedCall);
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
            Assert.Equal(ProblemTypes.Unauthorized, (await refused.ReadJsonAsync()).GetProperty("type").GetString());
        }
        Assert.False(await app.WithDbAsync(db => db.TicketMessages.AnyAsync(m => m.ExternalMessageId == "call:" + callId)));

        var first = await (await webhook.SendAsync(SignedCall(call))).ReadJsonAsync();
        Assert.Equal((number, false), (first.GetProperty("ticketNumber").GetString(), first.GetProperty("duplicate").GetBoolean()));
        var heard = await visitor.NextAsync(m => m.GetProperty("kind").GetString() == "call");
        Assert.Equal((185, "resolved", "https://calls.example/rec/1.mp3"),
            (heard.GetProperty("callSeconds").GetInt32(), heard.GetProperty("callOutcome").GetString(), heard.GetProperty("recordingUrl").GetString()));
        var again = await (await webhook.SendAsync(SignedCall(call))).ReadJsonAsync();
        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => m.ExternalMessageId == "call:" + callId)));
        var ticket = await TicketAsync(number);
        Assert.Equal(TicketStatus.Solved, ticket.Status);
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.Type == "ticket_call_logged" && i.SourceId == number && i.Channel == "phone")));

        var unknown = await webhook.SendAsync(SignedCall(new { callId = "c-" + NewClientId(), durationSeconds = 5, reference = "T-000000" }));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        var missing = await webhook.SendAsync(SignedCall(new { callId = "c-" + NewClientId(), reference = number }));
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);

        // The whole conversation, as the customer reads it: chat, call-back request, then the call.
        var thread = await visitor.Hub.InvokeAsync<JsonElement>("Resume", null, 0L);
        Assert.Equal([null, "callback_request", "call"], thread.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("kind").GetString()));
    }
}

public sealed class ChatSqliteApp : CentricAppFactory
{
    public ChatSqliteApp() : base("sqlite") => With("Support:Chat:TelephonySecret", ChatTests.TelephonySecret).With("Support:Chat:MaxAttachmentBytes", "4096");
}

public sealed class ChatPostgresApp : CentricAppFactory
{
    public ChatPostgresApp() : base("postgres") => With("Support:Chat:TelephonySecret", ChatTests.TelephonySecret).With("Support:Chat:MaxAttachmentBytes", "4096");
}

public sealed class ChatOnSqlite(ChatSqliteApp app) : ChatTests(app), IClassFixture<ChatSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ChatOnPostgres(ChatPostgresApp app) : ChatTests(app), IClassFixture<ChatPostgresApp>;

public abstract class ChatRateLimitTests(CentricAppFactory app)
{
    [SkippableFact]
    public async Task Hub_sends_and_widget_requests_over_their_limits_are_refused()
    {
        app.SkipIfUnavailable();
        using var http = app.CreateClient();
        var token = (await (await http.PostAsync("/chat/api/visitor", null)).ReadJsonAsync()).GetProperty("visitorToken").GetString()!;
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(app.Server.BaseAddress, "/chat/hub"), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            o.Headers[ChatVisitors.Header] = token;
        }).Build();
        await hub.StartAsync();
        for (var i = 0; i < 3; i++) await hub.InvokeAsync<JsonElement>("Send", Guid.NewGuid().ToString("N"), $"message {i}");
        var limited = await Assert.ThrowsAsync<HubException>(() => hub.InvokeAsync<JsonElement>("Send", Guid.NewGuid().ToString("N"), "one too many"));
        Assert.Contains("rate-limited", limited.Message, StringComparison.Ordinal);

        HttpResponseMessage? refused = null;
        for (var i = 0; i < 10 && refused is null; i++)
        {
            var response = await http.PostAsync("/chat/api/visitor", null);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }
        Assert.NotNull(refused);
        Assert.Equal(ProblemTypes.RateLimited, (await refused.ReadJsonAsync()).GetProperty("type").GetString());
    }
}

public sealed class ChatLimitedSqliteApp : CentricAppFactory
{
    public ChatLimitedSqliteApp() : base("sqlite") => With("Support:Chat:MessagesPerMinute", "3").With("Support:Chat:WidgetRequestsPerMinute", "4");
}

public sealed class ChatLimitedPostgresApp : CentricAppFactory
{
    public ChatLimitedPostgresApp() : base("postgres") => With("Support:Chat:MessagesPerMinute", "3").With("Support:Chat:WidgetRequestsPerMinute", "4");
}

public sealed class ChatRateLimitOnSqlite(ChatLimitedSqliteApp app) : ChatRateLimitTests(app), IClassFixture<ChatLimitedSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ChatRateLimitOnPostgres(ChatLimitedPostgresApp app) : ChatRateLimitTests(app), IClassFixture<ChatLimitedPostgresApp>;
