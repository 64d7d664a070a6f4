using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Checkout;

public sealed record Address(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);

/// <summary><c>UsePoints</c>: spend the signed-in member's usable points on the order; <c>ReferralCode</c>: the friend's code a first order came with.</summary>
public sealed record PlaceOrder(Guid CartId, string Email, string ShippingMethod, Address? Address, Guid? PickupLocationId, string? PromoCode, string IdempotencyKey,
    string Channel = "web", bool UsePoints = false, string? ReferralCode = null);

/// <summary>Turns a cart into an order: quote, validate, reserve stock and place, in one transaction.</summary>
public sealed partial class CheckoutService(CentricDbContext db, CartService carts, InventoryService inventory, ICustomerDirectory customers,
    PromotionCheckout promotions, Loyalty.LoyaltyLedger loyalty, Loyalty.Referrals referrals, InteractionLog interactions, CommerceTelemetry telemetry,
    IOptions<CommerceOptions> options, TimeProvider clock)
{
    [GeneratedRegex(@"^[A-Za-z0-9][A-Za-z0-9 \-]{2,9}$")]
    private static partial Regex PostalCode();

    /// <summary>
    /// The cart priced for a delivery option and a code, with the promotions the shopper gets. <paramref name="profileId"/> is
    /// the signed-in customer (null for a visitor: promotions for known customers only are explained, not applied).
    /// </summary>
    public async Task<Quote> QuoteAsync(CartView cart, string? promoCode, string? shippingMethod, Guid? profileId, CancellationToken ct, bool usePoints = false) =>
        Price(cart, shippingMethod, await promotions.OffersAsync(promoCode, profileId, ct), await PointsOfferAsync(profileId, ct), usePoints);

    /// <summary>What a signed-in customer's points and tier bring to a checkout; null for a visitor or while the programme is off.</summary>
    private async Task<(Loyalty.LoyaltyProgram Program, int Balance, Loyalty.LoyaltyTier? Tier)?> PointsOfferAsync(Guid? profileId, CancellationToken ct)
    {
        if (profileId is not { } profile) return null;
        var program = await loyalty.ProgramAsync(ct);
        if (!program.Enabled) return null;
        var tier = program.Tier(await db.LoyaltyAccounts.Where(a => a.ProfileId == profile).Select(a => a.Tier).FirstOrDefaultAsync(ct));
        return (program, await loyalty.BalanceAsync(profile, ct), tier);
    }

    private Quote Price(CartView cart, string? shippingMethod, PromotionOffers offers, (Loyalty.LoyaltyProgram Program, int Balance, Loyalty.LoyaltyTier? Tier)? member,
        bool usePoints)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var currency = cart.Subtotal.Currency;
        var lines = cart.Lines.Select(l => new PromotionLine(l.Sku, l.Category, l.UnitPrice.Minor, l.Quantity)).ToList();
        // Standard delivery is free from a threshold of the goods after discount, and a free-delivery promotion is worth the
        // delivery's price: price with the undiscounted goods, then once more if the discount moved the delivery's price.
        var shipping = Delivery(Options(cart.Subtotal), shippingMethod);
        var outcome = offers.Apply(lines, shipping.Price);
        var shippingOptions = Options(cart.Subtotal - outcome.GoodsDiscount(currency));
        if (Delivery(shippingOptions, shippingMethod).Price != shipping.Price)
        {
            shipping = Delivery(shippingOptions, shippingMethod);
            outcome = offers.Apply(lines, shipping.Price);
            shippingOptions = Options(cart.Subtotal - outcome.GoodsDiscount(currency));
        }
        shipping = Delivery(shippingOptions, shippingMethod);
        // An automatic free delivery on a delivery that costs nothing anyway is not worth a line.
        var applied = outcome.Applied.Where(a => !a.OnShipping || a.Code is not null || shipping.Price.Minor > 0)
            .Select(a => a.OnShipping ? a with { Amount = shipping.Price } : a).ToList();
        if (applied.Any(a => a.OnShipping))
        {
            shippingOptions = [.. shippingOptions.Select(s => s with { Price = Money.Zero(currency) })];
            shipping = Delivery(shippingOptions, shippingMethod);
        }
        var discount = outcome.GoodsDiscount(currency);
        // Points pay for what is left of the items after promotions (never the delivery or VAT), in whole points' worth.
        LoyaltyQuote? points = null;
        if (member is { } m)
        {
            var (program, balance, tier) = m;
            var left = Math.Max(0, cart.Subtotal.Minor - discount.Minor);
            var usable = Math.Min(balance, program.PointsFor(left));
            if (usable < Math.Max(1, program.MinimumRedeem)) usable = 0;
            var value = new Money(Math.Min(left, program.ValueMinor(usable)), currency);
            points = new LoyaltyQuote(balance, tier?.Name, usable, value, usePoints ? usable : 0, usePoints ? value : Money.Zero(currency),
                program.MinimumRedeem, tier?.FreeStandardDelivery == true);
            discount += points.Value;
        }
        var net = cart.Subtotal - discount + shipping.Price;
        var tax = net.Percent(o.TaxRate);
        return new Quote(cart, cart.Subtotal, discount, shipping, tax, net + tax, shippingOptions, outcome.Code, outcome.CodeRefusal, o.TaxRate,
            applied, outcome.Notes, points);

        List<ShippingOption> Options(Money goods)
        {
            // A tier with free standard delivery makes it free whatever the order's size.
            var standard = goods.Minor >= o.FreeStandardShippingFromMinor || member?.Tier?.FreeStandardDelivery == true
                ? Money.Zero(currency) : new Money(490, currency);
            return
            [
                new("standard", "Standard delivery", standard, now.Date.AddDays(3), now.Date.AddDays(5), true, false),
                new("express", "Express delivery", new Money(990, currency), now.Date.AddDays(1), now.Date.AddDays(2), true, false),
                new("click_and_collect", "Click and collect at a store", Money.Zero(currency), now.AddHours(2), now.AddDays(1), false, true),
                new("curbside", "Curbside pickup at a store", Money.Zero(currency), now.AddHours(2), now.AddDays(1), false, true),
            ];
        }
    }

    private static ShippingOption Delivery(List<ShippingOption> options, string? method) => options.FirstOrDefault(s => s.Code == method) ?? options[0];

    /// <summary>Someone with a non-empty cart opened the checkout (the funnel step between cart and order).</summary>
    public async Task RecordStartedAsync(Guid trackingProfile, Quote quote, string channel, CancellationToken ct)
    {
        if (quote.Cart.Lines.Count == 0) return;
        interactions.Append(db, trackingProfile, InteractionTypes.CheckoutStarted, channel,
            new CheckoutStartedProperties(quote.Cart.ItemCount, quote.Total.Amount, quote.Total.Currency));
        await db.SaveChangesAsync(ct);
    }

    public static string NewIdempotencyKey() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>Places the order (status Placed, stock held for 15 minutes) or, for a repeated key, returns the order placed first.</summary>
    public async Task<Order> PlaceAsync(PlaceOrder request, Guid? signedInProfile, string? visitorToken, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.IdempotencyKey) || request.IdempotencyKey.Length > 64)
            throw RequestValidationException.For("idempotencyKey", "Reload the checkout page and try again.");
        if (await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.IdempotencyKey == request.IdempotencyKey, ct) is { } placed)
            return Owned(placed, signedInProfile);

        var email = ContactAddress.NormaliseEmail(request.Email ?? "") ?? throw RequestValidationException.For("email", "Enter a valid email address.");
        // The page that posted the form has usually loaded this cart already, with its lines.
        var cart = db.Carts.Local.FirstOrDefault(c => c.Id == request.CartId)
            ?? await db.Carts.Include(c => c.Lines).FirstOrDefaultAsync(c => c.Id == request.CartId, ct);
        if (cart is null || cart.Lines.Count == 0 || (cart.ProfileId is { } owner && owner != signedInProfile) || (cart.ProfileId is null && cart.Token != visitorToken))
            throw new DomainException("cart-empty", "Your cart is empty.", 422);
        var view = await carts.ViewAsync(cart, ct);

        try
        {
            return await PlaceInTransactionAsync(request, signedInProfile, visitorToken, email, cart, view, ct);
        }
        catch (ReferredMeanwhile)
        {
            // Another first order of this customer's took the referral at the same moment: this one is no first order, and
            // is placed as any later order is, without it.
            db.ChangeTracker.Clear();
            return await PlaceAsync(request with { ReferralCode = null }, signedInProfile, visitorToken, ct);
        }
    }

    private sealed class ReferredMeanwhile : Exception;

    private async Task<Order> PlaceInTransactionAsync(PlaceOrder request, Guid? signedInProfile, string? visitorToken, string email, Cart cart,
        CartView view, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var profileId = signedInProfile ?? await customers.GuestProfileAsync(email, visitorToken, ct);
            // Priced for the customer the order goes to (a guest's email may name a customer who has ordered before), with the
            // promotions' counts as they are now; read once, inside the transaction, and checked in the order the shopper sees:
            // first as the form was shown (a visitor is not known yet, so a code for selected customers wants a sign-in).
            var offers = await promotions.OffersAsync(request.PromoCode, profileId, ct);
            var member = await PointsOfferAsync(signedInProfile, ct);
            var asShown = signedInProfile is null ? Price(view, request.ShippingMethod, offers with { Customer = CustomerFacts.Unknown }, member, request.UsePoints)
                : Price(view, request.ShippingMethod, offers, member, request.UsePoints);
            if (request.PromoCode is { Length: > 0 } && asShown.PromoError is not null) throw RequestValidationException.For("promoCode", asShown.PromoError);
            var shipping = asShown.ShippingOptions.FirstOrDefault(s => s.Code == request.ShippingMethod)
                ?? throw RequestValidationException.For("shippingMethod", "Choose a delivery option.");
            ValidateDestination(shipping, request);
            if (shipping.NeedsStore && !await db.StockLocations.AnyAsync(l => l.Id == request.PickupLocationId && l.IsStore, ct))
                throw RequestValidationException.For("pickupLocationId", "Choose a store.");
            var priced = signedInProfile is null ? Price(view, request.ShippingMethod, offers, member, request.UsePoints) : asShown;
            if (request.PromoCode is { Length: > 0 } && priced.PromoError is not null) throw RequestValidationException.For("promoCode", priced.PromoError);
            // Points asked for but no longer enough (spent meanwhile, or the cart changed): say so rather than charge more than shown.
            if (request.UsePoints && signedInProfile is not null && priced.Points is not { Used: > 0 }) throw Loyalty.LoyaltyLedger.NotEnoughPoints();
            var now = clock.GetUtcNow().UtcDateTime;
            // A pickup order has no delivery address, even when the form came prefilled with the customer's name.
            var address = shipping.NeedsAddress ? request.Address : null;
            var order = new Order
            {
                Number = NewNumber(), ProfileId = profileId, Email = email, Status = OrderStatus.Placed, Currency = priced.Total.Currency,
                SubtotalMinor = priced.Subtotal.Minor, DiscountMinor = priced.Discount.Minor, ShippingMinor = priced.Shipping.Price.Minor,
                TaxMinor = priced.Tax.Minor, TotalMinor = priced.Total.Minor, PromoCode = priced.PromoCode, ShippingMethod = shipping.Code,
                PickupLocationId = shipping.NeedsStore ? request.PickupLocationId : null,
                ShipName = address?.Name?.Trim(), ShipLine1 = address?.Line1?.Trim(), ShipLine2 = address?.Line2?.Trim(),
                ShipCity = address?.City?.Trim(), ShipPostalCode = address?.PostalCode?.Trim().ToUpperInvariant(),
                ShipCountry = address?.Country?.Trim().ToUpperInvariant(),
                EstimatedDeliveryFrom = shipping.From, EstimatedDeliveryTo = shipping.To,
                IdempotencyKey = request.IdempotencyKey, PlacedAt = now, UpdatedAt = now,
            };
            order.Lines.AddRange(view.Lines.Select(l => new OrderLine
            {
                OrderId = order.Id, VariantId = l.VariantId, ProductId = l.ProductId, Sku = l.Sku, Name = l.Name, Category = l.Category,
                UnitPriceMinor = l.UnitPrice.Minor, Quantity = l.Quantity, LineTotalMinor = l.LineTotal.Minor,
            }));
            db.Orders.Add(order);
            await inventory.ReserveAsync(order, order.PickupLocationId, ct);
            await promotions.RedeemAsync(order, offers, priced.Promotions, request.Channel, ct);
            if (priced.Points is { Used: > 0 } spent) await loyalty.RedeemAsync(order, spent.Used, spent.Value, request.Channel, ct);
            if (!string.IsNullOrWhiteSpace(request.ReferralCode)) await referrals.ReferAsync(order, request.ReferralCode, ct);
            db.CartLines.RemoveRange(cart.Lines);
            cart.PromoCode = null;
            interactions.Append(db, profileId, InteractionTypes.OrderPlaced, request.Channel, new OrderPlacedProperties(
                order.Id, order.Number, order.TotalMinor / 100m, order.Currency, order.ShippingMethod, order.PromoCode,
                [.. order.Lines.Select(l => new OrderedItem(l.ProductId, l.Sku, l.Category, l.Quantity, l.UnitPriceMinor / 100m))],
                [.. order.Lines.Select(l => l.Category).Distinct()]), sourceKind: "order", sourceId: order.Number);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // The same form was submitted twice at once and the other submit won: show its order.
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                var winner = await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.IdempotencyKey == request.IdempotencyKey, ct);
                if (winner is not null) return Owned(winner, signedInProfile);
                if (!string.IsNullOrWhiteSpace(request.ReferralCode) && await db.Referrals.AnyAsync(r => r.ProfileId == profileId, ct))
                    throw new ReferredMeanwhile();
                // The other submit was the same customer's, taking the last use of a promotion they may use only so often.
                if (priced.Promotions.Count > 0 && priced.Promotions[0] is { } promotion) throw PromotionCheckout.UsedByCustomer(promotion);
                throw;
            }
            await tx.CommitAsync(ct);
            telemetry.OrderPlaced(order.Number, order.TotalMinor, order.Currency);
            return order;
        });
    }

    /// <summary>
    /// The order a checkout form placed already, when the form is sent again after its answer was lost (the cart is empty
    /// by then); null for a key no order has, or another signed-in customer's.
    /// </summary>
    public async Task<Order?> PlacedByAsync(string? idempotencyKey, Guid? signedInProfile, CancellationToken ct) =>
        idempotencyKey is { Length: > 0 and <= 64 } key && await db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.IdempotencyKey == key, ct) is { } placed
            && (signedInProfile is null || placed.ProfileId == signedInProfile) ? placed : null;

    private static Order Owned(Order order, Guid? profile) =>
        profile is null || order.ProfileId == profile ? order : throw new DomainException("order-not-found", "No such order.", 404);

    private void ValidateDestination(ShippingOption shipping, PlaceOrder request)
    {
        if (!shipping.NeedsAddress) return;
        var a = request.Address;
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(a?.Name) || a.Name.Length > 100) errors["address.name"] = ["Enter the recipient's name."];
        if (string.IsNullOrWhiteSpace(a?.Line1) || a.Line1.Length > 200) errors["address.line1"] = ["Enter the street and number."];
        if (a?.Line2?.Length > 200) errors["address.line2"] = ["At most 200 characters."];
        if (string.IsNullOrWhiteSpace(a?.City) || a.City.Length > 100) errors["address.city"] = ["Enter the town or city."];
        if (string.IsNullOrWhiteSpace(a?.PostalCode) || !PostalCode().IsMatch(a.PostalCode.Trim())) errors["address.postalCode"] = ["Enter a valid postal code."];
        if (string.IsNullOrWhiteSpace(a?.Country) || !options.Value.ShipToCountries.Contains(a.Country.Trim().ToUpperInvariant()))
            errors["address.country"] = [$"We deliver to {string.Join(", ", options.Value.ShipToCountries)}."];
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Value[0], errors);
    }

    private static string NewNumber()
    {
        const string alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return "CO-" + new string(chars);
    }
}
