using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class JourneyTests(DemoServerFixture fixture)
{
    [SkippableFact]
    public async Task A_marketer_publishes_a_journey_and_a_shopper_who_looks_at_a_product_gets_its_notice()
    {
        fixture.RequireBrowser();
        var marketer = await fixture.StaffPageAsync("marketer@centric.demo");
        await marketer.GotoAsync("console/journeys");
        // The demo publishes the shipped journeys.
        var cart = marketer.Locator("#journeys tbody tr").Filter(new() { HasText = "Abandoned cart" });
        await Expect(cart).ToContainTextAsync("Live · v1");

        await marketer.Locator("#new-journey").ClickAsync();
        await Expect(marketer.GetByRole(AriaRole.Heading, new() { Name = "New journey", Level = 1 })).ToBeVisibleAsync();
        var tag = Guid.NewGuid().ToString("N")[..6];
        var name = "Thanks for looking " + tag;
        await marketer.Locator("#journey-name").FillAsync(name);

        // A faulty definition is refused, naming the part. The journey is only for this test's shopper (the condition), so
        // other tests' shoppers, who look at products too, walk past it.
        await marketer.Locator("#journey-definition").FillAsync("""{"trigger":{"on":"interaction","type":"product_viewed"},"steps":[{"id":"w","kind":"wait"}]}""");
        await marketer.Locator("#save-journey").ClickAsync();
        await Expect(marketer.Locator("#journey-message")).ToContainTextAsync("definition.steps[0].hours");

        await marketer.Locator("#journey-definition").FillAsync($$"""
            {"trigger":{"on":"interaction","type":"product_viewed"},
             "steps":[{"id":"mine","kind":"condition","if":{"match":"all","conditions":[{"kind":"trait","trait":"email","op":"contains","value":"e2e-journey-{{tag}}"}]},"else":"done"},
                      {"id":"thanks","kind":"send","channel":"in_app","purpose":"service","subject":"Thanks for looking {{tag}}","body":"Ask us anything about it.","link":"/support/new"},
                      {"id":"done","kind":"exit"}]}
            """);
        await marketer.Locator("#save-journey").ClickAsync();
        await Expect(marketer).ToHaveURLAsync(new Regex("/console/journeys/[0-9a-f-]{36}"));
        await Expect(marketer.Locator("#journey-flow")).ToContainTextAsync($"Send an in-app notice: “Thanks for looking {tag}”");
        await Expect(marketer.Locator("#journey-status")).ToHaveTextAsync("Draft");
        await marketer.Locator("#publish-journey").ClickAsync();
        await Expect(marketer.Locator("#journey-status")).ToHaveTextAsync("Live · version 1");

        var email = Accounts.NewEmail("e2e-journey-" + tag);
        var shopper = await fixture.NewPageAsync();
        await Accounts.RegisterAndConfirmAsync(fixture, shopper, email, "Correct-horse-42");
        await BrowserFixture.SignInAsync(shopper, email, "Correct-horse-42");
        await Storefront.OpenProductAsync(shopper, "cutting board", "cutting board");
        await Expect(shopper.Locator("#notification-count")).ToHaveTextAsync("1", new() { Timeout = 20_000 });
        await shopper.GotoAsync("notifications");
        await Expect(shopper.Locator("#notification-list")).ToContainTextAsync($"Thanks for looking {tag}");
        await shopper.Context.CloseAsync();

        await marketer.ReloadAsync();
        await Expect(marketer.Locator("#step-thanks")).ToContainTextAsync("1 sent");
        // Paused, it lets nobody else in (the other tests' shoppers look at products too).
        await marketer.Locator("#pause-journey").ClickAsync();
        await Expect(marketer.Locator("#journey-status")).ToHaveTextAsync("Paused · version 1");
        await marketer.Context.CloseAsync();
    }
}
