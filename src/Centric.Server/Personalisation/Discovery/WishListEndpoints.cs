using Centric.Server.Customers.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Centric.Server.Personalisation.Discovery;

/// <summary>The wish list's buttons: plain form posts (with the antiforgery token) that change the signed-in customer's own list and go back.</summary>
internal static class WishListEndpoints
{
    public static IEndpointRouteBuilder MapWishListEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/account/wishlist").RequireAuthorization().ExcludeFromDescription();
        group.MapPost("/add", (HttpContext http, [FromForm] Guid? productId, [FromForm] string? returnUrl, IVisitor visitor, WishList list, CancellationToken ct) =>
            ChangeAsync(http, productId, returnUrl, visitor, (me, p) => list.AddAsync(me, p, ct), ct));
        group.MapPost("/remove", (HttpContext http, [FromForm] Guid? productId, [FromForm] string? returnUrl, IVisitor visitor, WishList list, CancellationToken ct) =>
            ChangeAsync(http, productId, returnUrl, visitor, async (me, p) => { await list.RemoveAsync(me, p, ct); return true; }, ct));
        return app;
    }

    private static async Task<IResult> ChangeAsync(HttpContext http, Guid? productId, string? returnUrl, IVisitor visitor, Func<Guid, Guid, Task<bool>> change,
        CancellationToken ct)
    {
        if (productId is not { } product) return Results.Problem(statusCode: 400, type: Platform.Errors.ProblemTypes.Validation, title: "Name the product.");
        if (await visitor.SignedInProfileAsync(ct) is not { } me) return Results.Redirect("/Account/Login?ReturnUrl=%2Faccount%2Fwishlist");
        await change(me, product);
        // Only a path on this site (never "//host" or a full URL), so the form cannot be used to send people elsewhere.
        var back = returnUrl is { Length: > 1 and <= 500 } r && r[0] == '/' && r[1] != '/' && r[1] != '\\' ? r : "/account/wishlist";
        return Results.Redirect(back);
    }
}
