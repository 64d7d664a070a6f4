using System.Buffers;
using System.Text.Json;

namespace Centric.Bench.Platform;

/// <summary>One generated event, kept so a later event can resend it (same id, same content) as a duplicate.</summary>
public sealed record GeneratedEvent(string Id, string Type, string Channel, DateTime OccurredAt,
    string? Email, string? ExternalId, bool EmailVerified, string? AnonymousId, Action<Utf8JsonWriter> Properties);

/// <summary>
/// Realistic, reproducible traffic for the events API. Known customers (one per index) are named by email,
/// half the time with their CRM external id as well; ~8% of events come from anonymous visitors (one of
/// customers/2 device ids); ~1% are sign-ins that carry both a verified email and an anonymous id, which
/// attaches (merges) the visitor's anonymous profile; ~1% resend an earlier event (a client retry) and must
/// be answered as duplicates. Types, channels and properties (amounts, SKUs, URLs) follow a storefront's mix.
/// </summary>
public sealed class EventGenerator(int seed, int customers, string runId, string emailDomain = "bench.example")
{
    private readonly Random _rng = new(seed);
    private readonly DateTime _now = TimeProvider.System.GetUtcNow().UtcDateTime;
    private static readonly string[] Categories = ["shoes", "outerwear", "kitchen", "garden", "toys", "books", "beauty", "electronics"];
    private static readonly string[] Currencies = ["EUR", "EUR", "EUR", "GBP", "USD"];

    public List<GeneratedEvent> Generate(int count)
    {
        var events = new List<GeneratedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            if (events.Count > 1000 && _rng.NextDouble() < 0.01)
            {
                events.Add(events[_rng.Next(events.Count)]); // a client retry: same id, same body
                continue;
            }
            events.Add(Next($"{runId}-{i}"));
        }
        return events;
    }

    /// <summary>Events for one known customer only, spread over two years (the timeline benchmark).</summary>
    public List<GeneratedEvent> ForOneCustomer(string email, int count)
    {
        var events = new List<GeneratedEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var e = Next($"{runId}-{i}");
            events.Add(e with { Email = email, ExternalId = null, AnonymousId = null, EmailVerified = false,
                OccurredAt = _now.AddSeconds(-_rng.NextDouble() * 2 * 365 * 86400) });
        }
        return events;
    }

    private GeneratedEvent Next(string id)
    {
        var at = _now.AddSeconds(-_rng.NextDouble() * 90 * 86400);
        var roll = _rng.NextDouble();
        var customer = _rng.Next(customers);
        var email = $"customer{customer}@{emailDomain}";
        var external = _rng.NextDouble() < 0.5 ? $"crm-{customer:D7}" : null;

        if (roll < 0.08) // anonymous browsing
        {
            var anon = AnonymousId();
            return new(id, "page_viewed", "web", at, null, null, false, anon, PageView());
        }
        if (roll < 0.09) // sign-in: the visitor's anonymous profile joins the customer
        {
            var anon = AnonymousId();
            return new(id, "signed_in", "web", at, email, external, true, anon, w => w.WriteString("method", "password"));
        }
        roll = _rng.NextDouble();
        return roll switch
        {
            < 0.38 => new(id, "page_viewed", Pick("web", "web", "app"), at, email, external, false, null, PageView()),
            < 0.58 => new(id, "product_viewed", Pick("web", "app"), at, email, external, false, null, Product(false)),
            < 0.70 => new(id, "added_to_cart", Pick("web", "app"), at, email, external, false, null, Product(true)),
            < 0.76 => new(id, "order_placed", Pick("web", "app", "pos"), at, email, external, false, null, Order()),
            < 0.86 => new(id, "email_opened", "email", at, email, external, false, null, Campaign()),
            < 0.93 => new(id, "search_performed", Pick("web", "app"), at, email, external, false, null, Search()),
            _ => new(id, "support_message", Pick("chat", "email", "phone"), at, email, external, false, null, Support()),
        };
    }

    private string AnonymousId() => $"anon-{_rng.Next(Math.Max(customers / 2, 1)):x8}";

    private string Pick(params string[] options) => options[_rng.Next(options.Length)];

    private decimal Money(double max) => Math.Round((decimal)(_rng.NextDouble() * max) + 1m, 2);

    private Action<Utf8JsonWriter> PageView()
    {
        var path = $"/{Categories[_rng.Next(Categories.Length)]}/{_rng.Next(5000)}";
        var referrer = _rng.NextDouble() < 0.3 ? "https://www.google.com/" : null;
        return w =>
        {
            w.WriteString("url", path);
            if (referrer is not null) w.WriteString("referrer", referrer);
            w.WriteNumber("durationMs", 800 + path.Length * 37);
        };
    }

    private Action<Utf8JsonWriter> Product(bool cart)
    {
        var sku = $"SKU-{_rng.Next(32951):D6}";
        var category = Categories[_rng.Next(Categories.Length)];
        var price = Money(250);
        var quantity = _rng.Next(1, 4);
        var currency = Currencies[_rng.Next(Currencies.Length)];
        return w =>
        {
            w.WriteString("sku", sku);
            w.WriteString("category", category);
            w.WriteNumber("price", price);
            w.WriteString("currency", currency);
            if (cart) w.WriteNumber("quantity", quantity);
        };
    }

    private Action<Utf8JsonWriter> Order()
    {
        var order = $"SO-{_rng.Next(10_000_000):D8}";
        var items = _rng.Next(1, 6);
        var amount = Money(400);
        var currency = Currencies[_rng.Next(Currencies.Length)];
        var shipping = Math.Round(amount > 50 ? 0m : 4.95m, 2);
        return w =>
        {
            w.WriteString("orderId", order);
            w.WriteNumber("amount", amount);
            w.WriteNumber("shipping", shipping);
            w.WriteString("currency", currency);
            w.WriteNumber("items", items);
            w.WriteString("payment", items % 2 == 0 ? "card" : "paypal");
        };
    }

    private Action<Utf8JsonWriter> Campaign()
    {
        var campaign = $"newsletter-{_rng.Next(1, 53):D2}";
        return w => { w.WriteString("campaign", campaign); w.WriteString("subject", "New in this week"); };
    }

    private Action<Utf8JsonWriter> Search()
    {
        var query = Categories[_rng.Next(Categories.Length)] + (_rng.NextDouble() < 0.5 ? " sale" : "");
        var results = _rng.Next(0, 200);
        return w => { w.WriteString("query", query); w.WriteNumber("results", results); };
    }

    private Action<Utf8JsonWriter> Support()
    {
        var ticket = $"T-{_rng.Next(1_000_000):D7}";
        var sentiment = Pick("positive", "neutral", "negative");
        return w => { w.WriteString("ticket", ticket); w.WriteString("sentiment", sentiment); };
    }

    /// <summary>The request body for one batch, as the events API expects it.</summary>
    public static byte[] Serialize(IEnumerable<GeneratedEvent> batch)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * 1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteStartArray("events");
            foreach (var e in batch)
            {
                w.WriteStartObject();
                w.WriteString("id", e.Id);
                w.WriteString("type", e.Type);
                w.WriteString("occurredAt", e.OccurredAt.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'"));
                w.WriteString("channel", e.Channel);
                if (e.Email is not null || e.ExternalId is not null)
                {
                    w.WriteStartObject("customer");
                    if (e.Email is not null) w.WriteString("email", e.Email);
                    if (e.ExternalId is not null) w.WriteString("externalId", e.ExternalId);
                    if (e.EmailVerified) w.WriteBoolean("emailVerified", true);
                    w.WriteEndObject();
                }
                if (e.AnonymousId is not null) w.WriteString("anonymousId", e.AnonymousId);
                w.WriteStartObject("properties");
                e.Properties(w);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
