using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Customers;

public abstract class EventsApiTests(CentricAppFactory app)
{
    private static object Event(string id, string type, object? customer = null, string? anonymousId = null, object? properties = null,
        string occurredAt = "2026-01-05T10:00:00Z", string channel = "web") =>
        new { id, type, occurredAt, channel, customer, anonymousId, properties = properties ?? new { } };

    private static async Task<JsonElement> FindByEmailAsync(HttpClient client, string email)
    {
        var page = await (await client.GetAsync($"/api/v1/customers?email={Uri.EscapeDataString(email)}")).ReadJsonAsync();
        return page.GetProperty("items");
    }

    private static async Task<List<JsonElement>> TimelineAsync(HttpClient client, string profileId)
    {
        var all = new List<JsonElement>();
        string? next = null;
        do
        {
            var url = $"/api/v1/customers/{profileId}/timeline?limit=200" + (next is null ? "" : "&before=" + next);
            var page = await (await client.GetAsync(url)).ReadJsonAsync();
            all.AddRange(page.GetProperty("items").EnumerateArray());
            next = page.GetProperty("next").ValueKind == JsonValueKind.String ? page.GetProperty("next").GetString() : null;
        } while (next is not null);
        return all;
    }

    [SkippableFact]
    public async Task A_single_event_lands_on_a_new_profile_found_by_email()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var response = await client.PostEventsAsync(Event(Json.NewId(), "order_placed", new { email = email.ToUpperInvariant(), firstName = "Lia" }, properties: new { total = 42.5, currency = "EUR" }));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.ReadJsonAsync();
        Assert.Equal(1, body.GetProperty("accepted").GetInt32());
        Assert.Equal(0, body.GetProperty("duplicates").GetInt32());

        var found = await FindByEmailAsync(client, email);
        Assert.Equal(1, found.GetArrayLength());
        var id = found[0].GetProperty("id").GetString()!;
        var timeline = await TimelineAsync(client, id);
        var entry = Assert.Single(timeline);
        Assert.Equal("order_placed", entry.GetProperty("type").GetString());
        Assert.Equal(42.5, entry.GetProperty("properties").GetProperty("total").GetDouble());
        var detail = await (await client.GetAsync($"/api/v1/customers/{id}")).ReadJsonAsync();
        Assert.Equal("Lia", detail.GetProperty("firstName").GetString());
        Assert.Equal(email, detail.GetProperty("email").GetString());
    }

    [SkippableFact]
    public async Task Duplicate_event_ids_are_counted_and_never_stored_twice()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var (a, b) = (Json.NewId(), Json.NewId());
        var first = await (await client.PostEventsAsync(
            Event(a, "page_viewed", new { email }), Event(b, "page_viewed", new { email }), Event(a, "page_viewed", new { email }))).ReadJsonAsync();
        Assert.Equal(2, first.GetProperty("accepted").GetInt32());
        Assert.Equal(1, first.GetProperty("duplicates").GetInt32());

        var again = await (await client.PostEventsAsync(Event(a, "page_viewed", new { email }), Event(b, "page_viewed", new { email }))).ReadJsonAsync();
        Assert.Equal(0, again.GetProperty("accepted").GetInt32());
        Assert.Equal(2, again.GetProperty("duplicates").GetInt32());

        var id = (await FindByEmailAsync(client, email))[0].GetProperty("id").GetString()!;
        Assert.Equal(2, (await TimelineAsync(client, id)).Count);
    }

    [SkippableFact]
    public async Task Identifying_an_anonymous_visitor_merges_their_history_into_the_known_profile()
    {
        using var client = app.AdminClient();
        var anon = "anon-" + Json.NewId();
        var email = Json.NewEmail();
        await client.PostEventsAsync(Event(Json.NewId(), "page_viewed", anonymousId: anon), Event(Json.NewId(), "product_viewed", anonymousId: anon));
        // The known profile exists first, with its own history.
        await client.PostEventsAsync(Event(Json.NewId(), "newsletter_signup", new { email }));
        var anonProfileId = await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "anonymous:" + anon).Select(i => i.ProfileId).SingleAsync());

        await client.PostEventsAsync(Event(Json.NewId(), "signed_in", new { email }, anonymousId: anon));

        var known = (await FindByEmailAsync(client, email))[0].GetProperty("id").GetString()!;
        Assert.NotEqual(anonProfileId.ToString(), known);
        var types = (await TimelineAsync(client, known)).Select(e => e.GetProperty("type").GetString()).ToList();
        foreach (var t in new[] { "page_viewed", "product_viewed", "newsletter_signup", "signed_in", "profile_merged" }) Assert.Contains(t, types);

        // The old id resolves to the survivor, and later anonymous events follow it there.
        var old = await (await client.GetAsync($"/api/v1/customers/{anonProfileId}")).ReadJsonAsync();
        Assert.Equal(known, old.GetProperty("id").GetString());
        await client.PostEventsAsync(Event(Json.NewId(), "cart_item_added", anonymousId: anon));
        await client.PostEventsAsync(Event(Json.NewId(), "cart_item_removed", new { profileId = anonProfileId.ToString() }));
        types = (await TimelineAsync(client, known)).Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("cart_item_added", types);
        Assert.Contains("cart_item_removed", types);

        var audit = await (await client.GetAsync($"/api/v1/audit?profileId={known}")).ReadJsonAsync();
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "customer.merged");
    }

    [SkippableFact]
    public async Task Two_profiles_sharing_a_verified_email_merge_without_losing_interactions()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var (crm, shop) = ("crm-" + Json.NewId(), "shop-" + Json.NewId());
        await client.PostEventsAsync(Event(Json.NewId(), "ticket_created", new { externalId = crm, email }), Event(Json.NewId(), "ticket_solved", new { externalId = crm }));
        await client.PostEventsAsync(Event(Json.NewId(), "order_placed", new { externalId = shop }));
        var crmProfile = (await FindByEmailAsync(client, email))[0].GetProperty("id").GetString()!;

        // An unverified claim of the same email must not merge.
        await client.PostEventsAsync(Event(Json.NewId(), "page_viewed", new { externalId = shop, email }));
        Assert.Equal(crmProfile, (await FindByEmailAsync(client, email))[0].GetProperty("id").GetString());

        await client.PostEventsAsync(Event(Json.NewId(), "email_verified", new { externalId = shop, email, emailVerified = true }));
        var survivor = (await FindByEmailAsync(client, email))[0].GetProperty("id").GetString()!;
        Assert.NotEqual(crmProfile, survivor);
        var types = (await TimelineAsync(client, survivor)).Select(e => e.GetProperty("type").GetString()).ToList();
        foreach (var t in new[] { "ticket_created", "ticket_solved", "order_placed", "page_viewed", "email_verified", "profile_merged" }) Assert.Contains(t, types);

        // Either old identity now resolves to the survivor.
        await client.PostEventsAsync(Event(Json.NewId(), "late_event", new { externalId = crm }), Event(Json.NewId(), "later_event", new { profileId = crmProfile }));
        types = (await TimelineAsync(client, survivor)).Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.Contains("late_event", types);
        Assert.Contains("later_event", types);
    }

    public static TheoryData<string, string> BadEvents => new()
    {
        { """{"id":"X","type":"t","customer":{"email":"not-an-email"}}""", "events[1].customer.email" },
        { """{"id":"X","type":"t","customer":{"phone":"12"}}""", "events[1].customer.phone" },
        { """{"id":"X","type":"t","occurredAt":"yesterday","customer":{"externalId":"e"}}""", "events[1].occurredAt" },
        { """{"id":"X","type":"t","occurredAt":"2026-01-01T10:00:00","customer":{"externalId":"e"}}""", "events[1].occurredAt" },
        { """{"id":"X","type":5,"customer":{"externalId":"e"}}""", "events[1].type" },
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"properties":[1,2]}""", "events[1].properties" },
        { """{"id":"X","type":"t"}""", "events[1].customer" },
        { """{"type":"t","customer":{"externalId":"e"}}""", "events[1].id" },
        { """{"id":"X","type":"t","customer":{"profileId":"0195f3a0-0000-7000-8000-000000000000"}}""", "events[1].customer.profileId" },
        { """{"id":"X","type":"t","customer":{"email":"a@b.co","emailVerified":"yes"}}""", "events[1].customer.emailVerified" },
        // Text that is not valid Unicode, or holds NUL (which PostgreSQL cannot store), anywhere in the event.
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"properties":{"x":"\udc00"}}""", "events[1].properties.x" },
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"properties":{"x":"a\u0000b"}}""", "events[1].properties.x" },
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"properties":{"outer":{"list":[1,"ok","\ud800 alone"]}}}""", "events[1].properties.outer.list[2]" },
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"properties":{"bad\u0000name":1}}""", "events[1].properties" },
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"properties":{"\udfff":1}}""", "events[1].properties" },
        { """{"id":"X","type":"t","customer":{"externalId":"e\u0000"}}""", "events[1].customer.externalId" },
        { """{"id":"X","type":"t","customer":{"externalId":"e","firstName":"\ud83d"}}""", "events[1].customer.firstName" },
        { """{"id":"X","type":"t","anonymousId":"\udc00"}""", "events[1].anonymousId" },
        { """{"id":"X","type":"t","customer":{"externalId":"e"},"\ud800":"a key of the event itself"}""", "events[1]" },
    };

    [SkippableTheory]
    [MemberData(nameof(BadEvents))]
    public async Task A_bad_event_rejects_the_whole_batch_naming_index_and_field(string badEvent, string field)
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var good = JsonSerializer.Serialize(Event(Json.NewId(), "page_viewed", new { email }));
        var body = $$"""{"events":[{{good}},{{badEvent.Replace("\"X\"", "\"" + Json.NewId() + "\"", StringComparison.Ordinal)}}]}""";
        var response = await client.PostAsync("/api/v1/events", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("https://centric.dev/problems/validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(0, (await FindByEmailAsync(client, email)).GetArrayLength());
    }

    [SkippableFact]
    public async Task Malformed_json_oversized_and_overfull_batches_are_refused()
    {
        using var client = app.AdminClient();
        var malformed = await client.PostAsync("/api/v1/events", new StringContent("""{"events":[{"id":"a",""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        Assert.Equal("https://centric.dev/problems/malformed-json", (await malformed.ReadJsonAsync()).GetProperty("type").GetString());

        var overfull = Enumerable.Range(0, 1001).Select(i => Event(Json.NewId(), "page_viewed", anonymousId: "a" + i)).ToArray();
        var tooMany = await client.PostEventsAsync(overfull);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.True((await tooMany.ReadJsonAsync()).GetProperty("errors").TryGetProperty("events", out _));

        var big = new string('x', 30_000);
        var heavy = Enumerable.Range(0, 40).Select(i => Event(Json.NewId(), "page_viewed", anonymousId: "big" + i, properties: new { note = big })).ToArray();
        var tooLarge = await client.PostEventsAsync(heavy);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("https://centric.dev/problems/payload-too-large", (await tooLarge.ReadJsonAsync()).GetProperty("type").GetString());

        var notJson = await client.PostAsync("/api/v1/events", new StringContent("events=1", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, notJson.StatusCode);
    }

    public static TheoryData<byte[], string> InvalidUtf8 => new()
    {
        // A byte that never occurs in UTF-8, in a nested property value.
        { [.. "\"properties\":{\"note\":\"a"u8, 0xFF, .. "\"}"u8], "events[1].properties.note" },
        // A lone surrogate encoded as raw bytes (CESU-8), in a property name.
        { [.. "\"properties\":{\""u8, 0xED, 0xB0, 0x80, .. "\":1}"u8], "events[1].properties" },
        // A truncated sequence in a customer field.
        { [.. "\"customer\":{\"externalId\":\"e"u8, 0xC3, .. "\"}"u8], "events[1].customer.externalId" },
    };

    [SkippableTheory]
    [MemberData(nameof(InvalidUtf8))]
    public async Task A_body_with_invalid_utf8_is_refused_naming_the_field(byte[] badPart, string field)
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        var good = JsonSerializer.Serialize(Event(Json.NewId(), "page_viewed", new { email }));
        byte[] body = [.. Encoding.UTF8.GetBytes($$"""{"events":[{{good}},{"id":"{{Json.NewId()}}","type":"t","anonymousId":"a",""" ), .. badPart, .. "}]}"u8];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await client.PostAsync("/api/v1/events", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("https://centric.dev/problems/validation", problem.GetProperty("type").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for {field}: {problem}");
        Assert.Equal(0, (await FindByEmailAsync(client, email)).GetArrayLength());
    }

    [SkippableFact]
    public async Task Consent_events_and_the_consent_api_answer_may_i_contact()
    {
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        await client.PostEventsAsync(Event(Json.NewId(), "consent_changed", new { email }, properties: new { channel = "email", purpose = "marketing", granted = true }));
        var id = Guid.Parse((await FindByEmailAsync(client, email))[0].GetProperty("id").GetString()!);

        await using var scope = app.Services.CreateAsyncScope();
        var consent = scope.ServiceProvider.GetRequiredService<Centric.Server.Customers.Contracts.IConsent>();
        Assert.True(await consent.MayContactAsync(id, "email", "marketing", default));
        Assert.False(await consent.MayContactAsync(id, "sms", "marketing", default));   // opt-in by default
        Assert.True(await consent.MayContactAsync(id, "sms", "service", default));      // service messages by default

        var put = await client.PutAsJsonAsync($"/api/v1/customers/{id}/consent", new { channel = "email", purpose = "marketing", granted = false, source = "preference-centre" });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.False(await consent.MayContactAsync(id, "email", "marketing", default));
        var detail = await (await client.GetAsync($"/api/v1/customers/{id}")).ReadJsonAsync();
        var history = detail.GetProperty("consentHistory").EnumerateArray().Where(h => h.GetProperty("channel").GetString() == "email").ToList();
        Assert.Equal(2, history.Count);
        Assert.Equal("preference-centre", history[0].GetProperty("source").GetString());

        var bad = await client.PutAsJsonAsync($"/api/v1/customers/{id}/consent", new { channel = "pigeon", purpose = "marketing", granted = true });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}

public sealed class EventsApiOnSqlite(SqliteApp app) : EventsApiTests(app), IClassFixture<SqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class EventsApiOnPostgres(PostgresApp app) : EventsApiTests(app), IClassFixture<PostgresApp>;
