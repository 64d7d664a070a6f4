using System.Text.RegularExpressions;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests.Infrastructure;

/// <summary>Shop journeys done the way a shopper does them: search, open a product, fill the cart, check out, pay.</summary>
public static partial class Storefront
{
    public const string SuccessCard = "4242424242424242";
    public const string DeclinedCard = "4000000000000002";
    public const string ChallengeCard = "4000000000003220";

    /// <summary>A placed order as its links name it: /checkout/pay/{Number}?key={Key}.</summary>
    public sealed record PlacedOrder(string Number, string Key)
    {
        public string OrderPath => $"orders/{Number}?key={Key}";
    }

    [GeneratedRegex(@"/checkout/pay/(?<number>CO-[0-9A-Z]{8})\?key=(?<key>[^&#]+)")]
    private static partial Regex PayUrl();

    /// <summary>Types the query into the shop's search box and submits it; the result count is shown.</summary>
    public static async Task SearchAsync(IPage page, string query)
    {
        await page.GotoAsync("shop");
        await page.Locator("#q").FillAsync(query);
        await page.GetByRole(AriaRole.Search).GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/shop\?q="));
        await Expect(page.Locator("#result-count")).ToBeVisibleAsync();
    }

    /// <summary>Searches, then opens the first in-stock result whose name contains <paramref name="nameContains"/>.</summary>
    public static async Task<string> OpenProductAsync(IPage page, string query, string nameContains)
    {
        await SearchAsync(page, query);
        var card = page.Locator("li.product-card")
            .Filter(new() { HasTextRegex = new Regex(Regex.Escape(nameContains), RegexOptions.IgnoreCase) })
            .Filter(new() { HasNot = page.Locator(".badge.danger") })
            .First;
        await Expect(card).ToBeVisibleAsync();
        var name = (await card.Locator(".name").InnerTextAsync()).Trim();
        await card.Locator("a").ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = name, Level = 1 })).ToBeVisibleAsync();
        return name;
    }

    public static ILocator AddToCartButton(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Add to cart" });

    /// <summary>On a product page: sets the quantity, adds to the cart and waits for the cart to confirm it.</summary>
    public static async Task AddToCartAsync(IPage page, int quantity = 1)
    {
        await page.Locator("#qty").FillAsync(quantity.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await AddToCartButton(page).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex(@"/cart\?added=1"));
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Added to your cart." })).ToBeVisibleAsync();
    }

    /// <summary>The cart's rows, one per line.</summary>
    public static ILocator CartRows(IPage page) => page.Locator("table.cart tbody tr");

    /// <summary>Removes every line, so a test on a shared account starts from an empty cart.</summary>
    public static async Task EmptyCartAsync(IPage page)
    {
        await page.GotoAsync("cart");
        var remove = page.GetByRole(AriaRole.Button, new() { Name = "Remove", Exact = false });
        while (await remove.CountAsync() > 0)
        {
            var before = await remove.CountAsync();
            await remove.First.ClickAsync();
            await Expect(remove).ToHaveCountAsync(before - 1);
        }
        await Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Your cart is empty.");
    }

    /// <summary>From the cart, follows Checkout and waits for the checkout form.</summary>
    public static async Task GoToCheckoutAsync(IPage page)
    {
        await page.GetByRole(AriaRole.Link, new() { Name = "Checkout", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/checkout$"));
        await Expect(page.Locator("#place-order")).ToBeVisibleAsync();
    }

    public static ILocator ShippingOption(IPage page, string code) => page.Locator($"input[name='Form.ShippingMethod'][value='{code}']");

    /// <summary>Fills a Portuguese delivery address for standard delivery.</summary>
    public static async Task FillDeliveryAsync(IPage page, string name)
    {
        await ShippingOption(page, "standard").CheckAsync();
        await page.Locator("#name").FillAsync(name);
        await page.Locator("#line1").FillAsync("Rua das Flores 12");
        await page.Locator("#city").FillAsync("Lisboa");
        await page.Locator("#postal").FillAsync("1200-195");
        await page.Locator("#country").SelectOptionAsync("PT");
    }

    /// <summary>Submits the checkout form and waits for the payment page; returns the order's number and key from its address.</summary>
    public static async Task<PlacedOrder> PlaceOrderAsync(IPage page)
    {
        await page.Locator("#place-order").ClickAsync();
        await Expect(page).ToHaveURLAsync(PayUrl());
        var match = PayUrl().Match(page.Url);
        var order = new PlacedOrder(match.Groups["number"].Value, Uri.UnescapeDataString(match.Groups["key"].Value));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Pay for order {order.Number}" })).ToBeVisibleAsync();
        return order;
    }

    /// <summary>On the payment page: enters the card and presses Pay. The caller asserts where it lands.</summary>
    public static async Task SubmitCardAsync(IPage page, string card)
    {
        await page.Locator("#card").FillAsync(card);
        await page.Locator("#exp").FillAsync("12/30");
        await page.Locator("#cvc").FillAsync("123");
        await page.Locator("#pay").ClickAsync();
    }

    /// <summary>The confirmation a shopper sees after paying: the thank-you banner and the status Paid.</summary>
    public static async Task ExpectPaidConfirmationAsync(IPage page, PlacedOrder order, string email)
    {
        await Expect(page).ToHaveURLAsync(new Regex($"/orders/{order.Number}\\?key=.*placed=1"));
        await Expect(page.Locator("#thanks")).ToContainTextAsync(email);
        await Expect(page.Locator("#order-status")).ToHaveTextAsync("Paid");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Pay now" })).ToHaveCountAsync(0);
    }

    /// <summary>
    /// A single-variant product that the given store can hand over today, for click and collect. Stock per store is not
    /// shown to shoppers, so the test reads it from the catalog the way a store clerk would.
    /// </summary>
    public static async Task<(string Name, Guid StoreId)> ProductInStoreAsync(CentricServer server, string storeCode)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var store = await db.StockLocations.AsNoTracking().SingleAsync(l => l.Code == storeCode && l.IsStore);
        var candidates = await (from s in db.StockLevels
                                join v in db.Variants on s.VariantId equals v.Id
                                join p in db.Products on v.ProductId equals p.Id
                                where s.LocationId == store.Id && s.OnHand - s.Reserved >= 2 && p.Active
                                      && db.Variants.Count(x => x.ProductId == p.Id) == 1
                                orderby p.Slug
                                select new { p.Slug, p.Name }).ToListAsync();
        Assert.True(candidates.Count > 0, $"no single-variant product is in stock at {storeCode}");
        // The end of the list: the other tests find products by searching, which tends to pick the popular ones.
        return (candidates[^1].Name, store.Id);
    }

    /// <summary>Units of the named single-variant product on the shelf at a location (held ones included).</summary>
    public static async Task<int> OnHandAsync(CentricServer server, string productName, string locationCode)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        return await (from s in db.StockLevels
                      join l in db.StockLocations on s.LocationId equals l.Id
                      join v in db.Variants on s.VariantId equals v.Id
                      join p in db.Products on v.ProductId equals p.Id
                      where p.Name == productName && l.Code == locationCode
                      select s.OnHand).SingleAsync();
    }

    /// <summary>
    /// Asserts the page does not scroll sideways at the given viewport width, naming the widest elements when it does.
    /// </summary>
    public static async Task ExpectNoHorizontalScrollAsync(IPage page, int width)
    {
        var scrollWidth = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        if (scrollWidth <= width) return;
        var culprits = await page.EvaluateAsync<string[]>(
            """
            (width) => [...document.querySelectorAll('body *')]
                .filter(e => e.getBoundingClientRect().right > width + 0.5)
                .filter(e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return getComputedStyle(e).position === 'absolute' || getComputedStyle(e).position === 'fixed'; return true; })
                .slice(0, 8)
                .map(e => `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className && typeof e.className === 'string' ? '.' + e.className.trim().replace(/\s+/g, '.') : ''} right=${Math.round(e.getBoundingClientRect().right)}`)
            """, width);
        Assert.Fail($"{page.Url} scrolls sideways at {width}px: scrollWidth is {scrollWidth}. Too wide: {string.Join("; ", culprits)}");
    }

    /// <summary>A button or link a thumb can reach: visible, inside the viewport's width once scrolled to, and at least 32px tall.</summary>
    public static async Task ExpectReachableAsync(ILocator control, int width)
    {
        await Expect(control).ToBeVisibleAsync();
        await Expect(control).ToBeEnabledAsync();
        await control.ScrollIntoViewIfNeededAsync();
        await Expect(control).ToBeInViewportAsync();
        var box = await control.BoundingBoxAsync();
        Assert.NotNull(box);
        Assert.True(box.X >= 0 && box.X + box.Width <= width + 0.5, $"the control spans x {box.X:0}–{box.X + box.Width:0}, outside a {width}px viewport");
        Assert.True(box.Height >= 32, $"the control is only {box.Height:0}px tall");
    }
}
