using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Promotions;

namespace Centric.Server.Commerce.Checkout;

public sealed record ShippingOption(string Code, string Name, Money Price, DateTime From, DateTime To, bool NeedsAddress, bool NeedsStore);

/// <summary>
/// Everything the customer pays, computed on the server from the cart and today's prices; shown before payment.
/// <c>Discount</c> is off the goods; a free-delivery promotion shows as the delivery's price of zero. <c>Promotions</c> are the
/// promotions applied, each with its amount and explanation; <c>PromoCode</c> is the code that applies, <c>PromoError</c> why
/// the code typed does not, and <c>PromotionNotes</c> what was left out because a better offer does not combine with it.
/// </summary>
public sealed record Quote(CartView Cart, Money Subtotal, Money Discount, ShippingOption Shipping, Money Tax, Money Total,
    IReadOnlyList<ShippingOption> ShippingOptions, string? PromoCode, string? PromoError, decimal TaxRate,
    IReadOnlyList<AppliedPromotion> Promotions, IReadOnlyList<string> PromotionNotes, LoyaltyQuote? Points = null);

/// <summary>
/// A signed-in member's points at checkout: their <c>Balance</c> and <c>Tier</c>; <c>Usable</c> points (worth <c>UsableValue</c>,
/// never more than the items left to pay after promotions; 0 below the programme's <c>Minimum</c>); the points <c>Used</c> on
/// this quote and their <c>Value</c>, which is part of the quote's discount; and whether the tier makes standard delivery free.
/// </summary>
public sealed record LoyaltyQuote(int Balance, string? Tier, int Usable, Money UsableValue, int Used, Money Value, int Minimum, bool FreeStandardDelivery);

public sealed class CommerceOptions
{
    /// <summary>VAT added to the net amount (goods − discount + shipping).</summary>
    public decimal TaxRate { get; set; } = 0.23m;
    public long FreeStandardShippingFromMinor { get; set; } = 5000;
    public string[] ShipToCountries { get; set; } = ["PT", "ES", "FR", "DE", "IE", "NL", "BE", "IT"];
    /// <summary>Who hears about stock falling to its low-stock threshold.</summary>
    public string ReplenishmentEmail { get; set; } = "stock@centric.local";
    /// <summary>Run the scheduled jobs (unpaid-order expiry, subscription renewals) in this process.</summary>
    public bool BackgroundJobs { get; set; } = true;
    /// <summary>How often a node looks for due renewals and reminders. Every node looks; each one is claimed by one node.</summary>
    [System.ComponentModel.DataAnnotations.Range(typeof(TimeSpan), "00:00:00.050", "1.00:00:00", ErrorMessage = "Commerce:RenewalInterval is between 50 ms and a day.")]
    public TimeSpan RenewalInterval { get; set; } = TimeSpan.FromMinutes(1);
}
