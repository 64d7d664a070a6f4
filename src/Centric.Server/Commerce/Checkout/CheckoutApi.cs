using System.Security.Claims;
using System.Text.Json;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Promotions;
using Centric.Server.Commerce.Returns;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Checkout;

/// <summary>The cart priced as the checkout would price it with standard delivery.</summary>
public sealed record CartResponse(Guid? CartId, IReadOnlyList<CartLineView> Lines, int ItemCount, Money Subtotal, string? PromoCode, string? PromoError,
    Money Discount, ShippingOption Shipping, Money Tax, Money Total, IReadOnlyList<PromotionApplied> Promotions, IReadOnlyList<string> PromotionNotes);

/// <summary>A promotion applied to the cart: what it takes off the items (or the delivery, <c>onShipping</c>) and why, in a line.</summary>
public sealed record PromotionApplied(Guid PromotionId, string Name, string? Code, string Kind, Money Amount, bool OnShipping, string Explanation)
{
    public static IReadOnlyList<PromotionApplied> From(Quote quote) =>
        [.. quote.Promotions.Select(p => new PromotionApplied(p.PromotionId, p.Name, p.Code, PromotionCheckout.Wire(p.Kind), p.Amount, p.OnShipping, p.Explanation))];
}

public sealed record AddCartLine(Guid? VariantId, int? Quantity);

public sealed record CartLineQuantity(int? Quantity);

public sealed record PromoCodeRequest(string? Code);

public sealed record PickupStore(Guid Id, string Name);

/// <summary>Everything the customer would pay, for the chosen delivery option, and what they can choose from.</summary>
public sealed record CheckoutQuote(IReadOnlyList<CartLineView> Lines, Money Subtotal, Money Discount, string? PromoCode, string? PromoError, ShippingOption Shipping,
    Money Tax, Money Total, decimal TaxRate, IReadOnlyList<ShippingOption> ShippingOptions, IReadOnlyList<PickupStore> Stores,
    IReadOnlyList<string> ShipToCountries, string? Email, Address? DefaultAddress, IReadOnlyList<PromotionApplied> Promotions, IReadOnlyList<string> PromotionNotes,
    LoyaltyQuote? Points);

/// <summary>
/// Places the cart as an order. <c>email</c> defaults to the account's; <c>shippingMethod</c> to standard; <c>promoCode</c> to the
/// cart's. Delivery needs <c>address</c>, click and collect or curbside a <c>pickupLocationId</c>. <c>usePoints</c> spends the customer's
/// usable loyalty points (see the quote's <c>points</c>); <c>referralCode</c> is a friend's code, counted on a first order.
/// </summary>
public sealed record CheckoutRequest(string? Email, string? ShippingMethod, Address? Address, Guid? PickupLocationId, string? PromoCode, bool? UsePoints = null,
    string? ReferralCode = null);

/// <summary>The signed-in customer's cart and checkout over the API; the same services as the shop's pages.</summary>
internal static class CheckoutApi
{
    public static IEndpointRouteBuilder MapCheckoutApi(this IEndpointRouteBuilder app)
    {
        var cart = app.MapGroup("/api/v1/cart").RequireAuthorization(Policies.Customer).WithTags("Cart");
        cart.MapGet("/", GetCart).WithName("GetCart").WithSummary("The customer's cart with prices, stock, promo code and totals (standard delivery).");
        cart.MapPost("/lines", AddLine).WithName("AddCartLine").WithSummary("Add a product variant to the cart (quantities of the same variant add up, at most 99).")
            .ProducesProblem(400).ProducesProblem(404);
        cart.MapPatch("/lines/{lineId:guid}", SetQuantity).WithName("SetCartLineQuantity").WithSummary("Change a line's quantity; 0 removes it.")
            .ProducesProblem(400).ProducesProblem(404);
        cart.MapDelete("/lines/{lineId:guid}", RemoveLine).WithName("RemoveCartLine").WithSummary("Remove a line from the cart.").ProducesProblem(404);
        cart.MapPut("/promo-code", SetPromo).WithName("SetCartPromoCode").WithSummary("Apply a promo code; the answer's promoError says why one does not apply.")
            .ProducesProblem(400);
        cart.MapDelete("/promo-code", ClearPromo).WithName("RemoveCartPromoCode").WithSummary("Remove the promo code from the cart.");

        var checkout = app.MapGroup("/api/v1/checkout").RequireAuthorization(Policies.Customer).WithTags("Checkout");
        checkout.MapGet("/", Quote).WithName("GetCheckoutQuote")
            .WithSummary("Open the checkout: the quote for a delivery option, promo code and usePoints=true, the options, stores, the customer's default address and their points.")
            .ProducesProblem(400);
        checkout.MapPost("/", Place).WithName("PlaceOrder")
            .WithSummary("Place the cart as an order (stock held for 15 minutes until paid). Requires an Idempotency-Key: the same key and body answer with the same order.")
            .ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        return app;
    }

    private static async Task<CartResponse> ResponseAsync(Cart? cart, CartService carts, CheckoutService checkout, CancellationToken ct)
    {
        var view = await carts.ViewAsync(cart, ct);
        var quote = await checkout.QuoteAsync(view, cart?.PromoCode, "standard", cart?.ProfileId, ct);
        return new CartResponse(cart?.Id, view.Lines, view.ItemCount, view.Subtotal, cart?.PromoCode, quote.PromoError, quote.Discount, quote.Shipping, quote.Tax, quote.Total,
            PromotionApplied.From(quote), quote.PromotionNotes);
    }

    private static async Task<Ok<CartResponse>> GetCart(ClaimsPrincipal user, CartService carts, CheckoutService checkout, CancellationToken ct) =>
        TypedResults.Ok(await ResponseAsync(await carts.FindAsync(user.ProfileId(), null, ct), carts, checkout, ct));

    private static async Task<Ok<CartResponse>> AddLine(AddCartLine body, ClaimsPrincipal user, CartService carts, CheckoutService checkout, CancellationToken ct)
    {
        if (body.VariantId is not { } variantId) throw RequestValidationException.For("variantId", "The variant to add (a product's variants[].id).");
        var me = user.ProfileId();
        var cart = await carts.GetOrCreateAsync(me, null, ct);
        await carts.AddAsync(cart, variantId, body.Quantity ?? 1, me, ct, channel: "api");
        return TypedResults.Ok(await ResponseAsync(cart, carts, checkout, ct));
    }

    private static async Task<Results<Ok<CartResponse>, ProblemHttpResult>> SetQuantity(Guid lineId, CartLineQuantity body, ClaimsPrincipal user,
        CartService carts, CheckoutService checkout, CancellationToken ct)
    {
        if (body.Quantity is not { } quantity) throw RequestValidationException.For("quantity", $"Between 0 and {CartService.MaxQuantity}.");
        return await ChangeLineAsync(lineId, quantity, user, carts, checkout, ct);
    }

    private static Task<Results<Ok<CartResponse>, ProblemHttpResult>> RemoveLine(Guid lineId, ClaimsPrincipal user, CartService carts, CheckoutService checkout, CancellationToken ct) =>
        ChangeLineAsync(lineId, 0, user, carts, checkout, ct);

    private static async Task<Results<Ok<CartResponse>, ProblemHttpResult>> ChangeLineAsync(Guid lineId, int quantity, ClaimsPrincipal user,
        CartService carts, CheckoutService checkout, CancellationToken ct)
    {
        var me = user.ProfileId();
        // Only lines of the customer's own cart are found: another cart's line id is not in this one.
        if (await carts.FindAsync(me, null, ct) is not { } cart || cart.Lines.All(l => l.Id != lineId)) return ApiProblems.NotFound("cart line");
        await carts.SetQuantityAsync(cart, lineId, quantity, me, ct, channel: "api");
        return TypedResults.Ok(await ResponseAsync(cart, carts, checkout, ct));
    }

    private static async Task<Ok<CartResponse>> SetPromo(PromoCodeRequest body, ClaimsPrincipal user, CartService carts, CheckoutService checkout, CancellationToken ct)
    {
        var code = ApiProblems.Text(body.Code, "code", 40) ?? throw RequestValidationException.For("code", "The promo code to apply.");
        var cart = await carts.GetOrCreateAsync(user.ProfileId(), null, ct);
        await carts.SetPromoCodeAsync(cart, code, ct);
        return TypedResults.Ok(await ResponseAsync(cart, carts, checkout, ct));
    }

    private static async Task<Ok<CartResponse>> ClearPromo(ClaimsPrincipal user, CartService carts, CheckoutService checkout, CancellationToken ct)
    {
        var cart = await carts.FindAsync(user.ProfileId(), null, ct);
        if (cart is not null) await carts.SetPromoCodeAsync(cart, null, ct);
        return TypedResults.Ok(await ResponseAsync(cart, carts, checkout, ct));
    }

    private static async Task<Ok<CheckoutQuote>> Quote(ClaimsPrincipal user, string? shippingMethod, string? promoCode, string? usePoints, CartService carts,
        CheckoutService checkout, InventoryService inventory, ProfileTraits traits, Wallet.WalletService wallet, IOptions<CommerceOptions> options, CancellationToken ct)
    {
        var me = user.ProfileId();
        var method = ApiProblems.Text(shippingMethod, "shippingMethod", 40);
        var points = ApiProblems.Text(usePoints, "usePoints", 5) switch
        {
            null or "false" => false,
            "true" => true,
            _ => throw RequestValidationException.For("usePoints", "true or false."),
        };
        var cart = await carts.FindAsync(me, null, ct);
        var view = await carts.ViewAsync(cart, ct);
        var quote = await checkout.QuoteAsync(view, ApiProblems.Text(promoCode, "promoCode", 40) ?? cart?.PromoCode, method, me, ct, points);
        if (method is not null && quote.ShippingOptions.All(o => o.Code != method))
            throw RequestValidationException.For("shippingMethod", $"One of {string.Join(", ", quote.ShippingOptions.Select(o => o.Code))}.");
        await checkout.RecordStartedAsync(me, quote, "api", ct);
        var stores = await inventory.StoresAsync(ct);
        var home = (await wallet.AddressesAsync(me, ct)).FirstOrDefault();
        return TypedResults.Ok(new CheckoutQuote(view.Lines, quote.Subtotal, quote.Discount, quote.PromoCode, quote.PromoError, quote.Shipping, quote.Tax, quote.Total,
            quote.TaxRate, quote.ShippingOptions, [.. stores.Select(s => new PickupStore(s.Id, s.Name))], options.Value.ShipToCountries,
            (await traits.ContactAsync(me, ct))?.Email ?? user.FindFirstValue(ClaimTypes.Email),
            home is null ? null : new Address(home.Name, home.Line1, home.Line2, home.City, home.PostalCode, home.Country),
            PromotionApplied.From(quote), quote.PromotionNotes, quote.Points));
    }

    private static async Task<Created<OrderView>> Place(CheckoutRequest body, [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey,
        ClaimsPrincipal user, CartService carts, CheckoutService checkout, ProfileTraits traits, IdempotencyKeys keys, ReturnService returns, CancellationToken ct)
    {
        var me = user.ProfileId();
        var email = ApiProblems.Text(body.Email, "email", 320) ?? (await traits.ContactAsync(me, ct))?.Email ?? user.FindFirstValue(ClaimTypes.Email) ?? "";
        var cart = await carts.FindAsync(me, null, ct);
        var order = await keys.RunAsync("customer:" + user.UserId(), "checkout", idempotencyKey, JsonSerializer.Serialize(body), key =>
            checkout.PlaceAsync(new PlaceOrder(cart?.Id ?? Guid.Empty, email, body.ShippingMethod ?? "standard", body.Address, body.PickupLocationId,
                body.PromoCode ?? cart?.PromoCode, "api-" + key, Channel: "api", UsePoints: body.UsePoints == true,
                ReferralCode: ApiProblems.Text(body.ReferralCode, "referralCode", 16)), me, null, ct), ct);
        return TypedResults.Created($"/api/v1/me/orders/{order.Number}", OrdersApi.View(order, returns));
    }
}
