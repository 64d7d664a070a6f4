using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Centric.Bench.Platform;

namespace Centric.Bench.Commerce;

/// <summary>
/// `checkout`: shoppers going from cart to paid order through the portal's own forms, closed loop, many at once:
/// add to cart on the product page, the checkout form (guest, standard delivery), the card form on the payment page
/// (sandbox gateway). Every order is one unit. A share of the shoppers want the same limited-stock product; the run
/// checks that it never oversold: a poller watches that product's stock throughout (never below zero), and at the end
/// the paid orders holding it equal the units that left the shelf. The baseline is the same flow with one shopper at a
/// time on the same server in the same run.
/// </summary>
public static partial class CheckoutCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var clients = options.GetInt("clients", 16);
        var seconds = options.GetInt("seconds", 30);
        var baselineSeconds = options.GetInt("baseline-seconds", 10);
        var limitedStock = options.GetInt("limited-stock", 40);
        var limitedShare = options.GetInt("limited-percent", 20) / 100.0;
        await using var server = await BenchServer.StartOrAttachAsync(options, "checkout", new Dictionary<string, string> { ["Database__SeedDemoData"] = "true" });
        await using var db = ShopDatabase.Open(server);
        await db.OpenAsync();
        var products = await ShopDatabase.SingleVariantProductsAsync(db);
        var limited = products[0];
        var plenty = products.Skip(1).ToList();
        // Plenty of everything except the limited product: it has exactly limitedStock units, all in one warehouse.
        await ShopDatabase.ExecuteAsync(db, """update commerce_stock_levels set "OnHand" = 10000000, "Reserved" = 0""");
        await ShopDatabase.ExecuteAsync(db, """update commerce_stock_levels set "OnHand" = 0 where "VariantId" = @v""", ("v", limited.Variant));
        await ShopDatabase.ExecuteAsync(db, """
            update commerce_stock_levels set "OnHand" = @n where "VariantId" = @v
              and "LocationId" = (select "LocationId" from commerce_stock_levels where "VariantId" = @v order by "LocationId" limit 1)
            """, ("n", limitedStock), ("v", limited.Variant));

        await RunShoppersAsync(server, 2, 5, plenty, limited, 0, new Random(1));   // warm-up
        var baseline = await RunShoppersAsync(server, 1, baselineSeconds, plenty, limited, 0, new Random(2));

        // Watch the limited product's shelf while the crowd buys it.
        using var stop = new CancellationTokenSource();
        var lowestAvailable = int.MaxValue;
        var lowestOnHand = int.MaxValue;
        var poller = Task.Run(async () =>
        {
            await using var watch = ShopDatabase.Open(server);
            await watch.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var cmd = new Npgsql.NpgsqlCommand("""select min("OnHand" - "Reserved"), min("OnHand") from commerce_stock_levels where "VariantId" = @v""", watch);
                cmd.Parameters.AddWithValue("v", limited.Variant);
                await using var reader = await cmd.ExecuteReaderAsync();
                await reader.ReadAsync();
                lowestAvailable = Math.Min(lowestAvailable, reader.GetInt32(0));
                lowestOnHand = Math.Min(lowestOnHand, reader.GetInt32(1));
                await Task.Delay(20);
            }
        });
        var cpuBefore = server.CpuTime();
        var measured = await RunShoppersAsync(server, clients, seconds, plenty, limited, limitedShare, new Random(3));
        var cpu = server.CpuTime() - cpuBefore;
        await stop.CancelAsync();
        await poller;

        var onHand = await ShopDatabase.ScalarAsync<long>(db, """select sum("OnHand") from commerce_stock_levels where "VariantId" = @v""", ("v", limited.Variant));
        var reserved = await ShopDatabase.ScalarAsync<long>(db, """select sum("Reserved") from commerce_stock_levels where "VariantId" = @v""", ("v", limited.Variant));
        var paidLimitedUnits = await ShopDatabase.ScalarAsync<long>(db, """
            select coalesce(sum(l."Quantity"), 0) from commerce_order_lines l join commerce_orders o on o."Id" = l."OrderId"
            where l."VariantId" = @v and o."Status" = 1
            """, ("v", limited.Variant));
        var negativeRows = await ShopDatabase.ScalarAsync<long>(db, """select count(*) from commerce_stock_levels where "OnHand" < 0 or "Reserved" < 0 or "OnHand" < "Reserved" """);
        var unitsSold = limitedStock - onHand;
        var oversold = negativeRows > 0 || lowestAvailable < 0 || lowestOnHand < 0 || paidLimitedUnits != unitsSold || paidLimitedUnits > limitedStock;

        JsonLine.Write(new
        {
            bench = "checkout",
            provider = server.Provider,
            clients,
            seconds,
            ordersPaid = measured.Paid,
            ordersPerSecond = Math.Round(measured.Paid / measured.Seconds, 1),
            order = Percentiles.Summary(measured.Latencies),
            soldOutRefusals = measured.Refused,
            errors = measured.Errors + baseline.Errors,
            baselineOrdersPerSecond = Math.Round(baseline.Paid / baseline.Seconds, 1),
            baselineOrder = Percentiles.Summary(baseline.Latencies),
            throughputOverBaseline = Math.Round(measured.Paid / measured.Seconds / (baseline.Paid / baseline.Seconds), 2),
            limited = new
            {
                stock = limitedStock, unitsSold, paidOrderUnits = paidLimitedUnits, stillReserved = reserved,
                lowestAvailableSeen = lowestAvailable, lowestOnHandSeen = lowestOnHand, negativeStockRows = negativeRows, oversold,
            },
            serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
        });
        return oversold ? 1 : 0;
    }

    private sealed record Run(int Paid, int Refused, int Errors, List<double> Latencies, double Seconds);

    private static async Task<Run> RunShoppersAsync(BenchServer server, int clients, int seconds, List<(string Slug, Guid Variant, string Name)> plenty,
        (string Slug, Guid Variant, string Name) limited, double limitedShare, Random seed)
    {
        var latencies = new ConcurrentBag<double>();
        int paid = 0, refused = 0, errors = 0;
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var seeds = Enumerable.Range(0, clients).Select(_ => seed.Next()).ToArray();
        await Task.WhenAll(seeds.Select(s => Task.Run(async () =>
        {
            var random = new Random(s);
            PortalVisitor? shopper = null;
            while (Stopwatch.GetTimestamp() < until)
            {
                var product = random.NextDouble() < limitedShare ? limited : plenty[random.Next(plenty.Count)];
                try
                {
                    // A returning shopper keeps their cookies; after a refusal a new one starts with an empty cart.
                    if (shopper is null)
                    {
                        shopper = new PortalVisitor(server.BaseUrl);
                        await shopper.OpenAsync($"/shop/{product.Slug}");
                    }
                    var started = Stopwatch.GetTimestamp();
                    switch (await BuyAsync(shopper, product))
                    {
                        case Outcome.Paid:
                            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                            Interlocked.Increment(ref paid);
                            break;
                        case Outcome.SoldOut:
                            Interlocked.Increment(ref refused);
                            shopper.Dispose();
                            shopper = null;
                            break;
                        default:
                            Interlocked.Increment(ref errors);
                            shopper.Dispose();
                            shopper = null;
                            break;
                    }
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
            }
            shopper?.Dispose();
        })));
        return new Run(paid, refused, errors, [.. latencies], Stopwatch.GetElapsedTime(start).TotalSeconds);
    }

    internal enum Outcome { Paid, SoldOut, Failed }

    /// <summary>
    /// Add to cart, check out, pay: the three form posts a browser makes, each answered with a redirect. The pages the
    /// browser opens in between (cart, checkout, payment page) are left out: their cost is what shop-read measures.
    /// </summary>
    internal static async Task<Outcome> BuyAsync(PortalVisitor shopper, (string Slug, Guid Variant, string Name) product)
    {
        var (status, location) = await shopper.PostFormAsync($"/shop/{product.Slug}", "add-to-cart",
            [new("Input.VariantId", product.Variant.ToString()), new("Input.Quantity", "1")]);
        // The product page answers itself (no redirect) when there is not enough stock to add.
        if (status == HttpStatusCode.OK) return Outcome.SoldOut;
        if (status != HttpStatusCode.Redirect || location?.Contains("cart", StringComparison.Ordinal) != true) return Outcome.Failed;

        var email = $"bench-{Guid.NewGuid():N}@example.com";
        (status, location) = await shopper.PostFormAsync("/checkout", "checkout",
        [
            new("Form.Email", email), new("Form.ShippingMethod", "standard"), new("Form.Name", "Bench Shopper"), new("Form.Line1", "Rua Augusta 1"),
            new("Form.City", "Lisboa"), new("Form.PostalCode", "1100-048"), new("Form.Country", "PT"), new("Form.IdempotencyKey", Guid.NewGuid().ToString("N")),
        ]);
        // The checkout page answers itself when the hold on the stock fails (someone else got the last units).
        if (status == HttpStatusCode.OK) return Outcome.SoldOut;
        if (status != HttpStatusCode.Redirect || location is null || PayLocation().Match(location) is not { Success: true } pay) return Outcome.Failed;

        (status, location) = await shopper.PostFormAsync($"/checkout/pay/{pay.Groups["number"].Value}?key={pay.Groups["key"].Value}", "pay",
            [new("CardNumber", "4242424242424242"), new("Expiry", "12/30"), new("Cvc", "123"), new("IdempotencyKey", Guid.NewGuid().ToString("N"))]);
        return status == HttpStatusCode.Redirect && location?.Contains("placed=1", StringComparison.Ordinal) == true ? Outcome.Paid : Outcome.Failed;
    }

    [GeneratedRegex(@"checkout/pay/(?<number>[A-Z0-9-]+)\?key=(?<key>[0-9a-f]+)")]
    private static partial Regex PayLocation();
}
