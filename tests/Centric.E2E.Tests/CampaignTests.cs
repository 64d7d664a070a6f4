using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>A campaign sent from its page, in Chromium: the marketer watches it go out without reloading.</summary>
[Collection(DemoServerDefinition.Name)]
public class CampaignTests(DemoServerFixture fixture)
{
    [SkippableFact]
    public async Task A_sending_campaigns_progress_bar_moves_and_completes_without_a_reload()
    {
        fixture.RequireBrowser();
        const int audience = 90;
        // Sixty a minute: the first sixty go at once, the last thirty over the next half minute.
        var campaign = await DraftAsync(audience);

        var marketer = await fixture.StaffPageAsync("marketer@centric.demo");
        await marketer.GotoAsync($"console/campaigns/{campaign}");
        await Expect(marketer.Locator("#campaign-status")).ToHaveTextAsync("draft");
        await marketer.Locator("#schedule-campaign").ClickAsync();
        await Expect(marketer.Locator("#campaign-message")).ToContainTextAsync("Scheduled");
        // From here the page is not loaded again: a mark left on this document must still be there at the end.
        await marketer.EvaluateAsync("() => window.sameDocument = true");

        var bar = marketer.Locator("#campaign-progress");
        var label = marketer.Locator("label[for=campaign-progress]");
        await Expect(bar).ToHaveAttributeAsync("max", audience.ToString(System.Globalization.CultureInfo.InvariantCulture), new() { Timeout = 20_000 });
        // Part way: some done, not all.
        await Expect(label).ToContainTextAsync(new Regex($"^([1-8]\\d|[1-9]) of {audience} done"), new() { Timeout = 20_000 });
        await Expect(marketer.Locator("#campaign-status")).ToHaveTextAsync("sending");
        await Expect(marketer.Locator("#cancel-campaign")).ToBeEnabledAsync();
        // And to the end, status and counts with it.
        await Expect(label).ToContainTextAsync($"{audience} of {audience} done", new() { Timeout = 60_000 });
        await Expect(bar).ToHaveAttributeAsync("value", audience.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(marketer.Locator("#campaign-status")).ToHaveTextAsync("sent", new() { Timeout = 10_000 });
        await Expect(marketer.Locator("#campaign-audience")).ToContainTextAsync(audience.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Expect(marketer.Locator("#campaign-live")).ToHaveAttributeAsync("data-live", "false");
        // Nothing is left to cancel, and the page says so without being loaded again.
        await Expect(marketer.Locator("#cancel-campaign")).ToHaveCountAsync(0);
        Assert.True(await marketer.EvaluateAsync<bool>("() => window.sameDocument === true"), "the page was loaded again");
        await marketer.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_scheduled_campaign_is_cancelled_from_its_page_and_sends_nothing()
    {
        fixture.RequireBrowser();
        var campaign = await DraftAsync(5);
        var marketer = await fixture.StaffPageAsync("marketer@centric.demo");
        await marketer.GotoAsync($"console/campaigns/{campaign}");
        await marketer.Locator("#campaign-at").FillAsync(DateTime.UtcNow.AddDays(2).ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture));
        await marketer.Locator("#schedule-campaign").ClickAsync();
        await Expect(marketer.Locator("#campaign-message")).ToContainTextAsync("Scheduled");
        await Expect(marketer.Locator("#campaign-status")).ToHaveTextAsync("scheduled");

        await marketer.Locator("#cancel-campaign").ClickAsync();
        await Expect(marketer.Locator("#campaign-cancel-message")).ToContainTextAsync("Cancelled: nothing more is sent.");
        await Expect(marketer.Locator("#campaign-status")).ToHaveTextAsync("cancelled");
        await Expect(marketer.Locator("#cancel-campaign")).ToHaveCountAsync(0);
        // What the API reports agrees: cancelled, and nobody got it.
        using var api = new HttpClient { BaseAddress = fixture.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CentricServer.AdminKey);
        var stored = await api.GetFromJsonAsync<JsonElement>($"api/v1/campaigns/{campaign}");
        Assert.Equal("cancelled", stored.GetProperty("status").GetString());
        Assert.Equal(0, stored.GetProperty("sent").GetInt32());
        await marketer.Context.CloseAsync();
    }

    /// <summary>A draft campaign (sixty messages a minute) to a static list of <paramref name="audience"/> new customers, made through the API.</summary>
    private async Task<Guid> DraftAsync(int audience)
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        using var api = new HttpClient { BaseAddress = fixture.BaseUrl };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", CentricServer.AdminKey);
        // Customers the shop knows by email (as an integration sends them), on a static list of their own.
        var emails = Enumerable.Range(0, audience).Select(i => $"e2e-campaign-{tag}-{i}@example.com").ToList();
        var events = JsonSerializer.Serialize(new
        {
            events = emails.Select(email => new { id = Guid.NewGuid().ToString(), type = "newsletter_signup", occurredAt = DateTime.UtcNow, channel = "web", customer = new { email } }),
        });
        using (var sent = await api.PostAsync("api/v1/events", new StringContent(events, Encoding.UTF8, "application/json")))
            Assert.True(sent.IsSuccessStatusCode, $"events answered {(int)sent.StatusCode}");
        using var created = await api.PostAsJsonAsync("api/v1/segments", new { name = "Campaign list " + tag, kind = "static" });
        Assert.True(created.IsSuccessStatusCode, $"the segment answered {(int)created.StatusCode}");
        var segment = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        using (var imported = await api.PostAsync($"api/v1/segments/{segment}/members/import", new StringContent("email\n" + string.Join('\n', emails), Encoding.UTF8, "text/csv")))
            Assert.Equal(audience, (await imported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("added").GetInt32());
        using var draft = await api.PostAsJsonAsync("api/v1/campaigns", new
        {
            name = "Live progress " + tag, segmentId = segment, subject = "News " + tag, body = "What is new this week.", ratePerMinute = 60,
        });
        Assert.True(draft.IsSuccessStatusCode, $"the campaign answered {(int)draft.StatusCode}");
        return (await draft.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
