using System.Net.Http.Json;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>Promotions from a shopper's side: a code applied and explained in the cart and at checkout, a refused code's reason.</summary>
[Collection(DemoServerDefinition.Name)]
public class PromotionTests(DemoServerFixture fixture)
{
    [SkippableFact]
    public async Task A_shopper_applies_a_code_sees_it_explained_at_checkout_and_pays_and_a_refused_code_says_why()
    {
        fixture.RequireBrowser();
        var suffix = Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        var (good, big) = ("E2E" + suffix, "BIG" + suffix);
        using (var api = fixture.Server.ApiClient())
        {
            (await api.PostAsJsonAsync("/api/v1/promotions", new { name = "Browser test offer", code = good, kind = "percent_off", percentOff = 20 })).EnsureSuccessStatusCode();
            (await api.PostAsJsonAsync("/api/v1/promotions", new { name = "Big spenders", code = big, kind = "amount_off", amountOff = 50, minimumSubtotal = 100000 }))
                .EnsureSuccessStatusCode();
        }
        var email = Accounts.NewEmail("e2e-promo");
        var page = await fixture.NewPageAsync();
        await Storefront.OpenProductAsync(page, "towel", "towel");
        await Storefront.AddToCartAsync(page);

        // A code the cart does not qualify for: its reason, next to the field.
        await page.Locator("#promo").FillAsync(big);
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.Locator("#promo-error")).ToHaveTextAsync($"The code {big} needs an order of at least €100000.00.");
        await Expect(page.Locator("#sum-discount")).ToHaveCountAsync(0);

        // A code that applies: named, explained and priced in the cart.
        await page.Locator("#promo").FillAsync(good.ToLowerInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = $"Code {good} applied." })).ToBeVisibleAsync();
        var offer = page.Locator("#sum-promotions li.promotion").Filter(new() { HasText = "Browser test offer" });
        await Expect(offer).ToContainTextAsync("20% off your items");
        var discount = (await page.Locator("#sum-discount").InnerTextAsync()).Trim();
        await Expect(offer.Locator(".promotion-amount")).ToHaveTextAsync(discount);
        var total = (await page.Locator("#sum-total").InnerTextAsync()).Trim();

        // The checkout explains it the same way; the refused code typed there is refused with its reason.
        await Storefront.GoToCheckoutAsync(page);
        await Expect(page.Locator("#promo")).ToHaveValueAsync(good);
        await Expect(page.Locator("#sum-promotions")).ToContainTextAsync("Browser test offer");
        await Expect(page.Locator("#sum-promotions")).ToContainTextAsync("20% off your items");
        await Expect(page.Locator("#sum-total")).ToHaveTextAsync(total);
        await page.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(page, "Paula Promo");
        await page.Locator("#promo").FillAsync(big);
        await page.Locator("#place-order").ClickAsync();
        await Expect(page.Locator("#err-promoCode")).ToHaveTextAsync($"The code {big} needs an order of at least €100000.00.");

        await page.Locator("#promo").FillAsync(good);
        await Storefront.FillDeliveryAsync(page, "Paula Promo");
        var order = await Storefront.PlaceOrderAsync(page);
        await Expect(page.Locator("#pay-total")).ToHaveTextAsync(total);
        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        await page.Context.CloseAsync();

        // Staff see the redemption counted on the console's list.
        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync("console/promotions");
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = good });
        await Expect(row).ToContainTextAsync("Active");
        await Expect(row.Locator("td.num")).ToHaveTextAsync("1");
        await admin.Context.CloseAsync();
    }
}
