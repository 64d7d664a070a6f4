using System.Security.Claims;
using Centric.Server.Commerce.Orders;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Commerce.Returns;

public sealed record ReturnItemRequest(Guid? OrderLineId, int? Quantity);

/// <summary>
/// Items of a delivered order to send back. <c>reason</c>: damaged, wrong_item, not_as_described, too_small, too_large,
/// changed_mind or other. <c>resolution</c>: refund (the default) or exchange (one item, for <c>exchangeVariantId</c>).
/// </summary>
public sealed record ReturnRequestBody(IReadOnlyList<ReturnItemRequest>? Items, string? Reason, string? Comment, string? Resolution, Guid? ExchangeVariantId);

public sealed record ReturnLineView(Guid OrderLineId, string Sku, string Name, int Quantity);

/// <summary>A return. <c>labelCode</c> is what the return label's QR code holds (shown at the drop-off point).</summary>
public sealed record ReturnView(string Number, string OrderNumber, string Status, string Resolution, string Reason, string? Comment, Money Refund,
    Guid? ExchangeVariantId, string LabelCode, IReadOnlyList<ReturnLineView> Lines, DateTime CreatedAt, DateTime UpdatedAt);

public sealed record ExchangeOption(Guid VariantId, Guid ProductId, string Label);

/// <summary>The customer's returns and exchanges over the API; staff approve, receive and refund them in the console.</summary>
internal static class ReturnsApi
{
    public static IEndpointRouteBuilder MapReturnsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(Policies.Customer).WithTags("Returns");
        me.MapPost("/orders/{number}/returns", Request).WithName("RequestReturn")
            .WithSummary("Ask to return items of a delivered order (within the return window) for a refund or an exchange.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(422);
        me.MapGet("/orders/{number}/exchange-options", ExchangeOptions).WithName("ListExchangeOptions")
            .WithSummary("The other options of the order's products, which an exchange may be for.");
        me.MapGet("/returns", List).WithName("ListMyReturns").WithSummary("The customer's returns, newest first.");
        me.MapGet("/returns/{number}", Get).WithName("GetMyReturn").WithSummary("One of the customer's returns, with its label code.");
        return app;
    }

    private static ReturnView View(ReturnRequest r, Order order) => new(r.Number, order.Number, r.Status.ToString(), r.Resolution.ToString(), r.Reason, r.Comment,
        new Money(r.RefundMinor, order.Currency), r.ExchangeVariantId, ReturnService.LabelCode(r.Number),
        [.. r.Lines.Select(l => order.Lines.FirstOrDefault(o => o.Id == l.OrderLineId) is { } line
            ? new ReturnLineView(l.OrderLineId, line.Sku, line.Name, l.Quantity) : new ReturnLineView(l.OrderLineId, "", "", l.Quantity))],
        r.CreatedAt, r.UpdatedAt);

    private static async Task<Results<Created<ReturnView>, ProblemHttpResult>> Request(string number, ReturnRequestBody body, ClaimsPrincipal user,
        OrderService orders, ReturnService returns, CancellationToken ct)
    {
        if (await OrdersApi.FindOwnAsync(orders, number, user, ct) is not { } order) return ApiProblems.NotFound("order");
        if (body.Items is not { Count: > 0 and <= 100 } items) throw RequestValidationException.For("items", "Choose at least one item to return.");
        if (items.Any(i => i?.OrderLineId is null || i.Quantity is null or < 0 or > 10_000))
            throw RequestValidationException.For("items", "Each item needs its orderLineId and a quantity.");
        var resolution = (body.Resolution ?? "refund").ToLowerInvariant() switch
        {
            "refund" => ReturnResolution.Refund,
            "exchange" => ReturnResolution.Exchange,
            _ => throw RequestValidationException.For("resolution", "refund or exchange."),
        };
        var comment = ApiProblems.Text(body.Comment, "comment", 1000);
        var request = await returns.RequestAsync(order, [.. items.Select(i => new ReturnItem(i.OrderLineId!.Value, i.Quantity!.Value))], body.Reason ?? "",
            comment, resolution, body.ExchangeVariantId, ct, channel: "api");
        return TypedResults.Created($"/api/v1/me/returns/{request.Number}", View(request, order));
    }

    private static async Task<Results<Ok<List<ExchangeOption>>, ProblemHttpResult>> ExchangeOptions(string number, ClaimsPrincipal user, OrderService orders,
        ReturnService returns, CancellationToken ct)
    {
        if (await OrdersApi.FindOwnAsync(orders, number, user, ct) is not { } order) return ApiProblems.NotFound("order");
        return TypedResults.Ok((await returns.ExchangeOptionsAsync(order, ct)).Select(o => new ExchangeOption(o.VariantId, o.ProductId, o.Label)).ToList());
    }

    private static async Task<Ok<List<ReturnView>>> List(ClaimsPrincipal user, ReturnService returns, CancellationToken ct) =>
        TypedResults.Ok((await returns.ListOwnAsync(user.ProfileId(), ct)).Select(x => View(x.Request, x.Order)).ToList());

    private static async Task<Results<Ok<ReturnView>, ProblemHttpResult>> Get(string number, ClaimsPrincipal user, ReturnService returns, OrderService orders, CancellationToken ct)
    {
        var me = user.ProfileId();
        if (OrdersApi.NormaliseNumber(number) is not { } n || await returns.FindOwnAsync(n, me, ct) is not { } request) return ApiProblems.NotFound("return");
        var order = await orders.FindOwnAsync(request.OrderId, me, ct);
        return order is null ? ApiProblems.NotFound("return") : TypedResults.Ok(View(request, order));
    }
}
