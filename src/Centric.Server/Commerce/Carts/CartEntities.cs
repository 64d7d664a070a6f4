namespace Centric.Server.Commerce.Carts;

/// <summary>A shopping cart, owned by a signed-in customer's profile or by an anonymous browser token.</summary>
public sealed class Cart
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid? ProfileId { get; set; }
    /// <summary>Random token in the anonymous visitor's cookie; null once the cart belongs to a profile.</summary>
    public string? Token { get; set; }
    public string? PromoCode { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<CartLine> Lines { get; set; } = [];
}

public sealed class CartLine
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid CartId { get; set; }
    public Guid VariantId { get; set; }
    public int Quantity { get; set; }
}
