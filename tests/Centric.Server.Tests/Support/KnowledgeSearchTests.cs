using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Knowledge;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Centric.Server.Tests.Support;

/// <summary>
/// Search quality on a labelled set: customers' paraphrased questions and the article that answers each, over a help centre
/// of realistic articles. Each fixture has its own database, so the articles here are all there is.
/// </summary>
public abstract class KnowledgeSearchTests(CentricAppFactory app, ITestOutputHelper output)
{
    private static readonly (string Slug, string Title, string Category, string Body)[] Articles =
    [
        ("returns", "How do I return an item?", "Orders", "You can send items back within **30 days of delivery**. Open the order, choose *Return or exchange items*, pick the items and a reason, then print the prepaid label or show the QR code at a drop-off point."),
        ("refund-timing", "When will I get my refund?", "Payments", "Once the returned parcel reaches our warehouse we check it within two working days and refund the original payment method. Banks usually show the money back on your account 3–5 days later."),
        ("delivery-times", "How long does delivery take?", "Delivery", "Standard shipping takes **3–5 working days** and is free over €50. Express shipping arrives in 1–2 working days. You get a tracking link by email when the parcel ships."),
        ("track-order", "Tracking your parcel", "Delivery", "The order page shows live tracking once the carrier has collected the parcel: where it is, the expected delivery day and the carrier's tracking number."),
        ("missing-parcel", "My parcel says delivered but it has not arrived", "Delivery", "Check with neighbours and your safe place first. If the parcel still cannot be found 48 hours after the carrier marked it delivered, tell us and we open an investigation with the carrier and send a replacement or refund."),
        ("change-address", "Changing the delivery address", "Delivery", "Until the order is packed you can cancel it and order again with the right address. After it ships, contact us and we ask the carrier to redirect it to a new address."),
        ("cancel-order", "Cancelling an order", "Orders", "An order can be cancelled from the order page until it is packed. Once packed it cannot be stopped, but you can return it free of charge after it arrives."),
        ("reset-password", "I forgot my password", "Account", "Choose **Forgot your password?** on the sign-in page and enter your email. We send a link to choose a new password; it expires after one hour."),
        ("two-factor", "Setting up two-factor authentication", "Account", "In *Account → Two-factor authentication* scan the QR code with an authenticator app and type the six-digit code. Keep the ten recovery codes somewhere safe in case you lose your phone."),
        ("delete-account", "Deleting your account and data", "Privacy", "You can ask us to erase your account and personal data. We remove your name, contact details and history; invoices are kept anonymised as the law requires."),
        ("marketing-emails", "Stopping marketing emails and newsletters", "Privacy", "Use the unsubscribe link at the bottom of any newsletter, or switch off marketing email under *Account → Preferences*. Service messages about your orders still arrive."),
        ("payment-methods", "Which payment methods do you accept?", "Payments", "We accept Visa, Mastercard, American Express, PayPal, Apple Pay and gift cards. Bank transfer is available for business customers."),
        ("card-declined", "Why was my card declined at checkout?", "Payments", "A card is refused when the bank blocks the payment, the billing address does not match, or 3-D Secure verification was not completed. Try again, use another card or contact your bank."),
        ("subscriptions", "Pausing or skipping a subscription", "Subscriptions", "In *Account → Subscriptions* you can pause, skip the next box, resume or cancel at any time. If a renewal payment fails we retry after 1, 3 and 7 days."),
        ("gift-cards", "Using a gift card", "Payments", "Enter the gift card code at checkout. The balance is taken off your total and any remainder stays on the card for next time. Gift cards are valid for two years."),
        ("sizes", "Finding the right size", "Products", "Each product page has a size guide with measurements in centimetres. Our running shoes fit true to size; if you are between sizes pick the larger one."),
        ("damaged-item", "My item arrived damaged or faulty", "Orders", "Sorry about that! Take a photo of the damage and the packaging, then contact us within 14 days. We send a free replacement or refund without needing the broken item back."),
        ("loyalty-points", "Earning and spending loyalty points", "Loyalty", "You earn one point for every euro spent. Points can be redeemed at checkout, 100 points give €5 off. Points expire after 12 months without a purchase."),
        ("invoice", "Getting an invoice for my order", "Orders", "A VAT invoice is attached to the shipping confirmation email and can be downloaded as a PDF from the order page at any time."),
        ("click-collect", "Click and collect in store", "Delivery", "Choose click and collect at checkout and pick a store. We email you when the order is ready, usually within two hours. Bring the QR code from the email."),
        ("exchange", "Exchanging for a different size or colour", "Orders", "Start an exchange from the order page: choose the item, the new size or colour, and we ship the replacement as soon as the original is scanned by the carrier."),
        ("international", "Shipping abroad and customs", "Delivery", "We ship to the whole EU with no customs charges. Outside the EU import duties and taxes may be charged by your country on arrival."),
        ("contact-hours", "Opening hours of customer service", "General", "Our support team answers chat and phone Monday to Friday 8:00–20:00 and Saturday 9:00–17:00. Email is answered within one working day."),
        ("price-match", "Do you match lower prices?", "Products", "If you find the same product cheaper at another shop within 7 days of buying, send us a link and we refund the difference."),
    ];

    private static readonly (string Question, string Expected)[] Questions =
    [
        ("can I send back shoes that don't fit", "returns"),
        ("how to return something I bought", "returns"),
        ("the money for my returned jacket hasn't come back yet", "refund-timing"),
        ("how many days until the refund shows on my bank account", "refund-timing"),
        ("how fast is shipping", "delivery-times"),
        ("how long will my package take to arrive", "delivery-times"),
        ("where is my package right now", "track-order"),
        ("carrier tracking number for my order", "track-order"),
        ("tracking says delivered but nothing came", "missing-parcel"),
        ("package marked delivered but I never got it", "missing-parcel"),
        ("I moved, can I ship to a new address", "change-address"),
        ("wrong address on my order", "change-address"),
        ("I want to cancel my order", "cancel-order"),
        ("can't log in, lost my password", "reset-password"),
        ("reset password link", "reset-password"),
        ("authenticator app code setup", "two-factor"),
        ("lost my phone with the recovery codes", "two-factor"),
        ("please erase all my personal data", "delete-account"),
        ("unsubscribe from newsletter", "marketing-emails"),
        ("too many promotional emails", "marketing-emails"),
        ("do you take paypal", "payment-methods"),
        ("can I pay with apple pay", "payment-methods"),
        ("my payment was refused", "card-declined"),
        ("bank blocked my card at checkout", "card-declined"),
        ("skip next month's box", "subscriptions"),
        ("pause my subscription while on holiday", "subscriptions"),
        ("redeem a gift card code", "gift-cards"),
        ("do your running shoes run small", "sizes"),
        ("the item was broken when it arrived", "damaged-item"),
        ("received a faulty product", "damaged-item"),
        ("how do loyalty points work", "loyalty-points"),
        ("I need a VAT invoice", "invoice"),
        ("pick up my order in a store", "click-collect"),
        ("swap for a bigger size", "exchange"),
        ("will I pay import duties outside the EU", "international"),
        ("what time does support open on saturday", "contact-hours"),
        ("I found it cheaper elsewhere", "price-match"),
        ("retu", "returns"),
    ];

    [SkippableFact]
    public async Task Paraphrased_questions_find_the_right_article_in_the_top_three()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var kb = scope.ServiceProvider.GetRequiredService<KnowledgeBase>();
        foreach (var (slug, title, category, body) in Articles)
            await kb.SaveAsync(null, new ArticleInput(title, slug, body, category, true), default);

        var found = 0;
        foreach (var (question, expected) in Questions)
        {
            var hits = await kb.SearchAsync(question, 3, default);
            var rank = hits.FindIndex(h => h.Slug == expected);
            if (rank >= 0) found++;
            output.WriteLine($"{(rank >= 0 ? $"#{rank + 1}" : "miss")}  {question} → {string.Join(", ", hits.Select(h => $"{h.Slug} {h.Score:0.###}"))}");
        }
        var rate = (double)found / Questions.Length;
        output.WriteLine($"{app.Provider}: right article in the top 3 for {found} of {Questions.Length} questions ({rate:P0})");
        Assert.True(Articles.Length >= 20 && Questions.Length >= 30);
        Assert.True(rate >= 0.8, $"Top-3 rate {rate:P0} is below 80%.");
    }

    [SkippableFact]
    public async Task Editing_makes_a_draft_that_search_ignores_until_it_is_published_and_versions_are_kept()
    {
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var kb = scope.ServiceProvider.GetRequiredService<KnowledgeBase>();
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        var article = await kb.SaveAsync(null, new ArticleInput($"Storing {word} safely", null, "Keep it dry.", "Products", true), default);
        Assert.Equal(article.Slug, Assert.Single(await kb.SearchAsync(word, 5, default)).Slug);

        var other = "zq" + Guid.NewGuid().ToString("N")[..8];
        await kb.SaveAsync(article.Slug, new ArticleInput($"Storing {other} safely", article.Slug, "Keep it cold.", "Products", false), default);
        // The draft is not live: the help centre and search still show version 1.
        Assert.Equal($"Storing {word} safely", (await kb.FindPublishedAsync(article.Slug, default))!.Title);
        Assert.Empty(await kb.SearchAsync(other, 5, default));
        Assert.Single(await kb.SearchAsync(word, 5, default));

        await kb.PublishAsync(article.Slug, null, default);
        Assert.Equal(article.Slug, Assert.Single(await kb.SearchAsync(other, 5, default)).Slug);
        Assert.Empty(await kb.SearchAsync(word, 5, default));
        // Prefix: the start of a word finds it while typing.
        Assert.Equal(article.Slug, Assert.Single(await kb.SearchAsync(other[..6], 5, default)).Slug);

        var versions = await kb.VersionsAsync(article.Id, default);
        Assert.Equal([2, 1], versions.Select(v => v.Number));
        Assert.All(versions, v => Assert.NotNull(v.PublishedAt));

        await kb.PublishAsync(article.Slug, 1, default);
        Assert.Single(await kb.SearchAsync(word, 5, default));
        await kb.UnpublishAsync(article.Slug, default);
        Assert.Empty(await kb.SearchAsync(word, 5, default));
        Assert.Null(await kb.FindPublishedAsync(article.Slug, default));
        var missing = await Assert.ThrowsAsync<Centric.Server.Platform.Errors.DomainException>(() => kb.PublishAsync(article.Slug, 9, default));
        Assert.Equal("article-version-not-found", missing.Code);

        var hit = (await app.WithDbAsync(db => db.ArticleVersions.CountAsync(v => v.ArticleId == article.Id)));
        Assert.Equal(2, hit);
    }
    [SkippableFact]
    public async Task Help_centre_votes_once_per_visitor_and_records_searches_views_and_deflections()
    {
        app.SkipIfUnavailable();
        var word = "zq" + Guid.NewGuid().ToString("N")[..8];
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<KnowledgeBase>()
                .SaveAsync(null, new ArticleInput($"Caring for {word} boots", null, "Brush off mud, then **wax** them.", "Products", true), default);
        var slug = KnowledgeBase.Slugify($"Caring for {word} boots");
        using var visitor = app.CreateClient();

        var hits = await (await visitor.GetAsync($"/help/api/search?q={word[..5]}&record=true")).ReadJsonAsync();
        var hit = hits.EnumerateArray().Single();
        Assert.Equal(slug, hit.GetProperty("slug").GetString());
        Assert.Contains("wax", hit.GetProperty("snippet").GetString(), StringComparison.Ordinal);
        Assert.True(hit.GetProperty("score").GetDouble() > 0);
        Assert.NotEqual(Guid.Empty, hit.GetProperty("id").GetGuid());

        Assert.Equal(System.Net.HttpStatusCode.OK, (await visitor.GetAsync($"/help/{slug}")).StatusCode);
        var first = await visitor.PostAsJsonAsync($"/help/api/articles/{slug}/feedback", new { helpful = true });
        Assert.Equal(1, (await first.ReadJsonAsync()).GetProperty("helpful").GetInt32());
        // The same visitor changing their mind moves the vote; it does not add one.
        var again = await (await visitor.PostAsJsonAsync($"/help/api/articles/{slug}/feedback", new { helpful = false })).ReadJsonAsync();
        Assert.Equal((0, 1), (again.GetProperty("helpful").GetInt32(), again.GetProperty("notHelpful").GetInt32()));
        using var someoneElse = app.CreateClient();
        var other = await (await someoneElse.PostAsJsonAsync($"/help/api/articles/{slug}/feedback", new { helpful = true })).ReadJsonAsync();
        Assert.Equal((1, 1), (other.GetProperty("helpful").GetInt32(), other.GetProperty("notHelpful").GetInt32()));

        Assert.Equal(System.Net.HttpStatusCode.NoContent,
            (await visitor.PostAsJsonAsync($"/help/api/articles/{slug}/deflected", new { question = $"how to clean {word} boots" })).StatusCode);
        var typed = word[..5];
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => i.SourceId == slug || (i.Type == "help_searched" && i.Properties.Contains(typed)))
            .Select(i => i.Type).ToListAsync());
        Assert.Contains("help_searched", types);
        Assert.Contains("help_article_viewed", types);
        Assert.Contains("help_deflected", types);
        Assert.Equal(3, types.Count(t => t == "help_article_rated"));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, (await visitor.PostAsJsonAsync("/help/api/articles/no-such-article/feedback", new { helpful = true })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await visitor.PostAsJsonAsync($"/help/api/articles/{slug}/feedback", new { })).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await visitor.GetAsync($"/help/api/search?q={new string('a', 201)}")).StatusCode);

        // Importing over the API needs an admin key.
        var imported = new { title = $"Imported {word} guide", slug = (string?)null, body = "From the old help desk.", category = "General", published = true };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await visitor.PostAsJsonAsync("/api/v1/support/articles", imported)).StatusCode);
        using var admin = app.AdminClient();
        var created = await admin.PostAsJsonAsync("/api/v1/support/articles", imported);
        Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(1, (await created.ReadJsonAsync()).GetProperty("version").GetInt32());
        var found = await visitor.GetFromJsonAsync<JsonElement>($"/help/api/search?q=imported {word}");
        Assert.Equal(KnowledgeBase.Slugify($"Imported {word} guide"), found[0].GetProperty("slug").GetString());
    }
}

public sealed class KnowledgeSqliteApp() : CentricAppFactory("sqlite");

public sealed class KnowledgePostgresApp() : CentricAppFactory("postgres");

public sealed class KnowledgeSearchOnSqlite(KnowledgeSqliteApp app, ITestOutputHelper output) : KnowledgeSearchTests(app, output), IClassFixture<KnowledgeSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class KnowledgeSearchOnPostgres(KnowledgePostgresApp app, ITestOutputHelper output) : KnowledgeSearchTests(app, output), IClassFixture<KnowledgePostgresApp>;
