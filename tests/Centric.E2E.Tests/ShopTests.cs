using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>The shop from a shopper's side: search, product, cart, checkout, payment and the order afterwards.</summary>
[Collection(DemoServerDefinition.Name)]
public class ShopTests(DemoServerFixture fixture)
{
    private const string DemoCustomer = "ana.silva@example.com";
    private const int PhoneWidth = 360;

    [SkippableFact]
    public async Task Guest_pays_by_card_sees_the_confirmation_and_gets_a_receipt_and_a_timeline_entry()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-guest");
        var page = await fixture.NewPageAsync();

        var product = await Storefront.OpenProductAsync(page, "towel", "towel");
        await Storefront.AddToCartAsync(page, quantity: 2);
        var row = Storefront.CartRows(page);
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync(product);
        await Expect(row.Locator("input[type=number]")).ToHaveValueAsync("2");
        var total = (await page.Locator("#sum-total").InnerTextAsync()).Trim();

        await Storefront.GoToCheckoutAsync(page);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Checking out as a guest");
        await page.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(page, "Rita Guest");
        await Expect(page.Locator("#sum-total")).ToHaveTextAsync(total);
        var order = await Storefront.PlaceOrderAsync(page);
        await Expect(page.Locator("#pay-total")).ToHaveTextAsync(total);

        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("to Rita Guest, Rua das Flores 12, 1200-195 Lisboa, PT");
        await page.GotoAsync("cart");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Your cart is empty.");
        await page.Context.CloseAsync();

        // The receipt lands in the local mail outbox, where the admin reads it.
        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync($"console/mail?to={Uri.EscapeDataString(email)}");
        await admin.GetByRole(AriaRole.Row).Filter(new() { HasText = email })
            .GetByRole(AriaRole.Link, new() { Name = $"Your order {order.Number}" }).ClickAsync();
        var receipt = admin.Locator("article.mail-body");
        await Expect(receipt).ToContainTextAsync($"Thank you for your order {order.Number}");
        await Expect(receipt).ToContainTextAsync(product);
        await Expect(receipt).ToContainTextAsync($"Total paid {total} with visa ending 4242");
        var track = await receipt.GetByRole(AriaRole.Link, new() { Name = "Track your order" }).GetAttributeAsync("href");
        // A mail client has no page to resolve a relative link against: the link is absolute (Centric:PublicBaseUrl).
        Assert.Matches("^https?://[^/]+/" + Regex.Escape(order.OrderPath) + "$", track);

        // The customer 360 shows the order on the profile that holds the guest's email.
        await admin.GotoAsync($"console/customers?q={Uri.EscapeDataString(email)}");
        var customer = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = email });
        await Expect(customer).ToHaveCountAsync(1);
        await customer.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/console/customers/[0-9a-f-]{36}"));
        var placed = admin.Locator("#timeline li[data-type='order_placed']");
        await Expect(placed).ToHaveCountAsync(1);
        await Expect(placed).ToContainTextAsync(order.Number);
        await admin.Context.CloseAsync();

        // The link in the receipt opens the order in any browser, without an account
        var elsewhere = await fixture.NewPageAsync();
        // (its host is the configured public address; this test server listens elsewhere, so the path is followed here).
        await elsewhere.GotoAsync(new Uri(track!).PathAndQuery.TrimStart('/'));
        await Expect(elsewhere.GetByRole(AriaRole.Heading, new() { Name = $"Order {order.Number}" })).ToBeVisibleAsync();
        await Expect(elsewhere.Locator("#order-status")).ToHaveTextAsync("Paid");
        await Expect(elsewhere.Locator("#thanks")).ToHaveCountAsync(0);
        await elsewhere.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Signed_in_customer_collects_in_store_and_pays_after_approving_3d_secure()
    {
        fixture.RequireBrowser();
        var (product, lisbon) = await Storefront.ProductInStoreAsync(fixture.Server, "LIS");
        var onShelf = await Storefront.OnHandAsync(fixture.Server, product, "LIS");
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        await Storefront.EmptyCartAsync(page);

        await Storefront.OpenProductAsync(page, product, product);
        await Storefront.AddToCartAsync(page);
        await Storefront.GoToCheckoutAsync(page);
        await Expect(page.Locator("#email")).ToHaveValueAsync(DemoCustomer);
        await Expect(page.GetByRole(AriaRole.Main)).Not.ToContainTextAsync("Checking out as a guest");
        await Storefront.ShippingOption(page, "click_and_collect").CheckAsync();
        await page.Locator("#store").SelectOptionAsync(lisbon.ToString());
        var order = await Storefront.PlaceOrderAsync(page);

        await Storefront.SubmitCardAsync(page, Storefront.ChallengeCard);
        await Expect(page).ToHaveURLAsync(new Regex("/checkout/challenge/[0-9a-f-]{36}"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Confirm it's you" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("card ending 3220");
        await page.Locator("#approve").ClickAsync();

        await Storefront.ExpectPaidConfirmationAsync(page, order, DemoCustomer);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("for pickup at the store");
        // Collected in Lisbon: the unit left that store's shelf when the payment went through.
        Assert.Equal(onShelf - 1, await Storefront.OnHandAsync(fixture.Server, product, "LIS"));

        await page.Locator("nav.topnav").GetByRole(AriaRole.Link, new() { Name = "Orders" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your orders" })).ToBeVisibleAsync();
        var listed = page.Locator("ul.orders li").Filter(new() { HasText = order.Number });
        await Expect(listed).ToHaveCountAsync(1);
        await Expect(listed.Locator(".badge")).ToHaveTextAsync("Paid");
        await Expect(listed).ToContainTextAsync($"1× {product}");
        // Its owner opens it from the list, no key needed.
        await listed.GetByRole(AriaRole.Link, new() { Name = order.Number }).ClickAsync();
        await Expect(page.Locator("#order-status")).ToHaveTextAsync("Paid");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Declined_card_shows_an_error_keeps_the_order_payable_a_second_card_pays_it_and_the_customer_can_still_cancel()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-decline");
        var page = await fixture.NewPageAsync();
        await Storefront.OpenProductAsync(page, "kettle", "kettle");
        await Storefront.AddToCartAsync(page);
        await Storefront.GoToCheckoutAsync(page);
        await page.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(page, "Duarte Decline");
        var order = await Storefront.PlaceOrderAsync(page);

        await Storefront.SubmitCardAsync(page, Storefront.DeclinedCard);
        await Expect(page.Locator("#pay-error")).ToHaveTextAsync("The card was declined. Try another card.");
        await Expect(page).ToHaveURLAsync(new Regex($"/checkout/pay/{order.Number}"));
        await Expect(page.Locator("#pay")).ToBeEnabledAsync();

        // Meanwhile the order is still waiting for its money, and says so.
        var orderPage = await page.Context.NewPageAsync();
        await orderPage.GotoAsync(order.OrderPath);
        await Expect(orderPage.Locator("#order-status")).ToHaveTextAsync("Placed");
        await Expect(orderPage.GetByRole(AriaRole.Link, new() { Name = "Pay now" })).ToBeVisibleAsync();
        await orderPage.CloseAsync();

        // The retry happens on the same form, right after the error.
        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(page, order, email);

        // Changed their mind before it is packed: the order page cancels it, and every part of the page says so.
        await page.Locator("#cancel-order").ClickAsync();
        await Expect(page.Locator("#order-status")).ToHaveTextAsync("Cancelled");
        await Expect(page.Locator("#order-message")).ToHaveTextAsync("Your order was cancelled.");
        await Expect(page.Locator("#cancel-order")).ToHaveCountAsync(0);
        await Expect(page.Locator("ol.progress li.done")).ToHaveCountAsync(0);
        await Expect(page.Locator("#tracking")).ToContainTextAsync("This order will not ship.");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Cart_filled_before_signing_in_joins_the_account_cart_on_sign_in()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-merge");
        const string password = "Merge-carts-42";
        var page = await fixture.NewPageAsync();
        await Accounts.RegisterAndConfirmAsync(fixture, page, email, password);

        // Something already waits in the account's cart.
        await BrowserFixture.SignInAsync(page, email, password);
        var saved = await Storefront.OpenProductAsync(page, "pillow", "pillow");
        await Storefront.AddToCartAsync(page);
        await SignOutAsync(page);
        await page.GotoAsync("cart");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Your cart is empty.");

        // Signed out, the visitor fills a cart of their own.
        var browsed = await Storefront.OpenProductAsync(page, "puzzle", "puzzle");
        await Storefront.AddToCartAsync(page, quantity: 2);
        await Expect(Storefront.CartRows(page)).ToHaveCountAsync(1);

        await BrowserFixture.SignInAsync(page, email, password);
        await page.GotoAsync("cart");
        var rows = Storefront.CartRows(page);
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = saved }).Locator("input[type=number]")).ToHaveValueAsync("1");
        await Expect(rows.Filter(new() { HasText = browsed }).Locator("input[type=number]")).ToHaveValueAsync("2");

        // Moved, not copied: signed out again the visitor's cart is empty, and signing in once more doubles nothing.
        await SignOutAsync(page);
        await page.GotoAsync("cart");
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Your cart is empty.");
        await BrowserFixture.SignInAsync(page, email, password);
        await page.GotoAsync("cart");
        await Expect(rows).ToHaveCountAsync(2);
        await Expect(rows.Filter(new() { HasText = browsed }).Locator("input[type=number]")).ToHaveValueAsync("2");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Guest_checks_out_on_a_360px_phone_without_sideways_scrolling()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-phone");
        var page = await fixture.NewPageAsync(viewport: new ViewportSize { Width = PhoneWidth, Height = 740 });

        await page.GotoAsync("shop");
        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await Storefront.ExpectReachableAsync(page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Search" }), PhoneWidth);
        await Expect(page.Locator("nav.topnav").GetByRole(AriaRole.Link, new() { Name = "Cart" })).ToBeInViewportAsync();

        // A sized product: the option picker has to work on a phone too.
        await Storefront.OpenProductAsync(page, "yoga mat", "yoga mat");
        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await Storefront.ExpectReachableAsync(page.Locator("#variant"), PhoneWidth);
        var sizes = await page.Locator("#variant option:not([disabled])").EvaluateAllAsync<string[]>("options => options.map(o => o.value)");
        Assert.NotEmpty(sizes);
        await page.Locator("#variant").SelectOptionAsync(sizes[^1]);
        await Storefront.ExpectReachableAsync(Storefront.AddToCartButton(page), PhoneWidth);
        await Storefront.AddToCartAsync(page);

        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await Storefront.ExpectReachableAsync(page.GetByRole(AriaRole.Button, new() { Name = "Update" }), PhoneWidth);
        await page.Locator("#promo").FillAsync("WELCOME10");
        await Storefront.ExpectReachableAsync(page.GetByRole(AriaRole.Button, new() { Name = "Apply" }), PhoneWidth);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Code WELCOME10 applied." })).ToBeVisibleAsync();
        await Expect(page.Locator("#sum-discount")).ToBeVisibleAsync();
        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await Storefront.ExpectReachableAsync(page.GetByRole(AriaRole.Link, new() { Name = "Checkout", Exact = true }), PhoneWidth);
        var total = (await page.Locator("#sum-total").InnerTextAsync()).Trim();

        await Storefront.GoToCheckoutAsync(page);
        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await page.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(page, "Filipa Phone");
        await Expect(page.Locator("#promo")).ToHaveValueAsync("WELCOME10");
        await Storefront.ExpectReachableAsync(page.Locator("#place-order"), PhoneWidth);
        var order = await Storefront.PlaceOrderAsync(page);

        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await Expect(page.Locator("#pay-total")).ToHaveTextAsync(total);
        await Storefront.ExpectReachableAsync(page.Locator("#pay"), PhoneWidth);
        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);

        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        await Storefront.ExpectNoHorizontalScrollAsync(page, PhoneWidth);
        await Expect(page.Locator("#thanks")).ToBeInViewportAsync();
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Misspelt_search_shows_results_for_the_corrected_word()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await Storefront.SearchAsync(page, "towl");

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("No results for “towl”. Showing results for “towel”.");
        var names = page.Locator("li.product-card .name");
        await Expect(names.First).ToBeVisibleAsync();
        Assert.All(await names.AllInnerTextsAsync(), n => Assert.Contains("towel", n, StringComparison.OrdinalIgnoreCase));
        await Expect(page.Locator("#q")).ToHaveValueAsync("towl");

        // Spelt right, the same search needs no correction.
        await Storefront.SearchAsync(page, "towel");
        await Expect(page.GetByText("Showing results for")).ToHaveCountAsync(0);
        await Expect(names.First).ToContainTextAsync("towel", new() { IgnoreCase = true });
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_photo_of_a_products_barcode_opens_the_product_even_where_the_browser_cannot_read_barcodes()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        // The demo catalog numbers its variants from 560000000001 (EAN-13 with its check digit).
        var gtin = Ean13.WithCheckDigit("560000000001");
        var lookup = await page.Context.APIRequest.GetAsync($"shop/gtin/{gtin}", new() { MaxRedirects = 0 });
        var productPath = lookup.Headers["location"];
        Assert.StartsWith("/shop/", productPath, StringComparison.Ordinal);

        await page.GotoAsync("shop");
        var photo = page.Locator("input[data-photo]");
        await Expect(page.Locator("label[data-photo-option]")).ToBeVisibleAsync();
        // Linux Chromium has no BarcodeDetector: what reads the photo here is the scanner library, loaded on demand.
        var native = await page.EvaluateAsync<bool>("async () => 'BarcodeDetector' in window && (await BarcodeDetector.getSupportedFormats()).includes('ean_13')");
        var scannerLoaded = false;
        page.Request += (_, request) => { if (request.Url.Contains("/lib/zxing/", StringComparison.Ordinal)) scannerLoaded = true; };
        await photo.SetInputFilesAsync(new FilePayload { Name = "barcode.png", MimeType = "image/png", Buffer = await DrawAsync(page, Ean13.Modules(gtin)) });
        await Expect(page).ToHaveURLAsync(new Regex(Regex.Escape(productPath) + "$"));
        Assert.Equal(!native, scannerLoaded);   // the library is fetched only where the browser cannot read barcodes itself

        // A photo without a barcode says so, and the page stays.
        await page.GotoAsync("shop");
        await photo.SetInputFilesAsync(new FilePayload { Name = "blank.png", MimeType = "image/png", Buffer = await DrawAsync(page, new string('0', 95)) });
        await Expect(page.Locator("[data-scan-status]")).ToHaveTextAsync("No barcode found in that photo. Try again closer, or type the digits.");
        await Expect(page).ToHaveURLAsync(new Regex("/shop$"));
        await page.Context.CloseAsync();
    }

    /// <summary>Draws a barcode's modules (1 = bar) as a PNG the way a phone photo would frame it: quiet zone, 3 px a module.</summary>
    private static async Task<byte[]> DrawAsync(IPage page, string modules)
    {
        var dataUrl = await page.EvaluateAsync<string>("""
            modules => {
              const scale = 3, quiet = 12, canvas = document.createElement('canvas');
              canvas.width = (modules.length + 2 * quiet) * scale; canvas.height = 160;
              const g = canvas.getContext('2d');
              g.fillStyle = '#fff'; g.fillRect(0, 0, canvas.width, canvas.height);
              g.fillStyle = '#000';
              [...modules].forEach((m, i) => { if (m === '1') g.fillRect((quiet + i) * scale, 20, scale, 120); });
              return canvas.toDataURL('image/png');
            }
            """, modules);
        return Convert.FromBase64String(dataUrl[(dataUrl.IndexOf(',', StringComparison.Ordinal) + 1)..]);
    }

    private static async Task SignOutAsync(IPage page)
    {
        await page.Locator("nav.topnav").GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Expect(page.Locator("nav.topnav").GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
    }
}
