using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Bench.Platform;
using Npgsql;

namespace Centric.Bench.Engagement;

/// <summary>
/// `segments`: segment evaluation on PostgreSQL. Starts the server on a new database, fills it inside PostgreSQL
/// (generate_series, untimed) with --profiles known customers and --interactions interactions spread over the last
/// --days days (product views with one of 20 categories, cart additions, orders, tickets…), ANALYZEs, then counts rules
/// through <c>POST /api/v1/segments/preview</c> — each rule compiled to one SQL query by the server — --runs times after
/// a warm-up, and reports client and server (Server-Timing) latency per rule. The rows bypass the outbox: nothing is
/// dispatched while measuring.
/// </summary>
public static class SegmentsCommand
{
    private static readonly (string Name, object Rule)[] Rules =
    [
        ("ordered in the last 30 days", Rule(Did("order_placed", 30))),
        ("viewed garden at least 3 times in 30 days, no order in 30 days",
            Rule(Did("product_viewed", 30, atLeast: 3, where: new() { ["category"] = "garden" }), Did("order_placed", 30, did: false))),
        ("cart in the last 7 days, no order in the last 7 days",
            Rule(Did("cart_item_added", 7), Did("order_placed", 7, did: false))),
    ];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var profiles = options.GetInt("profiles", 20_000);
        var interactions = options.GetInt("interactions", profiles * 10);
        var days = options.GetInt("days", 365);
        var runs = options.GetInt("runs", 10);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("segments measures PostgreSQL: --provider postgres --pg \"Host=...\"");

        await using var server = await BenchServer.StartOrAttachAsync(options, "segments",
            new Dictionary<string, string> { ["Engagement__BackgroundJobs"] = "false" });
        var connection = server.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        var fill = Stopwatch.GetTimestamp();
        await FillAsync(connection, profiles, interactions, days);
        var fillSeconds = Stopwatch.GetElapsedTime(fill).TotalSeconds;

        using var client = server.CreateClient(1);
        foreach (var (name, rule) in Rules)
        {
            var members = 0;
            await PreviewAsync(client, rule);   // warm-up: plan and caches
            List<double> clientMs = [], serverMs = [];
            for (var i = 0; i < runs; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var response = await PreviewAsync(client, rule);
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                clientMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                members = body.GetProperty("members").GetInt32();
                if (ServerMs(response) is { } ms) serverMs.Add(ms);
            }
            JsonLine.Write(new
            {
                bench = "segments", provider = "postgres", rule = name, profiles, interactions, days, members, runs, fillSeconds,
                client = Percentiles.Summary(clientMs), server = Percentiles.Summary(serverMs),
            });
        }
        if (server is { Owned: true, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return 0;
    }

    private static async Task<HttpResponseMessage> PreviewAsync(HttpClient client, object rule)
    {
        var response = await client.PostAsJsonAsync(new Uri("/api/v1/segments/preview", UriKind.Relative), new { rule });
        response.EnsureSuccessStatusCode();
        return response;
    }

    private static object Rule(params object[] conditions) => new { match = "all", conditions };

    private static object Did(string type, int days, int atLeast = 1, bool did = true, Dictionary<string, string>? where = null) =>
        new { kind = "behaviour", type, days, atLeast, did, where };

    /// <summary>
    /// Profiles and interactions made by PostgreSQL itself; the same seed gives the same rows. Orders carry their lines
    /// (product, category, quantity, price) like the shop's own <c>order_placed</c>.
    /// </summary>
    internal static async Task FillAsync(string connectionString, int profiles, int interactions, int days)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            SELECT setseed(0.42);
            CREATE TEMP TABLE bench_profiles AS
              SELECT n, gen_random_uuid() AS id FROM generate_series(1, {profiles}) AS n;
            INSERT INTO customers_profiles ("Id", "Kind", "FirstName", "LastName", "Email", "Traits", "SearchText", "CreatedAt", "UpdatedAt", "InteractionCount")
              SELECT id, 1, 'Bench', 'Customer ' || n, 'bench' || n || '@example.com', '{"{"}"tier":"' || (ARRAY['gold','silver','bronze'])[1 + n % 3] || '"{"}"}',
                     'bench customer ' || n, now() - interval '{days} days', now(), 0
              FROM bench_profiles;
            INSERT INTO customers_interactions ("Id", "ProfileId", "EventId", "Type", "Channel", "OccurredAt", "ReceivedAt", "Properties")
              SELECT gen_random_uuid(), p.id, 'bench-' || i, t.type, 'web', at, at,
                     CASE WHEN t.type = 'order_placed' THEN
                       -- An order as the shop records it (the KPI rollups and the models read its lines): one or two lines,
                       -- values made from i alone, so these rows draw nothing from random() and the other rows stay the same.
                       json_build_object('orderId', md5('order-' || i)::uuid, 'orderNumber', 'B' || i, 'total', l.total, 'currency', 'EUR',
                         'shippingMethod', 'standard', 'promoCode', null, 'items', l.items, 'categories', l.categories)::text
                     ELSE '{"{"}"productId":"' || md5((i % 5000)::text)::uuid || '","category":"' || c.category || '","price":10,"currency":"EUR"{"}"}' END
              FROM generate_series(1, {interactions}) AS i
              -- "+ 0 * i" ties the draw to each row (an uncorrelated LATERAL would be drawn once for all).
              CROSS JOIN LATERAL (SELECT 1 + floor(random() * {profiles})::int + 0 * i AS n, random() + 0 * i AS r,
                                         now() - (random() + 0 * i) * interval '{days} days' AS at) AS x
              JOIN bench_profiles p ON p.n = x.n
              CROSS JOIN LATERAL (SELECT CASE WHEN x.r < 0.60 THEN 'product_viewed' WHEN x.r < 0.80 THEN 'cart_item_added'
                                              WHEN x.r < 0.90 THEN 'order_placed' WHEN x.r < 0.95 THEN 'search_performed' ELSE 'help_article_viewed' END AS type) AS t
              CROSS JOIN LATERAL (SELECT (ARRAY['garden','kitchen','toys','books','sports','beauty','fashion','music','pets','tools',
                                                 'office','baby','auto','health','games','food','home','garden_tools','electronics','art'])[1 + (i % 20)] AS category) AS c
              CROSS JOIN LATERAL (SELECT sum(x.quantity * x.price) AS total,
                                         json_agg(json_build_object('productId', x.product, 'sku', 'SKU-' || x.n, 'category', x.category,
                                                                    'quantity', x.quantity, 'price', x.price)) AS items,
                                         json_agg(DISTINCT x.category) AS categories
                                  FROM (SELECT line, (i + line * 7) % 5000 AS n, md5(((i + line * 7) % 5000)::text)::uuid AS product,
                                               CASE WHEN line = 0 THEN c.category ELSE (ARRAY['garden','kitchen','toys','books','sports','beauty','fashion','music','pets','tools',
                                                 'office','baby','auto','health','games','food','home','garden_tools','electronics','art'])[1 + ((i + 7) % 20)] END AS category,
                                               1 + (i + line) % 3 AS quantity, ((i * (37 + line * 16)) % 19500 + 500) / 100.0 AS price
                                        FROM generate_series(0, (i % 2)) AS line WHERE t.type = 'order_placed') AS x) AS l;
            ANALYZE customers_profiles;
            ANALYZE customers_interactions;
            """);
        await using var command = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The `app;dur=` value of a Server-Timing header, in milliseconds.</summary>
    private static double? ServerMs(HttpResponseMessage response)
    {
        if (!response.Headers.TryGetValues("Server-Timing", out var values)) return null;
        foreach (var value in values)
        {
            var at = value.IndexOf("dur=", StringComparison.Ordinal);
            if (at >= 0 && double.TryParse(value.AsSpan(at + 4).TrimEnd(), NumberStyles.Float, CultureInfo.InvariantCulture, out var ms)) return ms;
        }
        return null;
    }
}
