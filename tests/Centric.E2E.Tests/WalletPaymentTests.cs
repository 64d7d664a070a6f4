using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// "Pay with wallet" on the payment page. Chromium has no card wallet to offer (it dropped basic-card, and headless
/// Chromium shows no payment sheet), so the tests that press the button give the page a stand-in for the browser's
/// PaymentRequest that answers the way the sheet would; everything after that — the page's script, the server,
/// the gateway — is the real thing.
/// </summary>
[Collection(DemoServerDefinition.Name)]
public class WalletPaymentTests(DemoServerFixture fixture)
{
    /// <summary>A PaymentRequest whose sheet "returns" the given card; records what the page asked for and how it completed.</summary>
    private static string StandInWallet(string card) => $$"""
        window.__wallet = { requests: [], completed: [] };
        window.PaymentRequest = class {
          constructor(methods, details) { this.methods = methods; this.details = details; window.__wallet.requests.push({ methods, details }); }
          async canMakePayment() { return this.methods.some(m => m.supportedMethods === 'basic-card'); }
          async show() {
            return {
              methodName: 'basic-card',
              details: { cardNumber: '{{card}}', expiryMonth: '12', expiryYear: '2030', cardSecurityCode: '123', cardholderName: 'Wanda Wallet' },
              complete: async result => { window.__wallet.completed.push(result); },
            };
          }
        };
        """;

    private async Task<(IPage Page, Storefront.PlacedOrder Order, string Email)> OnPayPageAsync(string? initScript)
    {
        var page = await fixture.NewPageAsync();
        if (initScript is not null) await page.Context.AddInitScriptAsync(initScript);
        var email = Accounts.NewEmail("e2e-wallet");
        await Storefront.OpenProductAsync(page, "towel", "towel");
        await Storefront.AddToCartAsync(page);
        await Storefront.GoToCheckoutAsync(page);
        await page.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(page, "Wanda Wallet");
        return (page, await Storefront.PlaceOrderAsync(page), email);
    }

    [SkippableFact]
    public async Task Pay_with_wallet_charges_the_server_total_and_lands_on_the_paid_order()
    {
        fixture.RequireBrowser();
        var (page, order, email) = await OnPayPageAsync(StandInWallet(Storefront.SuccessCard));
        var total = (await page.Locator("#pay-total").InnerTextAsync()).Trim();
        var wallet = page.Locator("#pay-wallet");
        await Expect(wallet).ToBeVisibleAsync();
        await wallet.ClickAsync();

        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(total);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Declined_wallet_card_shows_why_and_the_card_form_still_pays_the_order()
    {
        fixture.RequireBrowser();
        var (page, order, email) = await OnPayPageAsync(StandInWallet(Storefront.DeclinedCard));
        var key = await page.Locator("#pay-form input[name=IdempotencyKey]").InputValueAsync();
        await page.Locator("#pay-wallet").ClickAsync();
        await Expect(page.Locator("#wallet-error")).ToHaveTextAsync("The card was declined. Try another card.");
        Assert.Equal(["fail"], await page.EvaluateAsync<string[]>("() => window.__wallet.completed"));
        // The declined attempt used up its key; the form now carries the fresh one the server handed back.
        await Expect(page.Locator("#pay-form input[name=IdempotencyKey]")).Not.ToHaveValueAsync(key);
        await Expect(page.Locator("#pay-wallet")).ToBeEnabledAsync();

        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Without_a_wallet_the_button_stays_hidden_and_the_card_form_pays()
    {
        fixture.RequireBrowser();
        // Headless Chromium as it is: PaymentRequest exists but has no basic-card wallet to offer.
        var (page, order, email) = await OnPayPageAsync(null);
        var canPay = await page.EvaluateAsync<bool>("""
            async () => {
              if (!window.PaymentRequest) return false;
              try {
                return await new PaymentRequest([{ supportedMethods: 'basic-card' }], { total: { label: 't', amount: { currency: 'EUR', value: '1.00' } } }).canMakePayment();
              } catch { return false; }
            }
            """);
        Skip.If(canPay, "this browser offers a basic-card wallet, so there is no fallback to see");
        await Expect(page.Locator("#wallet")).ToBeHiddenAsync();
        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        await page.Context.CloseAsync();

        // A browser without the Payment Request API at all.
        var (older, olderOrder, olderEmail) = await OnPayPageAsync("delete window.PaymentRequest;");
        Assert.False(await older.EvaluateAsync<bool>("() => 'PaymentRequest' in window"));
        await Expect(older.Locator("#wallet")).ToBeHiddenAsync();
        await Expect(older.Locator("#pay-form")).ToBeVisibleAsync();
        await Storefront.SubmitCardAsync(older, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(older, olderOrder, olderEmail);
        await older.Context.CloseAsync();
    }
}
