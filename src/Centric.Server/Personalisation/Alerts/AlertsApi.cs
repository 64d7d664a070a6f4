using System.Security.Claims;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Personalisation.Alerts;

/// <summary>Ask for an alert: a product (by id, or by one of its SKUs) and <c>kind</c>, "back_in_stock" or "price_drop".</summary>
public sealed record AlertRequest(Guid? ProductId, string? Sku, string? Kind);

/// <summary>
/// The customer's own alerts: over the API with their token (<c>/api/v1/me/alerts</c>), and the portal's plain form posts (the
/// product page's "Notify me", the wish list, <c>/account/alerts</c>). Another customer's alert id is answered "not found".
/// </summary>
internal static class AlertsApi
{
    public static IEndpointRouteBuilder MapAlertsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me/alerts").RequireAuthorization(Policies.Customer).WithTags("Alerts");
        me.MapGet("/", List).WithName("ListMyAlerts").WithSummary("The customer's price-drop and back-in-stock alerts, newest first.");
        me.MapPost("/", Add).WithName("AddMyAlert")
            .WithSummary("Ask to be told when a product is back in stock (kind back_in_stock; only while it is out of stock) or drops in price (kind price_drop).")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        me.MapDelete("/{id:guid}", Remove).WithName("RemoveMyAlert").WithSummary("Remove one of the customer's alerts.").ProducesProblem(404);

        var portal = app.MapGroup("/account/alerts").RequireAuthorization().ExcludeFromDescription();
        portal.MapPost("/add", AddFromForm);
        portal.MapPost("/remove", RemoveFromForm);
        return app;
    }

    private static async Task<Ok<IReadOnlyList<AlertView>>> List(ClaimsPrincipal user, ProductAlerts alerts, CancellationToken ct) =>
        TypedResults.Ok(await alerts.ListAsync(user.ProfileId(), ct));

    private static async Task<Results<Ok<AlertView>, ProblemHttpResult>> Add(AlertRequest? body, ClaimsPrincipal user, ProductAlerts alerts,
        Commerce.Contracts.ShopItems shop, CancellationToken ct)
    {
        if (body is null) throw RequestValidationException.For("body", "Send a JSON object with productId or sku, and kind.");
        if (ProductAlerts.ParseKind(body.Kind) is not { } kind) throw RequestValidationException.For("kind", "kind is back_in_stock or price_drop.");
        var sku = ApiProblems.Text(body.Sku, "sku", 100);
        Guid? product = body.ProductId;
        if (product is null && sku is not null) product = (await shop.SnapshotAsync(ct)).BySku.TryGetValue(sku, out var id) ? id : null;
        if (product is null && sku is null) throw RequestValidationException.For("productId", "Name the product by productId or sku.");
        return product is { } p && await alerts.AddAsync(user.ProfileId(), p, kind, ct) is { } view ? TypedResults.Ok(view) : ApiProblems.NotFound("product");
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(Guid id, ClaimsPrincipal user, ProductAlerts alerts, CancellationToken ct) =>
        await alerts.RemoveAsync(user.ProfileId(), id, ct) ? TypedResults.NoContent() : ApiProblems.NotFound("alert");

    private static async Task<IResult> AddFromForm(HttpContext http, [FromForm] Guid? productId, [FromForm] string? kind, [FromForm] string? returnUrl,
        IVisitor visitor, ProductAlerts alerts, CancellationToken ct)
    {
        if (productId is not { } product || ProductAlerts.ParseKind(kind) is not { } k)
            return Results.Problem(statusCode: 400, type: ProblemTypes.Validation, title: "Name the product and the kind of alert.");
        if (await visitor.SignedInProfileAsync(ct) is not { } me) return Results.Redirect("/Account/Login?ReturnUrl=%2Faccount%2Falerts");
        try
        {
            if (await alerts.AddAsync(me, product, k, ct) is null) return Results.Problem(statusCode: 404, type: ProblemTypes.NotFound, title: "No such product.");
        }
        catch (DomainException)
        {
            // In stock again meanwhile: the product page, which the customer goes back to, says so.
        }
        return Results.Redirect(Back(returnUrl));
    }

    private static async Task<IResult> RemoveFromForm(HttpContext http, [FromForm] Guid? alertId, [FromForm] string? returnUrl, IVisitor visitor,
        ProductAlerts alerts, CancellationToken ct)
    {
        if (alertId is not { } id) return Results.Problem(statusCode: 400, type: ProblemTypes.Validation, title: "Name the alert.");
        if (await visitor.SignedInProfileAsync(ct) is not { } me) return Results.Redirect("/Account/Login?ReturnUrl=%2Faccount%2Falerts");
        return await alerts.RemoveAsync(me, id, ct)
            ? Results.Redirect(Back(returnUrl))
            : Results.Problem(statusCode: 404, type: ProblemTypes.NotFound, title: "No such alert.", detail: "You have no alert with that id.");
    }

    /// <summary>Only a path on this site (never "//host" or a full URL), so the form cannot be used to send people elsewhere.</summary>
    private static string Back(string? returnUrl) =>
        returnUrl is { Length: > 1 and <= 500 } r && r[0] == '/' && r[1] != '/' && r[1] != '\\' ? r : "/account/alerts";
}
