namespace Centric.Server.Commerce.Contracts;

/// <summary>A product for sale that had nothing available and now has (staff restocked it, an order gave its units back).</summary>
public sealed record ProductBackInStock(Guid ProductId, string Name, string Slug, long PriceMinor, string Currency);

/// <summary>A product for sale whose lowest price (its "from" price) fell.</summary>
public sealed record ProductPriceDropped(Guid ProductId, string Name, string Slug, long OldPriceMinor, long NewPriceMinor, string Currency);

/// <summary>
/// Commerce tells, the modules above listen (Personalisation's price and stock alerts): a product came back in stock, or its
/// price fell. Commerce sits below them, so it declares the news and they register listeners (the dependency points down).
/// A listener is called inside the unit of work that made the change, after the change is written but before it commits:
/// what it adds to the DbContext commits with the change or not at all.
/// </summary>
public interface IProductNewsListener
{
    Task BackInStockAsync(ProductBackInStock news, CancellationToken ct);

    Task PriceDroppedAsync(ProductPriceDropped news, CancellationToken ct);
}
