using System.Net;
using System.Text.Json;
using System.Xml.Linq;
using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Platform.Identity;
using Centric.Server.Support.Knowledge;
using Centric.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>
/// What search engines find: each product and help article page's description, canonical address, Open Graph and JSON-LD
/// (parsed, not searched for), the sitemap and robots.txt, and product addresses that keep working when staff change them.
/// The test servers keep the default Centric:PublicBaseUrl (http://localhost:5080), so absolute addresses start with it.
/// </summary>
public abstract class SearchEngineTests(CentricAppFactory app)
{
    private const string Root = "http://localhost:5080";

    private HttpClient Anonymous() => app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = true });

    private async Task<Product> ProductAsync(string name, string description, int stock, long priceMinor, int reviews = 0, int ratingX100 = 0, string? image = null, bool active = true)
    {
        return await app.WithDbAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..10];
            var category = new Category { Slug = "seo-" + suffix, Name = "Teaware " + suffix };
            var product = new Product
            {
                Slug = "seo-" + suffix, Name = name, Description = description, CategoryId = category.Id, SearchText = name.ToLowerInvariant(),
                PriceFromMinor = priceMinor, ReviewCount = reviews, RatingX100 = ratingX100, ImageUrl = image, Active = active,
            };
            var variant = new ProductVariant { ProductId = product.Id, Sku = "SEO-" + suffix, Currency = "EUR", PriceMinor = priceMinor, Gtin = "4006381333931" };
            var location = new StockLocation { Code = suffix[..8], Name = "Store " + suffix };
            db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = stock });
            await db.SaveChangesAsync();
            return product;
        });
    }

    private static async Task<IHtmlDocument> PageAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
    }

    private static string? Meta(IHtmlDocument page, string attribute, string name) =>
        page.Head!.QuerySelectorAll("meta").SingleOrDefault(m => m.GetAttribute(attribute) == name)?.GetAttribute("content");

    private static string? Canonical(IHtmlDocument page) =>
        page.Head!.QuerySelectorAll("link").SingleOrDefault(l => l.GetAttribute("rel") == "canonical")?.GetAttribute("href");

    private static JsonElement JsonLd(IHtmlDocument page)
    {
        var script = Assert.Single(page.Head!.QuerySelectorAll("script"), s => s.GetAttribute("type") == "application/ld+json");
        using var json = JsonDocument.Parse(script.TextContent);
        return json.RootElement.Clone();
    }

    [SkippableFact]
    public async Task A_product_page_carries_its_description_canonical_address_open_graph_and_product_json_ld()
    {
        app.SkipIfUnavailable();
        var description = "A heavy stoneware teapot that keeps a litre of tea hot for an hour. " + string.Concat(Enumerable.Repeat("Glazed by hand in Porto, every one a little different. ", 6));
        // A name that tries to close the script element the JSON-LD lives in.
        var product = await ProductAsync("Teapot </script><script>alert(1)</script>", description, stock: 4, priceMinor: 3450, reviews: 3, ratingX100: 467,
            image: "https://images.example.com/teapot.jpg");
        using var client = Anonymous();

        var page = await PageAsync(client, "/shop/" + product.Slug);

        var url = $"{Root}/shop/{product.Slug}";
        var summary = Meta(page, "name", "description");
        Assert.NotNull(summary);
        Assert.InRange(summary.Length, 100, 155);
        Assert.StartsWith("A heavy stoneware teapot", summary, StringComparison.Ordinal);
        Assert.EndsWith("…", summary, StringComparison.Ordinal);
        Assert.StartsWith(summary[..^1].TrimEnd(), description, StringComparison.Ordinal);
        Assert.Contains(description[summary.Length - 1], " .,"); // cut at a word boundary
        Assert.Equal(url, Canonical(page));
        Assert.Equal("product", Meta(page, "property", "og:type"));
        Assert.Equal(product.Name, Meta(page, "property", "og:title"));
        Assert.Equal(summary, Meta(page, "property", "og:description"));
        Assert.Equal(url, Meta(page, "property", "og:url"));
        Assert.Equal("https://images.example.com/teapot.jpg", Meta(page, "property", "og:image"));
        Assert.Equal("Centric", Meta(page, "property", "og:site_name"));
        Assert.DoesNotContain(page.QuerySelectorAll("script"), s => s.TextContent.Contains("alert(1)", StringComparison.Ordinal) && s.GetAttribute("type") != "application/ld+json");

        var data = JsonLd(page);
        Assert.Equal("https://schema.org", data.GetProperty("@context").GetString());
        Assert.Equal("Product", data.GetProperty("@type").GetString());
        Assert.Equal(product.Name, data.GetProperty("name").GetString());
        Assert.Equal(url, data.GetProperty("url").GetString());
        Assert.Equal("4006381333931", data.GetProperty("gtin").GetString());
        var offer = data.GetProperty("offers");
        Assert.Equal("Offer", offer.GetProperty("@type").GetString());
        Assert.Equal(34.50m, offer.GetProperty("price").GetDecimal());
        Assert.Equal("EUR", offer.GetProperty("priceCurrency").GetString());
        Assert.Equal("https://schema.org/InStock", offer.GetProperty("availability").GetString());
        Assert.Equal(url, offer.GetProperty("url").GetString());
        Assert.False(offer.GetProperty("priceSpecification").GetProperty("valueAddedTaxIncluded").GetBoolean());
        var rating = data.GetProperty("aggregateRating");
        Assert.Equal(4.7m, rating.GetProperty("ratingValue").GetDecimal());
        Assert.Equal(3, rating.GetProperty("reviewCount").GetInt32());
    }

    [SkippableFact]
    public async Task A_product_out_of_stock_without_reviews_says_so_and_claims_no_rating()
    {
        app.SkipIfUnavailable();
        var product = await ProductAsync("Sold-out kettle", "", stock: 0, priceMinor: 1999);
        using var client = Anonymous();

        var page = await PageAsync(client, "/shop/" + product.Slug);

        var data = JsonLd(page);
        Assert.Equal("https://schema.org/OutOfStock", data.GetProperty("offers").GetProperty("availability").GetString());
        Assert.Equal(19.99m, data.GetProperty("offers").GetProperty("price").GetDecimal());
        Assert.False(data.TryGetProperty("aggregateRating", out _));
        Assert.False(data.TryGetProperty("image", out _));
        Assert.Null(Meta(page, "property", "og:image"));
        Assert.StartsWith("Sold-out kettle · Teaware", Meta(page, "name", "description"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_help_article_is_an_faq_when_it_asks_and_answers_and_an_article_otherwise()
    {
        app.SkipIfUnavailable();
        var tag = Guid.NewGuid().ToString("N")[..8];
        Article faq, guide;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var kb = scope.ServiceProvider.GetRequiredService<KnowledgeBase>();
            faq = await kb.SaveAsync(null, new ArticleInput($"Paying {tag}", $"paying-{tag}",
                "## Which cards do you take?\nVisa and **Mastercard**.\n\n## Can I pay later?\nYes, with an invoice for business accounts.", "Payments", true), default);
            guide = await kb.SaveAsync(null, new ArticleInput($"Caring for cast iron {tag}", $"cast-iron-{tag}",
                "Rinse with hot water and dry it on the stove. Oil it lightly while it is still warm.", "Products", true), default);
        }
        using var client = Anonymous();

        var faqPage = await PageAsync(client, $"/help/paying-{tag}");
        Assert.Equal($"{Root}/help/paying-{tag}", Canonical(faqPage));
        Assert.Equal("article", Meta(faqPage, "property", "og:type"));
        Assert.Equal("Which cards do you take? Visa and Mastercard. Can I pay later? Yes, with an invoice for business accounts.", Meta(faqPage, "name", "description"));
        var faqData = JsonLd(faqPage);
        Assert.Equal("FAQPage", faqData.GetProperty("@type").GetString());
        var questions = faqData.GetProperty("mainEntity").EnumerateArray().ToList();
        Assert.Equal(["Which cards do you take?", "Can I pay later?"], questions.Select(q => q.GetProperty("name").GetString()));
        Assert.Equal("Visa and Mastercard.", questions[0].GetProperty("acceptedAnswer").GetProperty("text").GetString());

        var guidePage = await PageAsync(client, $"/help/cast-iron-{tag}");
        Assert.Equal($"{Root}/help/cast-iron-{tag}", Meta(guidePage, "property", "og:url"));
        var guideData = JsonLd(guidePage);
        Assert.Equal("Article", guideData.GetProperty("@type").GetString());
        Assert.Equal(guide.Title, guideData.GetProperty("headline").GetString());
        Assert.Equal("Products", guideData.GetProperty("articleSection").GetString());
        Assert.Equal($"{Root}/help/cast-iron-{tag}", guideData.GetProperty("mainEntityOfPage").GetString());
        Assert.True(guideData.GetProperty("dateModified").TryGetDateTimeOffset(out _));
        Assert.Equal(faq.Title, Meta(faqPage, "property", "og:title"));
    }

    [SkippableFact]
    public async Task The_shop_the_help_centre_and_the_home_page_have_a_description_and_a_canonical_address()
    {
        app.SkipIfUnavailable();
        using var client = Anonymous();
        foreach (var (path, canonical) in new[] { ("/", Root + "/"), ("/shop?q=teapot&page=2", Root + "/shop"), ("/help?q=returns", Root + "/help") })
        {
            var page = await PageAsync(client, path);
            Assert.Equal(canonical, Canonical(page));
            Assert.InRange(Meta(page, "name", "description")?.Length ?? 0, 50, 155);
        }
    }

    [SkippableFact]
    public async Task The_sitemap_lists_every_product_for_sale_and_published_article_and_nothing_else()
    {
        app.SkipIfUnavailable();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var forSale = await ProductAsync("Sitemap mug " + tag, "A mug.", stock: 1, priceMinor: 900);
        var withdrawn = await ProductAsync("Withdrawn mug " + tag, "Gone.", stock: 1, priceMinor: 900, active: false);
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var kb = scope.ServiceProvider.GetRequiredService<KnowledgeBase>();
            await kb.SaveAsync(null, new ArticleInput("Live " + tag, "live-" + tag, "Published text.", "General", true), default);
            await kb.SaveAsync(null, new ArticleInput("Draft " + tag, "draft-" + tag, "Not yet.", "General", false), default);
        }
        using var client = Anonymous();

        using var response = await client.GetAsync(new Uri("/sitemap.xml", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var xml = XDocument.Parse(await response.Content.ReadAsStringAsync());
        XNamespace ns = "http://www.sitemaps.org/schemas/sitemap/0.9";
        Assert.Equal(ns + "urlset", xml.Root!.Name);
        var urls = xml.Root.Elements(ns + "url").ToDictionary(u => u.Element(ns + "loc")!.Value, u => u.Element(ns + "lastmod")?.Value);
        Assert.All(urls.Keys, u => Assert.StartsWith(Root + "/", u, StringComparison.Ordinal));
        Assert.Contains(Root + "/shop", urls.Keys);
        Assert.Contains(Root + "/help", urls.Keys);
        Assert.Contains($"{Root}/shop/{forSale.Slug}", urls.Keys);
        Assert.DoesNotContain($"{Root}/shop/{withdrawn.Slug}", urls.Keys);
        Assert.True(DateTimeOffset.TryParse(urls[$"{Root}/help/live-{tag}"], out _), "a published article carries its lastmod");
        Assert.DoesNotContain($"{Root}/help/draft-{tag}", urls.Keys);
    }

    [SkippableFact]
    public async Task Robots_txt_lets_crawlers_into_the_shop_and_help_keeps_them_out_of_private_areas_and_names_the_sitemap()
    {
        app.SkipIfUnavailable();
        using var client = Anonymous();

        using var response = await client.GetAsync(new Uri("/robots.txt", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal("User-agent: *", lines[0]);
        var disallowed = lines.Where(l => l.StartsWith("Disallow:", StringComparison.Ordinal)).Select(l => l["Disallow:".Length..].Trim()).ToList();
        foreach (var path in new[] { "/console", "/Account", "/api/", "/orders", "/cart", "/checkout", "/support" }) Assert.Contains(path, disallowed);
        // No rule shuts out the public shop or help centre (a Disallow matches by prefix).
        foreach (var path in new[] { "/shop", "/shop/a-teapot", "/help", "/help/returns", "/" })
            Assert.DoesNotContain(disallowed, d => path.StartsWith(d, StringComparison.Ordinal));
        Assert.Contains($"Sitemap: {Root}/sitemap.xml", lines);
    }

    [SkippableFact]
    public async Task A_changed_slug_redirects_the_old_address_permanently_and_a_reused_slug_belongs_to_its_new_product()
    {
        app.SkipIfUnavailable();
        var first = await ProductAsync("Moving teapot", "It moves.", stock: 2, priceMinor: 2000);
        var second = await ProductAsync("Newcomer teapot", "It arrives.", stock: 2, priceMinor: 2100);
        var oldSlug = first.Slug;
        using var client = Anonymous();

        // Renaming keeps the address.
        await MoveAsync(first.Id, name: "Moved teapot", slug: null);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/shop/" + oldSlug, UriKind.Relative))).StatusCode);

        // A new slug: the old address answers a permanent redirect there, query kept; the new one shows the product.
        await MoveAsync(first.Id, name: null, slug: oldSlug + "-large");
        using (var moved = await client.GetAsync(new Uri($"/shop/{oldSlug}?ref=mail", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            Assert.Equal($"/shop/{oldSlug}-large?ref=mail", moved.Headers.Location?.OriginalString);
        }
        var page = await PageAsync(client, $"/shop/{oldSlug}-large");
        Assert.Equal($"{Root}/shop/{oldSlug}-large", Canonical(page));

        // Moved again: every former address leads straight to the current one.
        await MoveAsync(first.Id, name: null, slug: oldSlug + "-xl");
        foreach (var former in new[] { oldSlug, oldSlug + "-large" })
        {
            using var again = await client.GetAsync(new Uri("/shop/" + former, UriKind.Relative));
            Assert.Equal(HttpStatusCode.MovedPermanently, again.StatusCode);
            Assert.Equal($"/shop/{oldSlug}-xl", again.Headers.Location?.OriginalString);
        }

        // Another product takes the freed first address: it is that product's page now, not a redirect.
        await MoveAsync(second.Id, name: null, slug: oldSlug);
        var reused = await PageAsync(client, "/shop/" + oldSlug);
        Assert.Equal("Newcomer teapot", Meta(reused, "property", "og:title"));
        using (var secondsOld = await client.GetAsync(new Uri("/shop/" + second.Slug, UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, secondsOld.StatusCode);
            Assert.Equal("/shop/" + oldSlug, secondsOld.Headers.Location?.OriginalString);
        }
        Assert.Equal(0, await app.WithDbAsync(db => db.ProductSlugRedirects.CountAsync(r => r.Slug == oldSlug)));

        // A slug another product holds is refused; an address nobody ever had is still not found.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Centric.Server.Platform.Data.CentricDbContext>();
            var product = await db.Products.SingleAsync(p => p.Id == first.Id);
            var refused = await Assert.ThrowsAsync<Centric.Server.Platform.Errors.DomainException>(() =>
                scope.ServiceProvider.GetRequiredService<ProductAddresses>().MoveAsync(product, oldSlug, default));
            Assert.Equal("product-slug-taken", refused.Code);
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/shop/never-was-" + Guid.NewGuid().ToString("N")[..8], UriKind.Relative))).StatusCode);
    }

    [SkippableFact]
    public async Task Staff_change_a_products_address_in_the_console_and_the_old_one_redirects()
    {
        app.SkipIfUnavailable();
        var product = await ProductAsync("Console teapot", "Edited by staff.", stock: 1, priceMinor: 1500);
        using var staff = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: true);
        var path = $"/console/products/{product.Id}";

        using var taken = await staff.PostAsync(new Uri(path, UriKind.Relative), await ProductFormAsync(staff, path, "Console teapot", "Not Allowed!"));
        Assert.Contains("Lower-case letters, digits and dashes", await taken.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(product.Slug, await app.WithDbAsync(db => db.Products.Where(p => p.Id == product.Id).Select(p => p.Slug).SingleAsync()));

        using var saved = await staff.PostAsync(new Uri(path, UriKind.Relative), await ProductFormAsync(staff, path, "Console teapot, renamed", product.Slug + "-new"));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var now = await app.WithDbAsync(db => db.Products.AsNoTracking().SingleAsync(p => p.Id == product.Id));
        Assert.Equal(("Console teapot, renamed", product.Slug + "-new"), (now.Name, now.Slug));
        using var client = Anonymous();
        using var redirected = await client.GetAsync(new Uri("/shop/" + product.Slug, UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal($"/shop/{product.Slug}-new", redirected.Headers.Location?.OriginalString);
    }

    [SkippableFact]
    public async Task A_csv_row_giving_a_known_sku_a_new_slug_moves_its_product_and_the_old_address_redirects()
    {
        app.SkipIfUnavailable();
        var tag = Guid.NewGuid().ToString("N")[..8];
        const string header = "sku,product_slug,product_name,category,description,options,price,currency,gtin,stock_location,stock,active";
        await using var scope = app.Services.CreateAsyncScope();
        var csv = scope.ServiceProvider.GetRequiredService<CatalogCsv>();
        Assert.Empty((await csv.ImportAsync(new StringReader($"{header}\nA-{tag},cup-{tag},Cup,kitchen_{tag},,,5.00,EUR,,WH-{tag},3,true\nB-{tag},cup-{tag},Cup,kitchen_{tag},,Blue,5.00,EUR,,WH-{tag},3,true"), default)).Errors);
        var id = await app.WithDbAsync(db => db.Products.Where(p => p.Slug == "cup-" + tag).Select(p => p.Id).SingleAsync());

        var result = await csv.ImportAsync(new StringReader($"{header}\nA-{tag},tea-cup-{tag},Tea cup,kitchen_{tag},,,5.00,EUR,,,,true\nB-{tag},tea-cup-{tag},Tea cup,kitchen_{tag},,Blue,5.00,EUR,,,,true"), default);

        Assert.Empty(result.Errors);
        Assert.Equal((0, 2), (result.Created, result.Updated));
        var product = await app.WithDbAsync(db => db.Products.AsNoTracking().SingleAsync(p => p.Id == id));
        Assert.Equal(("tea-cup-" + tag, "Tea cup"), (product.Slug, product.Name));
        Assert.Equal(2, await app.WithDbAsync(db => db.Variants.CountAsync(v => v.ProductId == id)));
        using var client = Anonymous();
        using var redirected = await client.GetAsync(new Uri("/shop/cup-" + tag, UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal("/shop/tea-cup-" + tag, redirected.Headers.Location?.OriginalString);
    }

    [SkippableFact]
    public async Task The_catalogue_api_answers_a_former_slug_with_a_permanent_redirect_to_the_products_api_address()
    {
        app.SkipIfUnavailable();
        var product = await ProductAsync("Api teapot", "It moves.", stock: 2, priceMinor: 2000);
        var oldSlug = product.Slug;
        await MoveAsync(product.Id, name: null, slug: oldSlug + "-large");
        await MoveAsync(product.Id, name: null, slug: oldSlug + "-xl");
        using var client = Anonymous();

        // Every former slug leads straight to the current API address, query kept.
        foreach (var former in new[] { oldSlug, oldSlug + "-large" })
        {
            using var moved = await client.GetAsync(new Uri($"/api/v1/catalog/products/{former}?ref=app", UriKind.Relative));
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            Assert.Equal($"/api/v1/catalog/products/{oldSlug}-xl?ref=app", moved.Headers.Location?.OriginalString);
        }
        // A client that follows redirects gets the product.
        using (var following = app.CreateClient())
        {
            using var followed = await following.GetAsync(new Uri($"/api/v1/catalog/products/{oldSlug}", UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, followed.StatusCode);
            var body = JsonDocument.Parse(await followed.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal((product.Id.ToString(), oldSlug + "-xl"), (body.GetProperty("id").GetString(), body.GetProperty("slug").GetString()));
        }
        foreach (var current in new[] { product.Id.ToString(), oldSlug + "-xl" })
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/v1/catalog/products/" + current, UriKind.Relative))).StatusCode);

        // A slug nobody ever had, and a former slug of a product no longer for sale, are "not found" problems.
        await app.WithDbAsync(db => db.Products.Where(p => p.Id == product.Id).ExecuteUpdateAsync(u => u.SetProperty(p => p.Active, false)));
        foreach (var gone in new[] { "never-was-" + Guid.NewGuid().ToString("N")[..8], oldSlug })
        {
            using var missing = await client.GetAsync(new Uri("/api/v1/catalog/products/" + gone, UriKind.Relative));
            Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
            Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        }
    }

    [SkippableFact]
    public async Task A_help_articles_former_address_redirects_permanently_and_a_reused_address_belongs_to_its_new_article()
    {
        app.SkipIfUnavailable();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var (first, second, third) = ($"returns-{tag}", $"returning-{tag}", $"returns-policy-{tag}");
        await SaveArticleAsync(null, "Returns " + tag, first);
        using var client = Anonymous();

        // Retitling keeps the address.
        await SaveArticleAsync(first, "Sending things back " + tag, first);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/help/" + first, UriKind.Relative))).StatusCode);

        // A new address: the old one answers a permanent redirect there, query kept; the new one shows the article.
        await SaveArticleAsync(first, "Sending things back " + tag, second);
        using (var moved = await client.GetAsync(new Uri($"/help/{first}?ref=mail", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.MovedPermanently, moved.StatusCode);
            Assert.Equal($"/help/{second}?ref=mail", moved.Headers.Location?.OriginalString);
        }
        Assert.Equal($"{Root}/help/{second}", Canonical(await PageAsync(client, "/help/" + second)));

        // Moved again: every former address leads straight to the current one.
        await SaveArticleAsync(second, "Sending things back " + tag, third);
        foreach (var former in new[] { first, second })
        {
            using var again = await client.GetAsync(new Uri("/help/" + former, UriKind.Relative));
            Assert.Equal(HttpStatusCode.MovedPermanently, again.StatusCode);
            Assert.Equal("/help/" + third, again.Headers.Location?.OriginalString);
        }

        // A new article takes the first address: it is that article's page now, not a redirect.
        await SaveArticleAsync(null, "Returns for businesses " + tag, first);
        Assert.Equal("Returns for businesses " + tag, Meta(await PageAsync(client, "/help/" + first), "property", "og:title"));
        Assert.Equal(0, await app.WithDbAsync(db => db.ArticleSlugRedirects.CountAsync(r => r.Slug == first)));
        using (var stillMoved = await client.GetAsync(new Uri("/help/" + second, UriKind.Relative)))
            Assert.Equal("/help/" + third, stillMoved.Headers.Location?.OriginalString);

        // Taken off the help centre, its former addresses are not found, like its own; so is one nobody ever had.
        await using (var scope = app.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().UnpublishAsync(third, default);
        foreach (var gone in new[] { second, third, "never-was-" + tag })
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync(new Uri("/help/" + gone, UriKind.Relative))).StatusCode);
    }

    [SkippableFact]
    public async Task Staff_change_an_articles_address_in_the_console_and_the_old_one_redirects()
    {
        app.SkipIfUnavailable();
        var tag = Guid.NewGuid().ToString("N")[..8];
        await SaveArticleAsync(null, "Gift cards " + tag, "gift-cards-" + tag);
        using var staff = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true);
        var path = $"/console/help?slug=gift-cards-{tag}";

        using var saved = await staff.PostAsync(new Uri(path, UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "article", ["Title"] = "Gift cards " + tag, ["ArticleSlug"] = "gift-vouchers-" + tag, ["Category"] = "Payments",
            ["Body"] = "How gift cards work.", ["Action"] = "publish", ["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(staff, path),
        }));

        Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        Assert.EndsWith($"console/help?slug=gift-vouchers-{tag}", saved.Headers.Location?.OriginalString, StringComparison.Ordinal);
        using var client = Anonymous();
        using var redirected = await client.GetAsync(new Uri("/help/gift-cards-" + tag, UriKind.Relative));
        Assert.Equal(HttpStatusCode.MovedPermanently, redirected.StatusCode);
        Assert.Equal("/help/gift-vouchers-" + tag, redirected.Headers.Location?.OriginalString);
    }

    /// <summary>Saves and publishes an article the way the console does, each save in a scope (a request) of its own.</summary>
    private async Task SaveArticleAsync(string? existingSlug, string title, string slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<KnowledgeBase>().SaveAsync(existingSlug, new ArticleInput(title, slug, "How to send an order back.", "Returns", true), default);
    }

    private async Task MoveAsync(Guid productId, string? name, string? slug)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Centric.Server.Platform.Data.CentricDbContext>();
        var product = await db.Products.SingleAsync(p => p.Id == productId);
        if (name is not null) product.Name = name;
        if (slug is not null) await scope.ServiceProvider.GetRequiredService<ProductAddresses>().MoveAsync(product, slug, default);
        await db.SaveChangesAsync();
    }

    private static async Task<FormUrlEncodedContent> ProductFormAsync(HttpClient staff, string path, string name, string slug) => new(new Dictionary<string, string>
    {
        ["_handler"] = "product", ["Name"] = name, ["Slug"] = slug, ["Description"] = "Edited by staff.", ["ImageUrl"] = "", ["Active"] = "true",
        ["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(staff, path),
    });
}

public sealed class SearchEnginesOnSqlite(SqliteApp app) : SearchEngineTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class SearchEnginesOnPostgres(PostgresApp app) : SearchEngineTests(app), IClassFixture<PostgresApp>;
