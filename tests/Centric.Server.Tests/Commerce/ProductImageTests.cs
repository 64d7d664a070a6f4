using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Platform.Identity;
using Centric.Server.Tests.Infrastructure;
using ImageMagick;
using ImageMagick.Drawing;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;

namespace Centric.Server.Tests.Commerce;

public class DemoProductArtTests(ITestOutputHelper output)
{
    [Fact]
    public void Each_demo_product_gets_its_own_picture_the_same_every_time_and_three_hundred_draw_in_seconds()
    {
        var art = new DemoProductArt();
        var first = art.Draw("sports_leisure", "light-running-shoes");
        // The same from another drawer (whose category backdrop is drawn afresh) and from the one that has it already.
        Assert.Equal(first, new DemoProductArt().Draw("sports_leisure", "light-running-shoes"));
        Assert.Equal(first, art.Draw("sports_leisure", "light-running-shoes"));
        Assert.NotEqual(first, art.Draw("sports_leisure", "pro-running-shoes"));
        Assert.NotEqual(art.Draw("toys", "mini-kite"), art.Draw("toys", "mini-puzzle"));
        using (var image = new MagickImage(first))
        {
            Assert.Equal(MagickFormat.Jpeg, image.Format);
            Assert.Equal(((uint)DemoProductArt.Size, (uint)DemoProductArt.Size), (image.Width, image.Height));
            // Not a flat tile: the drawing has many colours.
            Assert.True(image.TotalColors > 500, $"only {image.TotalColors} colours");
        }

        var clock = Stopwatch.StartNew();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var products = Enumerable.Range(0, 300).Select(i => ($"c{i % 8}", $"product-{i}-{(i % 3 == 0 ? "lamp" : i % 3 == 1 ? "mug" : "bag")}")).ToList();
        var drawn = new byte[products.Count][];
        var drawer = new DemoProductArt();
        Parallel.For(0, products.Count, i => drawn[i] = drawer.Draw(products[i].Item1, products[i].Item2));
        // Wall time depends on what else the machine runs; processor time is the work itself.
        output.WriteLine($"300 demo illustrations drawn in {clock.Elapsed.TotalSeconds:0.00} s ({(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.00} s of processor time) on {Environment.ProcessorCount} cores");
        Assert.All(drawn, bytes => Assert.True(ProductImages.Sniff(bytes)?.ContentType == "image/jpeg"));
    }
}

/// <summary>Product photos: staff who manage the catalogue upload them; the shop serves them in sizes; everyone else is refused.</summary>
public abstract class ProductImageTests(CentricAppFactory app)
{
    private async Task<(Guid Id, string Slug)> ProductAsync() => await app.WithDbAsync(async db =>
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var category = new Category { Slug = "img-" + suffix, Name = "Image category" };
        var product = new Product { Slug = "img-" + suffix, Name = "Pictured " + suffix, CategoryId = category.Id, SearchText = "pictured " + suffix, PriceFromMinor = 1500 };
        db.AddRange(category, product, new ProductVariant { ProductId = product.Id, Sku = "IMG-" + suffix, Currency = "EUR", PriceMinor = 1500 });
        await db.SaveChangesAsync();
        return (product.Id, product.Slug);
    });

    /// <summary>A real picture made here: a coloured backdrop with a shape, so it decodes like any photo.</summary>
    private static byte[] Picture(MagickFormat format, uint width, uint height)
    {
        using var image = new MagickImage(new MagickColor("#3366cc"), width, height);
        new Drawables().FillColor(new MagickColor("#ffcc00")).Ellipse(width / 2.0, height / 2.0, width / 4.0, height / 4.0, 0, 360).Draw(image);
        return image.ToByteArray(format);
    }

    private static async Task<HttpResponseMessage> UploadAsync(HttpClient client, Guid product, byte[] bytes, string fileName, string contentType, string? token, bool browser = false)
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "file", fileName);
        if (token is not null) form.Add(new StringContent(token), "__RequestVerificationToken");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/console/products/{product}/image") { Content = form };
        request.Headers.Accept.ParseAdd(browser ? "text/html" : "application/json");
        return await client.SendAsync(request);
    }

    private Task<int> ImageCountAsync(Guid product) => app.WithDbAsync(db => db.ProductImages.CountAsync(i => i.ProductId == product));

    [SkippableFact]
    public async Task Catalog_staff_upload_a_png_and_the_shop_serves_each_size_as_webp_of_that_width()
    {
        app.SkipIfUnavailable();
        var (product, slug) = await ProductAsync();
        using var marketer = await StaffSession.SignInAsync(app, Roles.Marketer, withMfa: true);
        var token = await StaffSession.AntiforgeryTokenAsync(marketer, $"/console/products/{product}");

        using var uploaded = await UploadAsync(marketer, product, Picture(MagickFormat.Png, 1200, 900), "photo.png", "image/png", token);
        Assert.Equal(HttpStatusCode.OK, uploaded.StatusCode);
        using var body = JsonDocument.Parse(await uploaded.Content.ReadAsStringAsync());
        var imageId = body.RootElement.GetProperty("imageId").GetGuid();
        Assert.Equal(1200, body.RootElement.GetProperty("width").GetInt32());
        Assert.Equal(1, await ImageCountAsync(product));

        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        foreach (var width in ProductImages.Widths)
        {
            using var response = await anonymous.GetAsync($"/media/products/{imageId}/{width}.webp");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("image/webp", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("immutable", response.Headers.CacheControl?.ToString() ?? "", StringComparison.Ordinal);
            Assert.NotNull(response.Headers.ETag);
            using var served = new MagickImage(await response.Content.ReadAsByteArrayAsync());
            Assert.Equal(MagickFormat.WebP, served.Format);
            Assert.Equal((uint)width, served.Width);
            Assert.Equal((uint)Math.Round(900.0 * width / 1200), served.Height);

            // The second answer comes from the stored size; a browser that has it is told so without a body.
            using var again = new HttpRequestMessage(HttpMethod.Get, $"/media/products/{imageId}/{width}.webp");
            again.Headers.IfNoneMatch.Add(response.Headers.ETag!);
            using var notModified = await anonymous.SendAsync(again);
            Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        }
        Assert.Equal(ProductImages.Widths.Length, await app.WithDbAsync(db => db.Set<ProductImageRendition>().CountAsync(r => r.ImageId == imageId)));

        // The product page and the shop's cards draw it with srcset, sizes, width and height.
        var page = await anonymous.GetStringAsync($"/shop/{slug}");
        Assert.Contains($"/media/products/{imageId}/320.webp 320w", page, StringComparison.Ordinal);
        Assert.Contains("sizes=\"", page, StringComparison.Ordinal);
        Assert.Contains($"alt=\"Pictured", page, StringComparison.Ordinal);
        var shop = await anonymous.GetStringAsync($"/shop?q={slug[4..]}");
        Assert.Contains($"/media/products/{imageId}/160.webp 160w", shop, StringComparison.Ordinal);
        Assert.Contains("loading=\"", shop, StringComparison.Ordinal);

        // A JPEG replaces it: new URLs, the old image gone; a smaller original is never enlarged.
        using var replaced = await UploadAsync(marketer, product, Picture(MagickFormat.Jpeg, 800, 600), "photo.jpg", "image/jpeg", token);
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        using var second = JsonDocument.Parse(await replaced.Content.ReadAsStringAsync());
        var newId = second.RootElement.GetProperty("imageId").GetGuid();
        Assert.NotEqual(imageId, newId);
        Assert.Equal(1, await ImageCountAsync(product));
        using (var gone = await anonymous.GetAsync($"/media/products/{imageId}/320.webp")) Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        using var largest = await anonymous.GetAsync($"/media/products/{newId}/1024.webp");
        Assert.Equal(HttpStatusCode.OK, largest.StatusCode);
        using (var served = new MagickImage(await largest.Content.ReadAsByteArrayAsync())) Assert.Equal(800u, served.Width);
        Assert.DoesNotContain($"/media/products/{newId}/1024.webp", await anonymous.GetStringAsync($"/shop/{slug}"), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_text_file_named_png_is_refused_with_a_problem_and_the_editor_says_why()
    {
        app.SkipIfUnavailable();
        var (product, _) = await ProductAsync();
        using var admin = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: true);
        var token = await StaffSession.AntiforgeryTokenAsync(admin, $"/console/products/{product}");
        var text = "This is not a picture, whatever its name says.\n"u8.ToArray();

        using var refused = await UploadAsync(admin, product, text, "photo.png", "image/png", token);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        using (var problem = JsonDocument.Parse(await refused.Content.ReadAsStringAsync()))
            Assert.EndsWith("image-format", problem.RootElement.GetProperty("type").GetString(), StringComparison.Ordinal);

        // A PNG signature on bytes that are not a PNG passes the sniff and fails the decoding.
        byte[] fake = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, .. text];
        using var unreadable = await UploadAsync(admin, product, fake, "photo.png", "image/png", token);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unreadable.StatusCode);
        Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType?.MediaType);

        // From the editor (a browser's form post) the person is sent back to it, and it says what was wrong beside the field.
        using var fromEditor = await UploadAsync(admin, product, text, "photo.png", "image/png", token, browser: true);
        Assert.Equal(HttpStatusCode.Redirect, fromEditor.StatusCode);
        Assert.Equal($"/console/products/{product}?image=image-format", fromEditor.Headers.Location?.ToString());
        var editor = await admin.GetStringAsync(fromEditor.Headers.Location);
        Assert.Contains("That file is not a JPEG, PNG or WebP image.", editor, StringComparison.Ordinal);

        Assert.Equal(0, await ImageCountAsync(product));
    }

    [SkippableFact]
    public async Task Staff_without_catalog_rights_and_anonymous_visitors_cannot_upload()
    {
        app.SkipIfUnavailable();
        var (product, _) = await ProductAsync();
        var png = Picture(MagickFormat.Png, 400, 400);

        using var agent = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true);
        var agentToken = await StaffSession.AntiforgeryTokenAsync(agent, "/");
        using (var refused = await UploadAsync(agent, product, png, "photo.png", "image/png", agentToken))
            Assert.True(StaffSession.Refused(refused), $"an agent's upload answered {(int)refused.StatusCode}");
        using (var refused = await UploadAsync(agent, product, png, "photo.png", "image/png", agentToken, browser: true))
            Assert.True(StaffSession.Refused(refused), $"an agent's upload from a browser answered {(int)refused.StatusCode}");

        using var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using (var refused = await UploadAsync(anonymous, product, png, "photo.png", "image/png", null))
            Assert.True(refused.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Redirect, $"an anonymous upload answered {(int)refused.StatusCode}");

        Assert.Equal(0, await ImageCountAsync(product));
    }

    [SkippableFact]
    public async Task An_unknown_image_or_width_is_a_not_found_problem()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        foreach (var path in new[] { $"/media/products/{Guid.NewGuid()}/320.webp", $"/media/products/{Guid.NewGuid()}/333.webp", "/media/products/not-a-guid/320.webp" })
        {
            using var response = await client.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }
}

public sealed class ProductImagesOnSqlite(SqliteApp app) : ProductImageTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ProductImagesOnPostgres(PostgresApp app) : ProductImageTests(app), IClassFixture<PostgresApp>;
