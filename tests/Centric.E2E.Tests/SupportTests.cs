using System.Text;
using System.Text.Json;
using Centric.E2E.Tests.Infrastructure;
using Centric.Server.Platform.Signing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class SupportTests(DemoServerFixture fixture)
{

    private async Task<string> PostInboundEmailAsync(object email)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseUrl };
        var body = JsonSerializer.Serialize(email, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/support/inbound/email") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Support-Signature", HmacSignature.Sign(fixture.InboundSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"inbound email answered {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ticketNumber").GetString()!;
    }

    [SkippableFact]
    public async Task An_inbound_email_reply_threads_into_its_ticket_on_the_agents_page()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sender = $"reply.{tag}@example.com";
        var first = $"<first.{tag}@mail.example>";
        var number = await PostInboundEmailAsync(new { from = $"Rita Reply <{sender}>", to = "help@shop.example", subject = $"Broken zip {tag}", text = $"The zip on my bag broke {tag}", messageId = first });
        var threaded = await PostInboundEmailAsync(new
        {
            from = sender, to = "help@shop.example", subject = $"Re: Broken zip {tag}", text = $"Here is a photo of the zip {tag}",
            messageId = $"<second.{tag}@mail.example>", inReplyTo = first, references = first,
        });
        Assert.Equal(number, threaded);

        var agent = await fixture.AdminPageAsync();
        await agent.GotoAsync($"console/tickets/{number}");
        var thread = agent.Locator("#thread > li");
        await Expect(thread).ToHaveCountAsync(2);
        await Expect(thread.Nth(0)).ToContainTextAsync($"The zip on my bag broke {tag}");
        await Expect(thread.Nth(1)).ToContainTextAsync($"Here is a photo of the zip {tag}");
        await agent.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Help_centre_search_shows_the_matching_article_as_the_visitor_types()
    {
        fixture.RequireBrowser();
        var page = await fixture.NewPageAsync();
        await page.GotoAsync("help");
        // Without a query the help centre lists its articles; typing narrows them without leaving the page.
        await Expect(page.Locator("#results > li")).Not.ToHaveCountAsync(0);
        var url = page.Url;
        await page.Locator("#q").PressSequentiallyAsync("send it back retu", new() { Delay = 40 });
        var results = page.Locator("#results > li");
        await Expect(results.First).ToContainTextAsync("How do I return an item?");
        Assert.Equal(url, page.Url);

        await results.First.GetByRole(AriaRole.Link).ClickAsync();
        await Expect(page.Locator("#article h1")).ToHaveTextAsync("How do I return an item?");
        await page.Locator("#helpful-yes").ClickAsync();
        await Expect(page.Locator("#feedback-status")).ToHaveTextAsync("Thanks for telling us.");
        await page.Context.CloseAsync();
    }
}
