using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Centric.Bench.Platform;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Centric.Bench.Commerce;

/// <summary>
/// `carrier-live`: from a carrier's signed webhook (out for delivery, delivered) to the update arriving on the customer's
/// open portal pages over SignalR. The demo customer signs in, buys parcels through the portal's forms, staff ship them
/// from the console; then <c>--connections</c> portal pages of that customer listen on the notification hub
/// (/notifications/hub, WebSockets) while the carrier reports scans at <c>--rate</c> events a second. Latency is from
/// the webhook's send to each page hearing it. The order page's tracking panel is fed by the same dispatcher pass
/// (LiveOrderUpdates beside NotificationPush), so the figure is the delay it sees too, bar the circuit's render.
/// The baseline is the same events heard by one connection, in the same run. Then, with <c>--browser-pages</c> (20 by
/// default; 0 skips it), the order page itself: Chromium opens that many of the customer's order pages and the run
/// measures from the webhook's send to each page drawing the new status in its live tracking panel.
/// </summary>
public static class CarrierLiveCommand
{
    private const string Secret = "demo-carrier-secret";

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var connections = options.GetInt("connections", 50);
        var parcels = options.GetInt("parcels", 120);
        var baselineParcels = options.GetInt("baseline-parcels", 30);
        var rate = options.GetInt("rate", 5);
        var browserPages = options.GetInt("browser-pages", 20);
        // Shipping the parcels is console work, and the console wants staff signed in with a second factor; only the
        // Development environment may waive that for the demo admin. The measured path (webhook, dispatcher, hub) is the same.
        await using var server = await BenchServer.StartOrAttachAsync(options, "carrier", new Dictionary<string, string>
        {
            ["Database__SeedDemoData"] = "true", ["ASPNETCORE_ENVIRONMENT"] = "Development", ["Centric__RequireStaffMfa"] = "false",
        });
        await using var db = ShopDatabase.Open(server);
        await db.OpenAsync();
        var products = await ShopDatabase.SingleVariantProductsAsync(db);
        await ShopDatabase.ExecuteAsync(db, """update commerce_stock_levels set "OnHand" = 10000000, "Reserved" = 0""");

        // The customer's parcels, bought and shipped the way the portal and the console do it.
        using var customer = new PortalVisitor(server.BaseUrl);
        await customer.SignInAsync("ana.silva@example.com", "Centric-demo-2026", $"/shop/{products[0].Slug}");
        using var staff = new PortalVisitor(server.BaseUrl);
        await staff.SignInAsync("admin@centric.demo", "Centric-demo-2026", $"/shop/{products[0].Slug}");
        var tracking = new List<(string Order, string Tracking)>();
        var random = new Random(5);
        for (var i = 0; i < parcels + baselineParcels + browserPages; i++)
        {
            var product = products[random.Next(products.Count)];
            if (await CheckoutCommand.BuyAsync(customer, product) != CheckoutCommand.Outcome.Paid) throw new InvalidOperationException("a parcel could not be bought");
            var number = await ShopDatabase.ScalarAsync<string>(db, """select "Number" from commerce_orders where "ProfileId" = (select "ProfileId" from platform_users where "Email" = 'ana.silva@example.com') order by "PlacedAt" desc limit 1""");
            await staff.OpenAsync($"/console/orders/{number}");
            foreach (var step in new[] { "Picking", "Packed", "Shipped" })
            {
                var (status, _) = await staff.PostFormAsync($"/console/orders/{number}", $"move-{step}", []);
                if (status is not (HttpStatusCode.OK or HttpStatusCode.Redirect)) throw new InvalidOperationException($"could not move {number} to {step}: {(int)status}");
            }
            var trackingNumber = await ShopDatabase.ScalarAsync<string>(db, """select s."TrackingNumber" from commerce_shipments s join commerce_orders o on o."Id" = s."OrderId" where o."Number" = @n""", ("n", number));
            tracking.Add((number, trackingNumber));
        }

        using var http = server.CreateClient(16);
        var baseline = await MeasureAsync(server, http, customer.CookieHeader, 1, tracking.Take(baselineParcels).ToList(), rate);
        var measured = await MeasureAsync(server, http, customer.CookieHeader, connections, tracking.Skip(baselineParcels).Take(parcels).ToList(), rate);
        var drawn = browserPages > 0
            ? await MeasurePagesAsync(server, http, customer.CookieHeader, tracking.Skip(baselineParcels + parcels).ToList(), rate)
            : null;

        JsonLine.Write(new
        {
            bench = "carrier-live",
            provider = server.Provider,
            connections,
            events = measured.Events,
            rate,
            heard = Percentiles.Summary(measured.Latencies),
            expected = measured.Events * connections,
            missed = measured.Events * connections - measured.Latencies.Count,
            webhook = Percentiles.Summary(measured.Webhook),
            baselineEvents = baseline.Events,
            baseline = Percentiles.Summary(baseline.Latencies),
            p99OverBaselineP99 = Math.Round(Percentiles.Of(measured.Latencies, 99) / Percentiles.Of(baseline.Latencies, 99), 2),
            errors = measured.Errors + baseline.Errors + (drawn?.Errors ?? 0),
            orderPages = drawn is null ? null : new
            {
                pages = browserPages, events = drawn.Events, drawn = Percentiles.Summary(drawn.Latencies),
                missed = drawn.Events - drawn.Latencies.Count, webhook = Percentiles.Summary(drawn.Webhook),
            },
        });
        return 0;
    }

    private sealed record Run(int Events, List<double> Latencies, List<double> Webhook, int Errors);

    private static async Task<Run> MeasureAsync(BenchServer server, HttpClient http, string cookie, int connections, List<(string Order, string Tracking)> parcels, int rate)
    {
        var sent = new ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        var latencies = new ConcurrentBag<double>();
        var hubs = new List<HubConnection>();
        for (var i = 0; i < connections; i++)
        {
            var hub = new HubConnectionBuilder().WithUrl(new Uri(server.BaseUrl, "/notifications/hub"), o =>
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
                o.Headers["Cookie"] = cookie;
            }).Build();
            hub.On<JsonElement>("notification", n =>
            {
                var title = n.GetProperty("title").GetString() ?? "";
                if (sent.TryGetValue(title, out var started)) latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            });
            await hub.StartAsync();
            hubs.Add(hub);
        }

        var webhook = new List<double>();
        var errors = 0;
        var events = 0;
        var start = Stopwatch.GetTimestamp();
        // Each parcel: out for delivery, then delivered; events spaced evenly at the given rate.
        foreach (var (order, trackingNumber) in parcels)
        {
            foreach (var (code, title) in new[] { ("out_for_delivery", $"Order {order} is out for delivery"), ("delivered", $"Order {order} was delivered") })
            {
                var due = start + (long)(events * (double)Stopwatch.Frequency / rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                var started = Stopwatch.GetTimestamp();
                sent[title] = started;
                var ok = await SendScanAsync(http, trackingNumber, code);
                webhook.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (!ok) errors++;
                events++;
            }
        }
        // Let the last pushes arrive.
        var expected = events * connections;
        for (var waited = 0; latencies.Count < expected && waited < 100; waited++) await Task.Delay(100);
        foreach (var hub in hubs) await hub.DisposeAsync();
        return new Run(events, [.. latencies], webhook, errors);
    }

    /// <summary>The same scans for parcels whose order pages are open in Chromium, one page each.</summary>
    private static async Task<Run> MeasurePagesAsync(BenchServer server, HttpClient http, string cookie, List<(string Order, string Tracking)> parcels, int rate)
    {
        await using var pages = await BrowserOrderPages.OpenAsync(server.BaseUrl, cookie, parcels.Select(p => p.Order));
        var sent = new List<(string Order, string Status, double At)>();
        var webhook = new List<double>();
        var errors = 0;
        var start = Stopwatch.GetTimestamp();
        // Every parcel out for delivery, then every parcel delivered: a page's two changes are seconds apart, so each
        // is drawn on its own rather than the second overtaking the first.
        foreach (var (code, status) in new[] { ("out_for_delivery", "Out for delivery"), ("delivered", "Delivered") })
        {
            foreach (var (order, trackingNumber) in parcels)
            {
                var due = start + (long)(sent.Count * (double)Stopwatch.Frequency / rate);
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.FromMilliseconds(1)) await Task.Delay(wait);
                sent.Add((order, status, BrowserOrderPages.NowUnixMs()));
                var started = Stopwatch.GetTimestamp();
                if (!await SendScanAsync(http, trackingNumber, code)) errors++;
                webhook.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
        await Task.Delay(3000);   // let the last updates draw
        var latencies = new List<double>();
        foreach (var (order, status, at) in sent)
            if (await pages.ShownAtAsync(order, status) is { } shown) latencies.Add(shown - at);
        return new Run(sent.Count, latencies, webhook, errors);
    }

    /// <summary>One carrier scan through the signed webhook, as the carrier sends it.</summary>
    private static async Task<bool> SendScanAsync(HttpClient http, string trackingNumber, string code)
    {
        var body = JsonSerializer.Serialize(new
        {
            trackingNumber, eventId = Guid.NewGuid().ToString("N"), code, description = code, location = "Lisboa", occurredAt = TimeProvider.System.GetUtcNow().UtcDateTime,
        });
        var unix = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), Encoding.UTF8.GetBytes(unix + "." + body)));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/v1/carriers/simulator/events", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Carrier-Signature", $"t={unix},v1={signature}");
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode;
    }
}
