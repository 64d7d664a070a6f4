using Centric.Server.Commerce.Catalog;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Carts;

public sealed record CartLineView(Guid LineId, Guid VariantId, Guid ProductId, string Slug, string Name, string Options, string Sku, string Category,
    Money UnitPrice, int Quantity, Money LineTotal, int Available);

public sealed record CartView(Guid CartId, IReadOnlyList<CartLineView> Lines, Money Subtotal, string? PromoCode)
{
    public int ItemCount => Lines.Sum(l => l.Quantity);
}

/// <summary>Carts for signed-in customers and anonymous visitors; an anonymous cart merges into the account on sign-in.</summary>
public sealed class CartService(CentricDbContext db, InteractionLog interactions, ICustomerDirectory customers, TimeProvider clock)
{
    public const int MaxQuantity = 99;

    /// <summary>The cart for this shopper. A visitor's cart and anonymous history move into the profile once they sign in.</summary>
    public async Task<Cart?> FindAsync(Guid? profileId, string? token, CancellationToken ct)
    {
        var mine = profileId is null ? null : await db.Carts.Include(c => c.Lines).FirstOrDefaultAsync(c => c.ProfileId == profileId, ct);
        var visitor = token is null ? null : await db.Carts.Include(c => c.Lines).FirstOrDefaultAsync(c => c.Token == token && c.ProfileId == null, ct);
        if (profileId is null) return visitor;
        if (visitor is not null)
        {
            // A profile merge moves stored rows and must hold the visitor's profile while it does: one transaction.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            mine = await MergeAsync(visitor, mine, profileId.Value, ct);
            await customers.MergeVisitorAsync(token!, profileId.Value, "signed in", ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        }
        return mine;
    }

    private async Task<Cart> MergeAsync(Cart visitor, Cart? mine, Guid profileId, CancellationToken ct)
    {
        if (mine is null)
        {
            visitor.ProfileId = profileId;
            visitor.Token = null;
            return visitor;
        }
        foreach (var line in visitor.Lines)
        {
            var same = mine.Lines.FirstOrDefault(l => l.VariantId == line.VariantId);
            if (same is null) AddLine(mine, line.VariantId, line.Quantity);
            else same.Quantity = Math.Min(MaxQuantity, same.Quantity + line.Quantity);
        }
        mine.PromoCode ??= visitor.PromoCode;
        mine.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        db.Carts.Remove(visitor);
        await Task.CompletedTask;
        return mine;
    }

    /// <summary>New lines are added to the set explicitly: a client-made key found only through the navigation would read as an update.</summary>
    private void AddLine(Cart cart, Guid variantId, int quantity)
    {
        var line = new CartLine { CartId = cart.Id, VariantId = variantId, Quantity = quantity };
        db.CartLines.Add(line);
        if (!cart.Lines.Contains(line)) cart.Lines.Add(line);
    }

    /// <summary>The shopper's cart, made when they have none. A signed-in customer without a visitor cookie (an app) passes no token.</summary>
    public async Task<Cart> GetOrCreateAsync(Guid? profileId, string? token, CancellationToken ct)
    {
        var cart = await FindAsync(profileId, token, ct);
        if (cart is not null) return cart;
        cart = new Cart { ProfileId = profileId, Token = profileId is null ? token : null, UpdatedAt = clock.GetUtcNow().UtcDateTime };
        db.Carts.Add(cart);
        return cart;
    }

    public async Task AddAsync(Cart cart, Guid variantId, int quantity, Guid trackingProfile, CancellationToken ct, string channel = "web")
    {
        if (quantity is < 1 or > MaxQuantity) throw RequestValidationException.For("quantity", $"Choose between 1 and {MaxQuantity}.");
        var item = await (from v in db.Variants
                          join p in db.Products on v.ProductId equals p.Id
                          join c in db.Categories on p.CategoryId equals c.Id
                          where v.Id == variantId && p.Active
                          select new { v.Sku, v.PriceMinor, v.Currency, ProductId = p.Id, Category = c.Slug }).FirstOrDefaultAsync(ct)
            ?? throw new DomainException("product-not-found", "That product is not for sale.", 404);
        var line = cart.Lines.FirstOrDefault(l => l.VariantId == variantId);
        if (line is null) AddLine(cart, variantId, quantity);
        else line.Quantity = Math.Min(MaxQuantity, line.Quantity + quantity);
        cart.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        interactions.Append(db, trackingProfile, InteractionTypes.CartItemAdded, channel,
            new CartItemAddedProperties(item.ProductId, item.Sku, item.Category, quantity, item.PriceMinor / 100m, item.Currency),
            sourceKind: "product", sourceId: item.ProductId.ToString());
        await db.SaveChangesAsync(ct);
    }

    public async Task SetQuantityAsync(Cart cart, Guid lineId, int quantity, Guid trackingProfile, CancellationToken ct, string channel = "web")
    {
        if (quantity is < 0 or > MaxQuantity) throw RequestValidationException.For("quantity", $"Choose between 0 and {MaxQuantity}.");
        var line = cart.Lines.FirstOrDefault(l => l.Id == lineId) ?? throw new DomainException("cart-line-not-found", "That item is not in your cart.", 404);
        if (quantity == 0)
        {
            cart.Lines.Remove(line);
            db.CartLines.Remove(line);
            var sku = await db.Variants.Where(v => v.Id == line.VariantId).Select(v => new { v.Sku, v.ProductId }).FirstAsync(ct);
            interactions.Append(db, trackingProfile, InteractionTypes.CartItemRemoved, channel, new CartItemRemovedProperties(sku.ProductId, sku.Sku, line.Quantity),
                sourceKind: "product", sourceId: sku.ProductId.ToString());
        }
        else line.Quantity = quantity;
        cart.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The code the customer typed (upper-cased, at most 40 characters), or none; the quote says whether it applies.</summary>
    public async Task SetPromoCodeAsync(Cart cart, string? code, CancellationToken ct)
    {
        var trimmed = code?.Trim() ?? "";
        cart.PromoCode = trimmed.Length == 0 ? null : trimmed.ToUpperInvariant()[..Math.Min(trimmed.Length, 40)];
        cart.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// The cart priced and stocked, in one query. A page and the checkout it calls both ask for the view of the same
    /// cart in one request; while its lines are unchanged the view is reused rather than read again.
    /// </summary>
    public async Task<CartView> ViewAsync(Cart? cart, CancellationToken ct)
    {
        if (cart is null || cart.Lines.Count == 0) return new CartView(cart?.Id ?? Guid.Empty, [], Money.Zero("EUR"), cart?.PromoCode);
        var signature = string.Join(';', cart.Lines.Select(l => $"{l.Id}:{l.VariantId}:{l.Quantity}"));
        if (_lastView is { } last && last.Cart == cart && last.Signature == signature) return last.View with { PromoCode = cart.PromoCode };
        var ids = cart.Lines.Select(l => l.VariantId).ToList();
        var rows = await (from v in db.Variants
                          join p in db.Products on v.ProductId equals p.Id
                          join c in db.Categories on p.CategoryId equals c.Id
                          where ids.Contains(v.Id)
                          select new
                          {
                              v.Id, v.Sku, v.Options, v.PriceMinor, v.Currency, ProductId = p.Id, p.Slug, p.Name, Category = c.Slug,
                              Available = db.StockLevels.Where(s => s.VariantId == v.Id).Sum(s => s.OnHand - s.Reserved),
                          })
            .ToDictionaryAsync(r => r.Id, ct);
        var lines = cart.Lines.Where(l => rows.ContainsKey(l.VariantId)).Select(l =>
        {
            var r = rows[l.VariantId];
            var price = new Money(r.PriceMinor, r.Currency);
            return new CartLineView(l.Id, l.VariantId, r.ProductId, r.Slug, r.Name, r.Options, r.Sku, r.Category, price, l.Quantity, price.Times(l.Quantity),
                r.Available);
        }).ToList();
        var currency = lines.Count > 0 ? lines[0].UnitPrice.Currency : "EUR";
        var view = new CartView(cart.Id, lines, lines.Aggregate(Money.Zero(currency), (sum, l) => sum + l.LineTotal), cart.PromoCode);
        _lastView = (cart, signature, view);
        return view;
    }

    private (Cart Cart, string Signature, CartView View)? _lastView;
}
