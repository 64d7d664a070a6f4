using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.E2E.Tests.Infrastructure;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class PushTests(DemoServerFixture fixture)
{
    /// <summary>
    /// Headless Chromium's own push service is Google's, which this machine cannot reach, so its pushManager.subscribe() would
    /// fail. The page's PushManager is given a subscribe() (and getSubscription(), unsubscribe()) that return a subscription like
    /// the browser's, whose endpoint is the test's push service on loopback and whose keys the test made, so the server's
    /// messages can be decrypted there. Everything else is the portal's own: the permission prompt (granted by Playwright), the
    /// service worker, js/push.js and the page's forms. The key the page subscribed with is kept to compare with the server's.
    /// </summary>
    private static string FakePushManager(TestDevice device) => $$"""
        (() => {
          if (typeof PushManager === 'undefined') return;
          const device = {{JsonSerializer.Serialize(new { endpoint = device.Endpoint, p256dh = device.P256dh, auth = device.Auth })}};
          const subscribed = 'e2e-push-subscribed';
          const subscription = key => ({
            endpoint: device.endpoint, expirationTime: null, options: { userVisibleOnly: true, applicationServerKey: key },
            toJSON: () => ({ endpoint: device.endpoint, expirationTime: null, keys: { p256dh: device.p256dh, auth: device.auth } }),
            unsubscribe: async () => { localStorage.removeItem(subscribed); return true; },
          });
          const base64url = bytes => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
          PushManager.prototype.subscribe = async function (options) {
            if (!options?.userVisibleOnly || !options.applicationServerKey) throw new DOMException('userVisibleOnly and applicationServerKey are required', 'NotAllowedError');
            localStorage.setItem(subscribed, base64url(options.applicationServerKey));
            return subscription(options.applicationServerKey.buffer ?? options.applicationServerKey);
          };
          PushManager.prototype.getSubscription = async function () {
            const key = localStorage.getItem(subscribed);
            return key ? subscription(null) : null;
          };
        })();
        """;

    [SkippableFact]
    public async Task A_customer_turns_notifications_on_gets_a_journeys_push_and_removes_the_device()
    {
        fixture.RequireBrowser();
        await using var receiver = await PushReceiver.StartAsync();
        using var api = fixture.Server.ApiClient();
        receiver.ExpectedVapidKey = (await api.GetFromJsonAsync<JsonElement>("/push/public-key")).GetProperty("publicKey").GetString();
        var device = receiver.NewDevice();

        var tag = Guid.NewGuid().ToString("N")[..6];
        var email = Accounts.NewEmail("e2e-push-" + tag);
        var shopper = await fixture.NewPageAsync();
        await shopper.Context.GrantPermissionsAsync(["notifications"], new() { Origin = fixture.BaseUrl.ToString().TrimEnd('/') });
        await shopper.Context.AddInitScriptAsync(FakePushManager(device));
        await Accounts.RegisterAndConfirmAsync(fixture, shopper, email, "Correct-horse-42");
        await BrowserFixture.SignInAsync(shopper, email, "Correct-horse-42");

        await shopper.GotoAsync("account/push");
        await Expect(shopper.Locator("#push-status")).ToHaveTextAsync("Notifications are off for this device.");
        await Expect(shopper.Locator("#push-devices-empty")).ToBeVisibleAsync();
        await shopper.Locator("#push-on").ClickAsync();
        await Expect(shopper.Locator("p.banner.success")).ToContainTextAsync("Notifications are on for this device.");
        await Expect(shopper.Locator("#push-status")).ToHaveTextAsync("Notifications are on for this device.");
        var row = shopper.Locator("#push-device-list tbody tr");
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("This device");
        await Expect(row).ToContainTextAsync("Chrome");
        Assert.Equal(receiver.ExpectedVapidKey, await shopper.EvaluateAsync<string>("() => localStorage.getItem('e2e-push-subscribed')"));

        // A journey sends the push: a shopper who looks at a product is thanked (only this test's shopper, by the condition).
        // Quiet hours (21–8 on the customer's clock) would hold it, so the customer lives where it is day now.
        var profile = await WithDbAsync(db => db.Users.Where(u => u.Email == email).Select(u => u.ProfileId!.Value).SingleAsync());
        var zone = new[] { "Pacific/Honolulu", "America/Los_Angeles", "America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Tokyo", "Australia/Sydney" }
            .First(id => Centric.Server.Engagement.Journeys.TimeZones.Find(id.ToLowerInvariant()) is { } z && TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, z).Hour is >= 10 and <= 18);
        await WithDbAsync(async db => { await new ProfileTraits(db).SetAsync(profile, "timezone", zone, default); return await db.SaveChangesAsync(); });
        var definition = JsonDocument.Parse($$"""
            {"trigger":{"on":"interaction","type":"product_viewed"},
             "steps":[{"id":"mine","kind":"condition","if":{"match":"all","conditions":[{"kind":"trait","trait":"email","op":"contains","value":"e2e-push-{{tag}}"}]},"else":"done"},
                      {"id":"thanks","kind":"send","channel":"push","purpose":"service","subject":"Thanks for looking {{tag}}","body":"Ask us anything about it.","link":"/support/new"},
                      {"id":"done","kind":"exit"}]}
            """).RootElement;
        using var created = await api.PostAsJsonAsync("/api/v1/journeys", new { name = "Push thanks " + tag, definition });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var journey = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        try
        {
            using (var published = await api.PostAsync(new Uri($"/api/v1/journeys/{journey}/publish", UriKind.Relative), null))
                Assert.Equal(HttpStatusCode.OK, published.StatusCode);
            await Storefront.OpenProductAsync(shopper, "cutting board", "cutting board");

            var watch = System.Diagnostics.Stopwatch.StartNew();
            while (receiver.For(device).Count == 0 && watch.Elapsed < TimeSpan.FromSeconds(30)) await Task.Delay(200);
            if (receiver.For(device).Count == 0)
            {
                // Nothing came: say where it stopped (the journey's steps, the message, its deliveries).
                var steps = await WithDbAsync(db => db.JourneyStepLogs.Where(l => l.JourneyId == journey).Select(l => l.StepId + "=" + l.Outcome).ToListAsync());
                var messages = await WithDbAsync(db => db.EngagementMessages.Where(m => m.ProfileId == profile).Select(m => m.Channel + ":" + m.Status + ":" + m.Id).ToListAsync());
                var deliveries = await WithDbAsync(db => db.PushDeliveries.Select(d => d.Status + ":" + d.Attempts + ":" + d.LastError + ":" + d.NextAttemptAt).ToListAsync());
                var runs = await WithDbAsync(db => db.JourneyRuns.Where(r => r.JourneyId == journey).Select(r => r.Status + ":" + r.StepId + ":" + r.DueAt).ToListAsync());
                Assert.Fail($"steps {string.Join(",", steps)}; runs {string.Join(",", runs)}; messages {string.Join(",", messages)}; deliveries {string.Join(",", deliveries)}; received {receiver.Received.Count}");
            }
            var push = Assert.Single(receiver.For(device));
            Assert.Null(push.Problem);
            Assert.Equal($"Thanks for looking {tag}", push.Json.GetProperty("title").GetString());
            Assert.Equal("Ask us anything about it.", push.Json.GetProperty("body").GetString());
            Assert.Equal("/support/new", push.Json.GetProperty("url").GetString());
        }
        finally
        {
            // Paused, it lets nobody else in (the other tests' shoppers look at products too).
            using var paused = await api.PostAsync(new Uri($"/api/v1/journeys/{journey}/pause", UriKind.Relative), null);
        }

        // The device shows when it was last reached. The receiver has the push as soon as it is sent; the sender
        // records the success once the push service has answered, so wait for that record before looking.
        var recorded = System.Diagnostics.Stopwatch.StartNew();
        while (!await WithDbAsync(db => db.PushSubscriptions.AnyAsync(s => s.ProfileId == profile && s.LastSuccessAt != null)) && recorded.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(100);
        await shopper.GotoAsync("account/push");
        await Expect(row).Not.ToContainTextAsync("None yet");
        // Turned off, it leaves the list.
        await shopper.Locator("#push-off").ClickAsync();
        await Expect(shopper.Locator("p.banner.success")).ToContainTextAsync("Notifications are off for this device.");
        await Expect(shopper.Locator("#push-devices-empty")).ToBeVisibleAsync();
        Assert.Null(await shopper.EvaluateAsync<string?>("() => localStorage.getItem('e2e-push-subscribed')"));

        // On again, then removed from the list: the device is gone and this browser shows notifications as off.
        await shopper.Locator("#push-on").ClickAsync();
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Button, new() { NameRegex = new System.Text.RegularExpressions.Regex("^Remove") }).ClickAsync();
        await Expect(shopper.Locator("p.banner.success")).ToContainTextAsync("The device was removed");
        await Expect(shopper.Locator("#push-devices-empty")).ToBeVisibleAsync();
        await Expect(shopper.Locator("#push-status")).ToHaveTextAsync("Notifications are off for this device.");
        Assert.False(await WithDbAsync(db => db.PushSubscriptions.AnyAsync(s => s.ProfileId == profile)));
        await shopper.Context.CloseAsync();
    }

    private async Task<T> WithDbAsync<T>(Func<CentricDbContext, Task<T>> work)
    {
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        return await work(scope.ServiceProvider.GetRequiredService<CentricDbContext>());
    }
}
