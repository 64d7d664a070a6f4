using Centric.Server.Customers.Contracts;

namespace Centric.Server.Commerce.Contracts;

/// <summary>Places on the shop's pages where another module may show a block of its own.</summary>
public enum ShopPlace
{
    /// <summary>The storefront, under the hero.</summary>
    Home,
    /// <summary>A product page, under the product.</summary>
    Product,
    /// <summary>A product page, beside "Add to cart" (a button of a few words).</summary>
    ProductActions,
    /// <summary>The cart, under its lines.</summary>
    Cart,
}

/// <summary>
/// What a block is told about the page it is on: the product shown, or the products in the cart; and what the page already
/// knows, so a block does not ask the database again: the shopper (their tracking profile, and whether they are signed in)
/// and whether the product shown is in stock. A block looks up what the page leaves null itself.
/// </summary>
public sealed record ShopBlockContext(Guid? ProductId = null, IReadOnlyList<Guid>? CartProducts = null)
{
    /// <summary>The place the block is shown at (set by the page).</summary>
    public ShopPlace Place { get; init; }

    /// <summary>The visitor's profile for tracking: the signed-in customer's, else their anonymous one.</summary>
    public Guid? ShopperId { get; init; }

    /// <summary>Whether <see cref="ShopperId"/> is a signed-in customer (meaningful only when it is set).</summary>
    public bool SignedIn { get; init; }

    /// <summary>The signed-in customer's profile when the page names the shopper (null: an anonymous visitor).</summary>
    public Guid? Customer => SignedIn ? ShopperId : null;

    /// <summary>The signed-in customer's profile: the page's answer when it names the shopper, else the visitor's own.</summary>
    public async Task<Guid?> SignedInCustomerAsync(IVisitor visitor, CancellationToken ct) =>
        ShopperId is not null ? Customer : await visitor.SignedInProfileAsync(ct);

    /// <summary>Whether the product shown (<see cref="ProductId"/>) can be bought now.</summary>
    public bool? InStock { get; init; }
}

/// <summary>
/// A component another module shows at a place on the shop's pages (registered as a singleton). Commerce sits below the
/// modules that personalise the shop, so it names the places and they bring the blocks (the dependency points down). The
/// component takes one parameter, <c>Context</c>, a <see cref="ShopBlockContext"/>.
/// </summary>
public sealed record ShopBlock(ShopPlace Place, Type Component, int Order = 0);

/// <summary>
/// What the signed-in shopper likes, so the shop's listings show it first: categories best first and products the shopper
/// is most likely to want. Another module answers it; Commerce's own answer is "nothing known".
/// </summary>
public sealed record ShopperAffinity(IReadOnlyList<string> Categories, IReadOnlyList<Guid> Products);

public interface IShopperAffinity
{
    /// <summary>The shopper's affinity, or null when nothing is known about them (the usual order then stands).</summary>
    Task<ShopperAffinity?> ForAsync(Guid profileId, CancellationToken ct);
}

/// <summary>The answer when no module personalises the shop.</summary>
internal sealed class NoShopperAffinity : IShopperAffinity
{
    public Task<ShopperAffinity?> ForAsync(Guid profileId, CancellationToken ct) => Task.FromResult<ShopperAffinity?>(null);
}
