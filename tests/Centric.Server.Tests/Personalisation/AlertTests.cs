using System.Net;
using System.Net.Http.Json;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Notifications;
using Centric.Server.Engagement.Messages;
using Centric.Server.Personalisation;
using Centric.Server.Personalisation.Alerts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Personalisation;

/// <summary>
/// Price-drop and back-in-stock alerts: Commerce's restock or price change sends each waiting customer one message on a channel
/// they allow (email when they accept marketing by email, else their notification centre), never to someone who said no, and
/// only ever the customer's own alerts are seen or removed.
/// </summary>
public abstract class AlertTests(CentricAppFactory app)
{
    private static string Warehouse(RecommendationWorld world) => "R" + world.Suffix[..6];

    private async Task ChangeVariantAsync(string sku, object body)
    {
        using var admin = app.AdminClient();
        using var response = await admin.PutAsJsonAsync($"/api/v1/catalog/variants/{sku}", body);
        Assert.True(response.IsSuccessStatusCode, $"PUT variant answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<Guid> AskAsync(Guid profile, Guid product, ProductAlertKind kind)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var alert = await scope.ServiceProvider.GetRequiredService<ProductAlerts>().AddAsync(profile, product, kind, default);
        Assert.NotNull(alert);
        return alert.Id;
    }

    private async Task ConsentAsync(Guid profile, string channel, string purpose, bool granted)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(profile, channel, purpose, granted, "test", null, default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
    }

    private Task<List<EngagementMessage>> AlertMessagesAsync(Guid profile) =>
        app.WithDbAsync(db => db.Set<EngagementMessage>().AsNoTracking().Where(m => m.ProfileId == profile && m.SendKey.StartsWith("alert:")).ToListAsync());

    private Task<int> AlertsSentAsync(Guid profile) =>
        app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == profile && i.Type == InteractionTypes.AlertSent.Name));

    [SkippableFact]
    public async Task A_restock_sends_one_alert_per_waiting_customer_even_after_two_restocks_and_none_to_who_said_no()
    {
        app.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(app, train: false);
        var sku = world.Variants[world.SoldOut].Sku;
        using var ana = await ApiCustomer.SignInAsync(app);
        var (bea, _, _, _) = await ApiCustomer.CreateAccountAsync(app);
        var (cai, _, _, _) = await ApiCustomer.CreateAccountAsync(app);
        await ConsentAsync(ana.Profile, "email", ConsentPurposes.Marketing, true);
        // Cai said no to offers by email and to notices in the portal.
        await ConsentAsync(cai, "email", ConsentPurposes.Marketing, false);
        await ConsentAsync(cai, ConsentChannels.InApp, ConsentPurposes.Service, false);

        using (var asked = await ana.Client.PostAsJsonAsync("/api/v1/me/alerts", new { sku, kind = "back_in_stock" }))
        {
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            Assert.Equal("waiting", (await asked.ReadJsonAsync()).GetProperty("status").GetString());
        }
        await AskAsync(bea, world.SoldOut, ProductAlertKind.BackInStock);
        await AskAsync(cai, world.SoldOut, ProductAlertKind.BackInStock);
        Assert.Equal(1, await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.ProfileId == bea && i.Type == InteractionTypes.AlertRequested.Name)));

        // Restocked, more arrives, sold out again, restocked again.
        await ChangeVariantAsync(sku, new { stock = new[] { new { location = Warehouse(world), onHand = 5 } } });
        await ChangeVariantAsync(sku, new { stock = new[] { new { location = Warehouse(world), onHand = 9 } } });
        await ChangeVariantAsync(sku, new { stock = new[] { new { location = Warehouse(world), onHand = 0 } } });
        await ChangeVariantAsync(sku, new { stock = new[] { new { location = Warehouse(world), onHand = 3 } } });

        var toAna = Assert.Single(await AlertMessagesAsync(ana.Profile));
        Assert.Equal("email", toAna.Channel);
        Assert.Contains("Back in stock", toAna.Subject, StringComparison.Ordinal);
        var toBea = Assert.Single(await AlertMessagesAsync(bea));
        Assert.Equal(ConsentChannels.InApp, toBea.Channel);
        Assert.Equal(1, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.ProfileId == bea && n.Title.StartsWith("Back in stock"))));
        Assert.Empty(await AlertMessagesAsync(cai));
        Assert.Equal(0, await app.WithDbAsync(db => db.Set<Notification>().CountAsync(n => n.ProfileId == cai)));
        Assert.Equal((1, 1, 0), (await AlertsSentAsync(ana.Profile), await AlertsSentAsync(bea), await AlertsSentAsync(cai)));

        // Ana's list says it went out; Cai's alert still waits for a channel he allows.
        var list = await ana.Client.GetFromJsonAsync<List<AlertView>>("/api/v1/me/alerts");
        Assert.Equal("sent", Assert.Single(list!).Status);
        Assert.Equal(ProductAlertStatus.Waiting, await app.WithDbAsync(db => db.ProductAlerts.Where(a => a.ProfileId == cai).Select(a => a.Status).SingleAsync()));
    }

    [SkippableFact]
    public async Task A_price_drop_alert_goes_out_once_for_each_new_low()
    {
        app.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(app, train: false);
        var product = world.Garden[0];
        var sku = world.Variants[product].Sku;
        var (dora, _, _, _) = await ApiCustomer.CreateAccountAsync(app);
        await ConsentAsync(dora, "email", ConsentPurposes.Marketing, true);
        await AskAsync(dora, product, ProductAlertKind.PriceDrop);

        await ChangeVariantAsync(sku, new { price = 12.00m });   // dearer: nothing
        Assert.Empty(await AlertMessagesAsync(dora));
        await ChangeVariantAsync(sku, new { price = 9.00m });    // below the €10.00 she saw
        await ChangeVariantAsync(sku, new { price = 9.50m });
        await ChangeVariantAsync(sku, new { price = 9.00m });    // a drop, but not below what she was told
        var first = Assert.Single(await AlertMessagesAsync(dora));
        Assert.Contains("€9.00", first.Subject, StringComparison.Ordinal);
        await ChangeVariantAsync(sku, new { price = 8.00m });
        var messages = await AlertMessagesAsync(dora);
        Assert.Equal(2, messages.Count);
        Assert.Contains(messages, m => m.Subject.Contains("€8.00", StringComparison.Ordinal));
        Assert.Equal(2, await AlertsSentAsync(dora));
    }

    [SkippableFact]
    public async Task Another_customer_can_neither_see_nor_remove_my_alert()
    {
        app.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(app, train: false);
        using var ana = await ApiCustomer.SignInAsync(app);
        using var bea = await ApiCustomer.SignInAsync(app);
        Guid mine;
        using (var asked = await ana.Client.PostAsJsonAsync("/api/v1/me/alerts", new { productId = world.Books[0], kind = "price_drop" }))
            mine = (await asked.ReadJsonAsync()).GetProperty("id").GetGuid();

        var beas = await bea.Client.GetStringAsync("/api/v1/me/alerts");
        Assert.DoesNotContain(mine.ToString(), beas, StringComparison.OrdinalIgnoreCase);
        using (var removed = await bea.Client.DeleteAsync($"/api/v1/me/alerts/{mine}")) Assert.Equal(HttpStatusCode.NotFound, removed.StatusCode);
        using var beaPortal = await PortalSession.SignInAsync(app, bea.Email, PortalSession.Password);
        Assert.DoesNotContain(mine.ToString(), await beaPortal.Client.GetStringAsync("/account/alerts"), StringComparison.OrdinalIgnoreCase);
        using (var form = await beaPortal.Client.PostAsync(new Uri("/account/alerts/remove", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
               {
                   ["alertId"] = mine.ToString(), ["returnUrl"] = "/account/alerts", ["__RequestVerificationToken"] = await beaPortal.AntiforgeryTokenAsync("/account/alerts"),
               })))
            Assert.Equal(HttpStatusCode.NotFound, form.StatusCode);
        Assert.True(await app.WithDbAsync(db => db.ProductAlerts.AnyAsync(a => a.Id == mine)), "Bea removed Ana's alert");

        using var anaPortal = await PortalSession.SignInAsync(app, ana.Email, PortalSession.Password);
        Assert.Contains(mine.ToString(), await anaPortal.Client.GetStringAsync("/account/alerts"), StringComparison.OrdinalIgnoreCase);
        using (var removed = await ana.Client.DeleteAsync($"/api/v1/me/alerts/{mine}")) Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
        Assert.False(await app.WithDbAsync(db => db.ProductAlerts.AnyAsync(a => a.Id == mine)));
    }

    [SkippableFact]
    public async Task Bad_requests_are_refused_with_a_problem()
    {
        app.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(app, train: false);
        using var ana = await ApiCustomer.SignInAsync(app);
        async Task ExpectAsync(HttpStatusCode status, object body, string? type = null)
        {
            using var response = await ana.Client.PostAsJsonAsync("/api/v1/me/alerts", body);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            if (type is not null) Assert.EndsWith(type, (await response.ReadJsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        }
        await ExpectAsync(HttpStatusCode.BadRequest, new { productId = world.Books[0], kind = "whenever" });
        await ExpectAsync(HttpStatusCode.BadRequest, new { kind = "price_drop" });
        await ExpectAsync(HttpStatusCode.NotFound, new { productId = Guid.NewGuid(), kind = "price_drop" });
        await ExpectAsync(HttpStatusCode.NotFound, new { productId = world.Hidden, kind = "price_drop" });
        await ExpectAsync(HttpStatusCode.Conflict, new { productId = world.Books[0], kind = "back_in_stock" }, "alert-in-stock");
        using (var admin = app.AdminClient())
        {
            using var unknown = await admin.PutAsJsonAsync("/api/v1/catalog/variants/NO-SUCH-SKU", new { price = 1 });
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            using var negative = await admin.PutAsJsonAsync($"/api/v1/catalog/variants/{world.Variants[world.Books[0]].Sku}", new { price = -1 });
            Assert.Equal(HttpStatusCode.BadRequest, negative.StatusCode);
            using var nowhere = await admin.PutAsJsonAsync($"/api/v1/catalog/variants/{world.Variants[world.Books[0]].Sku}", new { stock = new[] { new { location = "NOWHERE", onHand = 1 } } });
            Assert.Equal(HttpStatusCode.BadRequest, nowhere.StatusCode);
        }
        // A customer's token cannot change the catalogue.
        using var refused = await ana.Client.PutAsJsonAsync($"/api/v1/catalog/variants/{world.Variants[world.Books[0]].Sku}", new { price = 1 });
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [SkippableFact]
    public async Task Alerts_are_in_the_export_and_go_with_erasure()
    {
        app.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(app, train: false);
        var (eva, _, _, _) = await ApiCustomer.CreateAccountAsync(app);
        var alert = await AskAsync(eva, world.Kitchen[0], ProductAlertKind.PriceDrop);
        await using var scope = app.Services.CreateAsyncScope();
        var accounts = scope.ServiceProvider.GetRequiredService<ICustomerAccounts>();
        var export = await accounts.ExportAsync(eva, default);
        Assert.Contains(alert.ToString(), export!.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        await accounts.EraseAsync(eva, default);
        Assert.False(await app.WithDbAsync(db => db.ProductAlerts.AnyAsync(a => a.ProfileId == eva)));
    }
}

public sealed class AlertsOnSqlite(SqliteApp app) : AlertTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class AlertsOnPostgres(PostgresApp app) : AlertTests(app), IClassFixture<PostgresApp>;
