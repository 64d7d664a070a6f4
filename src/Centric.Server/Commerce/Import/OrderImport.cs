using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Import;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Import;

/// <summary>
/// `centric import orders`: a business's order history, one order line a row. Lines sharing an order_id make one order,
/// delivered, placed at its earliest line's time; a negative quantity returns that much of one of the order's lines, as a
/// refund at its own time. Customers are resolved by identity (customer_id is their external id); a sku the catalogue does
/// not know becomes a product kept off the shop (it is history, not stock). Each order lands whole or not at all: a bad row
/// skips its order with it. Orders are keyed by order_id, so a second run of the file stores nothing twice.
/// Stored in batches straight into the tables (COPY on PostgreSQL), each order with its <c>order_placed</c> interaction at
/// its original time, so the KPIs, scores and the customer's timeline see the history as if it had happened here.
/// </summary>
internal sealed class OrderImport(CentricDbContext db, ICustomerImport customers, TimeProvider clock) : IImporter
{
    private const int Batch = 2_000;
    private const string ImportedCategory = "imported";

    public string Kind => "orders";

    public IReadOnlyList<string> Required { get; } = ["order_id", "customer_id|email", "ordered_at", "sku", "quantity", "unit_price"];

    private sealed record Line(int Row, ImportedCustomer Customer, DateTime At, string Sku, string? Name, string? Category, int Quantity,
        long UnitPriceMinor, string Currency, string? Country, string Channel);

    private sealed class ImportedOrder(string id)
    {
        public string Id => id;
        public List<Line> Lines { get; } = [];
        public List<(int Row, string Problem)> Problems { get; } = [];
        public int Rows;
    }

    /// <summary>The addresses of imported products so far, read once: a new one takes the first free.</summary>
    private HashSet<string>? _slugs;

    private sealed record KnownSku(Guid VariantId, Guid ProductId, string Name, string Category);

    public async Task<ImportReport> RunAsync(ImportFile file, bool dryRun, IProgress<ImportProgress> progress, CancellationToken ct)
    {
        var report = new ImportReport("orders");
        var orders = new Dictionary<string, ImportedOrder>(StringComparer.Ordinal);
        await foreach (var row in file.RowsAsync(Required, ct))
        {
            report.Rows++;
            var id = row["order_id"];
            if (id.Length is 0 or > 200) { report.Bad(row.Line, "order_id is required (at most 200 characters)"); continue; }
            if (!orders.TryGetValue(id, out var order)) orders[id] = order = new ImportedOrder(id);
            order.Rows++;
            var (line, problem) = Read(row);
            if (problem is not null) order.Problems.Add((row.Line, problem));
            else order.Lines.Add(line!);
            if (report.Rows % 1000 == 0) progress.Report(new ImportProgress("reading", file.Fraction, report.Rows, "rows"));
        }
        progress.Report(new ImportProgress("reading", 1, report.Rows, "rows"));

        var whole = new List<ImportedOrder>();
        foreach (var order in orders.Values)
        {
            if (order.Problems.Count == 0 && Check(order) is { } wrong) order.Problems.Add(wrong);
            if (order.Problems.Count == 0) { whole.Add(order); continue; }
            var (first, why) = order.Problems[0];
            report.Bad(first, $"{why}; order {order.Id} is skipped whole ({order.Rows} rows)", order.Rows);
        }

        var skus = new Dictionary<string, KnownSku>(StringComparer.Ordinal);
        for (var start = 0; start < whole.Count; start += Batch)
        {
            await StoreAsync(whole.GetRange(start, Math.Min(Batch, whole.Count - start)), skus, dryRun, report, ct);
            progress.Report(new ImportProgress("storing", (double)Math.Min(start + Batch, whole.Count) / whole.Count, report.Imported + report.AlreadyThere, "orders"));
        }
        return report;
    }

    private static (Line? Line, string? Problem) Read(ImportRow row)
    {
        var (customer, problem) = ImportedCustomer.Read(row);
        if (customer is null) return (null, problem);
        if (ImportFile.ParseTime(row["ordered_at"]) is not { } at) return (null, $"ordered_at '{row["ordered_at"]}' is not an ISO 8601 date");
        var sku = row["sku"];
        if (sku.Length is 0 or > 64) return (null, "sku is required (at most 64 characters)");
        if (!int.TryParse(row["quantity"], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var quantity) || quantity == 0 || Math.Abs(quantity) > 100_000)
            return (null, $"quantity '{row["quantity"]}' must be a whole number other than 0 (negative for a return)");
        if (!decimal.TryParse(row["unit_price"], NumberStyles.Number, CultureInfo.InvariantCulture, out var price) || price < 0 || price > 10_000_000)
            return (null, $"unit_price '{row["unit_price"]}' must be a number like 12.50");
        var currency = row["currency"] is { Length: > 0 } c ? c.ToUpperInvariant() : "EUR";
        if (currency.Length != 3 || !currency.All(char.IsAsciiLetter)) return (null, $"currency '{row["currency"]}' is not a three-letter code");
        var country = row["country"] is { Length: > 0 } k ? k.ToUpperInvariant() : null;
        if (country is not null && (country.Length != 2 || !country.All(char.IsAsciiLetter))) return (null, $"country '{row["country"]}' is not a two-letter code");
        var channel = row["channel"] is { Length: > 0 } ch ? ch.ToLowerInvariant() : "web";
        if (channel.Length > 20 || !channel.All(x => char.IsAsciiLetterLower(x) || x == '_')) return (null, $"channel '{row["channel"]}' must be a word such as web, phone or store");
        if (row["product_name"].Length > 300 || row["category"].Length > 100) return (null, "product_name is at most 300 characters, category at most 100");
        return (new Line(row.Line, customer, at, sku, row.Has("product_name") ? row["product_name"] : null, row.Has("category") ? row["category"] : null,
            quantity, (long)Math.Round(price * 100, MidpointRounding.AwayFromZero), currency, country, channel), null);
    }

    /// <summary>What makes a set of good rows not one order: two customers, two currencies, no line bought, a return of more than was bought.</summary>
    private static (int, string)? Check(ImportedOrder order)
    {
        var first = order.Lines[0];
        if (order.Lines.FirstOrDefault(l => l.Customer.Key != first.Customer.Key) is { } other) return (other.Row, "the order's rows name different customers");
        if (order.Lines.FirstOrDefault(l => l.Currency != first.Currency) is { } money) return (money.Row, "the order's rows are in different currencies");
        var bought = order.Lines.Where(l => l.Quantity > 0).ToList();
        if (bought.Count == 0) return (first.Row, "a return (negative quantity) needs the order's bought lines in the same file");
        var placed = bought.Min(l => l.At);
        foreach (var back in order.Lines.Where(l => l.Quantity < 0).GroupBy(l => l.Sku))
        {
            var had = bought.Where(l => l.Sku == back.Key).Sum(l => l.Quantity);
            if (-back.Sum(l => l.Quantity) > had) return (back.First().Row, $"returns {-back.Sum(l => l.Quantity)} of {back.Key}, more than the order's {had}");
            if (back.FirstOrDefault(l => l.At < placed) is { } early) return (early.Row, "a return is dated before its order");
        }
        return null;
    }

    private async Task StoreAsync(List<ImportedOrder> batch, Dictionary<string, KnownSku> skus, bool dryRun, ImportReport report, CancellationToken ct)
    {
        var keys = batch.ToDictionary(o => o.Id, o => KeyOf(o.Id));
        var keyList = keys.Values.ToList();
        var stored = (await db.Orders.Where(o => keyList.Contains(o.IdempotencyKey)).Select(o => o.IdempotencyKey).ToListAsync(ct)).ToHashSet();
        var fresh = batch.Where(o => !stored.Contains(keys[o.Id])).ToList();
        report.AlreadyThere += batch.Count - fresh.Count;
        if (dryRun || fresh.Count == 0)
        {
            if (dryRun) report.Imported += fresh.Count;
            return;
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        // Thousands of new rows are tracked per batch: changes are looked for once, before saving, not at every lookup.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var profiles = await customers.ResolveAsync([.. fresh.Select(o => o.Lines[0].Customer)], ct);
        await AddProductsAsync(fresh, skus, ct);
        db.ChangeTracker.DetectChanges();
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.AutoDetectChangesEnabled = true;

        var now = clock.GetUtcNow().UtcDateTime;
        var rows = new List<Order>(fresh.Count);
        var lines = new List<OrderLine>();
        var events = new List<Interaction>();
        foreach (var imported in fresh)
        {
            var first = imported.Lines[0];
            var bought = imported.Lines.Where(l => l.Quantity > 0).ToList();
            var placedAt = bought.Min(l => l.At);
            var order = new Order
            {
                Number = ImportFile.NumberFor("order", imported.Id), ProfileId = profiles[first.Customer.Key], Email = first.Customer.Email ?? "", Status = OrderStatus.Delivered,
                Currency = first.Currency, ShippingMethod = "imported", ShipCountry = imported.Lines.Select(l => l.Country).FirstOrDefault(c => c is not null),
                EstimatedDeliveryFrom = placedAt, EstimatedDeliveryTo = placedAt, IdempotencyKey = keys[imported.Id],
                PlacedAt = placedAt, PaidAt = placedAt, UpdatedAt = now,
            };
            foreach (var l in bought)
            {
                var sku = skus[l.Sku];
                lines.Add(new OrderLine
                {
                    OrderId = order.Id, VariantId = sku.VariantId, ProductId = sku.ProductId, Sku = l.Sku, Name = sku.Name, Category = sku.Category,
                    UnitPriceMinor = l.UnitPriceMinor, Quantity = l.Quantity, LineTotalMinor = l.UnitPriceMinor * l.Quantity,
                });
            }
            order.SubtotalMinor = order.TotalMinor = bought.Sum(l => l.UnitPriceMinor * l.Quantity);
            var items = bought.Select(l => new OrderedItem(skus[l.Sku].ProductId, l.Sku, skus[l.Sku].Category, l.Quantity, l.UnitPriceMinor / 100m)).ToArray();
            events.Add(Event(order, InteractionTypes.OrderPlaced, placedAt, first.Channel, "placed",
                new OrderPlacedProperties(order.Id, order.Number, order.TotalMinor / 100m, order.Currency, order.ShippingMethod, null, items,
                    [.. items.Select(i => i.Category).Distinct()]), now));
            foreach (var (back, n) in imported.Lines.Where(l => l.Quantity < 0).Select((l, n) => (l, n)))
            {
                var amount = back.UnitPriceMinor * -back.Quantity;
                order.RefundedMinor += amount;
                events.Add(Event(order, InteractionTypes.RefundIssued, back.At, back.Channel, "refund-" + n,
                    new RefundIssuedProperties(order.Id, order.Number, amount / 100m, order.Currency, $"Returned {-back.Quantity} × {back.Sku}"), now));
            }
            if (order.RefundedMinor >= order.TotalMinor && order.TotalMinor > 0) order.Status = OrderStatus.Refunded;
            rows.Add(order);
        }
        await BulkInsert.WriteAsync(db, rows, ct);
        await BulkInsert.WriteAsync(db, lines, ct);
        await InteractionLog.WriteBatchAsync(db, events, ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        report.Imported += fresh.Count;
    }

    /// <summary>An imported order's interaction: at its original time, linked to the order, with an event id that makes it once-only.</summary>
    private static Interaction Event<T>(Order order, InteractionType<T> type, DateTime at, string channel, string what, T properties, DateTime now) where T : class => new()
    {
        ProfileId = order.ProfileId, EventId = InteractionLog.ImportedPrefix + order.IdempotencyKey + ":" + what, Type = type.Name, Channel = channel,
        OccurredAt = at, ReceivedAt = now, Properties = JsonSerializer.Serialize(properties, JsonSerializerOptions.Web),
        SourceKind = "order", SourceId = order.Number,
    };

    /// <summary>Products for skus the catalogue does not know, kept off the shop: history names them, nobody has stocked them.</summary>
    private async Task AddProductsAsync(List<ImportedOrder> batch, Dictionary<string, KnownSku> skus, CancellationToken ct)
    {
        var wanted = batch.SelectMany(o => o.Lines).Where(l => !skus.ContainsKey(l.Sku)).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.First());
        if (wanted.Count == 0) return;
        var names = wanted.Keys.ToList();
        foreach (var v in await (from v in db.Variants join p in db.Products on v.ProductId equals p.Id join c in db.Categories on p.CategoryId equals c.Id
                                 where names.Contains(v.Sku) select new { v.Sku, VariantId = v.Id, ProductId = p.Id, p.Name, Category = c.Slug }).ToListAsync(ct))
            skus[v.Sku] = new KnownSku(v.VariantId, v.ProductId, v.Name, v.Category);
        var categories = await db.Categories.ToDictionaryAsync(c => c.Slug, ct);
        _slugs ??= (await db.Products.Where(p => p.Slug.StartsWith("imported-")).Select(p => p.Slug).ToListAsync(ct)).ToHashSet();
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (sku, line) in wanted.Where(w => !skus.ContainsKey(w.Key)))
        {
            var categorySlug = Slug(line.Category ?? ImportedCategory, 100);
            if (!categories.TryGetValue(categorySlug, out var category))
            {
                category = new Category { Slug = categorySlug, Name = line.Category ?? "Imported" };
                categories[categorySlug] = category;
                db.Categories.Add(category);
            }
            var name = line.Name ?? sku;
            var slug = "imported-" + Slug(sku, 150);
            for (var n = 2; !_slugs!.Add(slug); n++) slug = $"imported-{Slug(sku, 150)}-{n}";
            var product = new Product
            {
                Slug = slug, Name = name, CategoryId = category.Id, CreatedAt = now, Currency = line.Currency, Active = false,
                PriceFromMinor = line.UnitPriceMinor, SearchText = $"{name} {category.Name}".ToLowerInvariant(),
            };
            db.Products.Add(product);
            var variant = new ProductVariant { Sku = sku, ProductId = product.Id, Currency = line.Currency, PriceMinor = line.UnitPriceMinor };
            db.Variants.Add(variant);
            skus[sku] = new KnownSku(variant.Id, product.Id, name, categorySlug);
        }
    }

    private static string Slug(string text, int max) => Platform.Http.Slugs.From(text, max) is { Length: > 0 } slug ? slug : "item";

    /// <summary>The order's once-only key: "import:" and its id, hashed when the id is long.</summary>
    private static string KeyOf(string orderId) =>
        "import:" + (orderId.Length <= 57 ? orderId : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(orderId)))[..57]);

}
