using System.Net;
using System.Text;
using System.Text.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Signing;
using Centric.Server.Support.Email;
using Centric.Server.Support.Messaging;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Support;

public abstract class MessagingTests(MessagingApp app)
{
    private static HttpRequestMessage Signed(object message, string secret = MessagingApp.InboundSecret, long? unix = null)
    {
        var body = JsonSerializer.Serialize(message, JsonSerializerOptions.Web);
        return new(HttpMethod.Post, "/api/v1/support/inbound/message")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
            Headers = { { EmailChannel.SignatureHeader, HmacSignature.Sign(secret, unix ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body) } },
        };
    }

    private static async Task<JsonElement> ReceiveAsync(HttpClient client, object message)
    {
        var response = await client.SendAsync(Signed(message));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static string NewPhone() => "+4479" + Random.Shared.NextInt64(10_000_000, 99_999_999);

    private async Task<Guid> ProfileWithPhoneAsync(string phone)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var profile = await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByIdentityAsync(IdentityKinds.Phone, phone, null, default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return profile.Id;
    }

    [SkippableFact]
    public async Task Stop_by_sms_withdraws_sms_marketing_and_opens_no_request()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var phone = NewPhone();
        var profile = await ProfileWithPhoneAsync(phone);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(profile, "sms", "marketing", true, "test", null, default);
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        Assert.True(await app.WithDbAsync(db => ProfileTraitsOf(db).MayContactAsync(profile, "sms", "marketing", default)));

        var answer = await ReceiveAsync(client, new { channel = "sms", from = phone, to = "+442079460000", text = " Stop ", messageId = Json.NewId() });
        Assert.False(answer.GetProperty("created").GetBoolean());
        Assert.False(await app.WithDbAsync(db => ProfileTraitsOf(db).MayContactAsync(profile, "sms", "marketing", default)));
        Assert.True(await app.WithDbAsync(db => ProfileTraitsOf(db).MayContactAsync(profile, "sms", "service", default)));
        Assert.False(await app.WithDbAsync(db => db.Tickets.AnyAsync(t => t.ProfileId == profile)));
        Assert.Equal("sms STOP", await app.WithDbAsync(db => db.ConsentChanges.Where(c => c.ProfileId == profile && !c.Granted).Select(c => c.Source).SingleAsync()));

        // Words around "stop" are a message for an agent, not an opt-out.
        await ReceiveAsync(client, new { channel = "sms", from = phone, to = "+442079460000", text = "Please stop the delivery", messageId = Json.NewId() });
        Assert.True(await app.WithDbAsync(db => db.Tickets.AnyAsync(t => t.ProfileId == profile)));
    }

    private static ProfileTraits ProfileTraitsOf(CentricDbContext db) => new(db);

    [SkippableFact]
    public async Task Sms_from_a_known_phone_threads_into_its_open_ticket_and_a_redelivery_is_a_duplicate()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var phone = NewPhone();
        var profile = await ProfileWithPhoneAsync(phone);
        var spaced = $"{phone[..3]} {phone[3..7]} {phone[7..]}";
        var first = Json.NewId();
        var opened = await ReceiveAsync(client, new { channel = "sms", from = spaced, to = "+442079460000", text = "Hi, where is my order?", messageId = first });
        Assert.True(opened.GetProperty("created").GetBoolean());
        var number = opened.GetProperty("ticketNumber").GetString()!;
        var ticket = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Number == number));
        Assert.Equal((profile, "sms"), (ticket.ProfileId, ticket.Channel));

        var again = await ReceiveAsync(client, new
        {
            channel = "sms", from = phone, to = "+442079460000", text = "", messageId = Json.NewId(),
            attachments = new[] { new { fileName = "label.jpg", contentType = "image/jpeg", size = 2048, url = "https://media.example/1.jpg" } },
        });
        Assert.Equal((number, false, false), (again.GetProperty("ticketNumber").GetString(), again.GetProperty("created").GetBoolean(), again.GetProperty("duplicate").GetBoolean()));
        var repeat = await ReceiveAsync(client, new { channel = "sms", from = phone, text = "Hi, where is my order?", messageId = first });
        Assert.True(repeat.GetProperty("duplicate").GetBoolean());
        var thread = await app.WithDbAsync(db => db.TicketMessages.Where(m => m.TicketId == ticket.Id).OrderBy(m => m.Sequence).ToListAsync());
        Assert.Equal(2, thread.Count);
        Assert.Contains("label.jpg", thread[1].Attachments, StringComparison.Ordinal);

        // The same number on WhatsApp is the same customer in a conversation of its own.
        var whatsapp = await ReceiveAsync(client, new { channel = "whatsapp", from = "whatsapp:" + phone, text = "Hello from WhatsApp", messageId = first });
        Assert.True(whatsapp.GetProperty("created").GetBoolean());
        var other = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Number == whatsapp.GetProperty("ticketNumber").GetString()));
        Assert.Equal((profile, "whatsapp"), (other.ProfileId, other.Channel));
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profile).Select(i => i.Type + "/" + i.Channel).ToListAsync());
        Assert.Contains("ticket_created/sms", types);
        Assert.Contains("ticket_message_received/sms", types);
        Assert.Contains("ticket_created/whatsapp", types);
    }

    [SkippableFact]
    public async Task Social_handles_resolve_to_an_identity_of_that_network_and_bad_input_is_refused()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var handle = "ana." + Json.NewId()[..8];
        var first = await ReceiveAsync(client, new { channel = "instagram", from = "@" + handle.ToUpperInvariant(), text = "Do you ship to Madeira?", messageId = Json.NewId() });
        var second = await ReceiveAsync(client, new { channel = "instagram", from = handle, text = "And the Azores?", messageId = Json.NewId() });
        Assert.Equal(first.GetProperty("ticketNumber").GetString(), second.GetProperty("ticketNumber").GetString());
        var identity = await app.WithDbAsync(db => db.Identities.SingleAsync(i => i.Key == "instagram:" + handle));
        var ticket = await app.WithDbAsync(db => db.Tickets.SingleAsync(t => t.Number == first.GetProperty("ticketNumber").GetString()));
        Assert.Equal(identity.ProfileId, ticket.ProfileId);

        var id = Json.NewId();
        foreach (var bad in new object[]
        {
            new { channel = "pager", from = handle, text = "x", messageId = id },
            new { channel = "sms", from = "not a phone", text = "x", messageId = id },
            new { channel = "x", from = handle, text = "", messageId = id },
            new { channel = "facebook", from = handle, text = "x" },
        })
        {
            var response = await client.SendAsync(Signed(bad));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        var wrong = await client.SendAsync(Signed(new { channel = "facebook", from = handle, text = "x", messageId = id }, "some-other-secret-0123456789"));
        var stale = await client.SendAsync(Signed(new { channel = "facebook", from = handle, text = "x", messageId = id }, unix: DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 900));
        Assert.Equal((HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized), (wrong.StatusCode, stale.StatusCode));
        Assert.False(await app.WithDbAsync(db => db.TicketMessages.AnyAsync(m => m.ExternalMessageId == "facebook:" + id || m.ExternalMessageId == "pager:" + id)));
        Assert.False(await app.WithDbAsync(db => db.Identities.AnyAsync(i => i.Key == "facebook:" + handle)));
    }

    [SkippableFact]
    public async Task Social_senders_are_named_as_the_network_names_them_or_by_their_handle()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var named = "bea." + Json.NewId()[..8];
        var bare = "cid." + Json.NewId()[..8];
        await ReceiveAsync(client, new { channel = "facebook", from = named, fromName = "Beatriz Costa", text = "Is the kettle back in stock?", messageId = Json.NewId() });
        await ReceiveAsync(client, new { channel = "x", from = "@" + bare, text = "Parcel late again", messageId = Json.NewId() });
        var beatriz = await ProfileOfAsync("facebook:" + named);
        Assert.Equal(("Beatriz", "Costa", "Beatriz Costa"), (beatriz.FirstName, beatriz.LastName, beatriz.DisplayName));
        Assert.Contains("beatriz", beatriz.SearchText, StringComparison.Ordinal);
        Assert.Equal("@" + bare, (await ProfileOfAsync("x:" + bare)).DisplayName);

        // A customer already known by phone but without a name takes the one WhatsApp gives; a known name is kept.
        var phone = NewPhone();
        var nameless = await ProfileWithPhoneAsync(phone);
        await ReceiveAsync(client, new { channel = "whatsapp", from = "whatsapp:" + phone, fromName = "Duarte Lopes", text = "Hello", messageId = Json.NewId() });
        await ReceiveAsync(client, new { channel = "whatsapp", from = phone, fromName = "Someone Else", text = "Hello again", messageId = Json.NewId() });
        var duarte = await app.WithDbAsync(db => db.Profiles.SingleAsync(p => p.Id == nameless));
        Assert.Equal("Duarte Lopes", duarte.DisplayName);
    }

    private async Task<Centric.Server.Customers.Profiles.CustomerProfile> ProfileOfAsync(string identityKey) =>
        await app.WithDbAsync(db => db.Identities.Where(i => i.Key == identityKey)
            .Join(db.Profiles, i => i.ProfileId, p => p.Id, (i, p) => p).SingleAsync());

    [SkippableFact]
    public async Task Agent_replies_are_posted_signed_to_the_provider_and_retried_until_accepted()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var phone = NewPhone();
        var profile = await ProfileWithPhoneAsync(phone);
        var opened = await ReceiveAsync(client, new { channel = "sms", from = phone, text = "Can I change my delivery day?", messageId = Json.NewId() });
        var number = opened.GetProperty("ticketNumber").GetString()!;
        app.Endpoint.Answer(500);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var ticket = (await scope.ServiceProvider.GetRequiredService<TicketService>().FindAsync(number, default))!;
            var reply = await scope.ServiceProvider.GetRequiredService<MessagingChannel>().ReplyAsync(ticket, "agent-1", "Sam", "Yes — reply DAY with a date.", null, default);
            Assert.True(reply.Queued);
            Assert.Equal(TicketStatus.PendingCustomer, ticket.Status);
        }
        await Json.EventuallyAsync(async () => await app.WithDbAsync(db => db.OutboundMessages.AnyAsync(m => m.TicketNumber == number && m.Status == OutboundStatus.Sent)),
            "the reply is delivered after one failed attempt");
        var sent = await app.WithDbAsync(db => db.OutboundMessages.SingleAsync(m => m.TicketNumber == number));
        Assert.Equal(2, sent.Attempts);
        var calls = app.Endpoint.Received.Where(r => r.Body.Contains(number, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, calls.Count);
        foreach (var call in calls)
            Assert.True(HmacSignature.Verify(MessagingApp.OutboundSecret, call.Signature!, call.Body, DateTimeOffset.UtcNow, TimeSpan.FromMinutes(5)));
        var body = JsonDocument.Parse(calls[0].Body).RootElement;
        Assert.Equal(("sms", phone, "Yes — reply DAY with a date."), (body.GetProperty("channel").GetString(), body.GetProperty("to").GetString(), body.GetProperty("text").GetString()));
        Assert.Equal(sent.TicketMessageId, body.GetProperty("id").GetGuid());
        Assert.True(await app.WithDbAsync(db => db.Interactions.AnyAsync(i => i.ProfileId == profile && i.Type == "ticket_replied" && i.Channel == "sms")));
    }

    [SkippableFact]
    public async Task A_customer_who_refused_service_sms_gets_the_reply_on_the_thread_only()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var phone = NewPhone();
        var profile = await ProfileWithPhoneAsync(phone);
        var opened = await ReceiveAsync(client, new { channel = "sms", from = phone, text = "Stop texting me, answer by mail", messageId = Json.NewId() });
        var number = opened.GetProperty("ticketNumber").GetString()!;
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(profile, "sms", ConsentPurposes.Service, false, "test", null, default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        var ticket = (await scope.ServiceProvider.GetRequiredService<TicketService>().FindAsync(number, default))!;
        var reply = await scope.ServiceProvider.GetRequiredService<MessagingChannel>().ReplyAsync(ticket, "agent-1", "Sam", "Noted.", null, default);
        Assert.False(reply.Queued);
        Assert.Contains("refused", reply.NotSentBecause, StringComparison.Ordinal);
        Assert.False(await app.WithDbAsync(db => db.OutboundMessages.AnyAsync(m => m.TicketNumber == number)));
        Assert.True(await app.WithDbAsync(db => db.TicketMessages.AnyAsync(m => m.Id == reply.Message.Id && m.Direction == MessageDirection.Outbound)));
    }
}

public class MessagingApp : CentricAppFactory
{
    public const string InboundSecret = "test-messaging-inbound-0123456789";
    public const string OutboundSecret = "test-messaging-outbound-0123456789";

    protected MessagingApp(string provider) : base(provider)
    {
        Endpoint = WebhookReceiver.StartAsync().GetAwaiter().GetResult();
        With("Support:Messaging:InboundSecret", InboundSecret);
        With("Support:Messaging:OutboundSecret", OutboundSecret);
        With("Support:Messaging:OutboundUrl", Endpoint.Url);
        With("Support:Messaging:PollInterval", "00:00:00.050");
        With("Support:Messaging:FirstRetryDelay", "00:00:00.200");
    }

    /// <summary>The messaging provider's endpoint: a real HTTP listener on loopback.</summary>
    public WebhookReceiver Endpoint { get; }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await Endpoint.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class MessagingSqliteApp() : MessagingApp("sqlite");

public sealed class MessagingPostgresApp() : MessagingApp("postgres");

public sealed class MessagingOnSqlite(MessagingSqliteApp app) : MessagingTests(app), IClassFixture<MessagingSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class MessagingOnPostgres(MessagingPostgresApp app) : MessagingTests(app), IClassFixture<MessagingPostgresApp>;
