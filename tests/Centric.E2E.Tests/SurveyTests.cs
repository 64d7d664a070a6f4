using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>A survey from the marketer's send to the customer's answer, in Chromium: the email's score link answers in one click.</summary>
[Collection(DemoServerDefinition.Name)]
public class SurveyTests(DemoServerFixture fixture)
{
    [SkippableFact]
    public async Task A_customer_answers_from_the_email_link_in_one_click_adds_a_comment_and_staff_see_it_in_the_results()
    {
        fixture.RequireBrowser();
        var email = Accounts.NewEmail("e2e-survey");
        var comment = $"Quick delivery and friendly help {Guid.NewGuid():N}"[..48];
        // A customer the shop knows by email (as an integration would send them).
        using (var client = new HttpClient { BaseAddress = fixture.BaseUrl })
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CentricServer.AdminKey);
            var body = JsonSerializer.Serialize(new { events = new[] { new { id = Guid.NewGuid().ToString(), type = "newsletter_signup", occurredAt = DateTime.UtcNow, channel = "web", customer = new { email } } } });
            using var response = await client.PostAsync("api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.True(response.IsSuccessStatusCode, $"events answered {(int)response.StatusCode}");
        }

        // The admin sends the demo's NPS survey to them from its page.
        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync("console/engagement/surveys");
        await admin.GetByRole(AriaRole.Link, new() { Name = "Would you recommend us?" }).ClickAsync();
        await Expect(admin).ToHaveURLAsync(new Regex("/console/engagement/surveys/[0-9a-f-]{36}$"));
        var results = admin.Url;
        await admin.Locator("#send-email").FillAsync(email);
        await admin.Locator("#send-channel").FillAsync("web");
        await admin.Locator("#send-survey").ClickAsync();
        await Expect(admin.Locator("#survey-message")).ToContainTextAsync($"Sent to {email}");

        // The email has one link per score.
        await admin.GotoAsync($"console/mail?to={Uri.EscapeDataString(email)}");
        await admin.GetByRole(AriaRole.Row).Filter(new() { HasText = email }).GetByRole(AriaRole.Link, new() { Name = "A quick question" }).ClickAsync();
        var mail = admin.Locator("article.mail-body");
        await Expect(mail).ToContainTextAsync("How likely are you to recommend us");
        await Expect(mail.GetByRole(AriaRole.Link, new() { Name = "10", Exact = true })).ToHaveCountAsync(1);
        var nine = await mail.GetByRole(AriaRole.Link, new() { Name = "9", Exact = true }).GetAttributeAsync("href");
        // Links go through the message's signed click link, which counts the click and leads on to the answer.
        Assert.Matches("^https?://[^/]+/m/click/", nine);

        // The customer clicks 9 in their mail client: no sign-in, the score is recorded at once and the comment box is offered.
        var customer = await fixture.NewPageAsync();
        await customer.GotoAsync(new Uri(nine!).PathAndQuery.TrimStart('/'));
        await Expect(customer).ToHaveURLAsync(new Regex("/surveys/[A-Za-z0-9_-]{43}\\?score=9$"));
        await Expect(customer.Locator("#survey-thanks")).ToContainTextAsync("9 out of 10");
        await Expect(customer.Locator("input[name=Score][value='9']")).ToBeCheckedAsync();
        await customer.GetByLabel("What is the main reason for your score? (optional)").FillAsync(comment);
        await customer.Locator("input[name=Score][value='10']").CheckAsync();
        await customer.Locator("#send-survey").ClickAsync();
        await Expect(customer.Locator("#survey-thanks")).ToContainTextAsync("10 out of 10");
        await Expect(customer.Locator("#survey-comment")).ToHaveValueAsync(comment);
        await customer.Context.CloseAsync();

        // Staff see the comment (one answer, the latest) in the survey's results.
        await admin.GotoAsync(results);
        var row = admin.Locator("#survey-comments tbody tr").Filter(new() { HasText = comment });
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row).ToContainTextAsync("10");
        await admin.Context.CloseAsync();
    }
}
