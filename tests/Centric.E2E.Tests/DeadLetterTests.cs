using System.Net;
using System.Net.Http.Json;
using Centric.E2E.Tests.Infrastructure;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Centric.E2E.Tests;

[Collection(DemoServerDefinition.Name)]
public class DeadLetterTests(DemoServerFixture fixture)
{
    /// <summary>Parks an interaction for the webhook fan-out as the dispatcher would after it kept failing.</summary>
    private async Task<Guid> ParkAsync(string type)
    {
        using (var api = fixture.Server.ApiClient())
        {
            var response = await api.PostAsJsonAsync("/api/v1/events", new
            {
                events = new[] { new { id = Guid.NewGuid().ToString(), type, customer = new { email = Accounts.NewEmail("e2e-dead") } } },
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        await using var scope = fixture.Server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var row = await db.Outbox.SingleAsync(m => m.Type == type);
        db.DeadLetters.Add(new DeadLetter
        {
            Subscriber = "platform.webhooks", InteractionId = row.InteractionId, TransactionId = row.TransactionId, Position = row.Position,
            Error = "System.InvalidOperationException: simulated\n   at somewhere", Attempts = 6,
            FirstFailedAt = DateTime.UtcNow.AddMinutes(-2), LastFailedAt = DateTime.UtcNow,
        });
        await db.SaveChangesAsync();
        return row.InteractionId;
    }

    [SkippableFact]
    public async Task An_admin_retries_one_dead_letter_and_discards_another_from_the_console()
    {
        fixture.RequireBrowser();
        var (retried, discarded) = ("e2e_retry_" + Guid.NewGuid().ToString("N")[..8], "e2e_discard_" + Guid.NewGuid().ToString("N")[..8]);
        await ParkAsync(retried);
        var discardedId = await ParkAsync(discarded);

        var page = await fixture.AdminPageAsync();
        await page.GotoAsync("console/dead-letters");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Dead letters" })).ToBeVisibleAsync();
        var retryRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = retried });
        await Expect(retryRow).ToContainTextAsync("platform.webhooks");
        await retryRow.GetByRole(AriaRole.Button, new() { Name = "Retry" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Delivered" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = retried })).ToHaveCountAsync(0);

        var discardRow = page.GetByRole(AriaRole.Row).Filter(new() { HasText = discarded });
        await discardRow.GetByRole(AriaRole.Button, new() { Name = "Discard" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Discarded" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = discarded })).ToHaveCountAsync(0);

        await page.GotoAsync("console/audit");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = discardedId.ToString() })).ToContainTextAsync("dead_letter.discarded");
        await page.Context.CloseAsync();
    }
}
