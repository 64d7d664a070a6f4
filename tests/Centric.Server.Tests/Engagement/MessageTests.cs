using Centric.Server.Engagement.Contracts;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Sms;
using Centric.Server.Engagement.Templates;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Centric.Server.Platform.Signing;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;
using SmtpServer.Protocol;

namespace Centric.Server.Tests.Engagement;

/// <summary>
/// Messages on every channel: templates filled in for a customer, email with tracked links and one-click unsubscribe, bounces,
/// SMS through the sandbox provider with delivery receipts, and the template API's answers to bad input and missing scopes.
/// </summary>
public abstract partial class MessageTests(string provider)
{
    private const string BounceSecret = "test-bounce-secret-0123456789";
    private const string SmsSecret = "test-sms-secret-0123456789";

    private ManualClockApp NewApp()
    {
        var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false").With("Engagement:BounceSecret", BounceSecret).With("Engagement:Sms:Secret", SmsSecret)
            .With("Engagement:Sms:DeliveryEnabled", "false").With("Centric:PublicBaseUrl", "https://shop.example").With("Logging:LogLevel:Default", "Error");
        return app;
    }

    private sealed record Person(Guid Id, string Email, string Phone);

    private static async Task<Person> PersonAsync(ManualClockApp app, string first, bool marketing = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var email = $"{Guid.NewGuid():N}@example.com";
        var phone = "+4479" + Random.Shared.NextInt64(10_000_000, 99_999_999);
        var profile = await directory.FindOrCreateByEmailAsync(email, first, default);
        (profile.FirstName, profile.LastName) = (first, "Silva");
        directory.AddIdentity(profile, IdentityKinds.Phone, phone, verified: true);
        var consent = scope.ServiceProvider.GetRequiredService<ConsentService>();
        if (marketing)
        {
            await consent.RecordAsync(profile.Id, "email", "marketing", true, "test", null, default);
            await consent.RecordAsync(profile.Id, "sms", "marketing", true, "test", null, default);
        }
        await db.SaveChangesAsync();
        return new Person(profile.Id, email, phone);
    }

    private static async Task<Guid> TemplateAsync(ManualClockApp app, NewMessageTemplate template)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<MessageTemplates>().CreateAsync(template, "test", default)).Id;
    }

    private static async Task<SendOutcome> SendAsync(ManualClockApp app, OutgoingMessage message)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<IMessageSender>().SendAsync(message, default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return outcome;
    }

    private static HttpRequestMessage Signed(string path, string header, string secret, object body)
    {
        var json = JsonSerializer.Serialize(body, JsonSerializerOptions.Web);
        return new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new StringContent(json, Encoding.UTF8, "application/json"),
            Headers = { { header, HmacSignature.Sign(secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), json) } },
        };
    }

    [GeneratedRegex("""https://shop\.example/m/click/[A-Za-z0-9_-]+""")]
    private static partial Regex ClickLink();

    [GeneratedRegex("""https://shop\.example/m/open/[A-Za-z0-9_-]+""")]
    private static partial Regex OpenLink();

    [SkippableFact]
    public async Task A_template_is_filled_in_for_the_customer_and_encodes_what_it_is_given()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        var ana = await PersonAsync(app, "<b>Ana</b>");
        var template = await TemplateAsync(app, new("Cart", "email", "marketing", "Still thinking, {{ first_name }}?",
            "<p>Hi {{ first_name }} {{ last_name }}, your cart holds {{ cart_total }}.</p><script>alert(1)</script><a href=\"/cart\">Back to my cart</a>"));

        Assert.Equal(SendOutcome.Sent, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "marketing", "test:cart:" + ana.Id, "test", template,
            Data: new Dictionary<string, string> { ["cart_total"] = "€42 & more", ["first_name"] = "Mallory" })));
        var mail = await app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.To == ana.Email));
        Assert.Equal("Still thinking, <b>Ana</b>?", mail.Subject);
        // The customer's name wins over a value of the same name; every value is HTML-encoded; script is gone.
        Assert.Contains("Hi &lt;b&gt;Ana&lt;/b&gt; Silva, your cart holds €42 &amp; more.", mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", mail.HtmlBody, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Mallory", mail.HtmlBody, StringComparison.Ordinal);
        // The link goes through a signed click link; an open pixel and an unsubscribe link are added; the RFC 8058 headers are on the row.
        Assert.DoesNotContain("href=\"https://shop.example/cart\"", mail.HtmlBody, StringComparison.Ordinal);
        Assert.Matches(ClickLink(), mail.HtmlBody);
        Assert.Matches(OpenLink(), mail.HtmlBody);
        Assert.Contains("https://shop.example/unsubscribe/", mail.HtmlBody, StringComparison.Ordinal);
        var headers = JsonSerializer.Deserialize<Dictionary<string, string>>(mail.Headers!)!;
        Assert.Matches("^<https://shop\\.example/unsubscribe/[A-Za-z0-9_-]+/one-click>$", headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", headers["List-Unsubscribe-Post"]);
        var row = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.ProfileId == ana.Id));
        Assert.Equal((mail.Id, template, MessageStatus.Sent), (row.Id, row.TemplateId, row.Status));

        // The same send key never sends twice; a template for another channel is refused; so is an unknown one.
        Assert.Equal(SendOutcome.AlreadySent, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "marketing", "test:cart:" + ana.Id, "test", template)));
        Assert.Equal(SendOutcome.NoTemplate, await SendAsync(app, new OutgoingMessage(ana.Id, "sms", "marketing", "test:sms:" + ana.Id, "test", template)));
        Assert.Equal(SendOutcome.NoTemplate, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "marketing", "test:x:" + ana.Id, "test", Guid.NewGuid())));
        Assert.Equal(1, await app.WithDbAsync(db => db.Mail.CountAsync(m => m.To == ana.Email)));

        // A service email has no unsubscribe link or headers.
        Assert.Equal(SendOutcome.Sent, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "service", "test:service:" + ana.Id, "test", Subject: "Your account", Body: "Hello")));
        var service = await app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.To == ana.Email && m.Subject == "Your account"));
        Assert.Null(service.Headers);
        Assert.DoesNotContain("/unsubscribe/", service.HtmlBody, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Opening_and_clicking_are_recorded_and_only_the_messages_own_links_redirect()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        var ana = await PersonAsync(app, "Ana");
        var template = await TemplateAsync(app, new("Links", "email", "marketing", "News", "<p><a href=\"https://partner.example/offer?x=1\">Offer</a> <a href=\"/shop?sort=new\">New in</a></p>"));
        Assert.Equal(SendOutcome.Sent, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "marketing", "test:links:" + ana.Id, "test", template)));
        var mail = await app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.To == ana.Email));
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

        var open = new Uri(OpenLink().Match(mail.HtmlBody).Value).PathAndQuery;
        using (var pixel = await client.GetAsync(open))
        {
            Assert.Equal(HttpStatusCode.OK, pixel.StatusCode);
            Assert.Equal("image/gif", pixel.Content.Headers.ContentType?.MediaType);
        }
        (await client.GetAsync(open)).Dispose();
        var click = new Uri(ClickLink().Match(mail.HtmlBody).Value).PathAndQuery;
        using (var redirect = await client.GetAsync(click))
        {
            Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
            Assert.Equal("https://partner.example/offer?x=1", redirect.Headers.Location?.ToString());
        }
        // A link to the shop itself goes on by its path, whichever host the click came to.
        using (var own = await client.GetAsync(new Uri(ClickLink().Matches(mail.HtmlBody)[1].Value).PathAndQuery))
        {
            Assert.Equal(HttpStatusCode.Redirect, own.StatusCode);
            Assert.Equal("/shop?sort=new", own.Headers.Location?.ToString());
        }
        // A token changed by one character, or made up, leads nowhere.
        var tampered = click[..^3] + (click[^3] == 'A' ? 'B' : 'A') + click[^2..];
        using (var bad = await client.GetAsync(tampered)) Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        using (var bad = await client.GetAsync("/m/click/" + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{mail.Id}\nhttps://evil.example")))) Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        using (var bad = await client.GetAsync("/m/open/nonsense")) Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);

        var row = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.Id == mail.Id));
        Assert.NotNull(row.OpenedAt);
        Assert.NotNull(row.ClickedAt);
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == ana.Id).Select(i => i.Type).ToListAsync());
        Assert.Equal(1, types.Count(InteractionTypes.MessageOpened.Is));
        var clicked = await app.WithDbAsync(db => db.Interactions.AsNoTracking().Where(i => i.ProfileId == ana.Id && i.Type == InteractionTypes.MessageClicked.Name).ToListAsync());
        Assert.Equal(["https://partner.example/offer?x=1", "https://shop.example/shop?sort=new"],
            clicked.Select(i => InteractionTypes.MessageClicked.Read(i.Properties)!.Url).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Unsubscribing_withdraws_that_channel_and_purpose_for_that_customer_only()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        var ana = await PersonAsync(app, "Ana");
        var ben = await PersonAsync(app, "Ben");
        var template = await TemplateAsync(app, new("News", "email", "marketing", "News", "<p>News</p>"));
        foreach (var p in new[] { ana, ben })
            Assert.Equal(SendOutcome.Sent, await SendAsync(app, new OutgoingMessage(p.Id, "email", "marketing", "test:news:" + p.Id, "test", template)));
        var mail = await app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.To == ana.Email));
        var oneClick = new Uri(JsonSerializer.Deserialize<Dictionary<string, string>>(mail.Headers!)!["List-Unsubscribe"].Trim('<', '>')).PathAndQuery;
        using var client = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = new Uri("https://localhost") });

        // The page behind the link in the body asks first (mail scanners open links); a tampered token is not found.
        var page = oneClick[..^"/one-click".Length];
        using (var ask = await client.GetAsync(page))
        {
            Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
            Assert.Contains("unsubscribe-button", await ask.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.True(await app.WithDbAsync(db => new ProfileTraits(db).MayContactAsync(ana.Id, "email", "marketing", default)));
        // (Its last character changed to another: a fixed suffix would now and then be the token's own.)
        var tampered = page[..^1] + (page[^1] == 'x' ? 'y' : 'x');
        using (var bad = await client.GetAsync(tampered)) Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);
        using (var bad = await client.PostAsync(oneClick.Replace("/one-click", "x/one-click", StringComparison.Ordinal), new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")])))
            Assert.Equal(HttpStatusCode.NotFound, bad.StatusCode);

        // RFC 8058: the mail program's POST unsubscribes at once; twice changes nothing more.
        for (var i = 0; i < 2; i++)
        {
            using var posted = await client.PostAsync(oneClick, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode);
        }
        Assert.False(await app.WithDbAsync(db => new ProfileTraits(db).MayContactAsync(ana.Id, "email", "marketing", default)));
        Assert.True(await app.WithDbAsync(db => new ProfileTraits(db).MayContactAsync(ana.Id, "sms", "marketing", default)));
        Assert.True(await app.WithDbAsync(db => new ProfileTraits(db).MayContactAsync(ben.Id, "email", "marketing", default)));
        Assert.Equal(1, await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == ana.Id && i.Type == InteractionTypes.MessageUnsubscribed.Name)));
        // And the next marketing email is not sent.
        Assert.Equal(SendOutcome.NoConsent, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "marketing", "test:news2:" + ana.Id, "test", template)));
    }

    [SkippableFact]
    public async Task A_signed_bounce_marks_the_message_bounced_and_an_unsigned_one_is_refused()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        var ana = await PersonAsync(app, "Ana");
        Assert.Equal(SendOutcome.Sent, await SendAsync(app, new OutgoingMessage(ana.Id, "email", "service", "test:b:" + ana.Id, "test", Subject: "Hi", Body: "Hello")));
        var id = await app.WithDbAsync(db => db.EngagementMessages.Where(m => m.ProfileId == ana.Id).Select(m => m.Id).SingleAsync());
        var messageId = SmtpDelivery.Mime(await app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.Id == id)), new SmtpOptions { From = "Shop <news@shop.example>" }).MessageId;
        using var client = app.CreateClient();

        var body = new { messageId = $"<{messageId}>", reason = "550 5.1.1 no such user", permanent = true };
        using (var unsigned = await client.PostAsJsonAsync("/api/v1/webhooks/email/bounce", body)) Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
        using (var wrong = await client.SendAsync(Signed("/api/v1/webhooks/email/bounce", "Mail-Signature", "another-secret-0123456789", body))) Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using (var unknown = await client.SendAsync(Signed("/api/v1/webhooks/email/bounce", "Mail-Signature", BounceSecret, new { messageId = $"<{Guid.NewGuid():N}@shop.example>" })))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using (var ok = await client.SendAsync(Signed("/api/v1/webhooks/email/bounce", "Mail-Signature", BounceSecret, body))) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var row = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.Id == id));
        Assert.Equal((MessageStatus.Bounced, "550 5.1.1 no such user"), (row.Status, row.FailureReason));
        var bounced = await app.WithDbAsync(db => db.Interactions.AsNoTracking().SingleAsync(i => i.ProfileId == ana.Id && i.Type == InteractionTypes.MessageBounced.Name));
        Assert.True(InteractionTypes.MessageBounced.Read(bounced.Properties)!.Permanent);
    }

    [SkippableFact]
    public async Task An_sms_goes_through_the_sandbox_once_and_a_receipt_marks_it_delivered()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        var ana = await PersonAsync(app, "Ana");
        var nobody = await PersonAsync(app, "Nobody", marketing: false);
        var template = await TemplateAsync(app, new("Win back", "sms", "marketing", null, "{{ first_name }}, {{ offer }} off. Reply STOP to opt out."));
        Assert.Equal(SendOutcome.Sent, await SendAsync(app, new OutgoingMessage(ana.Id, "sms", "marketing", "test:sms:" + ana.Id, "test", template,
            Data: new Dictionary<string, string> { ["offer"] = "10%" })));
        Assert.Equal(SendOutcome.NoConsent, await SendAsync(app, new OutgoingMessage(nobody.Id, "sms", "marketing", "test:sms:" + nobody.Id, "test", template)));
        var delivery = app.Services.GetRequiredService<SmsDelivery>();
        Assert.Equal(1, await delivery.SendDueAsync(default));
        Assert.Equal(0, await delivery.SendDueAsync(default));

        var sandbox = await app.WithDbAsync(db => db.SandboxSms.AsNoTracking().Where(s => s.To == ana.Phone).ToListAsync());
        Assert.Equal("Ana, 10% off. Reply STOP to opt out.", Assert.Single(sandbox).Text);
        var row = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.ProfileId == ana.Id));
        Assert.Equal((MessageStatus.Sent, sandbox[0].Reference), (row.Status, row.ProviderMessageId));

        using var client = app.CreateClient();
        using (var bad = await client.SendAsync(Signed("/api/v1/webhooks/sms/receipt", "Sms-Signature", SmsSecret, new { messageId = row.ProviderMessageId, status = "lost" })))
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        using (var ok = await client.SendAsync(Signed("/api/v1/webhooks/sms/receipt", "Sms-Signature", SmsSecret, new { messageId = row.ProviderMessageId, status = "delivered" })))
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        row = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.ProfileId == ana.Id));
        Assert.Equal(MessageStatus.Delivered, row.Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == ana.Id && i.Type == InteractionTypes.MessageDelivered.Name)));
    }

    [SkippableFact]
    public async Task The_template_api_checks_input_and_scopes()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("messages:read", "messages:write"));
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("messages:read"));
        using var other = app.ClientWithKey(await app.CreateKeyAsync("segments:read"));

        var created = await writer.PostAsJsonAsync("/api/v1/message-templates", new { name = "Welcome", channel = "email", purpose = "marketing", subject = "Hi {{ first_name }}", body = "<p>Hello</p>" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using (var again = await writer.PostAsJsonAsync("/api/v1/message-templates", new { name = "WELCOME", channel = "sms", purpose = "marketing", body = "x" }))
            Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        foreach (var bad in new object[]
        {
            new { name = "Broken", channel = "email", purpose = "marketing", subject = "Hi", body = "{% if %}" },
            new { name = "No subject", channel = "email", purpose = "marketing", subject = "", body = "x" },
            new { name = "Fax", channel = "fax", purpose = "marketing", subject = "x", body = "x" },
            new { name = "Spam", channel = "email", purpose = "spam", subject = "x", body = "x" },
        })
        {
            using var answer = await writer.PostAsJsonAsync("/api/v1/message-templates", bad);
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        }
        using (var put = await writer.PutAsJsonAsync($"/api/v1/message-templates/{id}", new { name = "Welcome", channel = "email", purpose = "marketing", subject = "Welcome!", body = "<p>Hello {{ first_name }}</p>" }))
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var read = await reader.GetFromJsonAsync<JsonElement>($"/api/v1/message-templates/{id}");
        Assert.Equal("Welcome!", read.GetProperty("subject").GetString());
        Assert.Contains((await reader.GetFromJsonAsync<JsonElement>("/api/v1/message-templates")).GetProperty("items").EnumerateArray(), t => t.GetProperty("id").GetGuid() == id);
        using (var missing = await reader.GetAsync($"/api/v1/message-templates/{Guid.NewGuid()}")) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using (var refused = await reader.PostAsJsonAsync("/api/v1/message-templates", new { name = "X", channel = "sms", purpose = "service", body = "x" }))
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        using (var refused = await other.GetAsync("/api/v1/message-templates")) Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}

public abstract class MessageConsoleTests(string provider)
{
    [SkippableFact]
    public async Task Marketers_write_preview_and_test_templates_in_the_console_and_other_staff_are_refused()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false").With("Engagement:Sms:DeliveryEnabled", "false");
        app.SkipIfUnavailable();
        var email = $"{Guid.NewGuid():N}@example.com";
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var profile = await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync(email, "Zoe", default);
            profile.FirstName = "Zoe";
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        }
        using var agent = await StaffSession.SignInAsync(app, "Agent", withMfa: true);
        Assert.True(StaffSession.Refused(await agent.GetAsync("/console/engagement/templates")));
        Assert.True(StaffSession.Refused(await agent.GetAsync("/console/engagement/sms")));
        using var marketer = await StaffSession.SignInAsync(app, "Marketer", withMfa: true);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/console/engagement/templates")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await marketer.GetAsync("/console/engagement/sms")).StatusCode);

        var token = await StaffSession.AntiforgeryTokenAsync(marketer, "/console/engagement/templates/new");
        var fields = new Dictionary<string, string>
        {
            ["_handler"] = "template", ["__RequestVerificationToken"] = token, ["name"] = "Console welcome", ["channel"] = "email",
            ["purpose"] = "marketing", ["subject"] = "Hello {{ first_name }}", ["body"] = "<p>Welcome, {{ first_name }}!</p>",
        };
        var broken = await marketer.PostAsync("/console/engagement/templates/new", new FormUrlEncodedContent(new Dictionary<string, string>(fields) { ["body"] = "{% if %}" }));
        Assert.Contains("Not a valid template", await broken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var save = await marketer.PostAsync("/console/engagement/templates/new", new FormUrlEncodedContent(fields));
        var id = await app.WithDbAsync(db => db.MessageTemplates.Where(t => t.Name == "Console welcome").Select(t => t.Id).SingleAsync());
        Assert.Contains($"console/engagement/templates/{id}", save.Headers.Location?.ToString() ?? save.RequestMessage!.RequestUri!.ToString());

        var preview = await marketer.GetStringAsync($"/console/engagement/templates/{id}?customer={Uri.EscapeDataString(email.ToUpperInvariant())}");
        Assert.Contains("Hello Zoe", preview, StringComparison.Ordinal);
        Assert.Contains("<p>Welcome, Zoe!</p>", preview, StringComparison.Ordinal);

        var testToken = await StaffSession.AntiforgeryTokenAsync(marketer, $"/console/engagement/templates/{id}");
        var sent = await marketer.PostAsync($"/console/engagement/templates/{id}", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "test-send", ["__RequestVerificationToken"] = testToken, ["customer"] = email, ["to"] = "me@shop.example",
        }));
        Assert.Contains("Test sent to me@shop.example", await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var mail = await app.WithDbAsync(db => db.Mail.AsNoTracking().SingleAsync(m => m.To == "me@shop.example"));
        Assert.Equal("[Test] Hello Zoe", mail.Subject);
        Assert.Equal(0, await app.WithDbAsync(db => db.EngagementMessages.CountAsync()));
        Assert.Equal(HttpStatusCode.NotFound, (await marketer.GetAsync($"/console/engagement/templates/{Guid.NewGuid()}")).StatusCode);
    }
}

public sealed class MessageConsoleOnSqlite() : MessageConsoleTests("sqlite");

public sealed class MessageConsoleOnPostgres() : MessageConsoleTests("postgres");

public sealed class MessagesOnSqlite() : MessageTests("sqlite");

public sealed class MessagesOnPostgres() : MessageTests("postgres");
