using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Contracts;
using Centric.Server.Engagement.Messages;
using Centric.Server.Engagement.Push;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Centric.Testing;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Engagement;

/// <summary>
/// Web push: a customer's devices over the API (their own only), and messages on the push channel sent through a real push
/// service on loopback (<see cref="PushReceiver"/>) that checks the VAPID signature and decrypts each payload with the keys of
/// the subscription the test made: delivered once, retried after a failure, and an expired device removed.
/// </summary>
public abstract class PushTests(string provider)
{
    private ManualClockApp NewApp()
    {
        var app = new ManualClockApp(provider);
        app.With("Engagement:BackgroundJobs", "false").With("Engagement:Push:DeliveryEnabled", "false").With("Engagement:Sms:DeliveryEnabled", "false")
            .With("Engagement:Push:Subject", "mailto:push@shop.example").With("Logging:LogLevel:Default", "Error");
        return app;
    }

    private static object Subscription(TestDevice device) => new { endpoint = device.Endpoint, expirationTime = (long?)null, keys = new { p256dh = device.P256dh, auth = device.Auth } };

    private static async Task<Guid> SubscribeAsync(ApiCustomer customer, TestDevice device)
    {
        using var response = await customer.Client.PostAsJsonAsync("/api/v1/me/push-subscriptions", Subscription(device));
        Assert.True(response.IsSuccessStatusCode, $"subscribing answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    private static async Task<SendOutcome> SendAsync(ManualClockApp app, Guid profile, string subject, string body, string? link = null, string purpose = "service")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<IMessageSender>()
            .SendAsync(new OutgoingMessage(profile, ConsentChannels.Push, purpose, "test:push:" + Guid.NewGuid(), "test", Subject: subject, Body: body, Link: link), default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return outcome;
    }

    private static async Task<string> PublicKeyAsync(ManualClockApp app)
    {
        using var anonymous = app.CreateClient();
        return (await anonymous.GetFromJsonAsync<JsonElement>("/push/public-key")).GetProperty("publicKey").GetString()!;
    }

    private static Task<int> CountAsync(ManualClockApp app, Guid profile, InteractionType type) =>
        app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == profile && i.Type == type.Name && i.Channel == ConsentChannels.Push));

    [SkippableFact]
    public async Task A_customer_sees_and_manages_only_their_own_push_devices()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        await using var receiver = await PushReceiver.StartAsync();
        using var ana = await ApiCustomer.SignInAsync(app);
        using var bo = await ApiCustomer.SignInAsync(app);
        var (phone, laptop) = (receiver.NewDevice(), receiver.NewDevice());
        var anasPhone = await SubscribeAsync(ana, phone);
        var bosLaptop = await SubscribeAsync(bo, laptop);

        var listed = await ana.Client.GetFromJsonAsync<JsonElement>("/api/v1/me/push-subscriptions");
        Assert.Equal([anasPhone], listed.EnumerateArray().Select(d => d.GetProperty("id").GetGuid()));
        Assert.Equal(phone.Endpoint, listed[0].GetProperty("endpoint").GetString());

        // The browser renewed its keys: the same endpoint again updates the one device.
        var renewed = receiver.NewDevice() with { Endpoint = phone.Endpoint };
        Assert.Equal(anasPhone, await SubscribeAsync(ana, renewed));
        var stored = await app.WithDbAsync(db => db.PushSubscriptions.AsNoTracking().Where(s => s.Endpoint == phone.Endpoint).ToListAsync());
        Assert.Equal((renewed.P256dh, renewed.Auth, ana.Profile), (Assert.Single(stored).P256dh, stored[0].Auth, stored[0].ProfileId));

        // What is not a browser's subscription is refused, naming the field.
        var notOnTheCurve = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode([0x04, .. new byte[64]]);
        foreach (var (body, field) in new (object?, string)[]
                 {
                     (new { endpoint = "http://push.example/send/1", keys = new { p256dh = phone.P256dh, auth = phone.Auth } }, "endpoint"),
                     (new { endpoint = "ftp://push.example/send/1", keys = new { p256dh = phone.P256dh, auth = phone.Auth } }, "endpoint"),
                     (new { endpoint = "https://push.example/" + new string('a', 2000), keys = new { p256dh = phone.P256dh, auth = phone.Auth } }, "endpoint"),
                     (new { endpoint = "https://push.example/send/1", keys = new { p256dh = notOnTheCurve, auth = phone.Auth } }, "keys.p256dh"),
                     (new { endpoint = "https://push.example/send/1", keys = new { p256dh = phone.Auth, auth = phone.Auth } }, "keys.p256dh"),
                     (new { endpoint = "https://push.example/send/1", keys = new { p256dh = phone.P256dh, auth = phone.P256dh } }, "keys.auth"),
                     (new { endpoint = "https://push.example/send/1" }, "keys.p256dh"),
                 })
        {
            using var refused = await ana.Client.PostAsJsonAsync("/api/v1/me/push-subscriptions", body);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Contains(field, await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        Assert.Equal(2, await app.WithDbAsync(db => db.PushSubscriptions.CountAsync(s => s.ProfileId == ana.Profile || s.ProfileId == bo.Profile)));

        // Bo's device is not Ana's to remove, nor to see.
        using (var notHers = await ana.Client.DeleteAsync(new Uri($"/api/v1/me/push-subscriptions/{bosLaptop}", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NotFound, notHers.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.PushSubscriptions.AnyAsync(s => s.Id == bosLaptop)));
        Assert.DoesNotContain(laptop.Endpoint, await ana.Client.GetStringAsync("/api/v1/me/push-subscriptions"), StringComparison.Ordinal);
        using (var mine = await ana.Client.DeleteAsync(new Uri($"/api/v1/me/push-subscriptions/{anasPhone}", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NoContent, mine.StatusCode);
        using (var again = await ana.Client.DeleteAsync(new Uri($"/api/v1/me/push-subscriptions/{anasPhone}", UriKind.Relative)))
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Equal("[]", await ana.Client.GetStringAsync("/api/v1/me/push-subscriptions"));
        using (var nobody = await app.CreateClient().GetAsync("/api/v1/me/push-subscriptions"))
            Assert.Equal(HttpStatusCode.Unauthorized, nobody.StatusCode);

        // The VAPID key is generated once, stored, and the same on every call.
        var key = await PublicKeyAsync(app);
        Assert.True(VapidKeys.IsPublicKey(key));
        Assert.Equal(key, await PublicKeyAsync(app));
        Assert.Equal(key, await app.WithDbAsync(db => db.PushKeyPairs.Select(k => k.PublicKey).SingleAsync()));
    }

    [SkippableFact]
    public async Task A_push_message_reaches_each_device_encrypted_for_it_and_signed_by_the_server()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        await using var receiver = await PushReceiver.StartAsync();
        receiver.ExpectedVapidKey = await PublicKeyAsync(app);
        using var ana = await ApiCustomer.SignInAsync(app);
        using var bo = await ApiCustomer.SignInAsync(app);
        var (phone, laptop) = (receiver.NewDevice(), receiver.NewDevice());
        await SubscribeAsync(ana, phone);
        await SubscribeAsync(ana, laptop);

        Assert.Equal(SendOutcome.Sent, await SendAsync(app, ana.Profile, "Your order has shipped", "CO-1042 is on its way — “fragile” 📦", "/orders/CO-1042"));
        // Nowhere to send: Bo has no device. Marketing needs a yes Ana never gave.
        Assert.Equal(SendOutcome.NoAddress, await SendAsync(app, bo.Profile, "Hi", "Hello"));
        Assert.Equal(SendOutcome.NoConsent, await SendAsync(app, ana.Profile, "Sale", "20% off", purpose: "marketing"));
        // Nothing leaves inside the sender's transaction: it is queued, one delivery per device.
        Assert.Empty(receiver.Received);

        var sender = app.Services.GetRequiredService<PushSender>();
        Assert.Equal(2, await sender.SendDueAsync(default));
        Assert.Equal(0, await sender.SendDueAsync(default));
        foreach (var device in new[] { phone, laptop })
        {
            var push = Assert.Single(receiver.For(device));
            Assert.Null(push.Problem);
            Assert.Equal(201, push.Answered);
            Assert.Equal("Your order has shipped", push.Json.GetProperty("title").GetString());
            Assert.Equal("CO-1042 is on its way — “fragile” 📦", push.Json.GetProperty("body").GetString());
            Assert.Equal("/orders/CO-1042", push.Json.GetProperty("url").GetString());
            Assert.Equal("mailto:push@shop.example", push.Subject);
        }

        var message = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.ProfileId == ana.Profile));
        Assert.Equal((MessageStatus.Delivered, "127.0.0.1"), (message.Status, message.To));
        Assert.Equal(1, await CountAsync(app, ana.Profile, InteractionTypes.MessageSent));
        Assert.Equal(1, await CountAsync(app, ana.Profile, InteractionTypes.MessageDelivered));
        Assert.All(await app.WithDbAsync(db => db.PushSubscriptions.AsNoTracking().Where(s => s.ProfileId == ana.Profile).ToListAsync()),
            s => Assert.NotNull(s.LastSuccessAt));
    }

    [SkippableFact]
    public async Task A_device_the_push_service_calls_gone_is_removed()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        await using var receiver = await PushReceiver.StartAsync();
        using var ana = await ApiCustomer.SignInAsync(app);
        var phone = receiver.NewDevice();
        await SubscribeAsync(ana, phone);
        receiver.Answer(phone, 410);

        Assert.Equal(SendOutcome.Sent, await SendAsync(app, ana.Profile, "Your order has shipped", "On its way"));
        Assert.Equal(1, await app.Services.GetRequiredService<PushSender>().SendDueAsync(default));
        Assert.Equal(410, Assert.Single(receiver.For(phone)).Answered);
        Assert.False(await app.WithDbAsync(db => db.PushSubscriptions.AnyAsync(s => s.ProfileId == ana.Profile)));
        Assert.Equal("[]", await ana.Client.GetStringAsync("/api/v1/me/push-subscriptions"));
        var message = await app.WithDbAsync(db => db.EngagementMessages.AsNoTracking().SingleAsync(m => m.ProfileId == ana.Profile));
        Assert.Equal(MessageStatus.Bounced, message.Status);
        var bounced = await app.WithDbAsync(db => db.Interactions.AsNoTracking().SingleAsync(i => i.ProfileId == ana.Profile && i.Type == InteractionTypes.MessageBounced.Name));
        Assert.True(InteractionTypes.MessageBounced.Read(bounced.Properties)!.Permanent);
        // The next message has nowhere to go.
        Assert.Equal(SendOutcome.NoAddress, await SendAsync(app, ana.Profile, "Hi", "Hello"));
    }

    [SkippableFact]
    public async Task A_failing_push_service_is_tried_again_and_the_message_arrives_once()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        await using var receiver = await PushReceiver.StartAsync();
        using var ana = await ApiCustomer.SignInAsync(app);
        var phone = receiver.NewDevice();
        await SubscribeAsync(ana, phone);
        receiver.Answer(phone, 500);
        Assert.Equal(SendOutcome.Sent, await SendAsync(app, ana.Profile, "Your return is approved", "We will refund you within 5 days."));

        var sender = app.Services.GetRequiredService<PushSender>();
        Assert.Equal(1, await sender.SendDueAsync(default));
        Assert.Equal(500, Assert.Single(receiver.For(phone)).Answered);
        var delivery = await app.WithDbAsync(db => db.PushDeliveries.AsNoTracking().SingleAsync(d => d.SubscriptionId == db.PushSubscriptions.Single(s => s.ProfileId == ana.Profile).Id));
        Assert.Equal((PushDeliveryStatus.Queued, 1), (delivery.Status, delivery.Attempts));
        Assert.Equal(MessageStatus.Queued, await app.WithDbAsync(db => db.EngagementMessages.Where(m => m.ProfileId == ana.Profile).Select(m => m.Status).SingleAsync()));
        // Not before its delay.
        Assert.Equal(0, await sender.SendDueAsync(default));

        app.Clock.Advance(TimeSpan.FromSeconds(16));
        Assert.Equal(1, await sender.SendDueAsync(default));
        app.Clock.Advance(TimeSpan.FromHours(2));
        Assert.Equal(0, await sender.SendDueAsync(default));

        var pushes = receiver.For(phone);
        Assert.Equal([500, 201], pushes.Select(p => p.Answered));
        Assert.All(pushes, p => Assert.Equal("Your return is approved", p.Json.GetProperty("title").GetString()));
        // The repeat names the same topic, so a push service still holding the first copy would replace it.
        Assert.Equal(pushes[0].Topic, pushes[1].Topic);
        Assert.Equal(MessageStatus.Delivered, await app.WithDbAsync(db => db.EngagementMessages.Where(m => m.ProfileId == ana.Profile).Select(m => m.Status).SingleAsync()));
        Assert.Equal(1, await CountAsync(app, ana.Profile, InteractionTypes.MessageDelivered));
    }

    [SkippableFact]
    public async Task Push_devices_are_exported_erased_and_moved_with_the_customer()
    {
        await using var app = NewApp();
        app.SkipIfUnavailable();
        await using var receiver = await PushReceiver.StartAsync();
        using var ana = await ApiCustomer.SignInAsync(app);
        using var other = await ApiCustomer.SignInAsync(app);
        var (phone, tablet) = (receiver.NewDevice(), receiver.NewDevice());
        await SubscribeAsync(ana, phone);
        await SubscribeAsync(other, tablet);

        using var admin = app.AdminClient();
        using (var export = await admin.PostAsync($"/api/v1/customers/{ana.Profile}/export", null))
            Assert.Contains(phone.Endpoint, await export.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The other profile is merged into Ana's: its device follows.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var profiles = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await profiles.MergeAsync((await profiles.FindAsync(ana.Profile, default))!, (await profiles.FindAsync(other.Profile, default))!, "verified email shared", default);
            await db.SaveChangesAsync();
            await tx.CommitAsync();
        }
        Assert.Equal(2, await app.WithDbAsync(db => db.PushSubscriptions.CountAsync(s => s.ProfileId == ana.Profile)));

        // A message still queued when Ana is erased is not sent, and her devices are forgotten.
        Assert.Equal(SendOutcome.Sent, await SendAsync(app, ana.Profile, "Your order has shipped", "On its way"));
        using (var erase = await admin.DeleteAsync($"/api/v1/customers/{ana.Profile}"))
            Assert.True(erase.IsSuccessStatusCode, $"erasure answered {(int)erase.StatusCode}");
        Assert.False(await app.WithDbAsync(db => db.PushSubscriptions.AnyAsync(s => s.Endpoint == phone.Endpoint || s.Endpoint == tablet.Endpoint)));
        await app.Services.GetRequiredService<PushSender>().SendDueAsync(default);
        Assert.Empty(receiver.Received);
    }
}

public sealed class PushOnSqlite() : PushTests("sqlite");

public sealed class PushOnPostgres() : PushTests("postgres");
