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
        "orders/{Number}", "orders/{Number}/return", "returns/{Number}", "checkout/pay/{Number}", "checkout/pay/{number}/wallet",
        "checkout/challenge/{PaymentId:guid}", "support/{Number}", "support/{Number}/rating",
    ];

    /// <summary>Customer-scoped pages and downloads that show the signed-in customer's own things: A's must not appear.</summary>
    private static readonly string[] SweptForLeaks =
    [
        "orders", "account/subscriptions", "account/wallet", "notifications", "support", "account/preferences",
        "Account/Manage/DownloadPersonalData", "chat/api/conversation",
    ];

    /// <summary>
    /// Everything else the app serves, and why it holds nothing of one customer's that another could ask for. An entry
    /// ending in "/" covers the routes under it; any other entry is one route exactly.
    /// </summary>
    private static readonly (string Prefix, string Why)[] NotCustomerScoped =
    [
        ("console", "staff only (role policies)"), ("console/", "staff only (role policies)"),
        ("api/v1/", "API keys with scopes, for integrators and staff"),
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
        ("help/", "the public help centre"), ("help", "the public help centre"), ("shop/", "the public catalogue"), ("shop", "the public catalogue"),
        ("cart", "the caller's own cart, by cookie"), ("checkout", "the caller's own cart, by cookie"),
        ("Account/", "sign-in, registration and the signed-in account's own settings"), ("support/new", "opens a new request for the caller"),
        ("Error", "the error page"), ("not-found", "the not-found page"), ("", "the home page"),
    ];

    private sealed record Customer(Guid Profile, string Email, PortalSession Session);

    private sealed record Holdings(string Order, string OrderKey, string Return, Guid Payment, string Ticket, Guid Notice, Guid Subscription, Guid Card, string Secret);

    [SkippableFact]
    public async Task Another_customer_is_told_not_found_for_everything_of_anothers()
    {
        app.SkipIfUnavailable();
        var a = await CustomerAsync();
        var b = await CustomerAsync();
        var theirs = await HoldingsAsync(a);
        var mine = await HoldingsAsync(b);

        // Every route the app maps is either swept here or declared not customer-scoped.
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText?.TrimStart('/') ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var swept = SweptWithAnothersId.Concat(SweptForLeaks).ToHashSet(StringComparer.Ordinal);
        // Static files (scripts, styles, icons and their compressed twins) are the same for everyone.
        static bool IsStaticFile(string r) => r == "{**path:file}" || r.Split('/')[^1].Contains('.', StringComparison.Ordinal);
        var unclassified = routes.Where(r => !swept.Contains(r) && !IsStaticFile(r) && !NotCustomerScoped.Any(n => n.Prefix.EndsWith('/') ? r.StartsWith(n.Prefix, StringComparison.Ordinal) : r == n.Prefix)).ToList();
        Assert.True(unclassified.Count == 0, "Routes neither swept for ownership nor declared not customer-scoped: " + string.Join(", ", unclassified));
        Assert.All(swept, r => Assert.Contains(r, routes));

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
        foreach (var own in new[] { $"/orders/{mine.Order}", $"/returns/{mine.Return}", $"/support/{mine.Ticket}", $"/checkout/pay/{mine.Order}" })
        {
            using var response = await Get(own);
            Assert.True(response.IsSuccessStatusCode, $"B's own {own} answered {(int)response.StatusCode}");
        }

        await ExpectNotFoundAsync("orders/{Number}", () => Get($"/orders/{theirs.Order}"));
        await ExpectNotFoundAsync("orders/{Number}/return", () => Get($"/orders/{theirs.Order}/return"));
        await ExpectNotFoundAsync("returns/{Number}", () => Get($"/returns/{theirs.Return}"));
        await ExpectNotFoundAsync("checkout/pay/{Number}", () => Get($"/checkout/pay/{theirs.Order}"));
        await ExpectNotFoundAsync("checkout/pay/{number}/wallet", async () =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/checkout/pay/{theirs.Order}/wallet", UriKind.Relative))
            {
                Content = System.Net.Http.Json.JsonContent.Create(new { key = (string?)null, idempotencyKey = Json.NewId(), methodName = "basic-card", details = new { cardNumber = "4242424242424242", expiryMonth = "12", expiryYear = "2030", cardSecurityCode = "123" } }),
            };
            request.Headers.Add("RequestVerificationToken", await b.Session.AntiforgeryTokenAsync($"/checkout/pay/{mine.Order}"));
            return await b.Session.Client.SendAsync(request);
        });
        await ExpectNotFoundAsync("checkout/challenge/{PaymentId:guid}", () => Get($"/checkout/challenge/{theirs.Payment}"));
        await ExpectNotFoundAsync("support/{Number}", () => Get($"/support/{theirs.Ticket}"));
        await ExpectNotFoundAsync("support/{Number}/rating", () => Get($"/support/{theirs.Ticket}/rating"));
        await ExpectNotFoundAsync("chat/api/conversation?ticket=", () => Get($"/chat/api/conversation?ticket={theirs.Ticket}"));
        await ExpectNotFoundAsync("notifications: mark A's notice read", () => Form("/notifications", "/notifications",
            new() { ["_handler"] = "notifications", ["Read"] = theirs.Notice.ToString() }));

        await ExpectNoLeakAsync("orders", () => Get("/orders"), mine.Order);
        await ExpectNoLeakAsync("account/subscriptions", () => Get("/account/subscriptions"), mine.Subscription.ToString());
        await ExpectNoLeakAsync("account/wallet", () => Get("/account/wallet"), mine.Card.ToString());
        await ExpectNoLeakAsync("notifications", () => Get("/notifications"), mine.Notice.ToString());
        await ExpectNoLeakAsync("support", () => Get("/support"), mine.Ticket);
        await ExpectNoLeakAsync("account/preferences", () => Get("/account/preferences"));
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

        output.WriteLine($"{app.Provider}: {routes.Count} routes ({SweptWithAnothersId.Length} swept with another's id, {SweptForLeaks.Length} swept for leaks, " +
                         $"the rest not customer-scoped); {asked} requests as B for A's things, {failures.Count} failures.");
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
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

    /// <summary>Made the way the product makes them: checkout, payment, delivery, a return request, a subscription, a notice, a request, a saved card.</summary>
    private async Task<Holdings> HoldingsAsync(Customer who)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var secret = "Rua Secreta " + suffix;
        var category = new Category { Slug = "o-" + suffix, Name = "Ownership" };
        var product = new Product { Slug = "own-" + suffix, Name = "Mug " + suffix, CategoryId = category.Id, PriceFromMinor = 1250 };
        var variant = new ProductVariant { ProductId = product.Id, Sku = "OWN-" + suffix, Currency = "EUR", PriceMinor = 1250, SubscriptionIntervalDays = 30, SubscriptionPriceMinor = 1100 };
        var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
        db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = 10 });
        await db.SaveChangesAsync();

        var address = new Address("Ana Silva", secret, null, "Porto", "4000-001", "PT");
        var token = Guid.NewGuid().ToString("N");
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(who.Profile, token, default);
        await carts.AddAsync(cart, variant.Id, 1, who.Profile, default);
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart.Id, who.Email, "standard", address, null, null, CheckoutService.NewIdempotencyKey()), who.Profile, token, default);
        var paid = await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Json.NewId(), default);
        var orders = s.GetRequiredService<OrderService>();
        foreach (var step in new[] { OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered }) await orders.MoveAsync(order, step, "staff", default);
        var request = await s.GetRequiredService<ReturnService>().RequestAsync(order, [new(order.Lines.Single().Id, 1)], "too_small", secret, ReturnResolution.Refund, null, default);

        var subscription = await s.GetRequiredService<SubscriptionService>().SubscribeAsync(who.Profile, who.Email, variant.Id, 1, "4242424242424242", address, default);
        var card = await s.GetRequiredService<WalletService>().AddCardAsync(who.Profile, "5555555555554444", default);
        Assert.True(await s.GetRequiredService<INotifications>().NotifyAsync(who.Profile, "test", "Notice " + suffix, secret, "/orders", ConsentPurposes.Service, default));
        var ticket = await s.GetRequiredService<TicketService>().OpenAsync(who.Profile, "Where is " + suffix,
            new NewMessage(MessageDirection.Inbound, SupportChannels.Web, "Ana", secret), order.Number, default);
        await db.SaveChangesAsync();
        var notice = await db.Set<Notification>().Where(n => n.ProfileId == who.Profile).Select(n => n.Id).FirstAsync();
        return new Holdings(order.Number, order.AccessKey, request.Number, paid.Payment.Id, ticket.Number, notice, subscription.Id, card.Id, secret);
    }
}

public sealed class OwnershipSweepOnSqlite(SqliteApp app, ITestOutputHelper output) : OwnershipSweepTests(app, output), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class OwnershipSweepOnPostgres(PostgresApp app, ITestOutputHelper output) : OwnershipSweepTests(app, output), IClassFixture<PostgresApp>;
