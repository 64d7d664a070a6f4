using System.Globalization;
using Centric.Server.Commerce.Inventory;
using CsvHelper;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Catalog;

public sealed record CsvImportResult(int Created, int Updated, IReadOnlyList<string> Errors);

/// <summary>
/// The catalog as CSV, one row per variant:
/// sku,product_slug,product_name,category,description,options,price,currency,gtin,stock_location,stock,active.
/// Import upserts by SKU (and product by slug); a bad row is reported with its line number and skipped, the rest load.
/// A known SKU under a product_slug no product has moves its product to that address, and the old address redirects there
/// (<see cref="ProductAddresses"/>); a product moves at most once per file, so a later row still naming its old slug splits
/// that variant off into a new product at the old address.
/// </summary>
public sealed class CatalogCsv(CentricDbContext db, TimeProvider clock, ProductAddresses addresses, ProductNewsDesk news)
{
    /// <summary>RFC 4180: quoted fields may hold commas, quotes ("") and line breaks; errors name the line a row starts on.</summary>
    private static readonly CsvReaderOptions ReadOptions = CsvReaderOptions.Default with { Separator = ',', TrackLineNumbers = true };

    public static readonly string[] Header = ["sku", "product_slug", "product_name", "category", "description", "options", "price", "currency", "gtin", "stock_location", "stock", "active"];

    public async Task<string> ExportAsync(CancellationToken ct)
    {
        var rows = await (from v in db.Variants
                          join p in db.Products on v.ProductId equals p.Id
                          join c in db.Categories on p.CategoryId equals c.Id
                          orderby p.Slug, v.Sku
                          select new { v.Id, v.Sku, p.Slug, p.Name, Category = c.Slug, p.Description, v.Options, v.PriceMinor, v.Currency, v.Gtin, p.Active }).ToListAsync(ct);
        var warehouse = await db.StockLocations.OrderBy(l => l.IsStore).ThenBy(l => l.Code).FirstOrDefaultAsync(ct);
        var stock = warehouse is null ? [] : await db.StockLevels.Where(s => s.LocationId == warehouse.Id).ToDictionaryAsync(s => s.VariantId, s => s.OnHand, ct);
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(text, CsvWriterOptions.Default with { NewLine = "\n" }, leaveOpen: true))
        {
            csv.WriteRecord(Header);
            foreach (var r in rows)
            {
                csv.WriteRecord([r.Sku, r.Slug, r.Name, r.Category, r.Description, r.Options, (r.PriceMinor / 100m).ToString("0.00", CultureInfo.InvariantCulture), r.Currency,
                    r.Gtin ?? "", warehouse?.Code ?? "", stock.GetValueOrDefault(r.Id).ToString(CultureInfo.InvariantCulture), r.Active ? "true" : "false"]);
            }
        }
        return text.ToString();
    }

    public async Task<CsvImportResult> ImportAsync(TextReader reader, CancellationToken ct)
    {
        var errors = new List<string>();
        var (created, updated) = (0, 0);
        await using var csv = CsvReader.Create(reader, ReadOptions, leaveOpen: true);
        await csv.ReadHeaderAsync(ct);
        if (csv.Headers.Count == 0) return new CsvImportResult(0, 0, ["The file is empty."]);
        var header = csv.Headers.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Header.Take(7).Where(h => !header.Contains(h)).ToList();
        if (missing.Count > 0) return new CsvImportResult(0, 0, [$"Missing columns: {string.Join(", ", missing)}."]);
        string Get(List<string> row, string name) => header.IndexOf(name) is var i and >= 0 && i < row.Count ? row[i].Trim() : "";

        var now = clock.GetUtcNow().UtcDateTime;
        var moved = new HashSet<Guid>();
        while (await csv.ReadAsync(ct))
        {
            var lineNumber = csv.LineNumber;
            var row = Enumerable.Range(0, csv.FieldCount).Select(i => csv.GetString(i) ?? "").ToList();
            if (row.All(string.IsNullOrWhiteSpace)) continue;
            var sku = Get(row, "sku");
            var slug = Get(row, "product_slug").ToLowerInvariant();
            var name = Get(row, "product_name");
            var categorySlug = Get(row, "category").ToLowerInvariant();
            var currency = Get(row, "currency") is { Length: 3 } cur ? cur.ToUpperInvariant() : "EUR";
            var problems = new List<string>();
            if (sku.Length is 0 or > 64) problems.Add("sku is required (at most 64 characters)");
            if (slug.Length is 0 or > 200 || slug.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch == '-'))) problems.Add("product_slug must be letters, digits and dashes");
            if (name.Length is 0 or > 300) problems.Add("product_name is required");
            if (categorySlug.Length is 0 or > 100) problems.Add("category is required");
            if (!decimal.TryParse(Get(row, "price"), NumberStyles.Number, CultureInfo.InvariantCulture, out var price) || price < 0 || price > 1_000_000)
                problems.Add("price must be a number like 12.50");
            var gtin = Get(row, "gtin");
            if (gtin.Length > 0 && (gtin.Length is < 8 or > 14 || !gtin.All(char.IsAsciiDigit))) problems.Add("gtin must be 8 to 14 digits");
            int? stock = null;
            if (Get(row, "stock") is { Length: > 0 } stockText)
            {
                if (int.TryParse(stockText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s <= 1_000_000) stock = s;
                else problems.Add("stock must be a whole number ≥ 0");
            }
            if (problems.Count > 0)
            {
                errors.Add($"line {lineNumber}: {string.Join("; ", problems)}");
                continue;
            }

            var category = await db.Categories.FirstOrDefaultAsync(c => c.Slug == categorySlug, ct);
            if (category is null)
            {
                category = new Category { Slug = categorySlug, Name = char.ToUpperInvariant(categorySlug[0]) + categorySlug[1..].Replace('_', ' ') };
                db.Categories.Add(category);
            }
            var product = await db.Products.FirstOrDefaultAsync(p => p.Slug == slug, ct);
            if (product is null
                && await (from v in db.Variants join p in db.Products on v.ProductId equals p.Id where v.Sku == sku select p).FirstOrDefaultAsync(ct) is { } current
                && moved.Add(current.Id))
            {
                await addresses.MoveAsync(current, slug, ct);
                product = current;
            }
            if (product is null)
            {
                await addresses.ClaimAsync(slug, ct);
                product = new Product { Slug = slug, Name = name, CategoryId = category.Id, CreatedAt = now, Currency = currency };
                db.Products.Add(product);
            }
            product.Name = name;
            product.CategoryId = category.Id;
            // Product columns repeat on every variant row; a blank one keeps what an earlier row set.
            if (Get(row, "description") is { Length: > 0 } description) product.Description = description;
            product.Active = Get(row, "active").ToLowerInvariant() is not ("false" or "0" or "no");
            product.SearchText = $"{name} {category.Name} {product.Description}".ToLowerInvariant()[..Math.Min(2000, $"{name} {category.Name} {product.Description}".Length)];

            var variant = await db.Variants.FirstOrDefaultAsync(v => v.Sku == sku, ct);
            // Where the variant's product stood before this row, so a restock or a lower price reaches those waiting for it.
            Dictionary<Guid, ProductStanding> before = variant is null ? [] : await news.ReadAsync([variant.ProductId], ct);
            if (variant is null)
            {
                variant = new ProductVariant { Sku = sku, ProductId = product.Id, Currency = currency };
                db.Variants.Add(variant);
                created++;
            }
            else updated++;
            variant.ProductId = product.Id;
            variant.Options = Get(row, "options");
            variant.PriceMinor = (long)Math.Round(price * 100, MidpointRounding.AwayFromZero);
            variant.Currency = currency;
            variant.Gtin = gtin.Length > 0 ? gtin : null;

            if (stock is { } onHand)
            {
                var code = Get(row, "stock_location") is { Length: > 0 } c ? c.ToUpperInvariant() : "WH1";
                var location = await db.StockLocations.FirstOrDefaultAsync(l => l.Code == code, ct);
                if (location is null)
                {
                    location = new StockLocation { Code = code, Name = code };
                    db.StockLocations.Add(location);
                }
                var level = await db.StockLevels.FindAsync([variant.Id, location.Id], ct);
                if (level is null) db.StockLevels.Add(new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = onHand });
                else level.OnHand = onHand;
            }
            await db.SaveChangesAsync(ct);
            await RefreshPriceFromAsync(product.Id, ct);
            if (await news.PublishAsync(before, ct) > 0) await db.SaveChangesAsync(ct);
        }
        return new CsvImportResult(created, updated, errors);
    }

    /// <summary>Keeps the product's "from" price equal to its cheapest variant.</summary>
    public async Task RefreshPriceFromAsync(Guid productId, CancellationToken ct)
    {
        var min = await db.Variants.Where(v => v.ProductId == productId).MinAsync(v => (long?)v.PriceMinor, ct) ?? 0;
        await db.Products.Where(p => p.Id == productId).ExecuteUpdateAsync(s => s.SetProperty(p => p.PriceFromMinor, min), ct);
    }
}
