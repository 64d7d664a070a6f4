using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Platform.Signing;
using Centric.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Centric.Server.Tests.Platform;

/// <summary>
/// Walks every operation the OpenAPI document describes and sends it malformed input: for each path parameter, query
/// parameter and JSON body field, hostile strings (NUL, lone surrogates, 100 KB, overflowing numbers, extreme dates,
/// traversal and injection text) and wrong types; and bodies that are not JSON, truncated, empty, invalid UTF-8 or
/// nested too deeply. Every answer must be below 500, and every 4xx an RFC 9457 problem (application/problem+json).
/// The server runs on Kestrel so that URL and header limits are the real ones. Deterministic: no randomness at all.
/// </summary>
public abstract class ApiFuzzTests(FuzzApp app, ITestOutputHelper output)
{
    /// <summary>
    /// Kestrel refuses a path holding an escaped NUL (%00) while parsing the request line, before the application sees
    /// it, and writes that 400 itself with an empty body; nothing in the application can give it a problem body.
    /// </summary>
    private static bool RejectedByKestrelBeforeTheApp(string caseName, int status) =>
        status == 400 && caseName.StartsWith("path ", StringComparison.Ordinal)
        && (caseName.EndsWith(": nul", StringComparison.Ordinal) || caseName.EndsWith(": nul inside", StringComparison.Ordinal) || caseName.EndsWith(": escaped nul", StringComparison.Ordinal));

    private const string LongUrlCase = "url: 20 KB query string";

    /// <summary>
    /// Valid bodies for operations whose schema alone gives a body the first check refuses (an unknown scope, an event
    /// without a customer): one mutated field at a time then reaches validation and storage behind it.
    /// </summary>
    private static readonly Dictionary<string, string> ValidBodies = new()
    {
        ["POST /api/v1/apikeys"] = """{"name":"fuzz key","scopes":["customers:read"]}""",
        ["POST /api/v1/webhooks"] = """{"url":"https://example.com/hook","eventTypes":["order_placed"],"description":"fuzz"}""",
        ["PUT /api/v1/customers/{id}/consent"] = """{"channel":"email","purpose":"marketing","granted":true,"source":"fuzz"}""",
        ["POST /api/v1/events"] = """{"events":[{"id":"e1","type":"page_viewed","occurredAt":"2026-01-01T00:00:00Z","channel":"web","customer":{"email":"fuzz@example.com","phone":"+351912345678"},"anonymousId":"anon-1","properties":{"path":"/shop"}}]}""",
        ["POST /api/v1/support/inbound/email"] = """{"from":"Fuzz <fuzz@example.com>","to":"support@example.com","subject":"Help","text":"Hello","html":"<p>Hello</p>","messageId":"<m1@example.com>","inReplyTo":null,"references":null,"attachments":[{"fileName":"a.txt","contentType":"text/plain","size":10}]}""",
        ["POST /api/v1/support/inbound/message"] = """{"channel":"sms","from":"+447900000001","to":"+442079460000","text":"Hi","messageId":"m1","attachments":[{"fileName":"a.jpg","contentType":"image/jpeg","size":10,"url":"https://example.com/a.jpg"}]}""",
        ["POST /api/v1/support/inbound/call"] = """{"callId":"c1","from":"+447900000001","to":"+442079460000","durationSeconds":60,"outcome":"answered","recordingUrl":"https://example.com/r.mp3","reference":null,"notes":"fuzz"}""",
        ["POST /api/v1/carriers/{carrier}/events"] = """{"trackingNumber":"TRK1","eventId":"e1","code":"in_transit","description":"On its way","location":"Lisbon","occurredAt":"2026-01-01T00:00:00Z"}""",
        ["POST /chat/api/messages"] = """{"clientMessageId":"c1","text":"hello"}""",
        ["POST /chat/api/identify"] = """{"email":"fuzz@example.com"}""",
        ["POST /api/v1/segments"] = """{"name":"Fuzz segment","description":"fuzz","kind":"rule","rule":{"match":"any","conditions":[{"kind":"trait","trait":"tier","op":"eq","value":"gold"},{"kind":"behaviour","did":true,"type":"product_viewed","atLeast":2,"days":30,"where":{"category":"garden"}},{"kind":"group","match":"all","conditions":[{"kind":"aggregate","field":"orders","op":"gte","value":1},{"kind":"insight","field":"churnRisk","op":"gte","value":0.5},{"kind":"consent","channel":"email","purpose":"marketing","granted":true}]}]}}""",
        ["PUT /api/v1/segments/{id}"] = """{"name":"Fuzz segment","description":"fuzz","kind":"rule","rule":{"match":"all","conditions":[{"kind":"aggregate","field":"daysSinceLastOrder","op":"gte","value":90}]}}""",
        ["POST /api/v1/message-templates"] = """{"name":"Fuzz template","channel":"email","purpose":"marketing","subject":"Hello {{ first_name }}","body":"<p>Hi {{ first_name }}</p>"}""",
        ["PUT /api/v1/message-templates/{id}"] = """{"name":"Fuzz template 2","channel":"sms","purpose":"service","subject":null,"body":"Hi {{ first_name }}"}""",
        ["POST /api/v1/webhooks/email/bounce"] = """{"messageId":"<0193d6a0c1b27c3e8f0a1b2c3d4e5f60@centric.local>","reason":"550 no such user","permanent":true}""",
        ["POST /api/v1/webhooks/sms/receipt"] = """{"messageId":"sandbox-1","status":"delivered","reason":null}""",
        ["POST /api/v1/promotions"] = """{"name":"Fuzz promotion","code":"FUZZ10","kind":"percent_off","percentOff":10,"amountOff":null,"buyQuantity":null,"getQuantity":null,"targetSku":null,"targetCategory":null,"minimumSubtotal":30,"startsAt":"2026-01-01T00:00:00Z","endsAt":"2027-01-01T00:00:00Z","totalLimit":100,"perCustomerLimit":1,"audience":"decile","segmentId":null,"decileFrom":1,"decileTo":2,"stackable":true,"paused":false}""",
        ["PUT /api/v1/promotions/{id}"] = """{"name":"Fuzz promotion","code":null,"kind":"amount_off","percentOff":null,"amountOff":5,"buyQuantity":null,"getQuantity":null,"targetSku":null,"targetCategory":null,"minimumSubtotal":null,"startsAt":null,"endsAt":null,"totalLimit":null,"perCustomerLimit":null,"audience":"first_order","segmentId":null,"decileFrom":null,"decileTo":null,"stackable":false,"paused":true}""",
        ["POST /api/v1/customers/{id}/loyalty/adjustments"] = """{"points":10,"reason":"fuzz"}""",
        ["PUT /api/v1/loyalty/program"] = """{"enabled":false,"pointsPerCurrencyUnit":1,"reviewPoints":25,"referralPoints":200,"birthdayPoints":100,"pointsPerCurrencyUnitRedeemed":100,"minimumRedeem":500,"expiryMonths":12,"referralMonthlyLimit":5,"tiers":[{"name":"Bronze","threshold":0,"multiplier":1,"freeStandardDelivery":false,"earlyAccess":false},{"name":"Gold","threshold":2000,"multiplier":1.5,"freeStandardDelivery":true,"earlyAccess":true}]}""",
        ["POST /api/v1/surveys"] = """{"kind":"nps","name":"Fuzz survey","question":"How likely are you to recommend us?","commentPrompt":"Why?","active":true}""",
        ["POST /api/v1/segments/preview"] = """{"rule":{"match":"any","conditions":[{"kind":"trait","trait":"email","op":"contains","value":"a"},{"kind":"behaviour","did":false,"type":"order_placed","atLeast":1,"days":30,"where":{"productId":"00000000-0000-0000-0000-000000000000"}}]}}""",
        ["POST /api/v1/journeys"] = """{"name":"Fuzz journey","description":"fuzz","definition":{"trigger":{"on":"interaction","type":"cart_item_added","where":{"category":"garden"}},"goal":{"type":"order_placed"},"conversionDays":7,"reentry":"after_days","reentryDays":3,"steps":[{"id":"w","kind":"wait","hours":1},{"id":"s","kind":"split","arms":[{"name":"A","percent":90},{"name":"holdout","percent":10,"holdout":true}]},{"id":"m","kind":"send","channel":"email","purpose":"marketing","subject":"Hi","body":"Hello","link":"/cart"},{"id":"c","kind":"condition","if":{"match":"all","conditions":[{"kind":"trait","trait":"tier","op":"eq","value":"gold"}]},"else":"x"},{"id":"t","kind":"task","title":"Call","role":"agent"},{"id":"x","kind":"exit"}]}}""",
        ["PUT /api/v1/journeys/{id}"] = """{"name":"Fuzz journey","definition":{"trigger":{"on":"inactivity","type":"order_placed","days":90},"steps":[{"id":"a","kind":"wait_for","event":{"type":"order_placed"},"hours":24,"timeout":"b"},{"id":"b","kind":"tag","tag":"vip"}]}}""",
        ["POST /api/v1/campaigns"] = """{"name":"Fuzz campaign","segmentId":"00000000-0000-0000-0000-000000000001","channel":"email","purpose":"marketing","subject":"Hi","subjectB":"Hello","body":"Body","link":"/shop","testPercent":20,"testHours":4,"ratePerMinute":100}""",
        ["POST /api/v1/campaigns/{id}/schedule"] = """{"at":"2026-01-01T00:00:00Z"}""",
    };

    /// <summary>
    /// Valid query strings for operations whose parameters are checked together (a range needs both ends): each fuzzed
    /// parameter is sent beside valid others, so its value reaches the check of its own rather than "from is missing".
    /// </summary>
    private static readonly Dictionary<string, string> ValidQueries = new()
    {
        ["GET /api/v1/insights/kpis"] = "from=2026-11-01&to=2026-11-08&channel=web",
        ["GET /api/v1/insights/deciles"] = "by=clv&from=2026-11-01&to=2026-11-08",
        ["GET /api/v1/surveys/{id}/results"] = "from=2026-11-01&to=2026-11-08",
    };

    /// <summary>
    /// Valid bodies for the customer API, which need the fuzz customer's own things (ids, the refresh token): one mutated
    /// field at a time then reaches the handler's checks and the services behind it.
    /// </summary>
    private static Dictionary<string, string> CustomerBodies(CustomerHoldings holdings, string email, string refreshToken) => new()
    {
        ["POST /api/v1/auth/login"] = JsonSerializer.Serialize(new { email, password = PortalSession.Password, twoFactorCode = (string?)null, recoveryCode = (string?)null }),
        ["POST /api/v1/auth/refresh"] = JsonSerializer.Serialize(new { refreshToken }),
        ["POST /api/v1/cart/lines"] = JsonSerializer.Serialize(new { variantId = holdings.Variant, quantity = 1 }),
        ["PATCH /api/v1/cart/lines/{lineId}"] = """{"quantity":2}""",
        ["PUT /api/v1/cart/promo-code"] = """{"code":"WELCOME10"}""",
        ["POST /api/v1/checkout"] = """{"email":null,"shippingMethod":"standard","address":{"name":"Fuzz","line1":"Rua 1","line2":null,"city":"Porto","postalCode":"4000-001","country":"PT"},"pickupLocationId":null,"promoCode":null,"usePoints":false,"referralCode":null}""",
        ["POST /api/v1/me/orders/{number}/payments"] = """{"cardNumber":"4242424242424242","savedCardId":null}""",
        ["POST /api/v1/me/orders/{number}/returns"] = JsonSerializer.Serialize(new
        {
            items = new[] { new { orderLineId = holdings.OrderLine, quantity = 1 } }, reason = "too_small", comment = "fuzz", resolution = "refund", exchangeVariantId = (Guid?)null,
        }),
        ["POST /api/v1/me/payments/{paymentId}/challenge"] = """{"approve":true}""",
        ["PUT /api/v1/me/subscriptions/{id}/card"] = """{"cardNumber":"4242424242424242"}""",
        ["POST /api/v1/me/tickets"] = """{"subject":"Help","text":"Hello","orderNumber":null}""",
        ["POST /api/v1/me/tickets/{number}/messages"] = """{"text":"Hello"}""",
        ["PUT /api/v1/me/consent"] = """{"channel":"email","purpose":"marketing","granted":true}""",
        ["POST /api/v1/me/alerts"] = """{"productId":null,"sku":"FUZZ-SKU","kind":"price_drop"}""",
        ["POST /api/v1/me/push-subscriptions"] = JsonSerializer.Serialize(new
        {
            endpoint = "https://push.example/send/fuzz", keys = new { p256dh = FuzzPushKey, auth = "AAECAwQFBgcICQoLDA0ODw" }, userAgent = "Fuzz/1.0",
        }),
        ["PUT /api/v1/catalog/variants/{sku}"] = """{"price":12.5,"stock":[{"location":"WH1","onHand":5}]}""",
    };

    /// <summary>A browser's P-256 public key for the push subscription body (a real point, so the key check passes).</summary>
    private const string FuzzPushKey = "BKzQMC6CEg-PcYHZAwOttGINMki7HRAo02pMj5Q3K776zwKZvTHf7-SanhcdE8eHbihzJpb-FHW8c5qE1W_KGeI";

    /// <summary>Hostile values for header parameters (Idempotency-Key): what a client can put in a header at all.</summary>
    private static readonly (string Name, string Value)[] HostileHeaders =
    [
        ("empty", ""), ("300 characters", new string('k', 300)), ("8 KB", new string('k', 8000)), ("space inside", "a b"), ("quotes", "\"x\""),
        ("sql injection", "x'); DROP TABLE users; --"), ("path traversal", "../../../../etc/passwd"), ("tab", "a\tb"),
    ];

    /// <summary>Fields that make a request idempotent: each request gets its own value, or every repeat would be a no-op duplicate.</summary>
    private static readonly HashSet<string> IdempotencyFields = ["id", "messageId", "clientMessageId", "callId", "eventId"];

    private static readonly string Huge = new('A', 100_000);

    /// <summary>Hostile text, as JSON string values and (escaped) in URLs.</summary>
    private static readonly (string Name, string Value)[] HostileText =
    [
        ("empty", ""), ("nul", "\0"), ("nul inside", "a\0b"), ("lone low surrogate", "\udc00"),
        ("lone high surrogate", "x\ud800y"), ("100 KB", Huge), ("overflow", "9999999999999999999"), ("minus one", "-1"),
        ("int32 overflow", "2147483648"), ("last date", "9999-12-31"), ("first date", "0001-01-01"),
        ("last instant", "9999-12-31T23:59:59Z"), ("path traversal", "../../../../etc/passwd"),
        ("sql injection", "x'); DROP TABLE users; --"), ("html injection", "<script>alert(1)</script>"),
        ("template", "{{7*7}}${7*7}"), ("right-to-left override", "\u202egnp.exe"), ("emoji", "😀👩‍👩‍👧"),
    ];

    /// <summary>Already escaped for a URL: bytes that are not valid UTF-8 and escapes that decode to control characters.</summary>
    private static readonly (string Name, string Escaped)[] HostileEscapes =
    [
        ("escaped nul", "%00"), ("invalid utf-8", "%FF%FE"), ("utf-8 lone surrogate", "%ED%B0%80"), ("overlong dot", "%C0%AE%C0%AE%2F"),
        ("bare percent", "%"), ("encoded slash traversal", "..%2F..%2Fetc%2Fpasswd"), ("control characters", "%01%1F%7F"),
    ];

    /// <summary>JSON values of the wrong type (and numbers at the edges), for any field.</summary>
    private static readonly (string Name, string Json)[] WrongTypes =
    [
        ("number overflow", "9999999999999999999"), ("negative", "-1"), ("int32 overflow", "2147483648"), ("huge float", "1.7976931348623157e308"),
        ("true", "true"), ("null", "null"), ("array", "[1,\"a\"]"), ("object", "{\"a\":{}}"),
    ];

    private sealed record Operation(string Method, string Path, JsonElement Node);

    private sealed record Attempt(string Case, string Method, string Url, HttpContent? Content, Dictionary<string, string>? Headers = null);

    [SkippableFact]
    public async Task Every_operation_answers_malformed_input_with_a_problem_and_never_a_server_error()
    {
        app.SkipIfUnavailable();
        using var client = app.AdminClient();
        client.DefaultRequestHeaders.Accept.ParseAdd("application/json");
        var document = await client.GetFromJsonDocumentAsync("/openapi/v1.json");
        var visitor = await VisitorTokenAsync(client);
        var customer = await CustomerIdAsync(client);
        // A customer of the API with one of everything, so the customer operations get past "not found" with the fuzz customer's own ids.
        var account = await ApiCustomer.CreateAccountAsync(app);
        var holdings = await CustomerHoldings.CreateAsync(app, account.Profile, account.Email);
        using var shopper = await ApiCustomer.SignInAsync(app, account.Profile, account.Email, account.UserId);
        var customerBodies = CustomerBodies(holdings, account.Email, shopper.RefreshToken);
        var operations = Operations(document.RootElement).ToList();
        Assert.True(operations.Count > 30, $"the OpenAPI document lists only {operations.Count} operations");
        Assert.All(ValidQueries.Keys, k => Assert.Contains(operations, o => $"{o.Method} {o.Path}" == k));

        var clock = Stopwatch.StartNew();
        var tried = 0;
        var kestrel = 0;
        var failures = new List<string>();
        var statuses = new SortedDictionary<int, int>();
        foreach (var operation in operations)
        {
            // Operations that take a customer's token get the fuzz customer's; everything else the admin key.
            var customerToken = operation.Node.TryGetProperty("security", out var security) && security.ToString().Contains("customerToken", StringComparison.Ordinal);
            var headerParameters = HeaderParameters(operation).ToList();
            foreach (var attempt in Attempts(document.RootElement, operation, customer, holdings, customerBodies))
            {
                using var request = new HttpRequestMessage(new HttpMethod(attempt.Method), attempt.Url) { Content = attempt.Content };
                request.Headers.TryAddWithoutValidation("X-Chat-Visitor", visitor);
                if (customerToken) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", shopper.AccessToken);
                foreach (var (name, value) in attempt.Headers ?? []) request.Headers.TryAddWithoutValidation(name, value);
                // A header parameter (Idempotency-Key) not under test gets a new value each time, or every repeat would be a replay.
                foreach (var name in headerParameters.Where(h => attempt.Headers?.ContainsKey(h) != true))
                    request.Headers.TryAddWithoutValidation(name, $"fuzz-{Interlocked.Increment(ref _serial)}");
                if (attempt.Content is not null && Signer(operation.Path) is { } sign)
                {
                    var body = await attempt.Content.ReadAsStringAsync();
                    request.Headers.TryAddWithoutValidation(sign.Header, HmacSignature.Sign(sign.Secret, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), body));
                }
                tried++;
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                statuses[status] = statuses.GetValueOrDefault(status) + 1;
                var problem = Problem(response, attempt);
                if (problem is null) continue;
                var key = $"{operation.Method} {operation.Path} [{attempt.Case}]";
                if (RejectedByKestrelBeforeTheApp(attempt.Case, status))
                {
                    kestrel++;
                    continue;
                }
                var detail = status >= 500 ? await response.Content.ReadAsStringAsync() : "";
                failures.Add($"{key} → {status} {response.Content.Headers.ContentType?.MediaType ?? "(no body)"}: {problem} {detail[..Math.Min(detail.Length, 300)]}");
            }
        }

        // Limits the server enforces before any endpoint: a header block over the limit.
        using (var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/customers?q=a"))
        {
            request.Headers.TryAddWithoutValidation("X-Padding", new string('h', 40_000));
            tried++;
            using var response = await client.SendAsync(request);
            if (response.StatusCode != HttpStatusCode.RequestHeaderFieldsTooLarge || !IsProblem(response))
                failures.Add($"40 KB of headers → {(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType ?? "(no body)"}: expected a 431 problem");
        }

        output.WriteLine($"{app.Provider}: {operations.Count} operations, {tried} requests in {clock.Elapsed.TotalSeconds:0.0} s, " +
                         $"{failures.Count} failures, {kestrel} refused by Kestrel without a body. Statuses: " +
                         string.Join(", ", statuses.Select(s => $"{s.Key}×{s.Value}")));
        foreach (var f in failures) output.WriteLine(f);
        Assert.True(tried > 1000, $"only {tried} requests were tried");
        Assert.True(failures.Count == 0, $"{failures.Count} of {tried} malformed requests were answered badly:\n" + string.Join("\n", failures.Take(80)));
    }

    /// <summary>A real customer, so operations on /customers/{id} get past "no such customer" (deletion excepted).</summary>
    private static async Task<string> CustomerIdAsync(HttpClient client)
    {
        using var posted = await client.PostAsync("/api/v1/events", Content("application/json",
            """{"events":[{"id":"fuzz-customer","type":"page_viewed","customer":{"email":"fuzz.customer@example.com"}}]}"""));
        posted.EnsureSuccessStatusCode();
        using var found = await client.GetAsync("/api/v1/customers?email=fuzz.customer%40example.com");
        using var body = JsonDocument.Parse(await found.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("items")[0].GetProperty("id").GetString()!;
    }

    private static async Task<string> VisitorTokenAsync(HttpClient client)
    {
        using var response = await client.PostAsync("/chat/api/visitor", null);
        response.EnsureSuccessStatusCode();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("visitorToken").GetString()!;
    }

    /// <summary>Signed inbound webhooks are signed correctly, so the malformed body reaches the handler behind the signature check.</summary>
    private static (string Header, string Secret)? Signer(string path) => path switch
    {
        "/api/v1/support/inbound/email" => ("Support-Signature", FuzzApp.InboundSecret),
        "/api/v1/support/inbound/message" => ("Support-Signature", FuzzApp.MessagingSecret),
        "/api/v1/support/inbound/call" => ("Support-Signature", FuzzApp.TelephonySecret),
        "/api/v1/webhooks/email/bounce" => ("Mail-Signature", FuzzApp.BounceSecret),
        "/api/v1/webhooks/sms/receipt" => ("Sms-Signature", FuzzApp.SmsSecret),
        _ when path.StartsWith("/api/v1/carriers/", StringComparison.Ordinal) => ("Carrier-Signature", "demo-carrier-secret"),
        _ => null,
    };

    /// <summary>What is wrong with the answer, or null when it is acceptable.</summary>
    private static string? Problem(HttpResponseMessage response, Attempt attempt)
    {
        var status = (int)response.StatusCode;
        if (status >= 500) return "server error";
        if (attempt.Case == LongUrlCase && status != 414) return "expected 414 URI Too Long";
        if (status >= 400 && !IsProblem(response)) return "a 4xx that is not application/problem+json";
        return null;
    }

    private static bool IsProblem(HttpResponseMessage response) =>
        response.Content.Headers.ContentType?.MediaType == "application/problem+json";

    private static IEnumerable<Operation> Operations(JsonElement document)
    {
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        foreach (var op in path.Value.EnumerateObject())
        {
            if (op.Name is "get" or "post" or "put" or "delete" or "patch")
                yield return new Operation(op.Name.ToUpperInvariant(), path.Name, op.Value);
        }
    }

    private static IEnumerable<string> HeaderParameters(Operation operation) =>
        operation.Node.TryGetProperty("parameters", out var ps)
            ? ps.EnumerateArray().Where(p => p.GetProperty("in").GetString() == "header").Select(p => p.GetProperty("name").GetString()!)
            : [];

    /// <summary>The fuzz customer's own ids for the customer API's path parameters.</summary>
    private static string? CustomerPathBaseline(string path, string name, CustomerHoldings holdings) => name switch
    {
        "number" when path.StartsWith("/api/v1/me/returns/", StringComparison.Ordinal) => holdings.Return,
        "number" when path.StartsWith("/api/v1/me/tickets/", StringComparison.Ordinal) => holdings.Ticket,
        "number" when path.StartsWith("/api/v1/me/orders/", StringComparison.Ordinal) || path.StartsWith("/api/v1/orders/", StringComparison.Ordinal) => holdings.Order,
        "id" when path.StartsWith("/api/v1/me/subscriptions/", StringComparison.Ordinal) => holdings.Subscription.ToString(),
        "id" when path.StartsWith("/api/v1/me/notifications/", StringComparison.Ordinal) => holdings.Notice.ToString(),
        "paymentId" => holdings.Payment.ToString(),
        "lineId" => holdings.CartLine.ToString(),
        "product" => holdings.ProductSlug,
        _ => null,
    };

    private static IEnumerable<Attempt> Attempts(JsonElement document, Operation operation, string customer, CustomerHoldings holdings,
        Dictionary<string, string> customerBodies)
    {
        var parameters = operation.Node.TryGetProperty("parameters", out var ps) ? ps.EnumerateArray().ToList() : [];
        var pathParameters = parameters.Where(p => p.GetProperty("in").GetString() == "path").ToList();
        var queryParameters = parameters.Where(p => p.GetProperty("in").GetString() == "query").ToList();
        var body = RequestBody(document, operation.Node);
        var validQuery = ValidQueries.TryGetValue($"{operation.Method} {operation.Path}", out var knownQuery)
            ? knownQuery.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1])
            : new Dictionary<string, string>();
        var baselineBody = ValidBodies.TryGetValue($"{operation.Method} {operation.Path}", out var valid) || customerBodies.TryGetValue($"{operation.Method} {operation.Path}", out valid)
            ? JsonNode.Parse(valid)
            : body is { Schema: { } s } ? Baseline(document, s, 0) : null;

        string PathBaseline(JsonElement parameter)
        {
            var name = parameter.GetProperty("name").GetString()!;
            if (name == "carrier") return "simulator";
            if (CustomerPathBaseline(operation.Path, name, holdings) is { } own) return own;
            if (name == "id" && operation.Path.StartsWith("/api/v1/customers/", StringComparison.Ordinal) && operation.Method != "DELETE") return customer;
            return Escape(BaselineText(document, parameter.GetProperty("schema")));
        }

        string Url(string? pathName = null, string? pathValue = null, string? queryName = null, string? queryValue = null)
        {
            var url = operation.Path;
            foreach (var p in pathParameters)
            {
                var name = p.GetProperty("name").GetString()!;
                var value = name == pathName ? pathValue! : PathBaseline(p);
                url = url.Replace("{" + name + "}", value, StringComparison.Ordinal);
            }
            var query = new List<string>();
            foreach (var p in queryParameters)
            {
                var name = p.GetProperty("name").GetString()!;
                if (name == queryName) query.Add(name + "=" + queryValue);
                else if (validQuery.TryGetValue(name, out var validValue)) query.Add(name + "=" + validValue);
                else if (p.TryGetProperty("required", out var r) && r.GetBoolean())
                    query.Add(name + "=" + Escape(BaselineText(document, p.GetProperty("schema"))));
            }
            // A name that is no parameter (the long URL's padding) is sent all the same.
            if (queryName is not null && !queryParameters.Any(p => p.GetProperty("name").GetString() == queryName)) query.Add(queryName + "=" + queryValue);
            return query.Count == 0 ? url : url + "?" + string.Join('&', query);
        }

        HttpContent? BaselineContent() => body is null ? null : Content(body.Value.MediaType, baselineBody?.ToJsonString() ?? "{}");

        foreach (var p in pathParameters)
        {
            var name = p.GetProperty("name").GetString()!;
            foreach (var (caseName, value) in UrlValues())
                yield return new Attempt($"path {name}: {caseName}", operation.Method, Url(pathName: name, pathValue: value), BaselineContent());
        }
        foreach (var p in queryParameters)
        {
            var name = p.GetProperty("name").GetString()!;
            foreach (var (caseName, value) in UrlValues())
                yield return new Attempt($"query {name}: {caseName}", operation.Method, Url(queryName: name, queryValue: value), BaselineContent());
        }
        if (queryParameters.Count > 1)
        {
            // Short values only: five 100 KB parameters are over Kestrel's own request-line limit (see RequestLimits).
            foreach (var (caseName, value) in UrlValues().Where(v => v.Escaped.Length < 1000))
            {
                var all = string.Join('&', queryParameters.Select(p => p.GetProperty("name").GetString() + "=" + value));
                yield return new Attempt($"every query parameter: {caseName}", operation.Method, Url() + (Url().Contains('?', StringComparison.Ordinal) ? "&" : "?") + all, BaselineContent());
            }
        }
        foreach (var header in HeaderParameters(operation))
            foreach (var (caseName, value) in HostileHeaders)
                yield return new Attempt($"header {header}: {caseName}", operation.Method, Url(), BaselineContent(), new() { [header] = value });
        yield return new Attempt(LongUrlCase, operation.Method, Url(queryName: "padding", queryValue: new string('p', 20_000)), BaselineContent());

        if (body is null) yield break;
        var (mediaType, _) = body.Value;
        var url = Url();
        if (mediaType == "application/json")
        {
            if (baselineBody is JsonObject baseline)
            {
                foreach (var (field, path) in Fields(baseline, ""))
                {
                    foreach (var (caseName, value) in HostileText)
                        yield return new Attempt($"body {path}: {caseName}", operation.Method, url,
                            Content(mediaType, With(Fresh(baseline, field), field, JsonValue.Create(value)).ToJsonString()));
                    foreach (var (caseName, json) in WrongTypes)
                        yield return new Attempt($"body {path}: {caseName}", operation.Method, url,
                            Content(mediaType, With(Fresh(baseline, field), field, JsonNode.Parse(json)).ToJsonString()));
                }
            }
            var text = baselineBody?.ToJsonString() ?? "{}";
            yield return new Attempt("body: empty", operation.Method, url, Content(mediaType, ""));
            yield return new Attempt("body: not json", operation.Method, url, Content(mediaType, "this is not json"));
            yield return new Attempt("body: truncated", operation.Method, url, Content(mediaType, text[..(text.Length / 2)]));
            yield return new Attempt("body: null", operation.Method, url, Content(mediaType, "null"));
            yield return new Attempt("body: array", operation.Method, url, Content(mediaType, "[]"));
            yield return new Attempt("body: string", operation.Method, url, Content(mediaType, "\"x\""));
            yield return new Attempt("body: nested too deeply", operation.Method, url, Content(mediaType, new string('[', 5000) + new string(']', 5000)));
            yield return new Attempt("body: escaped nul in every string", operation.Method, url, Content(mediaType, ReplaceStrings(text, "\\u0000")));
            yield return new Attempt("body: escaped lone surrogate in every string", operation.Method, url, Content(mediaType, ReplaceStrings(text, "\\udc00")));
            yield return new Attempt("body: invalid utf-8 in every string", operation.Method, url, Raw(mediaType, InvalidUtf8Strings(text)));
            yield return new Attempt("body: as text/plain", operation.Method, url, Content("text/plain", text));
        }
        else if (mediaType == "multipart/form-data")
        {
            yield return new Attempt("multipart: empty", operation.Method, url, Content(mediaType, ""));
            yield return new Attempt("multipart: no boundary", operation.Method, url, Content(mediaType, "--x\r\n\r\n"));
            yield return new Attempt("multipart: truncated", operation.Method, url, Raw("multipart/form-data; boundary=b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n"u8.ToArray()));
            foreach (var (caseName, value) in HostileText.Where(h => h.Value.Length < 1000))
            {
                // Written by hand: HttpClient refuses to put control characters in a part's headers, a hostile client does not.
                var clean = value.Replace("\"", "", StringComparison.Ordinal);
                byte[] png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52];
                var form = Raw("multipart/form-data; boundary=fuzz", [
                    .. Encoding.UTF8.GetBytes($"--fuzz\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\n{value}\r\n" +
                                              $"--fuzz\r\nContent-Disposition: form-data; name=\"clientMessageId\"\r\n\r\n{clean}\r\n" +
                                              $"--fuzz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"x{clean}.png\"\r\nContent-Type: image/png\r\n\r\n"),
                    .. png, .. "\r\n--fuzz--\r\n"u8]);
                yield return new Attempt($"multipart file name: {caseName}", operation.Method, url, form);
            }
        }
        else
        {
            yield return new Attempt("body: empty", operation.Method, url, Content(mediaType, ""));
            yield return new Attempt("body: nul", operation.Method, url, Content(mediaType, "\0"));
            yield return new Attempt("body: 100 KB", operation.Method, url, Content(mediaType, Huge));
            yield return new Attempt("body: invalid utf-8", operation.Method, url, Raw(mediaType, [0xff, 0xfe, 0xed, 0xb0, 0x80]));
        }
    }

    private static IEnumerable<(string Name, string Escaped)> UrlValues() =>
        HostileText.Where(h => !h.Name.Contains("surrogate", StringComparison.Ordinal)).Select(h => (h.Name, Escape(h.Value))).Concat(HostileEscapes);

    /// <summary>Percent-encodes UTF-8, leaving nothing to the URL parser's interpretation (dots and slashes included).</summary>
    private static string Escape(string value)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            if (b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9' or (byte)'-' or (byte)'_' or (byte)'~')
                sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static StringContent Content(string mediaType, string text)
    {
        var content = new StringContent(text, new UTF8Encoding(false));
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    private static ByteArrayContent Raw(string mediaType, byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(mediaType);
        return content;
    }

    /// <summary>Every string value in the JSON text replaced by the given raw JSON string contents (escapes left as written).</summary>
    private static string ReplaceStrings(string json, string contents)
    {
        const string marker = "FUZZMARKER";
        var node = JsonNode.Parse(json);
        Visit(node, _ => JsonValue.Create(marker));
        return (node?.ToJsonString() ?? "null").Replace(marker, "a" + contents + "b", StringComparison.Ordinal);
    }

    private static byte[] InvalidUtf8Strings(string json)
    {
        const string marker = "\u0001INVALID\u0001";
        var node = JsonNode.Parse(json);
        Visit(node, _ => JsonValue.Create(marker));
        var text = node?.ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) ?? "null";
        var escapedMarker = JsonSerializer.Serialize(marker)[1..^1];
        var parts = text.Split(escapedMarker);
        var bytes = new List<byte>();
        for (var i = 0; i < parts.Length; i++)
        {
            if (i > 0) bytes.AddRange([0x61, 0xff, 0xc0, 0xed, 0xb0, 0x80, 0x62]);
            bytes.AddRange(Encoding.UTF8.GetBytes(parts[i]));
        }
        return [.. bytes];
    }

    /// <summary>Replaces every string value (at any depth) with what <paramref name="replace"/> returns.</summary>
    private static void Visit(JsonNode? node, Func<JsonValue, JsonNode?> replace)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String) o[key] = replace(v);
                    else Visit(o[key], replace);
                }
                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    if (a[i] is JsonValue v && v.GetValueKind() == JsonValueKind.String) a[i] = replace(v);
                    else Visit(a[i], replace);
                }
                break;
        }
    }

    /// <summary>Fields of the body to mutate: top-level ones and one level into objects (and first array elements).</summary>
    private static IEnumerable<(string[] Field, string Path)> Fields(JsonObject baseline, string prefix)
    {
        foreach (var (name, value) in baseline)
        {
            yield return ([name], prefix + name);
            if (prefix.Length == 0 && value is JsonObject child)
                foreach (var (field, path) in Fields(child, name + "."))
                    yield return ([name, .. field], path);
            if (prefix.Length == 0 && value is JsonArray { Count: > 0 } array && array[0] is JsonObject element)
                foreach (var (field, path) in Fields(element, name + "[0]."))
                    yield return ([name, "0", .. field], path);
        }
    }

    private static int _serial;

    /// <summary>The baseline with a new value in every idempotency field other than the one being mutated.</summary>
    private static JsonObject Fresh(JsonObject baseline, string[] mutated)
    {
        var copy = (JsonObject)baseline.DeepClone();
        void Renew(JsonNode? node)
        {
            if (node is JsonArray a) foreach (var item in a) Renew(item);
            if (node is not JsonObject o) return;
            foreach (var key in o.Select(p => p.Key).ToList())
            {
                if (IdempotencyFields.Contains(key) && key != mutated[^1] && o[key] is JsonValue) o[key] = $"fuzz-{Interlocked.Increment(ref _serial)}";
                else Renew(o[key]);
            }
        }
        Renew(copy);
        return copy;
    }

    private static JsonNode With(JsonObject baseline, string[] field, JsonNode? value)
    {
        var copy = baseline.DeepClone();
        JsonNode target = copy;
        foreach (var step in field[..^1]) target = target is JsonArray a ? a[int.Parse(step, System.Globalization.CultureInfo.InvariantCulture)]! : target[step]!;
        if (target is JsonArray array) array[int.Parse(field[^1], System.Globalization.CultureInfo.InvariantCulture)] = value;
        else target[field[^1]] = value;
        return copy;
    }

    private static (string MediaType, JsonElement? Schema)? RequestBody(JsonElement document, JsonElement operation)
    {
        if (!operation.TryGetProperty("requestBody", out var body)) return null;
        body = Resolve(document, body);
        var content = body.GetProperty("content");
        foreach (var preferred in new[] { "application/json", "multipart/form-data" })
            if (content.TryGetProperty(preferred, out var media))
                return (preferred, media.TryGetProperty("schema", out var s) ? s : null);
        var first = content.EnumerateObject().First();
        return (first.Name, first.Value.TryGetProperty("schema", out var schema) ? schema : null);
    }

    private static JsonElement Resolve(JsonElement document, JsonElement node)
    {
        while (node.ValueKind == JsonValueKind.Object && node.TryGetProperty("$ref", out var reference))
        {
            var target = document;
            foreach (var step in reference.GetString()!.TrimStart('#', '/').Split('/')) target = target.GetProperty(step);
            node = target;
        }
        return node;
    }

    private static string? TypeOf(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
            return schema.TryGetProperty("properties", out _) ? "object" : null;
        if (type.ValueKind == JsonValueKind.String) return type.GetString();
        return type.EnumerateArray().Select(t => t.GetString()).FirstOrDefault(t => t != "null");
    }

    /// <summary>A plausible value for the schema, so that one mutated field at a time reaches validation deep in the handler.</summary>
    private static JsonNode? Baseline(JsonElement document, JsonElement schema, int depth)
    {
        schema = Resolve(document, schema);
        foreach (var combinator in new[] { "oneOf", "anyOf", "allOf" })
            if (schema.TryGetProperty(combinator, out var options))
                return Baseline(document, options.EnumerateArray().First(o => TypeOf(Resolve(document, o)) is not null), depth);
        switch (TypeOf(schema))
        {
            case "object":
                var o = new JsonObject();
                if (depth < 3 && schema.TryGetProperty("properties", out var properties))
                    foreach (var p in properties.EnumerateObject()) o[p.Name] = Baseline(document, p.Value, depth + 1);
                return o;
            case "array":
                return depth < 3 && schema.TryGetProperty("items", out var items) ? new JsonArray(Baseline(document, items, depth + 1)) : new JsonArray();
            case "integer":
            case "number":
                return JsonValue.Create(1);
            case "boolean":
                return JsonValue.Create(true);
            case "string":
                return JsonValue.Create(BaselineText(document, schema));
            default:
                return null;
        }
    }

    private static string BaselineText(JsonElement document, JsonElement schema)
    {
        schema = Resolve(document, schema);
        if (TypeOf(schema) is "integer" or "number") return "1";
        if (TypeOf(schema) is "boolean") return "true";
        var format = schema.TryGetProperty("format", out var f) ? f.GetString() : null;
        return format switch
        {
            "uuid" => "0190f0a8-0000-7000-8000-000000000001",
            "date-time" => "2026-01-01T00:00:00Z",
            "date" => "2026-01-01",
            "email" => "fuzz@example.com",
            "uri" => "https://example.com/hook",
            _ => "fuzz",
        };
    }
}

internal static class OpenApiDocumentReader
{
    public static async Task<JsonDocument> GetFromJsonDocumentAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        response.EnsureSuccessStatusCode();
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The server on Kestrel with every signed inbound channel configured and limits that a few thousand requests do not reach.</summary>
public class FuzzApp : CentricAppFactory
{
    public const string InboundSecret = "fuzz-inbound-secret-0123456789";
    public const string MessagingSecret = "fuzz-messaging-secret-0123456789";
    public const string TelephonySecret = "fuzz-telephony-secret-0123456789";
    public const string BounceSecret = "fuzz-bounce-secret-0123456789";
    public const string SmsSecret = "fuzz-sms-secret-0123456789";

    protected FuzzApp(string provider) : base(provider)
    {
        With("Support:InboundSecret", InboundSecret);
        With("Support:Messaging:InboundSecret", MessagingSecret);
        With("Support:Chat:TelephonySecret", TelephonySecret);
        With("Engagement:BounceSecret", BounceSecret);
        With("Engagement:Sms:Secret", SmsSecret);
        With("RateLimits:ApiRequestsPerMinute", "100000");
        With("RateLimits:SignInPerMinute", "100000");
        With("Support:InboundRequestsPerMinute", "100000");
        With("Support:HelpRequestsPerMinute", "100000");
        With("Support:Chat:WidgetRequestsPerMinute", "100000");
        With("Support:Chat:MessagesPerMinute", "100000");
        With("Logging:LogLevel:Default", "None");
        UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
    }
}

public sealed class FuzzSqliteApp() : FuzzApp("sqlite");

public sealed class FuzzPostgresApp() : FuzzApp("postgres");

public sealed class ApiFuzzOnSqlite(FuzzSqliteApp app, ITestOutputHelper output) : ApiFuzzTests(app, output), IClassFixture<FuzzSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class ApiFuzzOnPostgres(FuzzPostgresApp app, ITestOutputHelper output) : ApiFuzzTests(app, output), IClassFixture<FuzzPostgresApp>;
