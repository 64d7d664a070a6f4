using System.Globalization;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Errors;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Commerce.Payments;

/// <summary>
/// What the payment page's "Pay with wallet" button posts: the method and details the browser's Payment Request API
/// answered with (basic-card shape), the order's access key and the page's idempotency key. No amount: the server charges
/// the order's own total.
/// </summary>
public sealed record BrowserWalletPayment(string? Key, string? IdempotencyKey, string? MethodName, BrowserWalletCard? Details);

/// <summary>The card part of a basic-card Payment Request response.</summary>
public sealed record BrowserWalletCard(string? CardNumber, string? ExpiryMonth, string? ExpiryYear, string? CardSecurityCode, string? CardholderName);

/// <summary>Where the page goes next: the paid order, or the bank's 3-D Secure challenge.</summary>
public sealed record BrowserWalletOutcome(string Outcome, string Redirect);

internal static class BrowserWalletEndpoint
{
    public const string Method = "basic-card";

    public static IEndpointRouteBuilder MapBrowserWallet(this IEndpointRouteBuilder app)
    {
        app.MapPost("/checkout/pay/{number}/wallet", PayAsync).ExcludeFromDescription();
        return app;
    }

    /// <summary>
    /// Tokenises the card at the gateway, then pays the order with the token through <see cref="PaymentService"/> (one
    /// payment per idempotency key, so a retried post never charges twice). A decline is 402 with a fresh key for the next try.
    /// </summary>
    private static async Task<Results<Ok<BrowserWalletOutcome>, ProblemHttpResult>> PayAsync(string number, BrowserWalletPayment body, HttpContext http,
        IAntiforgery antiforgery, OrderService orders, IVisitor visitor, PaymentService payments,
        [FromKeyedServices(SandboxGateway.Name)] IPaymentGateway gateway, TimeProvider clock, CancellationToken ct)
    {
        // The page's antiforgery token travels in the RequestVerificationToken header.
        if (!await antiforgery.IsRequestValidAsync(http))
            return TypedResults.Problem(statusCode: 400, type: ProblemTypes.Validation, title: "Reload the page and try again.");
        var order = await orders.FindForViewerAsync(number, body.Key, await visitor.SignedInProfileAsync(ct), ct);
        if (order is null) return TypedResults.Problem(statusCode: 404, type: ProblemTypes.NotFound, title: "Order not found.");
        if (body.MethodName != Method) throw RequestValidationException.For("methodName", "This wallet's payment method is not accepted here.");
        var card = body.Details ?? throw RequestValidationException.For("details", "The wallet sent no card.");
        CheckExpiry(card, clock.GetUtcNow());

        var token = await gateway.TokenizeAsync(card.CardNumber ?? "", ct);
        var outcome = await payments.PayAsync(order, token.Token, body.IdempotencyKey ?? "", ct);
        if (outcome.Paid) return TypedResults.Ok(new BrowserWalletOutcome("paid", $"orders/{order.Number}?key={order.AccessKey}&placed=1"));
        if (outcome.NeedsChallenge) return TypedResults.Ok(new BrowserWalletOutcome("challenge", $"checkout/challenge/{outcome.Payment.Id}?key={order.AccessKey}"));
        return TypedResults.Problem(statusCode: 402, type: ProblemTypes.ForCode("payment-declined"),
            title: outcome.Payment.FailureCode == "insufficient_funds" ? "The card has insufficient funds. Try another card." : "The card was declined. Try another card.",
            extensions: new Dictionary<string, object?> { ["declineCode"] = outcome.Payment.FailureCode, ["idempotencyKey"] = CheckoutService.NewIdempotencyKey() });
    }

    /// <summary>Month 1–12 and a year (two or four digits) whose month has not ended yet.</summary>
    private static void CheckExpiry(BrowserWalletCard card, DateTimeOffset now)
    {
        if (!int.TryParse(card.ExpiryMonth, NumberStyles.None, CultureInfo.InvariantCulture, out var month) || month is < 1 or > 12
            || !int.TryParse(card.ExpiryYear, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || card.ExpiryYear!.Length is not (2 or 4))
            throw RequestValidationException.For("expiry", "The card's expiry date is not valid.");
        if (year < 100) year += 2000;
        if (year * 12 + month < now.Year * 12 + now.Month) throw RequestValidationException.For("expiry", "The card has expired.");
    }
}
