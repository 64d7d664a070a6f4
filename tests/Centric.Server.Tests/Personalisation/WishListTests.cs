using System.Net;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Personalisation;

/// <summary>The wish list: saved from a product page's form, listed in the account, and only ever the signed-in customer's own.</summary>
public abstract class WishListTests(CentricAppFactory app)
{
    private async Task<(Guid Profile, PortalSession Session)> CustomerAsync()
    {
        var email = Json.NewEmail();
        Guid profile;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var p = directory.Create(ProfileKind.Known);
            directory.AddIdentity(p, IdentityKinds.Email, email, true);
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
            profile = p.Id;
        }
        return (profile, await PortalSession.SignInAsync(app, profile, email));
    }

    private static async Task<HttpResponseMessage> PostAsync(PortalSession session, string action, Guid product, string tokenFrom, string returnUrl) =>
        await session.Client.PostAsync(new Uri("/account/wishlist/" + action, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["productId"] = product.ToString(), ["returnUrl"] = returnUrl, ["__RequestVerificationToken"] = await session.AntiforgeryTokenAsync(tokenFrom),
        }));

    [SkippableFact]
    public async Task A_saved_product_is_on_the_customers_own_wish_list_and_nobody_elses()
    {
        app.SkipIfUnavailable();
        var world = await RecommendationWorld.CreateAsync(app, train: false);
        var (ana, anaSession) = await CustomerAsync();
        var (_, beaSession) = await CustomerAsync();
        using var _a = anaSession;
        using var _b = beaSession;
        var page = $"/shop/garden-2-{world.Suffix}";

        Assert.Contains("Save to wish list", await anaSession.Client.GetStringAsync(page), StringComparison.Ordinal);
        using (var saved = await PostAsync(anaSession, "add", world.Garden[1], page, page))
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);   // back to the product page
            Assert.Equal(page, saved.Headers.Location!.OriginalString);
        }
        Assert.Contains("Saved to your wish list", await anaSession.Client.GetStringAsync(page), StringComparison.Ordinal);
        using (var again = await PostAsync(anaSession, "add", world.Garden[1], page, page)) Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.WishListItems.CountAsync(w => w.ProfileId == ana)));

        var anaList = await anaSession.Client.GetStringAsync("/account/wishlist");
        Assert.Contains($"garden-2-{world.Suffix}", anaList, StringComparison.Ordinal);
        var beaList = await beaSession.Client.GetStringAsync("/account/wishlist");
        Assert.DoesNotContain($"garden-2-{world.Suffix}", beaList, StringComparison.Ordinal);
        Assert.Contains("Nothing saved yet", beaList, StringComparison.Ordinal);

        // Bea's "remove" with Ana's product changes only Bea's own (empty) list.
        using (var removed = await PostAsync(beaSession, "remove", world.Garden[1], "/account/wishlist", "/account/wishlist"))
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(1, await app.WithDbAsync(db => db.WishListItems.CountAsync(w => w.ProfileId == ana)));

        // A return address elsewhere is not followed; a hidden product cannot be saved.
        using (var offsite = await anaSession.Client.PostAsync(new Uri("/account/wishlist/add", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
               {
                   ["productId"] = world.Hidden.ToString(), ["returnUrl"] = "//evil.example.com/x",
                   ["__RequestVerificationToken"] = await anaSession.AntiforgeryTokenAsync("/account/wishlist"),
               })))
        {
            Assert.Equal(HttpStatusCode.Redirect, offsite.StatusCode);
            Assert.Equal("/account/wishlist", offsite.Headers.Location!.OriginalString);
        }
        Assert.False(await app.WithDbAsync(db => db.WishListItems.AnyAsync(w => w.ProfileId == ana && w.ProductId == world.Hidden)));

        using (var removed = await PostAsync(anaSession, "remove", world.Garden[1], "/account/wishlist", "/account/wishlist"))
            Assert.Equal(HttpStatusCode.Redirect, removed.StatusCode);
        Assert.Equal(0, await app.WithDbAsync(db => db.WishListItems.CountAsync(w => w.ProfileId == ana)));
    }

    [SkippableFact]
    public async Task A_visitor_who_is_not_signed_in_cannot_change_a_wish_list()
    {
        app.SkipIfUnavailable();
        using var guest = PortalSession.Guest(app);
        var token = await guest.AntiforgeryTokenAsync("/Account/Login");
        using var response = await guest.Client.PostAsync(new Uri("/account/wishlist/add", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["productId"] = Guid.NewGuid().ToString(), ["__RequestVerificationToken"] = token,
        }));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.Unauthorized, $"answered {(int)response.StatusCode}");
    }
}

public sealed class WishListOnSqlite(SqliteApp app) : WishListTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class WishListOnPostgres(PostgresApp app) : WishListTests(app), IClassFixture<PostgresApp>;
