using System.Net;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Platform.Data;
using Centric.Testing;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>A guest at the checkout page with an item of a product of its own in the cart, posting the form as a browser does.</summary>
internal static class GuestCheckout
{
    /// <summary>The guest puts one of a new product (€9.00, five in stock) in the cart and opens the checkout: the page.</summary>
    public static async Task<string> OpenAsync(CentricAppFactory app, PortalSession guest)
    {
        var suffix = Guid.NewGuid().ToString("N")[..10];
        string slug;
        Guid variantId;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var category = new Category { Slug = "gc-" + suffix, Name = "Checkout " + suffix };
            var product = new Product { Slug = "jug-" + suffix, Name = "Jug " + suffix, CategoryId = category.Id, PriceFromMinor = 900 };
            var variant = new ProductVariant { ProductId = product.Id, Sku = "JUG-" + suffix, Currency = "EUR", PriceMinor = 900 };
            var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
            db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = 5 });
            await db.SaveChangesAsync();
            (slug, variantId) = (product.Slug, variant.Id);
        }
        var productPage = await guest.Client.GetStringAsync(new Uri($"/shop/{slug}", UriKind.Relative));
        using var added = await guest.Client.PostAsync(new Uri($"/shop/{slug}", UriKind.Relative), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "add-to-cart", ["__RequestVerificationToken"] = FormSession.Antiforgery(productPage)!, ["Input.VariantId"] = variantId.ToString(), ["Input.Quantity"] = "1",
        }));
        Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        return await guest.Client.GetStringAsync(new Uri("/checkout", UriKind.Relative));
    }

    /// <summary>The checkout form as the page gives it (token, idempotency key), filled in with a delivery to Porto; change what a test is about.</summary>
    public static Dictionary<string, string> Form(string checkout) => new()
    {
        ["_handler"] = "checkout", ["__RequestVerificationToken"] = FormSession.Antiforgery(checkout)!, ["Form.IdempotencyKey"] = FormSession.Hidden(checkout, "Form.IdempotencyKey")!,
        ["Form.Email"] = Json.NewEmail(), ["Form.ShippingMethod"] = "standard", ["Form.Name"] = "Ana", ["Form.Line1"] = "Rua 1", ["Form.City"] = "Porto",
        ["Form.PostalCode"] = "4000-001", ["Form.Country"] = "PT",
    };

    public static Task<HttpResponseMessage> PlaceAsync(PortalSession guest, Dictionary<string, string> form) =>
        guest.Client.PostAsync(new Uri("/checkout", UriKind.Relative), new FormUrlEncodedContent(form));
}
