using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using ImageMagick;
using ImageMagick.Drawing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>The shop's front door and its pictures: the storefront home, product photos uploaded in the console, and checkout's delivery choice on a phone.</summary>
[Collection(DemoServerDefinition.Name)]
public class StorefrontTests(DemoServerFixture fixture)
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Waits until the browser has loaded and decoded the picture (a broken or missing image never gets a natural width).</summary>
    private static async Task LoadedAsync(IPage page, ILocator image) =>
        await page.WaitForFunctionAsync("img => img.complete && img.naturalWidth > 0", await image.ElementHandleAsync());

    [SkippableFact]
    public async Task The_home_page_shows_hero_categories_best_sellers_and_new_arrivals_with_pictures_and_a_card_opens_its_product()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("");

        var main = page.GetByRole(AriaRole.Main);
        await Expect(main.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Everyday things, chosen well");
        await Expect(main.GetByRole(AriaRole.Link, new() { Name = "Shop all products" })).ToHaveAttributeAsync("href", "shop");
        await Expect(main.GetByRole(AriaRole.Search).GetByRole(AriaRole.Searchbox, new() { Name = "Search products" })).ToBeVisibleAsync();
        await LoadedAsync(page, page.Locator(".hero-art img").First);
        Assert.Equal("eager", await page.Locator(".hero-art img").First.GetAttributeAsync("loading"));

        var categories = page.Locator(".category-tiles a.category-tile");
        Assert.True(await categories.CountAsync() >= 4, "fewer than four category tiles");
        await Expect(categories.First).ToHaveAttributeAsync("href", new Regex(@"^shop\?category=[a-z_]+$"));

        foreach (var shelf in new[] { "#best-sellers", "#new-arrivals" })
        {
            var cards = page.Locator($"{shelf} li.product-card");
            Assert.True(await cards.CountAsync() >= 4, $"{shelf} shows fewer than four products");
            var picture = cards.First.Locator("img");
            await picture.ScrollIntoViewIfNeededAsync();
            await Expect(picture).ToHaveAttributeAsync("srcset", new Regex(@"/media/products/[0-9a-f-]{36}/160\.webp 160w"));
            await Expect(picture).ToHaveAttributeAsync("loading", "lazy");
            await LoadedAsync(page, picture);
        }

        // Searching from the hero lands on the shop's results.
        await page.Locator("#hero-q").FillAsync("lamp");
        await page.Locator("#hero-q").PressAsync("Enter");
        await Expect(page).ToHaveURLAsync(new Regex(@"/shop\?q=lamp"));
        await Expect(page.Locator("li.product-card").First).ToBeVisibleAsync();

        // A best seller's card opens its product page, which shows the same product's photo, named.
        await page.GotoAsync("");
        var card = page.Locator("#best-sellers li.product-card").First;
        var name = (await card.Locator(".name").InnerTextAsync()).Trim();
        await card.Locator("a").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        var photo = page.GetByRole(AriaRole.Img, new() { Name = name, Exact = true });
        await Expect(photo).ToBeVisibleAsync();
        await LoadedAsync(page, photo);
        await page.Context.CloseAsync();

        // On a phone the page fits the screen: no sideways scrolling, the search button beside its field.
        var phone = await fixture.NewPageAsync(viewport: Phone);
        await phone.GotoAsync("");
        Assert.True(await phone.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "the home page scrolls sideways at 390 px");
        var field = await phone.Locator("#hero-q").BoundingBoxAsync();
        var button = await phone.Locator(".hero-search button").BoundingBoxAsync();
        Assert.True(Math.Abs(field!.Y - button!.Y) < 4, "the hero's search button wrapped under its field");
        await phone.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Staff_upload_a_photo_in_the_product_editor_and_the_product_page_shows_it()
    {
        fixture.RequireBrowser();
        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync("console/products");
        var productLink = admin.Locator("main table a[href^='console/products/']").First;
        await productLink.ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Photo" })).ToBeVisibleAsync();

        // A text file named like a picture is refused beside the field.
        var folder = Directory.CreateTempSubdirectory("centric-e2e-photo-");
        var fake = Path.Combine(folder.FullName, "not-a-photo.png");
        await File.WriteAllTextAsync(fake, "plain text, not a picture");
        await admin.Locator("#image-file").SetInputFilesAsync(fake);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload photo" }).ClickAsync();
        await Expect(admin.Locator("#image-file-error")).ToHaveTextAsync("That file is not a JPEG, PNG or WebP image.");

        // A real PNG is stored and shown at once.
        var png = Path.Combine(folder.FullName, "photo.png");
        using (var image = new MagickImage(new MagickColor("#1f8a70"), 900, 900))
        {
            new Drawables().FillColor(new MagickColor("#ffd166")).Circle(450, 450, 450, 200).Draw(image);
            await File.WriteAllBytesAsync(png, image.ToByteArray(MagickFormat.Png));
        }
        await admin.Locator("#image-file").SetInputFilesAsync(png);
        await admin.GetByRole(AriaRole.Button, new() { Name = "Upload photo" }).ClickAsync();
        await Expect(admin.Locator("#image-saved")).ToBeVisibleAsync();
        var preview = admin.Locator(".image-upload img.preview");
        var src = await preview.GetAttributeAsync("src");
        var imageId = Regex.Match(src ?? "", @"/media/products/(?<id>[0-9a-f-]{36})/").Groups["id"].Value;
        Assert.False(string.IsNullOrEmpty(imageId), $"the editor's preview is not an uploaded image: {src}");

        var title = (await admin.GetByRole(AriaRole.Heading, new() { Level = 1 }).InnerTextAsync()).Trim();
        await admin.GetByRole(AriaRole.Link, new() { Name = "View in the shop" }).ClickAsync();
        var photo = admin.GetByRole(AriaRole.Img, new() { Name = title, Exact = true });
        await Expect(photo).ToHaveAttributeAsync("srcset", new Regex($"/media/products/{imageId}/640\\.webp 640w"));
        await LoadedAsync(admin, photo);
        Assert.NotEqual("lazy", await photo.GetAttributeAsync("loading"));
        folder.Delete(recursive: true);
        await admin.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Delivery_options_put_radio_name_and_price_on_one_line_on_a_phone_and_work_from_the_keyboard()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync(viewport: Phone);
        await Storefront.OpenProductAsync(page, "towel", "towel");
        await Storefront.AddToCartAsync(page);
        await page.GotoAsync("cart");
        await Storefront.GoToCheckoutAsync(page);

        var options = page.Locator("label.delivery-option");
        Assert.True(await options.CountAsync() >= 2, "fewer than two delivery options");
        for (var i = 0; i < await options.CountAsync(); i++)
        {
            var option = options.Nth(i);
            // The middle of each one's first line box: a long name (a store's address) may wrap, its first line stays beside the radio.
            // (The name is a flex item, so its own box spans every line; a range over its text gives one rectangle per line.)
            const string FirstLine = "e => { const range = document.createRange(); range.selectNodeContents(e); const lines = range.getClientRects();"
                + " const r = lines.length > 0 ? lines[0] : e.getBoundingClientRect(); return [r.left, r.top + r.height / 2]; }";
            var radio = await option.Locator("input[type=radio]").EvaluateAsync<double[]>(FirstLine);
            var name = await option.Locator(".option-text b").EvaluateAsync<double[]>(FirstLine);
            var price = await option.Locator(".option-price").EvaluateAsync<double[]>(FirstLine);
            Assert.True(Math.Abs(radio[1] - name[1]) < 8 && Math.Abs(name[1] - price[1]) < 8,
                $"option {i}: radio at {radio[1]:0}, name at {name[1]:0}, price at {price[1]:0} are not on one line");
            Assert.True(radio[0] < name[0] && name[0] < price[0], $"option {i}: not radio, name, price from left to right");
        }
        Assert.True(await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"), "checkout scrolls sideways at 390 px");

        // Arrow keys move the choice, as radio buttons do.
        var first = options.Nth(0).Locator("input[type=radio]");
        await first.CheckAsync();
        await first.FocusAsync();
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(options.Nth(1).Locator("input[type=radio]")).ToBeCheckedAsync();
        await Expect(first).Not.ToBeCheckedAsync();
        await page.Context.CloseAsync();
    }
}
