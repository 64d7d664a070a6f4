using Centric.E2E.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class ChatTests(DemoServerFixture fixture)
{
    private const string DemoCustomer = "ana.silva@example.com";

    [SkippableFact]
    public async Task Customer_chats_from_the_portal_while_an_agent_answers_live_then_a_logged_call_back_joins_the_thread()
    {
        fixture.RequireBrowser();
        var tag = Guid.NewGuid().ToString("N")[..8];

        // The agent watches the chat inbox; the customer is signed in on the portal (two browser contexts).
        var agent = await fixture.AdminPageAsync();
        await agent.GotoAsync("console/inbox?view=open&channel=chat");
        var customer = await fixture.NewPageAsync();
        await BrowserFixture.SignInAsync(customer, DemoCustomer, BrowserFixture.DemoPassword);
        await customer.GotoAsync("shop");

        await customer.Locator("#chat-launcher").ClickAsync();
        await customer.Locator("#chat-input").FillAsync($"Hello from the portal {tag}");
        await customer.Locator("#chat-send").ClickAsync();
        var customerThread = customer.Locator("#chat-messages");
        await Expect(customerThread.Locator("li.customer").Filter(new() { HasText = tag })).ToHaveCountAsync(1);
        await Expect(customerThread.Locator("li.customer.pending")).ToHaveCountAsync(0);

        // The new chat appears in the agent's inbox without a reload.
        var row = agent.GetByRole(AriaRole.Row).Filter(new() { HasText = $"Hello from the portal {tag}" });
        await Expect(row).ToHaveCountAsync(1);
        await row.GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(agent.Locator("#agent-chat-messages li").Filter(new() { HasText = tag })).ToHaveCountAsync(1);

        // Both directions are live; the agent sees the customer typing and the customer sees that the agent read it.
        await agent.Locator("#agent-chat-input").FillAsync("Hi Ana, Sam here. How can I help?");
        await agent.Locator("#agent-chat-send").ClickAsync();
        await Expect(customerThread.Locator("li.agent").Filter(new() { HasText = "Sam here" })).ToHaveCountAsync(1);
        await Expect(customer.Locator("#chat-read")).ToHaveTextAsync("Seen");
        await customer.Locator("#chat-input").PressSequentiallyAsync("My parcel");
        await Expect(agent.Locator("#agent-chat-typing")).ToBeVisibleAsync();
        await customer.Locator("#chat-send").ClickAsync();
        await Expect(agent.Locator("#agent-chat-messages li").Filter(new() { HasText = "My parcel" })).ToHaveCountAsync(1);
        await Expect(agent.Locator("#agent-chat-read")).ToHaveTextAsync("Seen by the customer");

        // The customer asks for a call back; the agent sees the request in the same thread.
        await customer.Locator("#chat-callback-open").ClickAsync();
        await customer.Locator("#chat-phone").FillAsync("+44 20 7946 0000");
        await customer.Locator("#chat-when").FillAsync("after 5pm");
        await customer.Locator("#chat-callback-send").ClickAsync();
        await Expect(customerThread.Locator("li.callback_request")).ToContainTextAsync("+44 20 7946 0000");
        await Expect(agent.Locator("#agent-chat-messages li.callback_request")).ToContainTextAsync("after 5pm");

        // The agent calls and logs it on the ticket; the call shows in the chat on both sides.
        await agent.Locator("#call-minutes").FillAsync("4");
        await agent.Locator("#call-outcome").SelectOptionAsync("resolved");
        await agent.Locator("#call-notes").FillAsync($"Called back about the parcel {tag}");
        await agent.Locator("#log-call").ClickAsync();
        await Expect(agent.Locator("#ticket-message")).ToHaveTextAsync("Call logged.");
        await Expect(agent.Locator("#agent-chat-messages li.call")).ToContainTextAsync($"Called back about the parcel {tag}");
        var call = customerThread.Locator("li.call");
        await Expect(call).ToContainTextAsync($"Called back about the parcel {tag}");
        await Expect(call).ToContainTextAsync("Phone call · 4:00 · resolved");

        // The thread is in order on the customer's side: chat, reply, chat, call-back request, call.
        var classes = await customerThread.Locator("li").EvaluateAllAsync<string[]>("items => items.map(i => i.className.split(' ')[0] + (i.className.includes('call') ? ':' + i.className.split(' ')[1] : ''))");
        Assert.Equal(["customer", "agent", "customer", "customer:callback_request", "agent:call"], classes);

        await customer.Context.CloseAsync();
        await agent.Context.CloseAsync();
    }
}
