namespace Centric.Server.Personalisation.Recommendations;

/// <summary>Where recommendations are shown. The key is what the interactions, the click links and the console carry.</summary>
public sealed record Placement(string Key, string Title, string Where)
{
    public static readonly Placement Home = new("home", "Recommended for you", "the shop's home page");
    public static readonly Placement Account = new("account", "Recommended for you", "the customer's account page");
    public static readonly Placement Product = new("product", "Customers also bought", "product pages");
    public static readonly Placement Cart = new("cart", "Complete your order", "the cart");
    /// <summary>The REST API (integrators' own shops and emails): always the model, never an A/B arm, not recorded as shown.</summary>
    public static readonly Placement Api = new("api", "API", "the REST API");

    /// <summary>The placements on the shop's pages, each with its own A/B switch and figures.</summary>
    public static readonly IReadOnlyList<Placement> Shown = [Home, Account, Product, Cart];

    public static Placement? Find(string? key) => Shown.FirstOrDefault(p => p.Key == key);
}

/// <summary>The two arms of the A/B test: the trained model, or what sells best.</summary>
public static class Arms
{
    public const string Model = "model";
    public const string Popularity = "popularity";

    /// <summary>The arm of one shopper in a split: a stable hash of who they are, so a shopper never flips between arms.</summary>
    public static string Of(Guid shopper)
    {
        Span<byte> bytes = stackalloc byte[16];
        shopper.TryWriteBytes(bytes);
        var h = 2166136261u;
        foreach (var b in bytes) h = (h ^ b) * 16777619u;
        return h % 2 == 0 ? Model : Popularity;
    }
}
