using System.Security.Claims;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Engagement.Push;

/// <summary>The key a browser subscribes with (<c>applicationServerKey</c>).</summary>
public sealed record PushPublicKey(string PublicKey);

/// <summary>
/// Web push: the VAPID public key for browsers (anonymous), and the customer's own devices over the API with their token
/// (<c>/api/v1/me/push-subscriptions</c>). The portal's page does the same with its own forms. Another customer's device id is
/// answered "not found".
/// </summary>
internal static class PushApi
{
    public static IEndpointRouteBuilder MapPushApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/push/public-key", PublicKey).AllowAnonymous().WithTags("Push").WithName("GetPushPublicKey")
            .WithSummary("The VAPID public key (base64url) a browser passes to pushManager.subscribe as applicationServerKey.");

        var me = app.MapGroup("/api/v1/me/push-subscriptions").RequireAuthorization(Policies.Customer).WithTags("Push");
        me.MapGet("/", List).WithName("ListMyPushSubscriptions").WithSummary("The customer's devices that take push notifications, newest first.");
        me.MapPost("/", Save).WithName("SaveMyPushSubscription")
            .WithSummary("Add a device: the browser's PushSubscription JSON (endpoint, keys.p256dh, keys.auth). The same endpoint again updates it.")
            .ProducesProblem(400);
        me.MapDelete("/{id:guid}", Remove).WithName("RemoveMyPushSubscription").WithSummary("Remove one of the customer's devices.").ProducesProblem(404);
        return app;
    }

    private static async Task<Ok<PushPublicKey>> PublicKey(VapidKeys keys, HttpContext http, CancellationToken ct)
    {
        // The same for every visitor, and it changes only when an operator changes the keys.
        http.Response.Headers.CacheControl = "public, max-age=300";
        return TypedResults.Ok(new PushPublicKey((await keys.GetAsync(ct)).PublicKey));
    }

    private static async Task<Ok<IReadOnlyList<PushDeviceView>>> List(ClaimsPrincipal user, PushSubscriptions devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.ListAsync(user.ProfileId(), ct));

    private static async Task<Ok<PushDeviceView>> Save(PushSubscriptionRequest? body, ClaimsPrincipal user, HttpContext http, PushSubscriptions devices, CancellationToken ct) =>
        TypedResults.Ok(await devices.SaveAsync(user.ProfileId(), body is null ? null : body with { UserAgent = body.UserAgent ?? http.Request.Headers.UserAgent.ToString() }, ct));

    private static async Task<Results<NoContent, ProblemHttpResult>> Remove(Guid id, ClaimsPrincipal user, PushSubscriptions devices, CancellationToken ct) =>
        await devices.RemoveAsync(user.ProfileId(), id, ct) ? TypedResults.NoContent() : ApiProblems.NotFound("device");
}
