using System.Net;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>
/// The shop's forms turn a refused input into a message under each field it is about, with the summary above: the
/// console's promotion, loyalty programme and points forms (answering 400, as the API does) and the checkout.
/// </summary>
public abstract class FormErrorTests(CentricAppFactory app)
{
    private const string Summary = "Please check the highlighted fields.";

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        fields["_handler"] = handler;
        fields["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(client, path);
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(fields));
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    private static string FieldError(string control, string message) => $"<p class=\"field-error\" id=\"{control}-error\" role=\"alert\">{message}</p>";

    [SkippableFact]
    public async Task A_refused_promotion_shows_each_message_under_its_field_and_is_not_saved()
    {
        app.SkipIfUnavailable();
        using var marketer = await StaffSession.SignInAsync(app, Roles.Marketer, withMfa: true);
        var name = "Refused " + Guid.NewGuid().ToString("N")[..8];
        var (status, html) = await PostAsync(marketer, "/console/promotions/new", "promotion-edit", new()
        {
            ["name"] = name, ["kind"] = "percent_off", ["percentOff"] = "10", ["audience"] = "everyone", ["totalLimit"] = "0", ["perCustomerLimit"] = "5000",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Summary, html, StringComparison.Ordinal);
        Assert.Contains(FieldError("p-total", "Empty for no limit, or 1 to 10,000,000."), html, StringComparison.Ordinal);
        Assert.Contains(FieldError("p-each", "Empty for no limit, or 1 to 1,000."), html, StringComparison.Ordinal);
        Assert.Contains($"value=\"{name}\"", html, StringComparison.Ordinal);   // what was typed stays
        Assert.False(await app.WithDbAsync(db => db.Promotions.AnyAsync(p => p.Name == name)));
    }

    [SkippableFact]
    public async Task A_refused_loyalty_programme_shows_field_and_tier_messages()
    {
        app.SkipIfUnavailable();
        using var marketer = await StaffSession.SignInAsync(app, Roles.Marketer, withMfa: true);
        var (status, html) = await PostAsync(marketer, "/console/loyalty", "loyalty-program", new()
        {
            ["enabled"] = "true", ["pointsPerCurrencyUnit"] = "5000", ["pointsPerCurrencyUnitRedeemed"] = "100", ["tierName0"] = "Gold", ["tierThreshold0"] = "",
        });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Summary, html, StringComparison.Ordinal);
        Assert.Contains(FieldError("l-per-unit", "0 to 1,000."), html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"error\" role=\"alert\">Points earned over 12 months, 0 to 10,000,000.</p>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"l-review-error\" role=\"alert\"", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Refused_points_show_under_the_points_or_the_reason()
    {
        app.SkipIfUnavailable();
        Guid profile;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var p = scope.ServiceProvider.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Known);
            p.FirstName = "Rita";
            await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
            profile = p.Id;
        }
        using var agent = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true);
        var path = $"/console/loyalty/members/{profile}";
        var (status, html) = await PostAsync(agent, path, "member-adjust", new() { ["points"] = "lots", ["reason"] = "Late parcel" });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(FieldError("adjust-points", "A whole number of points, e.g. 500 or -200."), html, StringComparison.Ordinal);

        (status, html) = await PostAsync(agent, path, "member-adjust", new() { ["points"] = "50", ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(Summary, html, StringComparison.Ordinal);
        Assert.Contains(FieldError("adjust-reason", "Why, in up to 200 characters."), html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"adjust-points-error\" role=\"alert\"", html, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_checkout_without_a_town_names_it_beside_its_field_and_links_it_for_screen_readers()
    {
        app.SkipIfUnavailable();
        using var guest = PortalSession.Guest(app);
        var checkout = await GuestCheckout.OpenAsync(app, guest);
        var form = GuestCheckout.Form(checkout);
        form["Form.City"] = "";
        using var refused = await GuestCheckout.PlaceAsync(guest, form);
        var html = WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync());
        Assert.Contains(Summary, html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"error\" id=\"err-address-city\" role=\"alert\">Enter the town or city.</span>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"err-address-name\"", html, StringComparison.Ordinal);

        // A bad email is named too, and the email box points at its message.
        (form["Form.City"], form["Form.Email"]) = ("Porto", "not an email");
        using var badEmail = await GuestCheckout.PlaceAsync(guest, form);
        html = WebUtility.HtmlDecode(await badEmail.Content.ReadAsStringAsync());
        Assert.Contains("aria-describedby=\"err-email\"", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"error\" id=\"err-email\" role=\"alert\">Enter a valid email address.</span>", html, StringComparison.Ordinal);
    }
}

public sealed class FormErrorsOnSqlite(SqliteApp app) : FormErrorTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class FormErrorsOnPostgres(PostgresApp app) : FormErrorTests(app), IClassFixture<PostgresApp>;
