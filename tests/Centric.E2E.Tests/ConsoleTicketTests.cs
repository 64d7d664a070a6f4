using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.E2E.Tests.Infrastructure;
using Centric.Server.Platform.Signing;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

/// <summary>The agent console's ticket work: two agents on one ticket, keyboard shortcuts, the live inbox, merging.</summary>
[Collection(DemoServerDefinition.Name)]
public class ConsoleTicketTests(DemoServerFixture fixture)
{
    private const string DemoAgent = "agent@centric.demo";

    private async Task<string> EmailAsync(string from, string subject, string text)
    {
        using var client = new HttpClient { BaseAddress = fixture.BaseUrl };
        var body = JsonSerializer.Serialize(new { from, to = "help@shop.example", subject, text, messageId = $"<{Guid.NewGuid():N}@mail.example>" }, JsonSerializerOptions.Web);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/support/inbound/email") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("Support-Signature", HmacSignature.Sign(fixture.InboundSecret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
        using var response = await client.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, $"inbound email answered {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("ticketNumber").GetString()!;
    }

    private Task<IPage> AgentPageAsync() => fixture.StaffPageAsync(DemoAgent);

    [SkippableFact]
    public async Task Two_agents_on_one_ticket_see_each_other_and_a_reply_written_against_an_older_thread_is_held_back()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var number = await EmailAsync($"Carla Clash <clash.{tag}@example.com>", $"Wrong size {tag}", "The shoes are too small.");

        var admin = await fixture.AdminPageAsync();
        await admin.GotoAsync($"console/tickets/{number}");
        var agent = await AgentPageAsync();
        await agent.GotoAsync($"console/tickets/{number}");

        // Each sees the other on the ticket, and sees the other typing.
        await Expect(admin.Locator("#ticket-presence")).ToContainTextAsync("Demo Agent is also viewing");
        await Expect(agent.Locator("#ticket-presence")).ToContainTextAsync("Demo Admin is also viewing");
        await agent.Locator("#reply-text").FillAsync($"Sorry! A larger pair is on its way {tag}.");
        await Expect(admin.Locator("#ticket-presence")).ToContainTextAsync("Demo Agent is typing a reply");

        // The agent answers first; the admin's page hears that the ticket changed.
        await admin.Locator("#reply-text").FillAsync($"We can refund you {tag}.");
        await agent.Locator("#send-reply").ClickAsync();
        await Expect(agent.Locator("#ticket-message")).ToContainTextAsync("Reply");
        await Expect(admin.Locator("#ticket-changed")).ToBeVisibleAsync();

        // The admin's reply is not sent blindly: the page shows the new message and keeps the draft.
        await admin.Locator("#send-reply").ClickAsync();
        await Expect(admin.Locator("#ticket-message")).ToContainTextAsync("Not sent: 1 new message from");
        await Expect(admin.Locator("#thread li.new-since")).ToContainTextAsync($"A larger pair is on its way {tag}");
        await Expect(admin.Locator("#reply-text")).ToHaveValueAsync($"We can refund you {tag}.");
        Assert.Equal(0, await admin.Locator("#thread li").Filter(new() { HasText = $"We can refund you {tag}" }).CountAsync());

        // Having seen it, the admin sends anyway.
        await admin.Locator("#send-reply").ClickAsync();
        await Expect(admin.Locator("#ticket-message")).ToContainTextAsync("Reply");
        await Expect(admin.Locator("#thread li").Filter(new() { HasText = $"We can refund you {tag}" })).ToHaveCountAsync(1);
        await Expect(admin.Locator("#thread li.new-since")).ToHaveCountAsync(0);
        // The admin's own reply, already on the reloaded page, does not count as a change made underneath them.
        await admin.WaitForTimeoutAsync(1500);
        await Expect(admin.Locator("#ticket-changed")).ToBeHiddenAsync();

        await agent.Context.CloseAsync();
        await admin.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task Keyboard_shortcuts_move_through_the_inbox_open_a_ticket_and_start_a_reply_but_not_while_typing()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var first = await EmailAsync($"keys.{tag}@example.com", $"Keys one {tag}", "First question.");
        var second = await EmailAsync($"keys.{tag}@example.com", $"Keys two {tag}", "Second question.");

        var page = await fixture.AdminPageAsync();
        await page.GotoAsync("console/inbox?view=open");
        await page.Keyboard.PressAsync("?");
        await Expect(page.Locator("#shortcut-help")).ToBeVisibleAsync();
        await Expect(page.Locator("#shortcut-help")).ToContainTextAsync("Next / previous ticket in the inbox");
        await page.Keyboard.PressAsync("Escape");
        await Expect(page.Locator("#shortcut-help")).ToBeHiddenAsync();

        // "/" filters the list; j and k move the selection; typing in the filter does not move it.
        await page.Keyboard.PressAsync("/");
        await Expect(page.Locator("#inbox-search")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync(tag);
        await Expect(page.Locator("#inbox tbody tr:not([hidden])")).ToHaveCountAsync(2);
        await Expect(page.Locator("#inbox tbody tr.selected")).ToHaveCountAsync(0);
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("j");
        var selected = page.Locator("#inbox tbody tr.selected");
        var firstShown = await selected.Locator("a").First.TextContentAsync();
        await page.Keyboard.PressAsync("j");
        var secondShown = await selected.Locator("a").First.TextContentAsync();
        Assert.NotEqual(firstShown, secondShown);
        Assert.Equal(new[] { first, second }.Order(StringComparer.Ordinal), new[] { firstShown!, secondShown! }.Order(StringComparer.Ordinal));
        await page.Keyboard.PressAsync("k");
        await Expect(selected.Locator("a").First).ToHaveTextAsync(firstShown!);

        // Enter opens it; r goes to the reply box, where letters are just text; Esc leaves it and n goes to the note.
        await page.Keyboard.PressAsync("Enter");
        // Polls the address: a wait for the navigation event once timed out while the page already showed the ticket.
        await Expect(page).ToHaveURLAsync(new Regex($"/console/tickets/{Regex.Escape(firstShown!)}$"), new() { Timeout = 30_000 });
        await page.WaitForLoadStateAsync(LoadState.DOMContentLoaded, new() { Timeout = 30_000 });
        await page.Keyboard.PressAsync("r");
        await Expect(page.Locator("#reply-text")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("jk sn");
        await Expect(page.Locator("#reply-text")).ToHaveValueAsync("jk sn");
        Assert.EndsWith($"/console/tickets/{firstShown}", page.Url, StringComparison.Ordinal);
        await page.Keyboard.PressAsync("Escape");
        await page.Keyboard.PressAsync("n");
        await Expect(page.Locator("#note-text")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Escape");

        // s solves the ticket.
        await page.Keyboard.PressAsync("s");
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Solved");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task A_new_email_ticket_appears_in_the_open_inbox_without_a_reload()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var page = await fixture.AdminPageAsync();
        await page.GotoAsync("console/inbox?view=open");
        await Expect(page.Locator("#inbox-search")).ToBeVisibleAsync();
        // Wait until the live connection is up, so the push is not missed.
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        await page.WaitForTimeoutAsync(500);
        var url = page.Url;
        var number = await EmailAsync($"live.{tag}@example.com", $"Live inbox {tag}", "Hello there.");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Live inbox {tag}" })).ToHaveCountAsync(1);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = number })).ToBeVisibleAsync();
        Assert.Equal(url, page.Url);
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_agent_merges_two_tickets_of_one_customer_from_the_ticket_page()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sender = $"merge.{tag}@example.com";
        var target = await EmailAsync(sender, $"Missing item {tag}", $"One item is missing {tag}.");
        var source = await EmailAsync(sender, $"Missing item again {tag}", $"Still missing {tag}.");
        var stranger = await EmailAsync($"other.{tag}@example.com", $"Someone else {tag}", "Hello.");

        var page = await fixture.AdminPageAsync();
        await page.GotoAsync($"console/tickets/{source}");
        await page.Locator("#merge-into").FillAsync(stranger);
        await page.Locator("#merge-ticket").ClickAsync();
        await Expect(page.Locator("#ticket-message")).ToContainTextAsync("belong to different customers");

        await page.Locator("#merge-into").FillAsync(target);
        await page.Locator("#merge-ticket").ClickAsync();
        await page.WaitForURLAsync($"**/console/tickets/{target}");
        var thread = page.Locator("#thread > li");
        await Expect(thread.Nth(0)).ToContainTextAsync($"One item is missing {tag}");
        await Expect(thread.Nth(1)).ToContainTextAsync($"Still missing {tag}");
        await Expect(thread.Nth(2)).ToContainTextAsync($"Merged {source} into this ticket");

        await page.GotoAsync($"console/tickets/{source}");
        await Expect(page.Locator("#ticket-status")).ToHaveTextAsync("Closed");
        await Expect(page.Locator("#ticket-merged")).ToContainTextAsync($"Merged into {target}");
        await page.Context.CloseAsync();
    }

    [SkippableFact]
    public async Task An_agent_splits_ticked_messages_or_everything_from_one_message_into_new_tickets()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];
        var sender = $"split.{tag}@example.com";
        var number = await EmailAsync(sender, $"Several things {tag}", $"First: my invoice {tag}.");
        Assert.Equal(number, await EmailAsync(sender, $"Re: [{number}]", $"Second: my address {tag}."));
        Assert.Equal(number, await EmailAsync(sender, $"Re: [{number}]", $"Third: my password {tag}."));

        var page = await fixture.AdminPageAsync();
        await page.GotoAsync($"console/tickets/{number}");
        var thread = page.Locator("#thread > li");
        await Expect(thread).ToHaveCountAsync(3);
        // Ticked messages go to a new ticket with the subject given.
        await thread.Nth(2).GetByRole(AriaRole.Checkbox).CheckAsync();
        await page.Locator("#split-subject").FillAsync($"Password reset {tag}");
        await page.Locator("#split-ticket").ClickAsync();
        await Expect(page.Locator("#ticket-message")).ToContainTextAsync("Split 1 message into T-");
        await Expect(thread.Filter(new() { HasText = $"Third: my password {tag}" })).ToHaveCountAsync(0);

        // "Split from here" takes that message and everything after it.
        await thread.Filter(new() { HasText = $"Second: my address {tag}" }).GetByRole(AriaRole.Button, new() { Name = "Split from here" }).ClickAsync();
        await Expect(page.Locator("#ticket-message")).ToContainTextAsync("Split 2 messages into T-");
        await Expect(thread).ToHaveCountAsync(2);
        await Expect(thread.First).ToContainTextAsync($"First: my invoice {tag}");
        await Expect(thread.Last).ToContainTextAsync("Split 2 messages off into T-");

        await page.GotoAsync("console/inbox?view=open");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Password reset {tag}" })).ToHaveCountAsync(1);
        await page.Context.CloseAsync();
    }
}
