using System.Security.Claims;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Commerce.Subscriptions;

/// <summary>
/// A subscription. <c>status</c>: Active, Paused, PastDue (a renewal payment failed; it is retried, or retried at once after a
/// card change) or Cancelled. <c>price</c> is per delivery, before VAT.
/// </summary>
public sealed record SubscriptionView(Guid Id, string Status, Guid VariantId, string ProductName, int Quantity, int IntervalDays, Money Price,
    DateTime NextRenewalAt, DateTime? RetryAt, int FailedAttempts, string? CardBrand, string? CardLast4, DateTime CreatedAt);

public sealed record SubscriptionCard(string? CardNumber);

/// <summary>The customer's subscriptions over the API: the same controls as the portal (pause, resume, skip, cancel, change card).</summary>
internal static class SubscriptionsApi
{
    public static IEndpointRouteBuilder MapSubscriptionsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me/subscriptions").RequireAuthorization(Policies.Customer).WithTags("Subscriptions");
        me.MapGet("/", List).WithName("ListMySubscriptions").WithSummary("The customer's subscriptions, newest first.");
        me.MapGet("/{id:guid}", Get).WithName("GetMySubscription").WithSummary("One of the customer's subscriptions.");
        me.MapPost("/{id:guid}/pause", Pause).WithName("PauseMySubscription").WithSummary("Pause an active subscription: nothing is charged or sent until it resumes.")
            .ProducesProblem(409);
        me.MapPost("/{id:guid}/resume", Resume).WithName("ResumeMySubscription").WithSummary("Resume a paused subscription.").ProducesProblem(409);
        me.MapPost("/{id:guid}/skip", Skip).WithName("SkipMySubscriptionDelivery").WithSummary("Skip the next delivery (the renewal moves one interval on).")
            .ProducesProblem(409);
        me.MapPost("/{id:guid}/cancel", Cancel).WithName("CancelMySubscription").WithSummary("Cancel the subscription.").ProducesProblem(409);
        me.MapPut("/{id:guid}/card", ChangeCard).WithName("ChangeMySubscriptionCard")
            .WithSummary("Charge renewals to another card; a subscription waiting on a failed payment is retried at once.").ProducesProblem(400);
        return app;
    }

    private static async Task<Ok<List<SubscriptionView>>> List(ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken ct)
    {
        var list = await subscriptions.ListOwnAsync(user.ProfileId(), ct);
        var names = await subscriptions.ProductNamesAsync(list.Select(s => s.VariantId), ct);
        return TypedResults.Ok(list.Select(s => View(s, names)).ToList());
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> Get(Guid id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken ct) =>
        await subscriptions.FindOwnAsync(id, user.ProfileId(), ct) is { } s ? TypedResults.Ok(await ViewAsync(s, subscriptions, ct)) : ApiProblems.NotFound("subscription");

    private static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> Pause(Guid id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken ct) =>
        ActAsync(id, user, subscriptions, subscriptions.PauseAsync, ct);

    private static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> Resume(Guid id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken ct) =>
        ActAsync(id, user, subscriptions, subscriptions.ResumeAsync, ct);

    private static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> Skip(Guid id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken ct) =>
        ActAsync(id, user, subscriptions, subscriptions.SkipAsync, ct);

    private static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> Cancel(Guid id, ClaimsPrincipal user, SubscriptionService subscriptions, CancellationToken ct) =>
        ActAsync(id, user, subscriptions, subscriptions.CancelAsync, ct);

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ChangeCard(Guid id, SubscriptionCard body, ClaimsPrincipal user,
        SubscriptionService subscriptions, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.CardNumber) || body.CardNumber.Length > 40) throw RequestValidationException.For("cardNumber", "That card number is not valid.");
        return await ActAsync(id, user, subscriptions, (s, c) => subscriptions.ChangeCardAsync(s, body.CardNumber, c), ct);
    }

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ActAsync(Guid id, ClaimsPrincipal user, SubscriptionService subscriptions,
        Func<Subscription, CancellationToken, Task> action, CancellationToken ct)
    {
        if (await subscriptions.FindOwnAsync(id, user.ProfileId(), ct) is not { } s) return ApiProblems.NotFound("subscription");
        await action(s, ct);
        return TypedResults.Ok(await ViewAsync(s, subscriptions, ct));
    }

    private static async Task<SubscriptionView> ViewAsync(Subscription s, SubscriptionService subscriptions, CancellationToken ct) =>
        View(s, await subscriptions.ProductNamesAsync([s.VariantId], ct));

    private static SubscriptionView View(Subscription s, IReadOnlyDictionary<Guid, string> names) => new(s.Id, s.Status.ToString(), s.VariantId,
        names.GetValueOrDefault(s.VariantId) ?? "", s.Quantity, s.IntervalDays, new Money(s.PriceMinor * s.Quantity, s.Currency), s.NextRenewalAt, s.RetryAt,
        s.FailedAttempts, s.CardBrand, s.CardLast4, s.CreatedAt);
}
