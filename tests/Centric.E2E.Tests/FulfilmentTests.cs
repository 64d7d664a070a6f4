using System.Globalization;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>
/// After the payment: staff pick, pack and ship in the console, the carrier simulator scans the parcel, the customer
/// follows it live, sends something back for a refund, and runs a subscription from the portal.
/// </summary>
[Collection(DemoServerDefinition.Name)]
public partial class FulfilmentTests(DemoServerFixture fixture)
{
    private const string DemoCustomer = "ana.silva@example.com";

    [GeneratedRegex(@"/returns/(?<number>RT-[0-9A-F]{8})\?")]
    private static partial Regex ReturnUrl();

    [SkippableFact]
    public async Task Order_page_follows_packing_shipping_and_carrier_scans_live_without_reloading()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-live");
        var customer = await fixture.NewPageAsync();
        var (order, _) = await PayAsGuestAsync(customer, email, "Lara Live", ("cutting board", "cutting board"));
        var live = customer.Locator("#order-status");
        await Expect(live).ToHaveTextAsync("Paid");
        await Expect(customer.Locator("#tracking")).ToContainTextAsync("Tracking appears here once the parcel ships.");

        // From here on the customer's tab is left alone: anything it shows later came over the live connection.
        var navigations = 0;
        customer.FrameNavigated += (_, frame) => { if (frame == customer.MainFrame) navigations++; };
        await customer.EvaluateAsync("() => { window.__sameDocument = true; }");

        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync($"console/orders/{order.Number}");
        await Expect(admin.Locator("#order-status")).ToHaveTextAsync("Paid");

        await Expect(customer.Locator("#cancel-order")).ToBeVisibleAsync();
        await MoveOrderAsync(admin, "Picking");
        // "Picking" can only come from the interactive component (the page was rendered at Paid), so the circuit is up;
        // every later change has to be pushed to it.
        await Expect(live).ToHaveTextAsync("Picking");
        await MoveOrderAsync(admin, "Packed");
        await Expect(live).ToHaveTextAsync("Packed");
        // The progress follows the status, and what the customer can do follows it too: a packed order can still be stopped.
        await Expect(customer.Locator("ol.progress li.done")).ToHaveTextAsync(["Placed", "Paid", "Picking", "Packed"]);
        await Expect(customer.Locator("ol.progress li[aria-current='step']")).ToHaveTextAsync("Packed");
        await Expect(customer.Locator("#cancel-order")).ToBeVisibleAsync();

        await MoveOrderAsync(admin, "Shipped");
        await Expect(live).ToHaveTextAsync("Shipped");
        await Expect(customer.Locator("ol.progress li[aria-current='step']")).ToHaveTextAsync("Shipped");
        await Expect(customer.Locator("#cancel-order")).ToHaveCountAsync(0);
        var tracking = (await admin.Locator("p").Filter(new() { HasText = "Shipment" }).Locator("code").InnerTextAsync()).Trim();
        Assert.Matches("^SIM[0-9]{9}$", tracking);
        await Expect(customer.Locator("#tracking code")).ToHaveTextAsync(tracking);
        var scans = customer.Locator("#tracking-events li");
        await Expect(scans).ToHaveCountAsync(0);

        await SimulateScanAsync(admin, "Shipped");
        await Expect(customer.Locator("#tracking-events li[data-code='in_transit']")).ToContainTextAsync("Parcel at the sorting centre");
        await Expect(scans).ToHaveCountAsync(1);
        await Expect(live).ToHaveTextAsync("Shipped");

        await SimulateScanAsync(admin, "OutForDelivery");
        await Expect(live).ToHaveTextAsync("Out for delivery");
        await Expect(scans).ToHaveCountAsync(2);
        // Newest first.
        await Expect(scans.First).ToHaveAttributeAsync("data-code", "out_for_delivery");
        await Expect(scans.First).ToContainTextAsync("With the driver for delivery today");

        await SimulateScanAsync(admin, "Delivered");
        await Expect(live).ToHaveTextAsync("Delivered");
        await Expect(scans.First).ToHaveAttributeAsync("data-code", "delivered");
        await Expect(admin.Locator("#simulate-scan")).ToHaveCountAsync(0);
        await admin.Context.CloseAsync();

        // The same document all along, and all of it agrees: status, progress and the way to return the parcel.
        Assert.Equal(0, navigations);
        Assert.True(await customer.EvaluateAsync<bool>("() => window.__sameDocument === true"), "the order page was reloaded");
        await Expect(customer.Locator("ol.progress li:not(.done)")).ToHaveCountAsync(0);
        await Expect(customer.Locator("#start-return")).ToBeVisibleAsync();
        await Expect(customer.Locator("#tracking-events li")).ToHaveCountAsync(3);

        // A reload shows the same.
        await customer.ReloadAsync();
        await Expect(customer.Locator("#order-status")).ToHaveTextAsync("Delivered");
        await Expect(customer.Locator("#tracking-events li")).ToHaveCountAsync(3);
        await Expect(customer.Locator("#start-return")).ToBeVisibleAsync();
        await customer.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Bell_counts_the_shipping_notice_live_and_the_notifications_page_marks_it_read()
    {
        fixture.RequireBrowser();
        const string password = "Correct-horse-42";
        var email = Accounts.NewEmail("e2e-bell");
        var customer = await fixture.NewPageAsync();
        await Accounts.RegisterAndConfirmAsync(fixture, customer, email, password);
        await BrowserFixture.SignInAsync(customer, email, password);
        var (order, _) = await PayAsGuestAsync(customer, email, "Nina Notice", ("cutting board", "cutting board"));
        var bell = customer.Locator("#notification-bell");
        var badge = customer.Locator("#notification-count");
        await Expect(badge).ToBeHiddenAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications");
        await Expect(customer.Locator("html[data-notifications-live='true']")).ToHaveCountAsync(1);

        var navigations = 0;
        customer.FrameNavigated += (_, frame) => { if (frame == customer.MainFrame) navigations++; };
        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync($"console/orders/{order.Number}");
        foreach (var step in new[] { "Picking", "Packed", "Shipped" }) await MoveOrderAsync(admin, step);
        await admin.Context.CloseAsync();

        // The count came over the hub: the customer's tab was not reloaded.
        await Expect(badge).ToHaveTextAsync("1");
        await Expect(badge).ToBeVisibleAsync();
        await Expect(bell).ToHaveAttributeAsync("aria-label", "Notifications, 1 unread");
        Assert.Equal(0, navigations);

        await bell.ClickAsync();
        await Expect(customer.GetByRole(AriaRole.Heading, new() { Name = "Notifications", Level = 1 })).ToBeVisibleAsync();
        var notice = customer.Locator("#notification-list li.unread");
        await Expect(notice).ToHaveCountAsync(1);
        await Expect(notice).ToContainTextAsync($"Order {order.Number} has shipped");
        await customer.Locator("#mark-all-read").ClickAsync();
        await Expect(customer.Locator("#notification-list li.unread")).ToHaveCountAsync(0);
        await Expect(customer.Locator("#notifications-unread")).ToHaveTextAsync("0 unread");
        await Expect(badge).ToBeHiddenAsync();

        // With the page open, the next notice joins the top of the list without a reload, and can be marked read.
        var before = navigations;
        var staff = await fixture.AdminPageAsync();
        await staff.GotoAsync($"console/orders/{order.Number}");
        await SimulateScanAsync(staff, "Shipped");
        await SimulateScanAsync(staff, "OutForDelivery");
        await staff.Context.CloseAsync();
        var fresh = customer.Locator("#notification-list li.unread");
        await Expect(fresh).ToHaveCountAsync(1);
        await Expect(fresh).ToContainTextAsync($"Order {order.Number} is out for delivery");
        await Expect(fresh).ToContainTextAsync("out for delivery today");
        await Expect(customer.Locator("#notification-list li").First).ToHaveClassAsync(new Regex("unread"));
        await Expect(customer.Locator("#notifications-unread")).ToHaveTextAsync("1 unread");
        await Expect(badge).ToHaveTextAsync("1");
        Assert.Equal(before, navigations);
        await fresh.GetByRole(AriaRole.Button, new() { Name = "Mark as read" }).ClickAsync();
        await Expect(customer.Locator("#notification-list li.unread")).ToHaveCountAsync(0);
        await Expect(customer.Locator("#notification-list li")).ToHaveCountAsync(2);
        await Expect(badge).ToBeHiddenAsync();

        // The notice links to the order, which the signed-in customer opens without the email's key.
        await customer.Locator("#notification-list").GetByRole(AriaRole.Link, new() { Name = $"Order {order.Number} has shipped" }).ClickAsync();
        await Expect(customer.Locator("#order-status")).ToHaveTextAsync("Out for delivery");
        await customer.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Delivered_item_sent_back_for_a_refund_is_refunded_once_staff_receive_it()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-return");
        var customer = await fixture.NewPageAsync();
        var (order, names) = await PayAsGuestAsync(customer, email, "Rui Return", ("frying pan", "frying pan"), ("storage jars", "storage jars"));
        var (returned, kept) = (names[0], names[1]);

        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync($"console/orders/{order.Number}");
        foreach (var step in new[] { "Picking", "Packed", "Shipped" }) await MoveOrderAsync(admin, step);
        foreach (var status in new[] { "Shipped", "OutForDelivery", "Delivered" }) await SimulateScanAsync(admin, status);
        // The order names its customer, and so does the customer card beside it: both lead to the 360.
        var customerLink = await admin.GetByRole(AriaRole.Link, new() { Name = email }).First.GetAttributeAsync("href");
        Assert.Matches("^console/customers/[0-9a-f-]{36}$", customerLink);

        // The customer opens the order from the receipt's link and asks to send one of the two items back.
        await customer.GotoAsync(order.OrderPath);
        await Expect(customer.Locator("#order-status")).ToHaveTextAsync("Delivered");
        // The link sits in the live status, which the order's updates re-render: a click that lands as it is replaced is
        // lost, so a person (and this test) clicks again.
        var returnHeading = customer.GetByRole(AriaRole.Heading, new() { Name = $"Return or exchange from {order.Number}" });
        for (var attempt = 1; ; attempt++)
        {
            await customer.Locator("#start-return").ClickAsync();
            try
            {
                await returnHeading.WaitForAsync(new() { Timeout = 5000 });
                break;
            }
            catch (TimeoutException) when (attempt < 3) { }
        }
        await customer.GetByLabel($"{returned} (bought 1)").FillAsync("1");
        await Expect(customer.GetByLabel($"{kept} (bought 1)")).ToHaveValueAsync("0");
        await customer.Locator("#reason").SelectOptionAsync("damaged");
        await customer.GetByRole(AriaRole.Radio, new() { Name = "A refund to the original payment" }).CheckAsync();
        await customer.Locator("#request-return").ClickAsync();

        await Expect(customer).ToHaveURLAsync(ReturnUrl());
        var returnNumber = ReturnUrl().Match(customer.Url).Groups["number"].Value;
        var returnPath = customer.Url;
        await Expect(customer.GetByRole(AriaRole.Heading, new() { Name = $"Return {returnNumber}" })).ToBeVisibleAsync();
        await Expect(customer.Locator("#return-status")).ToHaveTextAsync("Requested");
        await Expect(customer.GetByRole(AriaRole.Img, new() { Name = $"Return label code {returnNumber}" })).ToBeVisibleAsync();
        var promise = await customer.GetByText(new Regex(@"^Refund of €[0-9]+\.[0-9]{2} to your original payment")).InnerTextAsync();
        var refund = decimal.Parse(Regex.Match(promise, @"€(?<amount>[0-9]+\.[0-9]{2})").Groups["amount"].Value, CultureInfo.InvariantCulture);
        Assert.True(refund > 0, promise);

        // Staff approve the request, then book the parcel in when it arrives; receiving it pays the refund.
        await admin.GotoAsync("console/returns");
        await admin.Locator($"#approve-{returnNumber}").ClickAsync();
        await Expect(Banner(admin, $"Return {returnNumber} is now Approved.")).ToBeVisibleAsync();
        await Expect(admin.Locator($"#approve-{returnNumber}")).ToHaveCountAsync(0);
        await admin.Locator($"#receive-{returnNumber}").ClickAsync();
        await Expect(Banner(admin, $"Return {returnNumber} is now Refunded.")).ToBeVisibleAsync();
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = returnNumber });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("Refunded");
        await Expect(row).ToContainTextAsync($"€{refund.ToString("0.00", CultureInfo.InvariantCulture)}");

        await customer.GotoAsync(returnPath);
        await Expect(customer.Locator("#return-status")).ToHaveTextAsync("Refunded");

        // The refund is on the customer's timeline in the console, for this order and this amount.
        await admin.GotoAsync($"{customerLink}?type=refund_issued");
        var issued = admin.Locator("#timeline li[data-type='refund_issued']").Filter(new() { HasText = order.Number });
        await Expect(issued).ToHaveCountAsync(1);
        await Expect(issued.GetByRole(AriaRole.Link, new() { Name = order.Number })).ToBeVisibleAsync();
        await Expect(issued.Locator(".what")).ToContainTextAsync("Refunded €");
        var props = await issued.Locator("code.props").TextContentAsync() ?? "";
        var amount = Regex.Match(props, "\"amount\":(?<amount>[0-9.]+)");
        Assert.True(amount.Success, props);
        Assert.Equal(refund, decimal.Parse(amount.Groups["amount"].Value, CultureInfo.InvariantCulture));
        Assert.Contains($"return:{returnNumber}", props, StringComparison.Ordinal);
        await admin.Context.CloseAsync();
        await customer.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Demo_customer_subscribes_from_the_product_page_then_pauses_and_resumes_in_the_portal()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        var product = await Storefront.OpenProductAsync(page, "shampoo", "shampoo");

        var offer = page.Locator("section.subscribe");
        await Expect(offer.GetByRole(AriaRole.Heading, new() { Name = "Subscribe and save" })).ToBeVisibleAsync();
        await Expect(offer).ToContainTextAsync("Delivered every 30 days");
        await page.Locator("#sub-name").FillAsync("Ana Silva");
        await page.Locator("#sub-line1").FillAsync("Rua Augusta 100");
        await page.Locator("#sub-city").FillAsync("Lisboa");
        await page.Locator("#sub-postal").FillAsync("1100-053");
        await page.Locator("#sub-card").FillAsync(Storefront.SuccessCard);
        await page.Locator("#subscribe").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/account/subscriptions$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Your subscriptions" })).ToBeVisibleAsync();
        // Newest first: the one just taken out.
        var subscription = page.Locator("section.card[id^='sub-']").First;
        await Expect(subscription.GetByRole(AriaRole.Heading)).ToHaveTextAsync($"{product} × 1");
        var id = await subscription.GetAttributeAsync("id");
        subscription = page.Locator($"section#{id}");
        var status = subscription.Locator(".sub-status");
        await Expect(status).ToHaveTextAsync("Active");
        await Expect(subscription).ToContainTextAsync("every 30 days");
        await Expect(subscription).ToContainTextAsync("card visa ending 4242");
        await Expect(subscription).ToContainTextAsync("Next delivery charged on");

        await subscription.GetByRole(AriaRole.Button, new() { Name = "Pause" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Paused.");
        await Expect(status).ToHaveTextAsync("Paused");
        await Expect(subscription).Not.ToContainTextAsync("Next delivery charged on");
        await Expect(subscription.GetByRole(AriaRole.Button, new() { Name = "Pause" })).ToHaveCountAsync(0);

        // Paused survives a fresh visit; it is stored, not just shown.
        await page.GotoAsync("account/subscriptions");
        await Expect(status).ToHaveTextAsync("Paused");

        await subscription.GetByRole(AriaRole.Button, new() { Name = "Resume" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Resumed.");
        await Expect(status).ToHaveTextAsync("Active");
        await Expect(subscription).ToContainTextAsync("Next delivery charged on");
        await Expect(subscription.GetByRole(AriaRole.Button, new() { Name = "Resume" })).ToHaveCountAsync(0);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Review_posted_by_the_demo_customer_appears_on_the_product_page_for_everyone()
    {
        fixture.RequireBrowser();
        var title = "Does the job " + Guid.NewGuid().ToString("N")[..6];
        var page = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(page, DemoCustomer, BrowserFixture.DemoPassword);
        // Ana's demo history has reviews of its own: take a product whose page still offers her the review form.
        string? product = null;
        foreach (var kind in new[] { "lip balm", "wall clock", "photo album", "storage jars", "table runner", "usb hub", "gift box", "yoga mat" })
        {
            var name = await Storefront.OpenProductAsync(page, kind, kind);
            if (await page.Locator("#reviewed").CountAsync() == 0) { product = name; break; }
        }
        Assert.NotNull(product);
        var productPath = new Uri(page.Url).PathAndQuery.TrimStart('/');
        var count = await ReviewCountAsync(page);

        await page.Locator("#rating").SelectOptionAsync("4");
        await page.Locator("#review-title").FillAsync(title);
        await page.Locator("#review-body").FillAsync("Soft, no smell, lasts a whole afternoon.");
        await page.Locator("#submit-review").ClickAsync();
        await Expect(page.Locator("#reviews").GetByRole(AriaRole.Status)).ToHaveTextAsync("Thank you for your review.");

        // A visitor who is not signed in sees it too, with the count on the product moved on by one.
        var visitor = await fixture.NewPageAsync();
        await visitor.GotoAsync(productPath);
        await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = product, Level = 1 })).ToBeVisibleAsync();
        var review = visitor.Locator("#reviews li.review").Filter(new() { HasText = title });
        await Expect(review).ToHaveCountAsync(1);
        await Expect(review.Locator("b[aria-label='4 out of 5']")).ToHaveTextAsync("★★★★☆");
        await Expect(review).ToContainTextAsync("Soft, no smell, lasts a whole afternoon.");
        await Expect(review.Locator("p.muted")).ToContainTextAsync("Ana");
        Assert.Equal(count + 1, await ReviewCountAsync(visitor));
        await Expect(visitor.Locator("#submit-review")).ToHaveCountAsync(0);
        await visitor.Context.CloseAsync();

        // One review per customer and product: the form gives way to a note.
        await page.GotoAsync(productPath);
        await Expect(page.Locator("#reviewed")).ToHaveTextAsync("You have reviewed this product.");
        await Expect(page.Locator("#submit-review")).ToBeHiddenAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>A guest fills the cart with one of each product, checks out and pays; the page is left on the paid order.</summary>
    private static async Task<(Storefront.PlacedOrder Order, string[] Names)> PayAsGuestAsync(IPage page, string email, string name,
        params (string Query, string NameContains)[] products)
    {
        var names = new List<string>();
        foreach (var (query, nameContains) in products)
        {
            names.Add(await Storefront.OpenProductAsync(page, query, nameContains));
            await Storefront.AddToCartAsync(page);
        }
        await Expect(Storefront.CartRows(page)).ToHaveCountAsync(products.Length);
        await Storefront.GoToCheckoutAsync(page);
        await page.Locator("#email").FillAsync(email);
        await Storefront.FillDeliveryAsync(page, name);
        var order = await Storefront.PlaceOrderAsync(page);
        await Storefront.SubmitCardAsync(page, Storefront.SuccessCard);
        await Storefront.ExpectPaidConfirmationAsync(page, order, email);
        return (order, [.. names]);
    }

    /// <summary>On the console order page: presses the button that moves the order on and waits for the new status.</summary>
    private static async Task MoveOrderAsync(IPage admin, string to)
    {
        await admin.Locator($"#to-{to}").ClickAsync();
        await Expect(admin.Locator("#order-status")).ToHaveTextAsync(to);
        await Expect(Banner(admin, $"Order is now {to}.")).ToBeVisibleAsync();
    }

    /// <summary>On the console order page: the carrier simulator's next scan, and the order status it leaves.</summary>
    private static async Task SimulateScanAsync(IPage admin, string orderStatus)
    {
        await admin.Locator("#simulate-scan").ClickAsync();
        await Expect(Banner(admin, $"Carrier scan recorded; order is {orderStatus}.")).ToBeVisibleAsync();
        await Expect(admin.Locator("#order-status")).ToHaveTextAsync(orderStatus);
    }

    /// <summary>The console's outcome banner with this text (the console shows other status banners too, e.g. the MFA reminder).</summary>
    private static ILocator Banner(IPage admin, string text) =>
        admin.GetByRole(AriaRole.Status).Filter(new() { HasTextRegex = new Regex("^" + Regex.Escape(text) + "$") });

    private static async Task<int> ReviewCountAsync(IPage page)
    {
        var text = (await page.Locator("p.rating").InnerTextAsync()).Trim();
        var count = int.Parse(Regex.Match(text, "(?<n>[0-9]+) reviews?$").Groups["n"].Value, CultureInfo.InvariantCulture);
        // "1 review", "2 reviews".
        Assert.EndsWith(count == 1 ? " 1 review" : $" {count} reviews", text, StringComparison.Ordinal);
        return count;
    }
}
