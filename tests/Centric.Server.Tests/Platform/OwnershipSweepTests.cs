using System.Net;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Commerce.Wallet;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Notifications;
using Centric.Server.Customers.Profiles;
using Centric.Server.Engagement.Surveys;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// Customers only ever see their own data. Customers A and B each have an order, a return, a subscription, a notice, a
/// support request, a saved card; B, signed in, then asks for every customer-scoped address of A's and must be told
/// "not found" — never "forbidden" (which confirms it exists), never A's data. The routes come from the app's own
/// endpoint list: a new route that is neither swept here nor declared not customer-scoped fails the test.
/// </summary>
public abstract class OwnershipSweepTests(CentricAppFactory app, ITestOutputHelper output)
{
    /// <summary>Customer-scoped routes with an id of someone's own thing: B asks for A's, the answer must be 404.</summary>
    private static readonly string[] SweptWithAnothersId =
    [
        "orders/{Number}", "orders/{Number}/return", "returns/{Number}", "checkout/pay/{Number}",
        "checkout/challenge/{PaymentId:guid}", "support/{Number}", "support/{Number}/rating", "surveys/{Key}",
    ];

    /// <summary>The customer API (a customer's bearer token) with an id of someone's own thing: B's token on A's ids must be answered 404.</summary>
    private static readonly string[] ApiSweptWithAnothersId =
    [
        "api/v1/me/orders/{number}", "api/v1/me/orders/{number}/tracking", "api/v1/me/orders/{number}/cancel", "api/v1/me/orders/{number}/payments",
        "api/v1/me/orders/{number}/returns", "api/v1/me/orders/{number}/exchange-options", "api/v1/me/payments/{paymentId:guid}/challenge",
        "api/v1/me/returns/{number}", "api/v1/me/subscriptions/{id:guid}", "api/v1/me/subscriptions/{id:guid}/pause", "api/v1/me/subscriptions/{id:guid}/resume",
        "api/v1/me/subscriptions/{id:guid}/skip", "api/v1/me/subscriptions/{id:guid}/cancel", "api/v1/me/subscriptions/{id:guid}/card",
        "api/v1/me/tickets/{number}", "api/v1/me/tickets/{number}/messages", "api/v1/me/notifications/{id:guid}/read", "api/v1/cart/lines/{lineId:guid}",
        "api/v1/me/alerts/{id:guid}", "api/v1/me/push-subscriptions/{id:guid}",
    ];

    /// <summary>The customer API's lists and the calls that act on the caller's own things: A's must not appear or change.</summary>
    private static readonly string[] ApiSweptForLeaks =
    [
        "api/v1/me/", "api/v1/me/orders", "api/v1/me/returns", "api/v1/me/subscriptions/", "api/v1/me/tickets/", "api/v1/me/notifications",
        "api/v1/me/notifications/read-all", "api/v1/me/consent", "api/v1/me/cards", "api/v1/cart/", "api/v1/cart/lines", "api/v1/cart/promo-code", "api/v1/checkout/",
        "api/v1/me/alerts/", "api/v1/me/loyalty", "api/v1/me/push-subscriptions/",
    ];

    /// <summary>Customer-scoped pages and downloads that show the signed-in customer's own things: A's must not appear.</summary>
    private static readonly string[] SweptForLeaks =
    [
        "orders", "account/subscriptions", "account/wallet", "notifications", "support", "account/preferences",
        "Account/Manage/DownloadPersonalData", "chat/api/conversation", "account/wishlist", "surveys", "account/alerts", "account/points", "account/push",
    ];

    /// <summary>
    /// Everything else the app serves, and why it holds nothing of one customer's that another could ask for. An entry
    /// ending in "/" covers the routes under it; any other entry is one route exactly.
    /// </summary>
    private static readonly (string Prefix, string Why)[] NotCustomerScoped =
    [
        ("console", "staff only (role policies)"), ("console/", "staff only (role policies)"),
        ("api/v1/", "API keys with scopes (integrators, staff), the public catalogue and customer sign-in; every route taking a customer token is swept (checked below)"),
        ("api/v1/insights/", "figures over all customers for keys with insights:read; a customer's token is refused (checked below)"),
        ("api/v1/segments", "groups of customers for keys with segments:read or segments:write; a customer's token is refused (checked below)"),
        ("api/v1/segments/", "groups of customers for keys with segments:read or segments:write; a customer's token is refused (checked below)"),
        ("api/v1/journeys", "journeys for keys with journeys:read or journeys:write; a customer's token is refused (checked below)"),
        ("api/v1/journeys/", "journeys for keys with journeys:read or journeys:write; a customer's token is refused (checked below)"),
        ("api/v1/campaigns", "campaigns for keys with campaigns:read or campaigns:write; a customer's token is refused (checked below)"),
        ("api/v1/campaigns/", "campaigns for keys with campaigns:read or campaigns:write; a customer's token is refused (checked below)"),
        ("api/v1/message-templates", "message templates for keys with messages:read or messages:write; a customer's token is refused (checked below)"),
        ("api/v1/message-templates/", "message templates for keys with messages:read or messages:write; a customer's token is refused (checked below)"),
        ("m/", "a message's open and click links: a signed token names one message, and tells the caller nothing (MessageTests)"),
        ("unsubscribe/", "a message's unsubscribe link: a signed token names one message; another's cannot be made (MessageTests)"),
        ("api/v1/surveys", "survey definitions and results over all customers for keys with surveys:read or surveys:write; a customer's token is refused (checked below)"),
        ("api/v1/surveys/", "survey definitions and results over all customers for keys with surveys:read or surveys:write; a customer's token is refused (checked below)"),
        ("api/v1/promotions", "the business's promotions and their redemption counts, for keys with promotions:read or promotions:write; a customer's token is refused (checked below)"),
        ("api/v1/promotions/", "the business's promotions and their redemption counts, for keys with promotions:read or promotions:write; a customer's token is refused (checked below)"),
        ("api/v1/loyalty/program", "the loyalty programme's rules, for keys with loyalty:read or loyalty:write; a customer's token is refused (checked below)"),
        ("r/{code}", "a share link: keeps a referral code (public, printed on the link) in the caller's own cookie and opens the shop"),
        ("openapi/", "the API's description"), ("swagger", "the API's description"), ("health", "liveness"), ("health/live", "liveness"), ("health/ready", "readiness"),
        ("metrics", "counts and timings, no customer data"),
        ("_framework/", "Blazor's own scripts"), ("_blazor/", "the Blazor circuit, per browser"), ("_blazor", "the Blazor circuit, per browser"),
        ("notifications/hub/", "a hub that only pushes the caller's own notices"), ("notifications/hub", "a hub that only pushes the caller's own notices"),
        ("chat/api/visitor", "issues the caller a token"), ("chat/api/messages", "writes into the caller's own conversation"),
        ("chat/api/identify", "joins the caller's chat to an email (verified by the chat module)"),
        ("chat/api/identify/confirm", "confirms the code sent for the caller's own claim (ChatTests)"),
        ("chat/api/attachments", "uploads into the caller's own conversation"),
        ("chat/api/attachments/{id:guid}", "downloads only from the caller's own conversation (ChatTests); not yet swept here"),
        ("chat/hub/", "the chat hub joins only the caller's own conversation (ChatTests)"), ("chat/hub", "the chat hub joins only the caller's own conversation (ChatTests)"),
        ("robots.txt", "the same rules for every crawler"), ("sitemap.xml", "the public shop and help centre's addresses (SearchEngineTests)"),
        ("media/", "product photos, public like the catalogue"), ("help/", "the public help centre"), ("help", "the public help centre"), ("shop/", "the public catalogue"), ("shop", "the public catalogue"),
        ("cart", "the caller's own cart, by cookie"), ("checkout", "the caller's own cart, by cookie"),
        ("Account/", "sign-in, registration and the signed-in account's own settings"), ("support/new", "opens a new request for the caller"),
        ("account/wishlist/add", "adds to the signed-in customer's own wish list (WishListTests)"),
        ("account/wishlist/remove", "removes from the signed-in customer's own wish list (WishListTests)"),
        ("account/alerts/add", "adds an alert to the signed-in customer's own list (AlertTests)"),
        ("account/alerts/remove", "removes only the signed-in customer's own alert; another's id answers 404 (checked below)"),
        ("push/public-key", "the server's VAPID public key, the same for every visitor"),
        ("recommendations/click", "records a click on the caller's own timeline and redirects to a public product page"),
        ("Error", "the error page"), ("error/{Code:int}", "the error pages"), ("not-found", "the not-found page"), ("", "the home page"),
    ];

    private sealed record Customer(Guid Profile, string Email, PortalSession Session);

    [SkippableFact]
    public async Task Another_customer_is_told_not_found_for_everything_of_anothers()
    {
        app.SkipIfUnavailable();
        var a = await CustomerAsync();
        var b = await CustomerAsync();
        var theirs = await CustomerHoldings.CreateAsync(app, a.Profile, a.Email);
        var mine = await CustomerHoldings.CreateAsync(app, b.Profile, b.Email);
        var bUser = await app.WithDbAsync(db => db.Users.Where(u => u.Email == b.Email).Select(u => u.Id).SingleAsync());
        var (theirSurvey, mySurvey) = (await AnsweredSurveyAsync(a.Profile, "Their survey comment " + theirs.Secret), await AnsweredSurveyAsync(b.Profile, "My own survey comment"));
        using var bApi = await ApiCustomer.SignInAsync(app, b.Profile, b.Email, bUser);
        var (theirAlert, myAlert) = (await AlertAsync(a.Profile), await AlertAsync(b.Profile));
        var (theirCode, myCode) = (await LoyaltyCodeAsync(a.Profile), await LoyaltyCodeAsync(b.Profile));
        var (theirDevice, myDevice) = (await PushDeviceAsync(a.Profile), await PushDeviceAsync(b.Profile));

        // Every route the app maps is either swept here or declared not customer-scoped.
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText?.TrimStart('/') ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var swept = SweptWithAnothersId.Concat(SweptForLeaks).Concat(ApiSweptWithAnothersId).Concat(ApiSweptForLeaks).ToHashSet(StringComparer.Ordinal);
        // Static files (scripts, styles, icons and their compressed twins) are the same for everyone.
        static bool IsStaticFile(string r) => r == "{**path:file}" || r.Split('/')[^1].Contains('.', StringComparison.Ordinal);
        var unclassified = routes.Where(r => !swept.Contains(r) && !IsStaticFile(r) && !NotCustomerScoped.Any(n => n.Prefix.EndsWith('/') ? r.StartsWith(n.Prefix, StringComparison.Ordinal) : r == n.Prefix)).ToList();
        Assert.True(unclassified.Count == 0, "Routes neither swept for ownership nor declared not customer-scoped: " + string.Join(", ", unclassified));
        Assert.All(swept, r => Assert.Contains(r, routes));
        // Whatever a customer's token opens is swept, whatever the prefix list above says.
        var customerRoutes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetOrderedMetadata<Microsoft.AspNetCore.Authorization.IAuthorizeData>().Any(d => d.Policy == Centric.Server.Platform.Identity.Policies.Customer))
            .Select(e => e.RoutePattern.RawText?.TrimStart('/') ?? "").Distinct(StringComparer.Ordinal).ToList();
        Assert.True(customerRoutes.Count >= 25, $"only {customerRoutes.Count} routes take a customer token");
        var unswept = customerRoutes.Where(r => !ApiSweptWithAnothersId.Contains(r) && !ApiSweptForLeaks.Contains(r)).ToList();
        Assert.True(unswept.Count == 0, "Routes taking a customer token that the sweep does not probe: " + string.Join(", ", unswept));

        var asked = 0;
        var failures = new List<string>();
        async Task ExpectNotFoundAsync(string what, Func<Task<HttpResponseMessage>> send)
        {
            asked++;
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != HttpStatusCode.NotFound) failures.Add($"{what}: {(int)response.StatusCode}, expected 404");
            if (body.Contains(a.Email, StringComparison.OrdinalIgnoreCase) || body.Contains(theirs.Secret, StringComparison.Ordinal)) failures.Add($"{what}: the answer holds A's data");
        }
        async Task ExpectNoLeakAsync(string what, Func<Task<HttpResponseMessage>> send, string? mineMustShow = null)
        {
            asked++;
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) failures.Add($"{what}: {(int)response.StatusCode}, expected the page of B's own");
            foreach (var their in new[] { a.Email, theirs.Secret, theirs.Order, theirs.Return, theirs.Ticket, theirs.Notice.ToString(), theirs.Subscription.ToString(), theirs.Card.ToString() })
                if (body.Contains(their, StringComparison.OrdinalIgnoreCase)) failures.Add($"{what}: the answer holds A's {their}");
            if (mineMustShow is not null && !body.Contains(mineMustShow, StringComparison.OrdinalIgnoreCase)) failures.Add($"{what}: B's own {mineMustShow} is missing, so the check proves nothing");
        }
        Task<HttpResponseMessage> Get(string path) => b.Session.Client.GetAsync(new Uri(path, UriKind.Relative));
        async Task<HttpResponseMessage> Form(string path, string tokenFrom, Dictionary<string, string> fields)
        {
            fields["__RequestVerificationToken"] = await b.Session.AntiforgeryTokenAsync(tokenFrom);
            return await b.Session.Client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
        }

        // The control: the same addresses with B's own numbers open, so each 404 below is about whose it is.
        foreach (var own in new[] { $"/orders/{mine.Order}", $"/returns/{mine.Return}", $"/support/{mine.Ticket}", $"/checkout/pay/{mine.Order}", $"/surveys/{mySurvey}" })
        {
            using var response = await Get(own);
            Assert.True(response.IsSuccessStatusCode, $"B's own {own} answered {(int)response.StatusCode}");
        }

        await ExpectNotFoundAsync("orders/{Number}", () => Get($"/orders/{theirs.Order}"));
        await ExpectNotFoundAsync("orders/{Number}/return", () => Get($"/orders/{theirs.Order}/return"));
        await ExpectNotFoundAsync("returns/{Number}", () => Get($"/returns/{theirs.Return}"));
        await ExpectNotFoundAsync("checkout/pay/{Number}", () => Get($"/checkout/pay/{theirs.Order}"));
        await ExpectNotFoundAsync("checkout/pay/{Number}: pay A's order with the card form", () => Form($"/checkout/pay/{theirs.Order}", $"/checkout/pay/{mine.Order}",
            new() { ["_handler"] = "pay", ["IdempotencyKey"] = Json.NewId(), ["CardNumber"] = "4242424242424242" }));
        await ExpectNotFoundAsync("checkout/challenge/{PaymentId:guid}", () => Get($"/checkout/challenge/{theirs.Payment}"));
        await ExpectNotFoundAsync("support/{Number}", () => Get($"/support/{theirs.Ticket}"));
        await ExpectNotFoundAsync("support/{Number}/rating", () => Get($"/support/{theirs.Ticket}/rating"));
        // A survey's key answers without signing in, but not for a customer signed in as someone else (nor does one click change A's answer).
        await ExpectNotFoundAsync("surveys/{Key}", () => Get($"/surveys/{theirSurvey}"));
        await ExpectNotFoundAsync("surveys/{Key}?score=", () => Get($"/surveys/{theirSurvey}?score=1"));
        await ExpectNotFoundAsync("chat/api/conversation?ticket=", () => Get($"/chat/api/conversation?ticket={theirs.Ticket}"));
        await ExpectNotFoundAsync("notifications: mark A's notice read", () => Form("/notifications", "/notifications",
            new() { ["_handler"] = "notifications", ["Read"] = theirs.Notice.ToString() }));

        await ExpectNoLeakAsync("orders", () => Get("/orders"), mine.Order);
        await ExpectNoLeakAsync("account/subscriptions", () => Get("/account/subscriptions"), mine.Subscription.ToString());
        await ExpectNoLeakAsync("account/wallet", () => Get("/account/wallet"), mine.Card.ToString());
        await ExpectNoLeakAsync("notifications", () => Get("/notifications"), mine.Notice.ToString());
        await ExpectNoLeakAsync("support", () => Get("/support"), mine.Ticket);
        await ExpectNoLeakAsync("account/preferences", () => Get("/account/preferences"));
        await ExpectNoLeakAsync("account/wishlist", () => Get("/account/wishlist"), mine.ProductSlug);
        await ExpectNoLeakAsync("surveys", () => Get("/surveys"), "My own survey comment");
        await ExpectNoLeakAsync("account/alerts", () => Get("/account/alerts"), myAlert.ToString());
        using (var alerts = await Get("/account/alerts"))
            if ((await alerts.Content.ReadAsStringAsync()).Contains(theirAlert.ToString(), StringComparison.OrdinalIgnoreCase)) failures.Add("account/alerts: shows A's alert");
        await ExpectNotFoundAsync("account/alerts/remove: A's alert", () => Form("/account/alerts/remove", "/account/alerts",
            new() { ["alertId"] = theirAlert.ToString(), ["returnUrl"] = "/account/alerts" }));
        await ExpectNotFoundAsync("DELETE api/v1/me/alerts/{id}: A's alert", () => bApi.Client.DeleteAsync(new Uri($"/api/v1/me/alerts/{theirAlert}", UriKind.Relative)));
        using (var alerts = await bApi.Client.GetAsync(new Uri("/api/v1/me/alerts", UriKind.Relative)))
        {
            asked++;
            var body = await alerts.Content.ReadAsStringAsync();
            if (!alerts.IsSuccessStatusCode || body.Contains(theirAlert.ToString(), StringComparison.OrdinalIgnoreCase) || !body.Contains(myAlert.ToString(), StringComparison.OrdinalIgnoreCase))
                failures.Add($"GET api/v1/me/alerts: {(int)alerts.StatusCode}, must list B's alert and not A's");
        }
        Assert.True(await app.WithDbAsync(db => db.ProductAlerts.AnyAsync(x => x.Id == theirAlert)), "A's alert was removed by B");
        // Points: B's page and B's API show B's own referral code and statement, never A's.
        await ExpectNoLeakAsync("account/points", () => Get("/account/points"), myCode);
        await ExpectNoLeakAsync("GET api/v1/me/loyalty", () => bApi.Client.GetAsync(new Uri("/api/v1/me/loyalty", UriKind.Relative)), myCode);
        foreach (var (what, send) in new (string, Func<Task<HttpResponseMessage>>)[]
                 {
                     ("account/points", () => Get("/account/points")), ("GET api/v1/me/loyalty", () => bApi.Client.GetAsync(new Uri("/api/v1/me/loyalty", UriKind.Relative))),
                 })
        {
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            if (body.Contains(theirCode, StringComparison.OrdinalIgnoreCase) || body.Contains(theirs.Order, StringComparison.OrdinalIgnoreCase))
                failures.Add($"{what}: shows A's referral code or A's order");
        }

        // Push devices: the page and the API list B's own device and not A's; removing A's, by the page's form or the API, is "not found".
        await ExpectNoLeakAsync("account/push", () => Get("/account/push"), myDevice.Endpoint);
        using (var devices = await Get("/account/push"))
            if ((await devices.Content.ReadAsStringAsync()).Contains(theirDevice.Endpoint, StringComparison.Ordinal)) failures.Add("account/push: shows A's device");
        await ExpectNotFoundAsync("account/push: remove A's device", () => Form("/account/push", "/account/push",
            new() { ["_handler"] = "push-remove", ["RemoveId"] = theirDevice.Id.ToString() }));
        await ExpectNotFoundAsync("DELETE api/v1/me/push-subscriptions/{id}: A's device",
            () => bApi.Client.DeleteAsync(new Uri($"/api/v1/me/push-subscriptions/{theirDevice.Id}", UriKind.Relative)));
        using (var devices = await bApi.Client.GetAsync(new Uri("/api/v1/me/push-subscriptions", UriKind.Relative)))
        {
            asked++;
            var body = await devices.Content.ReadAsStringAsync();
            if (!devices.IsSuccessStatusCode || body.Contains(theirDevice.Endpoint, StringComparison.Ordinal) || !body.Contains(myDevice.Endpoint, StringComparison.Ordinal))
                failures.Add($"GET api/v1/me/push-subscriptions: {(int)devices.StatusCode}, must list B's device and not A's");
        }
        Assert.True(await app.WithDbAsync(db => db.PushSubscriptions.AnyAsync(x => x.Id == theirDevice.Id)), "A's push device was removed by B");
        Assert.Equal(4, await app.WithDbAsync(db => db.SurveyInvitations.Where(i => i.ProfileId == a.Profile).Select(i => i.Score).SingleAsync()));
        using (var wishList = await Get("/account/wishlist"))
            if ((await wishList.Content.ReadAsStringAsync()).Contains(theirs.ProductSlug, StringComparison.Ordinal)) failures.Add("account/wishlist: shows A's saved product");
        await ExpectNoLeakAsync("Account/Manage/DownloadPersonalData", () => Form("/Account/Manage/DownloadPersonalData", "/Account/Manage", []), mine.Order);

        // Forms naming one of A's things by id: Blazor only binds forms it rendered for B, so these are refused outright.
        foreach (var (what, page, handler) in new[]
                 {
                     ("account/wallet: remove A's card", "/account/wallet", $"rmcard-{theirs.Card}"),
                     ("account/subscriptions: cancel A's subscription", "/account/subscriptions", $"cancel-{theirs.Subscription}"),
                     ("account/subscriptions: pause A's subscription", "/account/subscriptions", $"pause-{theirs.Subscription}"),
                 })
        {
            asked++;
            using var response = await Form(page, page, new() { ["_handler"] = handler });
            if (response.IsSuccessStatusCode || (int)response.StatusCode >= 500) failures.Add($"{what}: {(int)response.StatusCode}, expected a refusal");
        }
        Assert.True(await app.WithDbAsync(db => db.Set<SavedCard>().AnyAsync(c => c.Id == theirs.Card)), "A's card was removed by B");
        Assert.Equal(SubscriptionStatus.Active, await app.WithDbAsync(db => db.Set<Subscription>().Where(s => s.Id == theirs.Subscription).Select(s => s.Status).SingleAsync()));
        Assert.Null(await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.Id == theirs.Notice).Select(n => n.ReadAt).SingleAsync()));

        await SweepApiAsync(a, theirs, mine, bApi, failures, () => asked++);

        output.WriteLine($"{app.Provider}: {routes.Count} routes ({SweptWithAnothersId.Length + ApiSweptWithAnothersId.Length} swept with another's id, " +
                         $"{SweptForLeaks.Length + ApiSweptForLeaks.Length} swept for leaks, " +
                         $"the rest not customer-scoped); {asked} requests as B for A's things, {failures.Count} failures.");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>The customer's referral code, with the programme running (their orders then earn points, on the statement).</summary>
    private async Task<string> LoyaltyCodeAsync(Guid profile)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        if (!(await s.GetRequiredService<Centric.Server.Commerce.Loyalty.LoyaltyLedger>().ProgramAsync(default)).Enabled)
            await s.GetRequiredService<Centric.Server.Commerce.Loyalty.LoyaltyProgramService>().UpdateAsync(
                new(true, null, null, null, null, null, null, null, null, null), "test", default);
        return (await s.GetRequiredService<Centric.Server.Commerce.Loyalty.MemberLoyalty>().ForAsync(profile, default)).Referrals!.Code;
    }

    /// <summary>A price-drop alert of the customer's (on a product id nobody sells: only whose it is matters here).</summary>
    private async Task<Guid> AlertAsync(Guid profile)
    {
        var alert = new Centric.Server.Personalisation.ProductAlert
        {
            ProfileId = profile, ProductId = Guid.NewGuid(), Kind = Centric.Server.Personalisation.ProductAlertKind.PriceDrop, CreatedAt = DateTime.UtcNow,
        };
        await app.WithDbAsync(async db => { db.ProductAlerts.Add(alert); return await db.SaveChangesAsync(); });
        return alert.Id;
    }

    /// <summary>A device of the customer's that takes push notifications (keys of a real P-256 pair; only whose it is matters here).</summary>
    private async Task<Centric.Server.Engagement.Push.PushSubscription> PushDeviceAsync(Guid profile)
    {
        var (p256dh, _) = Centric.Server.Engagement.Push.VapidKeys.Generate();
        var device = new Centric.Server.Engagement.Push.PushSubscription
        {
            ProfileId = profile, Endpoint = "https://push.example/send/" + Guid.NewGuid().ToString("N"), P256dh = p256dh,
            Auth = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(Guid.NewGuid().ToByteArray()), CreatedAt = DateTime.UtcNow,
        };
        await app.WithDbAsync(async db => { db.PushSubscriptions.Add(device); return await db.SaveChangesAsync(); });
        return device;
    }

    /// <summary>A CSAT survey sent to the customer and answered 4 with the comment; returns the link's key.</summary>
    private async Task<string> AnsweredSurveyAsync(Guid profile, string comment)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var surveys = scope.ServiceProvider.GetRequiredService<SurveyService>();
        var survey = await surveys.CreateAsync(new SurveyDraft("csat", "After delivery", "How satisfied are you?", "Anything to add?", true), "test", default);
        var sent = await surveys.InviteAsync(profile, survey.Id, Guid.NewGuid().ToString(), null, default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        var key = sent.Link!["/surveys/".Length..];
        Assert.NotNull(await surveys.AnswerAsync(key, null, 4, comment, keepComment: false, default));
        return key;
    }

    private async Task<Customer> CustomerAsync()
    {
        Guid profile;
        var email = Json.NewEmail();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var p = directory.Create(ProfileKind.Known);
            directory.AddIdentity(p, IdentityKinds.Email, email, true);
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
            profile = p.Id;
        }
        return new Customer(profile, email, await PortalSession.SignInAsync(app, profile, email));
    }

    /// <summary>
    /// The customer API with B's token: every address naming one of A's things answers 404 without A's data, the lists and
    /// the calls on B's own things hold none of A's, and afterwards A's things are as they were.
    /// </summary>
    private async Task SweepApiAsync(Customer a, CustomerHoldings theirs, CustomerHoldings mine, ApiCustomer b, List<string> failures, Action count)
    {
        string[] Theirs() => [a.Email, theirs.Secret, theirs.Order, theirs.Return, theirs.Ticket, theirs.Notice.ToString(), theirs.Subscription.ToString(),
            theirs.Card.ToString(), theirs.CartLine.ToString(), theirs.Payment.ToString()];
        async Task ExpectAsync(string what, HttpStatusCode expected, Func<Task<HttpResponseMessage>> send, string? mineMustShow = null)
        {
            count();
            using var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            if (response.StatusCode != expected) failures.Add($"{what}: {(int)response.StatusCode}, expected {(int)expected}");
            foreach (var their in Theirs().Where(t => body.Contains(t, StringComparison.OrdinalIgnoreCase))) failures.Add($"{what}: the answer holds A's {their}");
            if (mineMustShow is not null && !body.Contains(mineMustShow, StringComparison.OrdinalIgnoreCase)) failures.Add($"{what}: B's own {mineMustShow} is missing, so the check proves nothing");
        }
        var client = b.Client;
        Uri U(string path) => new(path, UriKind.Relative);
        Task<HttpResponseMessage> Json(HttpMethod method, string path, object? body, string? idempotencyKey = null)
        {
            var request = new HttpRequestMessage(method, U(path)) { Content = body is null ? null : System.Net.Http.Json.JsonContent.Create(body) };
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            return client.SendAsync(request);
        }

        // The control: B's own order, return, ticket and subscription open with B's token.
        foreach (var own in new[] { $"/api/v1/me/orders/{mine.Order}", $"/api/v1/me/returns/{mine.Return}", $"/api/v1/me/tickets/{mine.Ticket}", $"/api/v1/me/subscriptions/{mine.Subscription}" })
        {
            using var response = await client.GetAsync(U(own));
            Assert.True(response.IsSuccessStatusCode, $"B's own {own} answered {(int)response.StatusCode}");
        }

        var notFound = HttpStatusCode.NotFound;
        var order = $"/api/v1/me/orders/{theirs.Order}";
        await ExpectAsync("GET api/v1/me/orders/{number}", notFound, () => client.GetAsync(U(order)));
        await ExpectAsync("GET api/v1/me/orders/{number}/tracking", notFound, () => client.GetAsync(U(order + "/tracking")));
        await ExpectAsync("GET api/v1/me/orders/{number}/exchange-options", notFound, () => client.GetAsync(U(order + "/exchange-options")));
        await ExpectAsync("POST api/v1/me/orders/{number}/cancel", notFound, () => client.PostAsync(U(order + "/cancel"), null));
        await ExpectAsync("POST api/v1/me/orders/{number}/payments", notFound, () => Json(HttpMethod.Post, order + "/payments", new { cardNumber = "4242424242424242" }, Guid.NewGuid().ToString()));
        await ExpectAsync("POST api/v1/me/orders/{number}/payments (B's saved card)", notFound, () => Json(HttpMethod.Post, order + "/payments", new { savedCardId = mine.Card }, Guid.NewGuid().ToString()));
        await ExpectAsync("POST api/v1/me/orders/{number}/returns", notFound, () => Json(HttpMethod.Post, order + "/returns",
            new { items = new[] { new { orderLineId = theirs.OrderLine, quantity = 1 } }, reason = "too_small" }));
        await ExpectAsync("POST api/v1/me/payments/{paymentId}/challenge", notFound, () => Json(HttpMethod.Post, $"/api/v1/me/payments/{theirs.Payment}/challenge", new { approve = true }));
        await ExpectAsync("GET api/v1/me/returns/{number}", notFound, () => client.GetAsync(U($"/api/v1/me/returns/{theirs.Return}")));
        var subscription = $"/api/v1/me/subscriptions/{theirs.Subscription}";
        await ExpectAsync("GET api/v1/me/subscriptions/{id}", notFound, () => client.GetAsync(U(subscription)));
        foreach (var action in new[] { "pause", "resume", "skip", "cancel" })
            await ExpectAsync($"POST api/v1/me/subscriptions/{{id}}/{action}", notFound, () => client.PostAsync(U($"{subscription}/{action}"), null));
        await ExpectAsync("PUT api/v1/me/subscriptions/{id}/card", notFound, () => Json(HttpMethod.Put, subscription + "/card", new { cardNumber = "4242424242424242" }));
        await ExpectAsync("GET api/v1/me/tickets/{number}", notFound, () => client.GetAsync(U($"/api/v1/me/tickets/{theirs.Ticket}")));
        await ExpectAsync("POST api/v1/me/tickets/{number}/messages", notFound, () => Json(HttpMethod.Post, $"/api/v1/me/tickets/{theirs.Ticket}/messages", new { text = "Hello" }));
        await ExpectAsync("POST api/v1/me/notifications/{id}/read", notFound, () => client.PostAsync(U($"/api/v1/me/notifications/{theirs.Notice}/read"), null));
        await ExpectAsync("PATCH api/v1/cart/lines/{lineId}", notFound, () => Json(HttpMethod.Patch, $"/api/v1/cart/lines/{theirs.CartLine}", new { quantity = 1 }));
        await ExpectAsync("DELETE api/v1/cart/lines/{lineId}", notFound, () => client.DeleteAsync(U($"/api/v1/cart/lines/{theirs.CartLine}")));

        // Insights are figures over every customer (deciles, KPIs) for API keys with insights:read, and a customer's recommendations are
        // for integrators with customers:read: a customer's token is refused, on anyone's id and on their own.
        foreach (var insights in new[] { "/api/v1/insights/deciles?by=revenue&from=2026-01-01&to=2027-01-01", "/api/v1/insights/kpis?from=2026-01-01&to=2027-01-01",
                     $"/api/v1/customers/{a.Profile}/recommendations", $"/api/v1/customers/{b.Profile}/recommendations" })
            await ExpectAsync("GET " + insights, HttpStatusCode.Unauthorized, () => client.GetAsync(U(insights)));
        // So are segments: who is in which group is for marketers and integrators, never for a customer.
        foreach (var segments in new[] { "/api/v1/segments", $"/api/v1/segments/{Guid.NewGuid()}", $"/api/v1/segments/{Guid.NewGuid()}/members",
                     "/api/v1/journeys", $"/api/v1/journeys/{Guid.NewGuid()}", $"/api/v1/journeys/{Guid.NewGuid()}/report",
                     "/api/v1/campaigns", $"/api/v1/campaigns/{Guid.NewGuid()}" })
            await ExpectAsync("GET " + segments, HttpStatusCode.Unauthorized, () => client.GetAsync(U(segments)));
        // And surveys: their definitions and results are over every customer.
        foreach (var surveys in new[] { "/api/v1/surveys", $"/api/v1/surveys/{Guid.NewGuid()}", $"/api/v1/surveys/{Guid.NewGuid()}/results" })
            await ExpectAsync("GET " + surveys, HttpStatusCode.Unauthorized, () => client.GetAsync(U(surveys)));
        // And promotions: what the business offers and how often it was redeemed is for staff and integrators.
        foreach (var promotions in new[] { "/api/v1/promotions", $"/api/v1/promotions/{Guid.NewGuid()}" })
            await ExpectAsync("GET " + promotions, HttpStatusCode.Unauthorized, () => client.GetAsync(U(promotions)));
        await ExpectAsync("POST api/v1/promotions", HttpStatusCode.Unauthorized, () => Json(HttpMethod.Post, "/api/v1/promotions",
            new { name = "Mine", code = "FREE4ME", kind = "percent_off", percentOff = 100 }));
        await ExpectAsync("PUT api/v1/promotions/{id}", HttpStatusCode.Unauthorized, () => Json(HttpMethod.Put, $"/api/v1/promotions/{Guid.NewGuid()}",
            new { name = "Mine", kind = "percent_off", percentOff = 100 }));
        // And the loyalty programme's rules.
        await ExpectAsync("GET api/v1/loyalty/program", HttpStatusCode.Unauthorized, () => client.GetAsync(U("/api/v1/loyalty/program")));
        await ExpectAsync("PUT api/v1/loyalty/program", HttpStatusCode.Unauthorized, () => Json(HttpMethod.Put, "/api/v1/loyalty/program",
            new { pointsPerCurrencyUnit = 1000, minimumRedeem = 0 }));
        await ExpectAsync("POST api/v1/surveys", HttpStatusCode.Unauthorized, () => Json(HttpMethod.Post, "/api/v1/surveys", new { kind = "nps", name = "Mine", question = "Recommend?" }));
        await ExpectAsync("POST api/v1/segments/preview", HttpStatusCode.Unauthorized, () => Json(HttpMethod.Post, "/api/v1/segments/preview",
            new { rule = new { match = "all", conditions = new[] { new { kind = "trait", trait = "email", op = "exists" } } } }));
        // And message templates.
        foreach (var templates in new[] { "/api/v1/message-templates", $"/api/v1/message-templates/{Guid.NewGuid()}" })
            await ExpectAsync("GET " + templates, HttpStatusCode.Unauthorized, () => client.GetAsync(U(templates)));

        var ok = HttpStatusCode.OK;
        await ExpectAsync("GET api/v1/me", ok, () => client.GetAsync(U("/api/v1/me")), b.Email);
        await ExpectAsync("GET api/v1/me/orders", ok, () => client.GetAsync(U("/api/v1/me/orders")), mine.Order);
        await ExpectAsync("GET api/v1/me/returns", ok, () => client.GetAsync(U("/api/v1/me/returns")), mine.Return);
        await ExpectAsync("GET api/v1/me/subscriptions", ok, () => client.GetAsync(U("/api/v1/me/subscriptions")), mine.Subscription.ToString());
        await ExpectAsync("GET api/v1/me/tickets", ok, () => client.GetAsync(U("/api/v1/me/tickets")), mine.Ticket);
        await ExpectAsync("GET api/v1/me/notifications", ok, () => client.GetAsync(U("/api/v1/me/notifications")), mine.Notice.ToString());
        await ExpectAsync("GET api/v1/me/consent", ok, () => client.GetAsync(U("/api/v1/me/consent")));
        await ExpectAsync("GET api/v1/me/cards", ok, () => client.GetAsync(U("/api/v1/me/cards")), mine.Card.ToString());
        await ExpectAsync("GET api/v1/cart", ok, () => client.GetAsync(U("/api/v1/cart")), mine.CartLine.ToString());
        await ExpectAsync("GET api/v1/checkout", ok, () => client.GetAsync(U("/api/v1/checkout")), b.Email);
        await ExpectAsync("PUT api/v1/me/consent", ok, () => Json(HttpMethod.Put, "/api/v1/me/consent", new { channel = "email", purpose = "marketing", granted = true }));
        await ExpectAsync("POST api/v1/me/notifications/read-all", ok, () => client.PostAsync(U("/api/v1/me/notifications/read-all"), null));
        await ExpectAsync("PUT api/v1/cart/promo-code", ok, () => Json(HttpMethod.Put, "/api/v1/cart/promo-code", new { code = "WELCOME10" }));
        await ExpectAsync("DELETE api/v1/cart/promo-code", ok, () => client.DeleteAsync(U("/api/v1/cart/promo-code")));
        await ExpectAsync("POST api/v1/cart/lines", ok, () => Json(HttpMethod.Post, "/api/v1/cart/lines", new { variantId = theirs.Variant, quantity = 1 }));
        await ExpectAsync("POST api/v1/me/tickets naming A's order", HttpStatusCode.BadRequest, () => Json(HttpMethod.Post, "/api/v1/me/tickets",
            new { subject = "Help", text = "Hello", orderNumber = theirs.Order }));
        await ExpectAsync("POST api/v1/checkout", HttpStatusCode.Created, () => Json(HttpMethod.Post, "/api/v1/checkout",
            new { shippingMethod = "standard", address = new { name = "Bea", line1 = "Rua 2", city = "Porto", postalCode = "4000-001", country = "PT" } }, Guid.NewGuid().ToString()));

        // A's things are as they were.
        Assert.Equal(3, await app.WithDbAsync(db => db.CartLines.Where(l => l.Id == theirs.CartLine).Select(l => l.Quantity).SingleAsync()));
        Assert.Equal(OrderStatus.Delivered, await app.WithDbAsync(db => db.Orders.Where(o => o.Number == theirs.Order).Select(o => o.Status).SingleAsync()));
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<ReturnRequest>().CountAsync(r => r.ProfileId == a.Profile)));
        Assert.Equal(1, await app.WithDbAsync(db => db.TicketMessages.CountAsync(m => db.Tickets.Any(t => t.Id == m.TicketId && t.Number == theirs.Ticket) && m.Direction == MessageDirection.Inbound)));
        Assert.Equal(PaymentStatus.Succeeded, await app.WithDbAsync(db => db.Payments.Where(p => p.Id == theirs.Payment).Select(p => p.Status).SingleAsync()));
        Assert.False(await app.WithDbAsync(db => db.Consents.AnyAsync(c => c.ProfileId == a.Profile)), "B's consent answer landed on A");
        Assert.Null(await app.WithDbAsync(db => db.Set<Notification>().Where(n => n.Id == theirs.Notice).Select(n => n.ReadAt).SingleAsync()));
        Assert.Equal(SubscriptionStatus.Active, await app.WithDbAsync(db => db.Set<Subscription>().Where(s => s.Id == theirs.Subscription).Select(s => s.Status).SingleAsync()));
    }
}

public sealed class OwnershipSweepOnSqlite(SqliteApp app, ITestOutputHelper output) : OwnershipSweepTests(app, output), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class OwnershipSweepOnPostgres(PostgresApp app, ITestOutputHelper output) : OwnershipSweepTests(app, output), IClassFixture<PostgresApp>;
