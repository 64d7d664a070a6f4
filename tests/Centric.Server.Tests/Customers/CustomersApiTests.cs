using System.Net;
using System.Text.Json;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Customers;

public abstract class CustomersApiTests(CentricAppFactory app)
{
    private static object Event(string type, object customer, DateTime at, object? properties = null) =>
        new { id = Json.NewId(), type, occurredAt = at.ToString("O"), channel = "web", customer, properties = properties ?? new { } };

    private static async Task<string> ProfileIdAsync(HttpClient client, string email) =>
        (await (await client.GetAsync($"/api/v1/customers?email={Uri.EscapeDataString(email)}")).ReadJsonAsync())
            .GetProperty("items")[0].GetProperty("id").GetString()!;

    [SkippableFact]
    public async Task Search_finds_customers_by_name_email_and_phone()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var surname = "Zed" + Guid.NewGuid().ToString("N")[..8];
        var phone = "+35191" + Random.Shared.Next(1000000, 9999999);
        await client.PostEventsAsync(Event("signed_up", new { email, phone, firstName = "Ada", lastName = surname }, DateTime.UtcNow.AddMinutes(-1)));

        foreach (var query in new[] { $"q={surname.ToLowerInvariant()}", $"q={Uri.EscapeDataString("ada " + surname)}", $"email={email}", $"phone={Uri.EscapeDataString(phone[..4] + " " + phone[4..])}", $"q={Uri.EscapeDataString(phone)}" })
        {
            var page = await (await client.GetAsync("/api/v1/customers?" + query)).ReadJsonAsync();
            var item = Assert.Single(page.GetProperty("items").EnumerateArray());
            Assert.Equal(email, item.GetProperty("email").GetString());
        }
        var none = await (await client.GetAsync("/api/v1/customers?q=" + Guid.NewGuid())).ReadJsonAsync();
        Assert.Equal(0, none.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/customers?page=0")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/api/v1/customers?page=abc")).StatusCode);
    }

    [SkippableFact]
    public async Task The_timeline_pages_newest_first_without_gaps_or_repeats_and_filters_by_type()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var start = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        // Pairs share a timestamp, so paging must break ties by id.
        var events = Enumerable.Range(0, 25).Select(i => Event(i % 5 == 0 ? "order_placed" : "page_viewed", new { email }, start.AddMinutes(i / 2))).ToArray();
        await client.PostEventsAsync(events);
        var id = await ProfileIdAsync(client, email);

        var seen = new List<(DateTime At, string Id)>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await (await client.GetAsync($"/api/v1/customers/{id}/timeline?limit=10" + (next is null ? "" : "&before=" + next))).ReadJsonAsync();
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(e => (e.GetProperty("occurredAt").GetDateTime(), e.GetProperty("id").GetString()!)));
            next = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
            pages++;
        } while (next is not null && pages < 10);
        Assert.Equal(3, pages);
        Assert.Equal(25, seen.Count);
        Assert.Equal(25, seen.Select(s => s.Id).Distinct().Count());
        Assert.Equal(seen.OrderByDescending(s => s.At).Select(s => s.At), seen.Select(s => s.At));

        var orders = await (await client.GetAsync($"/api/v1/customers/{id}/timeline?type=order_placed")).ReadJsonAsync();
        Assert.Equal(5, orders.GetProperty("items").GetArrayLength());
        Assert.All(orders.GetProperty("items").EnumerateArray(), e => Assert.Equal("order_placed", e.GetProperty("type").GetString()));

        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/customers/{id}/timeline?before=garbage")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync($"/api/v1/customers/{id}/timeline?limit=0")).StatusCode);
    }

    [SkippableFact]
    public async Task The_360_reads_a_run_of_recommendations_shown_as_one_line_and_keeps_every_other_entry()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var shown = new { placement = "home", arm = "model", modelVersion = 3, products = new[] { Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid() } };
        var runStart = new DateTime(2025, 12, 3, 10, 0, 0, DateTimeKind.Utc);
        await client.PostEventsAsync(
        [
            Event("account_registered", new { email }, new DateTime(2025, 12, 1, 9, 0, 0, DateTimeKind.Utc)),
            // Twelve in a row, 3 to 5 December.
            .. Enumerable.Range(0, 12).Select(i => Event("recommendation_shown", new { email }, runStart.AddHours(5 * i), shown)),
            Event("search_performed", new { email }, new DateTime(2025, 12, 5, 18, 0, 0, DateTimeKind.Utc), new { query = "jugs", results = 4 }),
            Event("recommendation_shown", new { email }, new DateTime(2025, 12, 6, 9, 0, 0, DateTimeKind.Utc), shown),
        ]);
        var id = await ProfileIdAsync(client, email);
        static int Lines(string html, string text) => html.Split($"<span class=\"what\">{text}</span>").Length - 1;
        const string One = "Was shown 3 recommended products · home · model version 3";

        using var agent = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Agent, withMfa: true);
        var page = WebUtility.HtmlDecode(await agent.GetStringAsync($"/console/customers/{id}"));
        Assert.Equal(1, Lines(page, "Was shown recommendations 12 times"));
        Assert.Matches("data-count=\"12\">.*?· 3–5 Dec</span>", page.ReplaceLineEndings(""));
        Assert.Contains($"href=\"console/customers/{id}?type=recommendation_shown&channel=\">only these</a>", page, StringComparison.Ordinal);
        // The lone one after the search keeps its own line, and so do the others.
        Assert.Equal(1, Lines(page, One));
        Assert.Equal(1, Lines(page, "Created an account"));
        Assert.Equal(1, Lines(page, "Searched the shop for “jugs” · 4 results"));

        // Filtered to the type, every one of them has its line.
        var only = WebUtility.HtmlDecode(await agent.GetStringAsync($"/console/customers/{id}?type=recommendation_shown"));
        Assert.Equal(13, Lines(only, One));
        Assert.Equal(0, Lines(only, "Was shown recommendations 12 times"));
    }

    [SkippableFact]
    public async Task Unknown_customers_are_404_problems()
    {
        using var client = app.AdminClient();
        var id = Guid.NewGuid();
        foreach (var response in new[]
        {
            await client.GetAsync($"/api/v1/customers/{id}"),
            await client.GetAsync($"/api/v1/customers/{id}/timeline"),
            await client.PostAsync($"/api/v1/customers/{id}/export", null),
            await client.DeleteAsync($"/api/v1/customers/{id}"),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("https://centric.dev/problems/not-found", (await response.ReadJsonAsync()).GetProperty("type").GetString());
        }
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/api/v1/customers/not-a-guid")).StatusCode);
    }

    [SkippableFact]
    public async Task Export_holds_everything_and_erasure_removes_personal_data_but_keeps_aggregates()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        await client.PostEventsAsync(
            Event("order_placed", new { email, firstName = "Eva", lastName = "Erase", phone = "+4915112345678" }, DateTime.UtcNow.AddDays(-3),
                new { orderId = "O-1", total = 99.9, currency = "EUR", note = "leave at Eva's door, Main St 1" }),
            Event("consent_changed", new { email }, DateTime.UtcNow.AddDays(-2), new { channel = "email", purpose = "marketing", granted = true }));
        var id = await ProfileIdAsync(client, email);

        var export = await (await client.PostAsync($"/api/v1/customers/{id}/export", null)).ReadJsonAsync();
        Assert.Equal(email, export.GetProperty("profile").GetProperty("email").GetString());
        Assert.Equal(2, export.GetProperty("interactions").GetArrayLength());
        Assert.Contains(export.GetProperty("profile").GetProperty("identities").EnumerateArray(), i => i.GetProperty("value").GetString() == email);
        Assert.NotEmpty(export.GetProperty("profile").GetProperty("consentHistory").EnumerateArray());

        // Let the aggregates settle so we can check they survive erasure.
        await Json.EventuallyAsync(async () => (await (await client.GetAsync($"/api/v1/customers/{id}")).ReadJsonAsync()).GetProperty("interactionCount").GetInt64() == 2, "aggregates");

        var erase = await client.DeleteAsync($"/api/v1/customers/{id}");
        Assert.Equal(HttpStatusCode.OK, erase.StatusCode);

        var after = await (await client.GetAsync($"/api/v1/customers/{id}")).ReadJsonAsync();
        Assert.Equal(JsonValueKind.Null, after.GetProperty("email").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("firstName").ValueKind);
        Assert.Equal(JsonValueKind.Null, after.GetProperty("phone").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("erasedAt").ValueKind);
        Assert.Equal(0, after.GetProperty("identities").GetArrayLength());
        Assert.True(after.GetProperty("interactionCount").GetInt64() >= 2);
        Assert.NotEqual(JsonValueKind.Null, after.GetProperty("firstSeenAt").ValueKind);
        Assert.Equal(0, (await (await client.GetAsync($"/api/v1/customers?email={email}")).ReadJsonAsync()).GetProperty("items").GetArrayLength());

        var timeline = await (await client.GetAsync($"/api/v1/customers/{id}/timeline")).ReadJsonAsync();
        var order = timeline.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("type").GetString() == "order_placed");
        Assert.Equal(99.9, order.GetProperty("properties").GetProperty("total").GetDouble());
        Assert.Equal("O-1", order.GetProperty("properties").GetProperty("orderId").GetString());
        Assert.False(order.GetProperty("properties").TryGetProperty("note", out _));
        var raw = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == Guid.Parse(id)).Select(i => i.Properties).ToListAsync());
        Assert.DoesNotContain(raw, p => p.Contains("Eva", StringComparison.Ordinal) || p.Contains(email, StringComparison.Ordinal));

        var audit = await (await client.GetAsync($"/api/v1/audit?profileId={id}")).ReadJsonAsync();
        var actions = audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("customer.exported", actions);
        Assert.Contains("customer.erased", actions);

        // The person can come back later as a new customer.
        await client.PostEventsAsync(Event("page_viewed", new { email }, DateTime.UtcNow));
        Assert.NotEqual(id, await ProfileIdAsync(client, email));
    }

    [SkippableFact]
    public async Task Keys_are_required_scoped_and_revocable()
    {
        app.SkipIfUnavailable();
        using var anonymous = app.CreateClient();
        var none = await anonymous.GetAsync("/api/v1/customers");
        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("https://centric.dev/problems/unauthorized", (await none.ReadJsonAsync()).GetProperty("type").GetString());
        using var wrong = app.ClientWithKey("ck_not_a_real_key");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/customers")).StatusCode);

        var writer = await app.CreateKeyAsync("events:write");
        using var writerClient = app.ClientWithKey(writer);
        Assert.Equal(HttpStatusCode.Accepted, (await writerClient.PostEventsAsync(Event("page_viewed", new { email = Json.NewEmail() }, DateTime.UtcNow))).StatusCode);
        var forbidden = await writerClient.GetAsync("/api/v1/customers");
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Equal("https://centric.dev/problems/forbidden", (await forbidden.ReadJsonAsync()).GetProperty("type").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await writerClient.PostAsync("/api/v1/apikeys", null)).StatusCode);

        var reader = await app.CreateKeyAsync("customers:read");
        using var readerClient = app.ClientWithKey(reader);
        Assert.Equal(HttpStatusCode.OK, (await readerClient.GetAsync("/api/v1/customers")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readerClient.DeleteAsync($"/api/v1/customers/{Guid.NewGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await readerClient.PostEventsAsync(Event("x", new { email = Json.NewEmail() }, DateTime.UtcNow))).StatusCode);

        // Revocation: the key stops working (after the short authentication cache).
        var keyId = await app.WithDbAsync(db => db.ApiKeys.Where(k => k.SecretHash == Centric.Server.Platform.ApiKeys.ApiKey.Hash(reader)).Select(k => k.Id).SingleAsync());
        using var admin = app.AdminClient();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync($"/api/v1/apikeys/{keyId}")).StatusCode);
        await using (var scope = app.Services.CreateAsyncScope())
            scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Caching.Memory.IMemoryCache>().Remove("apikey:" + Centric.Server.Platform.ApiKeys.ApiKey.Hash(reader));
        Assert.Equal(HttpStatusCode.Unauthorized, (await readerClient.GetAsync("/api/v1/customers")).StatusCode);

        var badScope = await admin.PostAsync("/api/v1/apikeys", new StringContent("""{"name":"x","scopes":["root"]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, badScope.StatusCode);
    }

    [SkippableFact]
    public async Task Health_openapi_and_swagger_are_served()
    {
        app.SkipIfUnavailable();
        using var client = app.CreateClient();
        var health = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", (await health.ReadJsonAsync()).GetProperty("status").GetString());
        var openapi = await (await client.GetAsync("/openapi/v1.json")).ReadJsonAsync();
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/events", out _));
        Assert.True(openapi.GetProperty("paths").TryGetProperty("/api/v1/customers/{id}/timeline", out _));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/swagger/index.html")).StatusCode);
    }
}

public sealed class CustomersApiOnSqlite(SqliteApp app) : CustomersApiTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class CustomersApiOnPostgres(PostgresApp app) : CustomersApiTests(app), IClassFixture<PostgresApp>;
