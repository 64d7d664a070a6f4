using System.Security.Claims;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Wallet;
using Centric.Server.Platform.ApiKeys;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Commerce.Orders;

public sealed record OrderLineView(Guid LineId, Guid ProductId, Guid VariantId, string Sku, string Name, int Quantity, Money UnitPrice, Money LineTotal);

public sealed record ShipToView(string? Name, string? Line1, string? Line2, string? City, string? PostalCode, string? Country);

/// <summary>What the customer may do with the order now.</summary>
public sealed record OrderActions(bool CanPay, bool CanCancel, bool CanReturn);

public sealed record OrderView(string Number, Guid ProfileId, string Status, string Email, DateTime PlacedAt, DateTime? PaidAt, DateTime? DeliveredAt,
    IReadOnlyList<OrderLineView> Lines, Money Subtotal, Money Discount, string? PromoCode, Money Shipping, Money Tax, Money Total, Money Refunded,
    string ShippingMethod, ShipToView? ShipTo, Guid? PickupLocationId, DateTime EstimatedDeliveryFrom, DateTime EstimatedDeliveryTo, OrderActions Actions);

public sealed record OrderSummary(string Number, string Status, DateTime PlacedAt, int ItemCount, Money Total);

public sealed record TrackingScan(string Code, string Description, string? Location, DateTime OccurredAt);

public sealed record ShipmentView(string Carrier, string TrackingNumber, string Status, IReadOnlyList<TrackingScan> Scans);

public sealed record TrackingView(string OrderNumber, string Status, DateTime EstimatedDeliveryFrom, DateTime EstimatedDeliveryTo, ShipmentView? Shipment);

/// <summary>Pay with a card number (sent to the gateway, never stored) or one of the customer's saved cards.</summary>
public sealed record PaymentRequest(string? CardNumber, Guid? SavedCardId);

/// <summary>The bank's 3-D Secure question, answered (the sandbox gateway asks it for its challenge test card).</summary>
public sealed record ChallengeAnswer(bool? Approve);

/// <summary>A payment attempt. <c>status</c>: succeeded, requires_action (answer the challenge), failed, pending or refunded.</summary>
public sealed record PaymentView(Guid PaymentId, string Status, Money Amount, string? CardBrand, string? CardLast4, string? DeclineCode, string OrderNumber, string OrderStatus);

public sealed record SavedCardView(Guid Id, string Brand, string Last4, DateTime CreatedAt);

/// <summary>The customer's orders over the API (bearer token from /api/v1/auth/login), and one order for staff (API key).</summary>
internal static class OrdersApi
{
    public static IEndpointRouteBuilder MapOrdersApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(Policies.Customer).WithTags("Orders");
        me.MapGet("/orders", List).WithName("ListMyOrders").WithSummary("The customer's orders, newest first (at most 100).");
        me.MapGet("/orders/{number}", Get).WithName("GetMyOrder").WithSummary("One of the customer's orders: lines, totals, delivery and what can be done with it.");
        me.MapGet("/orders/{number}/tracking", Tracking).WithName("TrackMyOrder").WithSummary("The order's status and its shipment with the carrier's scans, newest first.");
        me.MapPost("/orders/{number}/cancel", Cancel).WithName("CancelMyOrder").WithSummary("Cancel the order before it ships; its stock is released.")
            .ProducesProblem(409);
        me.MapPost("/orders/{number}/payments", Pay).WithName("PayMyOrder")
            .WithSummary("Pay a placed order with a card or a saved card. Requires an Idempotency-Key: the same key and body answer with the same payment, never a second charge.")
            .ProducesProblem(400).ProducesProblem(402).ProducesProblem(409).ProducesProblem(422);
        me.MapPost("/payments/{paymentId:guid}/challenge", Challenge).WithName("AnswerPaymentChallenge")
            .WithSummary("Answer the bank's 3-D Secure challenge for a payment that requires action.").ProducesProblem(402).ProducesProblem(409);
        me.MapGet("/cards", Cards).WithName("ListMyCards").WithTags("Orders").WithSummary("The customer's saved cards (brand and last four digits) to pay with.");

        app.MapGet("/api/v1/orders/{number}", StaffGet).RequireAuthorization("scope:" + ApiScopes.CustomersRead).WithTags("Orders")
            .WithName("GetOrder").WithSummary("Any order by number, with the customer's profile id (for staff tools and integrations).");
        return app;
    }

    /// <summary>Order numbers are upper case (CO-7K3F9Q); anything too long to be one is simply not found.</summary>
    public static string? NormaliseNumber(string number)
    {
        var n = number.Trim();
        return n.Length is 0 or > 40 ? null : n.ToUpperInvariant();
    }

    public static async Task<Order?> FindOwnAsync(OrderService orders, string number, ClaimsPrincipal user, CancellationToken ct) =>
        NormaliseNumber(number) is { } n ? await orders.FindOwnAsync(n, user.ProfileId(), ct) : null;

    public static OrderView View(Order o, ReturnService returns) => new(o.Number, o.ProfileId, o.Status.ToString(), o.Email, o.PlacedAt, o.PaidAt, o.DeliveredAt,
        [.. o.Lines.Select(l => new OrderLineView(l.Id, l.ProductId, l.VariantId, l.Sku, l.Name, l.Quantity, new Money(l.UnitPriceMinor, o.Currency), new Money(l.LineTotalMinor, o.Currency)))],
        new Money(o.SubtotalMinor, o.Currency), new Money(o.DiscountMinor, o.Currency), o.PromoCode, new Money(o.ShippingMinor, o.Currency),
        new Money(o.TaxMinor, o.Currency), o.Total, new Money(o.RefundedMinor, o.Currency), o.ShippingMethod,
        o.ShipLine1 is null ? null : new ShipToView(o.ShipName, o.ShipLine1, o.ShipLine2, o.ShipCity, o.ShipPostalCode, o.ShipCountry),
        o.PickupLocationId, o.EstimatedDeliveryFrom, o.EstimatedDeliveryTo,
        new OrderActions(o.Status == OrderStatus.Placed, o.CanCancel, returns.CanReturn(o)));

    private static async Task<Ok<List<OrderSummary>>> List(ClaimsPrincipal user, OrderService orders, CancellationToken ct) =>
        TypedResults.Ok((await orders.ListOwnAsync(user.ProfileId(), ct))
            .Select(o => new OrderSummary(o.Number, o.Status.ToString(), o.PlacedAt, o.Lines.Sum(l => l.Quantity), o.Total)).ToList());

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> Get(string number, ClaimsPrincipal user, OrderService orders, ReturnService returns, CancellationToken ct) =>
        await FindOwnAsync(orders, number, user, ct) is { } order ? TypedResults.Ok(View(order, returns)) : ApiProblems.NotFound("order");

    private static async Task<Results<Ok<TrackingView>, ProblemHttpResult>> Tracking(string number, ClaimsPrincipal user, OrderService orders, CancellationToken ct)
    {
        if (await FindOwnAsync(orders, number, user, ct) is not { } order) return ApiProblems.NotFound("order");
        var tracking = await orders.TrackingAsync(order.Id, ct);
        var shipment = tracking.Shipment is { } s
            ? new ShipmentView(s.Carrier, s.TrackingNumber, s.Status.ToString(), [.. tracking.Events.Select(e => new TrackingScan(e.Code, e.Description, e.Location, e.OccurredAt))])
            : null;
        return TypedResults.Ok(new TrackingView(order.Number, tracking.Status.ToString(), order.EstimatedDeliveryFrom, order.EstimatedDeliveryTo, shipment));
    }

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> Cancel(string number, ClaimsPrincipal user, OrderService orders, ReturnService returns, CancellationToken ct)
    {
        if (await FindOwnAsync(orders, number, user, ct) is not { } order) return ApiProblems.NotFound("order");
        await orders.CancelByCustomerAsync(order, ct);
        return TypedResults.Ok(View(order, returns));
    }

    private static async Task<Results<Ok<PaymentView>, Accepted<PaymentView>, ProblemHttpResult>> Pay(string number, PaymentRequest body,
        [FromHeader(Name = IdempotencyKeys.Header)] string? idempotencyKey, ClaimsPrincipal user, OrderService orders, PaymentService payments,
        WalletService wallet, IdempotencyKeys keys, CancellationToken ct)
    {
        if (await FindOwnAsync(orders, number, user, ct) is not { } order) return ApiProblems.NotFound("order");
        if ((body.CardNumber is { Length: > 0 }) == (body.SavedCardId is not null))
            throw RequestValidationException.For("cardNumber", "Send either cardNumber or savedCardId.");
        if (body.CardNumber?.Length > 40) throw RequestValidationException.For("cardNumber", "That card number is not valid.");
        // The card is part of the request a key stands for, but only as much of it as may be kept (first six and last four digits).
        var request = order.Number + "\n" + (body.SavedCardId is { } savedId ? "saved:" + savedId : "card:" + CardSummary(body.CardNumber!));
        var me = user.ProfileId();
        var outcome = await keys.RunAsync("customer:" + user.UserId(), "payment", idempotencyKey, request, async key =>
        {
            var card = body.SavedCardId is { } id
                ? await wallet.TokenAsync(me, id, ct) ?? throw RequestValidationException.For("savedCardId", "Not one of your saved cards.")
                : body.CardNumber!;
            return await payments.PayAsync(order, card, key, ct);
        }, ct);
        return Answer(outcome);
    }

    private static async Task<Results<Ok<PaymentView>, Accepted<PaymentView>, ProblemHttpResult>> Challenge(Guid paymentId, ChallengeAnswer body, ClaimsPrincipal user,
        PaymentService payments, CancellationToken ct)
    {
        if (body.Approve is not { } approve) throw RequestValidationException.For("approve", "true to approve the payment, false to refuse it.");
        if (await payments.FindOwnAsync(paymentId, user.ProfileId(), ct) is not { } found) return ApiProblems.NotFound("payment");
        return Answer(await payments.CompleteChallengeAsync(found.Payment, found.Order, approve, ct));
    }

    private static async Task<Ok<List<SavedCardView>>> Cards(ClaimsPrincipal user, WalletService wallet, CancellationToken ct) =>
        TypedResults.Ok((await wallet.CardsAsync(user.ProfileId(), ct)).Select(c => new SavedCardView(c.Id, c.Brand, c.Last4, c.CreatedAt)).ToList());

    private static async Task<Results<Ok<OrderView>, ProblemHttpResult>> StaffGet(string number, OrderService orders, ReturnService returns, CancellationToken ct) =>
        NormaliseNumber(number) is { } n && await orders.FindAsync(n, ct) is { } order ? TypedResults.Ok(View(order, returns)) : ApiProblems.NotFound("order");

    /// <summary>Paid: 200. The bank asks for 3-D Secure: 202 (answer it at /me/payments/{id}/challenge). Declined: 402 problem.</summary>
    private static Results<Ok<PaymentView>, Accepted<PaymentView>, ProblemHttpResult> Answer(PaymentOutcome outcome)
    {
        var p = outcome.Payment;
        var view = new PaymentView(p.Id, PaymentStatusName(p.Status), new Money(p.AmountMinor, p.Currency), p.CardBrand, p.CardLast4, p.FailureCode,
            outcome.Order.Number, outcome.Order.Status.ToString());
        if (outcome.NeedsChallenge) return TypedResults.Accepted($"/api/v1/me/payments/{p.Id}/challenge", view);
        if (p.Status != PaymentStatus.Failed) return TypedResults.Ok(view);
        return TypedResults.Problem(new ProblemDetails
        {
            Status = 402, Type = ProblemTypes.ForCode("payment-declined"),
            Title = p.FailureCode switch
            {
                "insufficient_funds" => "The card has insufficient funds. Try another card.",
                "authentication_failed" => "The bank could not confirm it was you. Try again or use another card.",
                _ => "The card was declined. Try another card.",
            },
            Detail = "Send the next attempt with a new Idempotency-Key.",
            Extensions = { ["declineCode"] = p.FailureCode, ["paymentId"] = p.Id, ["orderNumber"] = outcome.Order.Number },
        });
    }

    private static string PaymentStatusName(PaymentStatus status) => status switch
    {
        PaymentStatus.Succeeded => "succeeded",
        PaymentStatus.RequiresAction => "requires_action",
        PaymentStatus.Failed => "failed",
        PaymentStatus.Refunded => "refunded",
        _ => "pending",
    };

    /// <summary>What PCI DSS lets a merchant keep of a card number: the first six and last four digits, and its length.</summary>
    private static string CardSummary(string cardNumber)
    {
        var digits = new string(cardNumber.Where(char.IsAsciiDigit).ToArray());
        return digits.Length < 12 ? cardNumber : $"{digits[..6]}:{digits.Length}:{digits[^4..]}";
    }
}
