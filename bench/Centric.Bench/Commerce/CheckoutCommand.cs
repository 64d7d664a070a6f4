using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Centric.Bench.Platform;

namespace Centric.Bench.Commerce;

/// <summary>
/// `checkout`: shoppers going from cart to paid order through the portal's own forms, closed loop, many at once: the
/// checkout form (guest, standard delivery), then the card form on the payment page (sandbox gateway). Every order is
/// one unit. With `--from cart` (the default) each order starts from a cart filled before the measured run, through
/// the product page's add-to-cart form, by a visitor of its own; with `--from product` the add-to-cart post is part of
/// each order and its latency. A share of the orders want the same limited-stock product; the run checks that it never
/// oversold: a poller watches that product's stock throughout (never below zero), and at the end the paid orders holding
/// it equal the units that left the shelf. The baseline is the same flow with one shopper at a time on the same server
/// in the same run. With `--offers`, an automatic promotion applies to every order and a share of the shoppers type one of a
/// few single-use codes, all wanted at once: a shopper whose code is used up checks out again without it, and the run checks
/// that no code was redeemed twice.
/// </summary>
public static partial class CheckoutCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var clients = options.GetInt("clients", 16);
        var seconds = options.GetInt("seconds", 30);
        var baselineSeconds = options.GetInt("baseline-seconds", 10);
        var warmupSeconds = options.GetInt("warmup-seconds", 30);
        var limitedStock = options.GetInt("limited-stock", 40);
        var limitedShare = options.GetInt("limited-percent", 20) / 100.0;
        var from = options.Get("from", "cart");
        if (from is not ("cart" or "product")) throw new ArgumentException("--from is cart or product");
        var carts = options.GetInt("carts", 12000);
        var offers = options.Has("offers");
        var codeShare = options.GetInt("code-percent", 10) / 100.0;
        var codeCount = options.GetInt("codes", 50);
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
        // Orders placed before this moment (a seeded subscription renewing as the server starts) bought stock the reset
        // above put back: they are not counted against the limited units.
        var stockSetAt = await ShopDatabase.ScalarAsync<DateTime>(db, "select now()");
        string[] codes = [];
        if (offers)
        {
            // What a shop runs on a normal day: 5 % off everything, stackable, and single-use codes handed out to a few.
            await ShopDatabase.ExecuteAsync(db, """update commerce_promotions set "Paused" = true""");
            await CreatePromotionAsync(server, new { name = "Bench: 5% off everything", kind = "percent_off", percentOff = 5, stackable = true });
            var run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
            codes = [.. Enumerable.Range(1, codeCount).Select(i => $"ONCE-{run}-{i:D3}")];
            foreach (var code in codes)
                await CreatePromotionAsync(server, new { name = "Bench: 2 euros once", code, kind = "amount_off", amountOff = 2, totalLimit = 1, stackable = true });
        }

        // A server that has run for a while: under load the runtime recompiles hot code for a good half minute, and
        // that compiler work would otherwise be counted against the measured run. The warm-up buys from the product page.
        await RunShoppersAsync(server, clients, warmupSeconds, null, plenty, limited, 0, new Random(1));
        var watch = WatchLimitedStock(server, limited.Variant);
        // From cart: every order takes a cart filled beforehand; from product: the shopper fills it as part of the order.
        ConcurrentQueue<FilledCart>? baselineCarts = null, measuredCarts = null;
        if (from == "cart")
        {
            baselineCarts = await FillCartsAsync(server, clients, baselineSeconds * 100, plenty, limited, 0, new Random(4));
            measuredCarts = await FillCartsAsync(server, clients, carts, plenty, limited, limitedShare, new Random(5));
        }
        var baseline = await RunShoppersAsync(server, 1, baselineSeconds, baselineCarts, plenty, limited, 0, new Random(2));
        var cpuBefore = server.CpuTime();
        Console.Error.WriteLine($"checkout: measuring {clients} shoppers for {seconds} s");
        var measuredFrom = TimeProvider.System.GetUtcNow().UtcDateTime;
        var measured = await RunShoppersAsync(server, clients, seconds, measuredCarts, plenty, limited, limitedShare, new Random(3), codes, codeShare);
        var cpu = server.CpuTime() - cpuBefore;
        var trainingRuns = await ShopDatabase.TrainingRunsDuringAsync(db, measuredFrom, TimeProvider.System.GetUtcNow().UtcDateTime);
        var (lowestAvailable, lowestOnHand) = await watch.StopAsync();

        var onHand = await ShopDatabase.ScalarAsync<long>(db, """select sum("OnHand") from commerce_stock_levels where "VariantId" = @v""", ("v", limited.Variant));
        var reserved = await ShopDatabase.ScalarAsync<long>(db, """select sum("Reserved") from commerce_stock_levels where "VariantId" = @v""", ("v", limited.Variant));
        var paidLimitedUnits = await ShopDatabase.ScalarAsync<long>(db, """
            select coalesce(sum(l."Quantity"), 0) from commerce_order_lines l join commerce_orders o on o."Id" = l."OrderId"
            where l."VariantId" = @v and o."Status" = 1 and o."PlacedAt" >= @since
            """, ("v", limited.Variant), ("since", stockSetAt));
        var negativeRows = await ShopDatabase.ScalarAsync<long>(db, """select count(*) from commerce_stock_levels where "OnHand" < 0 or "Reserved" < 0 or "OnHand" < "Reserved" """);
        var unitsSold = limitedStock - onHand;
        // Each single-use code: redemptions held, and orders carrying it; more than one of either is a double redemption.
        long codesRedeemed = 0, doubleRedemptions = 0, ordersWithCode = 0, discountedOrders = 0;
        if (offers)
        {
            codesRedeemed = await ShopDatabase.ScalarAsync<long>(db, """select count(*) from commerce_promotion_redemptions where "Code" = any(@c) and "ReleasedAt" is null""", ("c", codes));
            doubleRedemptions = await ShopDatabase.ScalarAsync<long>(db, """
                select count(*) from (select "Code" from commerce_promotion_redemptions where "Code" = any(@c) and "ReleasedAt" is null group by "Code" having count(*) > 1) d
                """, ("c", codes))
                + await ShopDatabase.ScalarAsync<long>(db, """
                select count(*) from (select "PromoCode" from commerce_orders where "PromoCode" = any(@c) group by "PromoCode" having count(*) > 1) d
                """, ("c", codes));
            ordersWithCode = await ShopDatabase.ScalarAsync<long>(db, """select count(*) from commerce_orders where "PromoCode" = any(@c)""", ("c", codes));
            discountedOrders = await ShopDatabase.ScalarAsync<long>(db, """select count(*) from commerce_orders where "PlacedAt" >= @since and "DiscountMinor" > 0""", ("since", stockSetAt));
        }
        var oversold = negativeRows > 0 || lowestAvailable < 0 || lowestOnHand < 0 || paidLimitedUnits != unitsSold || paidLimitedUnits > limitedStock;

        JsonLine.Write(new
        {
            bench = "checkout",
            provider = server.Provider,
            from,
            clients,
            seconds,
            ordersPaid = measured.Paid,
            measuredSeconds = Math.Round(measured.Seconds, 1),
            ranOutOfCarts = measured.RanOut,
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
            trainingRunsDuringMeasurement = trainingRuns,
            offers = offers ? new { codes = codes.Length, codesTried = measured.CodesTried, codesRefused = measured.CodesRefused, codesRedeemed, ordersWithCode, doubleRedemptions, discountedOrders } : null,
        });
        await db.CloseAsync();
        if (server is { Owned: true, NamedDatabase: false, PostgresDatabase: { } pg } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, pg);
        return oversold || doubleRedemptions > 0 ? 1 : 0;
    }

    private sealed record Run(int Paid, int Refused, int Errors, List<double> Latencies, double Seconds, bool RanOut, int CodesTried = 0, int CodesRefused = 0);

    private static async Task CreatePromotionAsync(BenchServer server, object promotion)
    {
        using var api = server.CreateClient(1);
        using var response = await api.PostAsJsonAsync("/api/v1/promotions", promotion);
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"could not create a promotion: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private sealed record FilledCart(PortalVisitor Visitor, (string Slug, Guid Variant, string Name) Product);

    /// <summary>Visitors who each put one unit in their cart on the product page, ready to check out.</summary>
    private static async Task<ConcurrentQueue<FilledCart>> FillCartsAsync(BenchServer server, int clients, int count,
        List<(string Slug, Guid Variant, string Name)> plenty, (string Slug, Guid Variant, string Name) limited, double limitedShare, Random seed)
    {
        var ready = new ConcurrentQueue<FilledCart>();
        var wanted = Enumerable.Range(0, count).Select(_ => seed.NextDouble() < limitedShare ? limited : plenty[seed.Next(plenty.Count)]).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, clients).Select(_ => Task.Run(async () =>
        {
            var http = PortalVisitor.Browser(server.BaseUrl);
            for (var i = Interlocked.Increment(ref next); i < wanted.Count; i = Interlocked.Increment(ref next))
            {
                var visitor = new PortalVisitor(http);
                await visitor.OpenAsync($"/shop/{wanted[i].Slug}");
                var (status, location) = await visitor.PostFormAsync($"/shop/{wanted[i].Slug}", "add-to-cart",
                    [new("Input.VariantId", wanted[i].Variant.ToString()), new("Input.Quantity", "1")]);
                if (status != HttpStatusCode.Redirect || location?.Contains("cart", StringComparison.Ordinal) != true)
                    throw new InvalidOperationException($"could not fill a cart with {wanted[i].Slug}: {(int)status}");
                ready.Enqueue(new FilledCart(visitor, wanted[i]));
            }
        })));
        return ready;
    }

    /// <summary>
    /// Shoppers at once for the given time. From prepared carts, each order takes the next cart and checks it out;
    /// otherwise a shopper buys from the product page, keeping their cookies between orders.
    /// </summary>
    private static async Task<Run> RunShoppersAsync(BenchServer server, int clients, int seconds, ConcurrentQueue<FilledCart>? carts,
        List<(string Slug, Guid Variant, string Name)> plenty, (string Slug, Guid Variant, string Name) limited, double limitedShare, Random seed,
        string[]? codes = null, double codeShare = 0)
    {
        var latencies = new ConcurrentBag<double>();
        int paid = 0, refused = 0, errors = 0, codesTried = 0, codesRefused = 0;
        var ranOut = false;
        var until = Stopwatch.GetTimestamp() + seconds * Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var seeds = Enumerable.Range(0, clients).Select(_ => seed.Next()).ToArray();
        await Task.WhenAll(seeds.Select(s => Task.Run(async () =>
        {
            var random = new Random(s);
            PortalVisitor? shopper = null;
            while (Stopwatch.GetTimestamp() < until)
            {
                try
                {
                    long started;
                    Outcome outcome;
                    if (carts is not null)
                    {
                        if (!carts.TryDequeue(out var cart))
                        {
                            ranOut = true;
                            break;
                        }
                        started = Stopwatch.GetTimestamp();
                        if (codes is { Length: > 0 } && random.NextDouble() < codeShare)
                        {
                            Interlocked.Increment(ref codesTried);
                            outcome = await CheckOutAsync(cart.Visitor, codes[random.Next(codes.Length)]);
                            // Refused (the code was used up, or the stock gone): the shopper removes the code and tries once more.
                            if (outcome == Outcome.SoldOut)
                            {
                                outcome = await CheckOutAsync(cart.Visitor);
                                if (outcome == Outcome.Paid) Interlocked.Increment(ref codesRefused);
                            }
                        }
                        else outcome = await CheckOutAsync(cart.Visitor);
                    }
                    else
                    {
                        var product = random.NextDouble() < limitedShare ? limited : plenty[random.Next(plenty.Count)];
                        // A returning shopper keeps their cookies; after a refusal a new one starts with an empty cart.
                        if (shopper is null)
                        {
                            shopper = new PortalVisitor(server.BaseUrl);
                            await shopper.OpenAsync($"/shop/{product.Slug}");
                        }
                        started = Stopwatch.GetTimestamp();
                        outcome = await BuyAsync(shopper, product);
                        if (outcome != Outcome.Paid)
                        {
                            shopper.Dispose();
                            shopper = null;
                        }
                    }
                    switch (outcome)
                    {
                        case Outcome.Paid:
                            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                            Interlocked.Increment(ref paid);
                            break;
                        case Outcome.SoldOut:
                            Interlocked.Increment(ref refused);
                            break;
                        default:
                            Interlocked.Increment(ref errors);
                            break;
                    }
                }
                catch (HttpRequestException) { Interlocked.Increment(ref errors); }
            }
            shopper?.Dispose();
        })));
        return new Run(paid, refused, errors, [.. latencies], Stopwatch.GetElapsedTime(start).TotalSeconds, ranOut, codesTried, codesRefused);
    }

    /// <summary>Polls the limited product's shelf every 20 ms until stopped; the lowest values seen.</summary>
    private sealed class StockWatch(Task<(int Available, int OnHand)> poller, CancellationTokenSource stop)
    {
        public async Task<(int LowestAvailable, int LowestOnHand)> StopAsync()
        {
            await stop.CancelAsync();
            return await poller;
        }
    }

    private static StockWatch WatchLimitedStock(BenchServer server, Guid variant)
    {
        var stop = new CancellationTokenSource();
        var poller = Task.Run(async () =>
        {
            int lowestAvailable = int.MaxValue, lowestOnHand = int.MaxValue;
            await using var watch = ShopDatabase.Open(server);
            await watch.OpenAsync();
            while (!stop.IsCancellationRequested)
            {
                await using var cmd = new Npgsql.NpgsqlCommand("""select min("OnHand" - "Reserved"), min("OnHand") from commerce_stock_levels where "VariantId" = @v""", watch);
                cmd.Parameters.AddWithValue("v", variant);
                await using var reader = await cmd.ExecuteReaderAsync();
                await reader.ReadAsync();
                lowestAvailable = Math.Min(lowestAvailable, reader.GetInt32(0));
                lowestOnHand = Math.Min(lowestOnHand, reader.GetInt32(1));
                await Task.Delay(20);
            }
            return (lowestAvailable, lowestOnHand);
        });
        return new StockWatch(poller, stop);
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
        return await CheckOutAsync(shopper);
    }

    /// <summary>The checkout form, then the card form: from a filled cart to a paid order.</summary>
    internal static async Task<Outcome> CheckOutAsync(PortalVisitor shopper, string? promoCode = null)
    {
        var email = $"bench-{Guid.NewGuid():N}@example.com";
        List<KeyValuePair<string, string>> form =
        [
            new("Form.Email", email), new("Form.ShippingMethod", "standard"), new("Form.Name", "Bench Shopper"), new("Form.Line1", "Rua Augusta 1"),
            new("Form.City", "Lisboa"), new("Form.PostalCode", "1100-048"), new("Form.Country", "PT"), new("Form.IdempotencyKey", Guid.NewGuid().ToString("N")),
        ];
        if (promoCode is not null) form.Add(new("Form.PromoCode", promoCode));
        var (status, location) = await shopper.PostFormAsync("/checkout", "checkout", form);
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
