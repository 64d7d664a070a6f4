using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Seo;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Catalog;

/// <summary>
/// A product's address in the shop, <c>/shop/{slug}</c>. The slug is independent of the name (renaming a product keeps its
/// address); when staff change the slug the old one is kept as a <see cref="ProductSlugRedirect"/>, so it answers a permanent
/// redirect to the product wherever it lives now. A slug another product takes later is that product's: the live address
/// always wins over a former one.
/// </summary>
public sealed class ProductAddresses(CentricDbContext db, TimeProvider clock)
{
    public const int MaxLength = 200;

    /// <summary>Lower-case letters, digits and dashes, as the catalog CSV has always required.</summary>
    public static bool IsValid(string slug) =>
        slug.Length is > 0 and <= MaxLength && slug.All(ch => char.IsAsciiLetterLower(ch) || char.IsAsciiDigit(ch) || ch == '-');

    /// <summary>The current slug of the product for sale that used to live at <paramref name="formerSlug"/>, or null.</summary>
    public Task<string?> CurrentSlugForAsync(string formerSlug, CancellationToken ct) =>
        (from r in db.ProductSlugRedirects
         join p in db.Products on r.ProductId equals p.Id
         where r.Slug == formerSlug && p.Active && p.Slug != formerSlug
         select p.Slug).FirstOrDefaultAsync(ct);

    /// <summary>A product takes <paramref name="slug"/> (a new product, or one moving there): a former-address record for it goes.</summary>
    public async Task ClaimAsync(string slug, CancellationToken ct)
    {
        foreach (var stale in await db.ProductSlugRedirects.Where(r => r.Slug == slug).ToListAsync(ct)) db.ProductSlugRedirects.Remove(stale);
    }

    /// <summary>
    /// Moves <paramref name="product"/> to <paramref name="newSlug"/> and keeps its old slug leading to it. Tracked changes
    /// only: the caller's save commits the move and its redirect together.
    /// </summary>
    public async Task MoveAsync(Product product, string newSlug, CancellationToken ct)
    {
        newSlug = newSlug.Trim().ToLowerInvariant();
        if (!IsValid(newSlug)) throw RequestValidationException.For("slug", "Lower-case letters, digits and dashes, at most 200 characters.");
        if (newSlug == product.Slug) return;
        if (await db.Products.AnyAsync(p => p.Slug == newSlug && p.Id != product.Id, ct))
            throw new DomainException("product-slug-taken", $"Another product already uses /shop/{newSlug}.");
        await ClaimAsync(newSlug, ct);
        var former = await db.ProductSlugRedirects.FirstOrDefaultAsync(r => r.Slug == product.Slug, ct);
        if (former is null)
            db.ProductSlugRedirects.Add(new ProductSlugRedirect { Slug = product.Slug, ProductId = product.Id, CreatedAt = clock.GetUtcNow().UtcDateTime });
        else former.ProductId = product.Id;
        product.Slug = newSlug;
    }
}

/// <summary>Commerce's pages for search engines: the shop and every product for sale.</summary>
internal sealed class ShopPublicPages(CentricDbContext db) : IPublicPages
{
    public async Task<IReadOnlyList<PublicPage>> ListAsync(CancellationToken ct)
    {
        var slugs = await db.Products.AsNoTracking().Where(p => p.Active).OrderBy(p => p.Slug).Select(p => p.Slug)
            .Take(PublicPage.MaxPerSitemap).ToListAsync(ct);
        return [new PublicPage("/shop"), .. slugs.Select(s => new PublicPage("/shop/" + Uri.EscapeDataString(s)))];
    }
}
