using System.Net;
using Centric.Server.Commerce.Shipments;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Notifications;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Commerce;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Customers;

public abstract class NotificationTests(CentricAppFactory app)
{
    private async Task<(Guid Profile, string Email)> CustomerAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var profile = directory.Create(ProfileKind.Known);
        var email = Json.NewEmail();
        directory.AddIdentity(profile, IdentityKinds.Email, email, true);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return (profile.Id, email);
    }

    private async Task<Guid> NotifyAsync(Guid profile, string title)
    {
        await using var scope = app.Services.CreateAsyncScope();
        Assert.True(await scope.ServiceProvider.GetRequiredService<INotifications>().NotifyAsync(profile, "test", title, "Body of " + title, "/orders", ConsentPurposes.Service, default));
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.ProfileId == profile && n.Title == title).Select(n => n.Id).SingleAsync());
    }

    private Task<List<Notification>> NoticesAsync(Guid profile) =>
        app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.ProfileId == profile).OrderBy(n => n.CreatedAt).ToListAsync());

    [SkippableFact]
    public async Task Order_milestones_reach_the_notification_centre_unless_in_app_service_messages_are_turned_off()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var (order, shipment) = await ShipmentTests.ShippedOrderAsync(s);
        var shipped = Assert.Single(await NoticesAsync(order.ProfileId));
        Assert.Equal("order_shipped", shipped.Topic);
        Assert.Equal($"/orders/{order.Number}", shipped.Link);
        Assert.Null(shipped.ReadAt);

        var carriers = s.GetRequiredService<CarrierEvents>();
        var db = s.GetRequiredService<CentricDbContext>();
        async Task NextScanAsync() => Assert.True(await carriers.SimulateNextAsync(await db.Set<Shipment>().SingleAsync(x => x.Id == shipment.Id), default));
        await NextScanAsync();   // in transit: no notice
        await NextScanAsync();   // out for delivery
        Assert.Equal(["order_shipped", "order_out_for_delivery"], (await NoticesAsync(order.ProfileId)).Select(n => n.Topic));

        await s.GetRequiredService<ConsentService>().RecordAsync(order.ProfileId, ConsentChannels.InApp, ConsentPurposes.Service, false, "portal", null, default);
        await db.SaveChangesAsync();
        await NextScanAsync();   // delivered: email yes, in-app no
        Assert.Equal(2, (await NoticesAsync(order.ProfileId)).Count);
        var mails = await app.WithDbAsync(d => d.Mail.Where(m => m.To == order.Email).Select(m => m.Subject).ToListAsync());
        Assert.Contains(mails, m => m.Contains("was delivered", StringComparison.Ordinal));
        var inApp = await app.WithDbAsync(d => d.Interactions.Where(i => i.ProfileId == order.ProfileId && i.Type == "message_sent" && i.Channel == ConsentChannels.InApp).CountAsync());
        Assert.Equal(2, inApp);
    }

    [SkippableFact]
    public async Task Links_outside_the_portal_are_refused()
    {
        app.SkipIfUnavailable();
        var (profile, _) = await CustomerAsync();
        await using var scope = app.Services.CreateAsyncScope();
        var centre = scope.ServiceProvider.GetRequiredService<INotifications>();
        await Assert.ThrowsAsync<ArgumentException>(() => centre.NotifyAsync(profile, "t", "x", "y", "https://example.com/", ConsentPurposes.Service, default));
        await Assert.ThrowsAsync<ArgumentException>(() => centre.NotifyAsync(profile, "t", "x", "y", "//example.com/", ConsentPurposes.Service, default));
    }

    [SkippableFact]
    public async Task Customers_read_their_own_notifications_and_get_not_found_for_anyone_elses()
    {
        app.SkipIfUnavailable();
        var (me, email) = await CustomerAsync();
        var (other, _) = await CustomerAsync();
        var first = await NotifyAsync(me, "Parcel " + Json.NewId());
        var second = await NotifyAsync(me, "Renewal " + Json.NewId());
        var theirs = await NotifyAsync(other, "Theirs " + Json.NewId());
        using var portal = await PortalSession.SignInAsync(app, me, email);

        var html = await portal.Client.GetStringAsync(new Uri("/notifications", UriKind.Relative));
        Assert.Contains(first.ToString(), html, StringComparison.Ordinal);
        Assert.Contains(second.ToString(), html, StringComparison.Ordinal);
        Assert.DoesNotContain(theirs.ToString(), html, StringComparison.Ordinal);
        Assert.Contains("data-count=\"2\"", html, StringComparison.Ordinal);   // the bell in the header

        async Task<HttpResponseMessage> MarkAsync(string read) => await portal.Client.PostAsync(new Uri("/notifications", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "notifications", ["Read"] = read, ["__RequestVerificationToken"] = await portal.AntiforgeryTokenAsync("/notifications"),
        }));
        Assert.Equal(HttpStatusCode.NotFound, (await MarkAsync(theirs.ToString())).StatusCode);
        Assert.Null((await NoticesAsync(other)).Single().ReadAt);

        Assert.Equal(HttpStatusCode.OK, (await MarkAsync(first.ToString())).StatusCode);
        Assert.Equal([first], (await NoticesAsync(me)).Where(n => n.ReadAt is not null).Select(n => n.Id));
        Assert.Equal(HttpStatusCode.OK, (await MarkAsync("all")).StatusCode);
        Assert.All(await NoticesAsync(me), n => Assert.NotNull(n.ReadAt));
        Assert.Contains("data-count=\"0\"", await portal.Client.GetStringAsync(new Uri("/orders", UriKind.Relative)), StringComparison.Ordinal);
        Assert.Null((await NoticesAsync(other)).Single().ReadAt);
    }

    [SkippableFact]
    public async Task A_signed_in_customer_hears_their_own_new_notices_live_and_not_anyone_elses()
    {
        app.SkipIfUnavailable();
        var (me, email) = await CustomerAsync();
        var (other, _) = await CustomerAsync();
        using var portal = await PortalSession.SignInAsync(app, me, email);
        var heard = new System.Collections.Concurrent.ConcurrentQueue<NotificationArrived>();
        await using var hub = new HubConnectionBuilder().WithUrl(new Uri(app.Server.BaseAddress, "/notifications/hub"), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
            o.Headers["Cookie"] = portal.CookieHeader;
        }).Build();
        hub.On<NotificationArrived>("notification", heard.Enqueue);
        var counts = new System.Collections.Concurrent.ConcurrentQueue<int>();
        hub.On<int>("unread", counts.Enqueue);
        // A notice written after the page was drawn but before it connected reaches the bell through the count on connecting.
        await NotifyAsync(me, "Before connecting " + Json.NewId());
        await NotifyAsync(other, "Not yours either " + Json.NewId());
        await hub.StartAsync();
        await Json.EventuallyAsync(() => Task.FromResult(!counts.IsEmpty), "the page heard the unread count on connecting");
        Assert.Equal([1], counts);

        var theirs = await NotifyAsync(other, "Not yours " + Json.NewId());
        var mine = await NotifyAsync(me, "Yours " + Json.NewId());
        await Json.EventuallyAsync(() => Task.FromResult(heard.Any(h => h.Id == mine)), "the customer's page heard the new notice");
        Assert.DoesNotContain(heard, h => h.Id == theirs);
        Assert.Equal(2, heard.Single(h => h.Id == mine).Unread);

        // Without a signed-in customer the hub refuses the connection.
        await using var anonymous = new HubConnectionBuilder().WithUrl(new Uri(app.Server.BaseAddress, "/notifications/hub"), o =>
        {
            o.HttpMessageHandlerFactory = _ => app.Server.CreateHandler();
            o.Transports = HttpTransportType.LongPolling;
        }).Build();
        await Assert.ThrowsAnyAsync<Exception>(() => anonymous.StartAsync());
    }
}

public sealed class NotificationsOnSqlite(SqliteApp app) : NotificationTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class NotificationsOnPostgres(PostgresApp app) : NotificationTests(app), IClassFixture<PostgresApp>;
