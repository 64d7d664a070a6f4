using System.Security.Claims;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Notifications;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Centric.Server.Customers;

/// <summary>The signed-in customer: their profile's names and contact, and how their account signs in.</summary>
public sealed record MeView(Guid ProfileId, string Email, bool EmailConfirmed, string? FirstName, string? LastName, string DisplayName, string? PhoneNumber,
    bool TwoFactorEnabled);

public sealed record ConsentPreferences(IReadOnlyList<ConsentPreference> Preferences);

public sealed record ConsentAnswer(string? Channel, string? Purpose, bool? Granted);

public sealed record NotificationView(Guid Id, string Topic, string Title, string Body, string? Link, DateTime CreatedAt, DateTime? ReadAt);

public sealed record NotificationList(IReadOnlyList<NotificationView> Items, int Unread);

public sealed record MarkedRead(int Marked);

/// <summary>The customer's own account over the API: profile, communication preferences and the notification centre.</summary>
internal static class CustomerSelfApi
{
    public static IEndpointRouteBuilder MapCustomerSelfApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me").RequireAuthorization(Policies.Customer).WithTags("Account");
        me.MapGet("/", Me).WithName("GetMe").WithSummary("The signed-in customer's profile: names, email, phone and whether two-factor sign-in is on.");
        me.MapGet("/consent", Preferences).WithName("GetMyConsent")
            .WithSummary("Every channel and purpose with the answer that applies (the customer's own, or the default: service yes, marketing no).");
        me.MapPut("/consent", SetConsent).WithName("SetMyConsent").WithSummary("Give or withdraw consent for one channel and purpose (kept with its history).")
            .ProducesProblem(400);
        me.MapGet("/notifications", Notifications).WithName("ListMyNotifications").WithSummary("The notification centre: the latest 50 notices and the unread count.");
        me.MapPost("/notifications/{id:guid}/read", MarkRead).WithName("MarkMyNotificationRead").WithSummary("Mark one notice read.");
        me.MapPost("/notifications/read-all", MarkAllRead).WithName("MarkAllMyNotificationsRead").WithSummary("Mark every notice read.");
        return app;
    }

    private static async Task<Results<Ok<MeView>, ProblemHttpResult>> Me(ClaimsPrincipal user, UserManager<CentricUser> users, ProfileTraits traits, CancellationToken ct)
    {
        if (await users.FindByIdAsync(user.UserId()) is not { } account) return ApiProblems.NotFound("account");
        var me = user.ProfileId();
        var contact = await traits.ContactAsync(me, ct);
        return TypedResults.Ok(new MeView(me, account.Email ?? "", account.EmailConfirmed, contact?.FirstName, contact?.LastName,
            contact?.DisplayName ?? account.DisplayName ?? account.Email ?? "", account.PhoneNumber, account.TwoFactorEnabled));
    }

    private static async Task<Ok<ConsentPreferences>> Preferences(ClaimsPrincipal user, ConsentService consent, CancellationToken ct) =>
        TypedResults.Ok(new ConsentPreferences(await consent.PreferencesAsync(user.ProfileId(), ct)));

    private static async Task<Ok<ConsentPreference>> SetConsent(ConsentAnswer body, ClaimsPrincipal user, ConsentService consent, CentricDbContext db, CancellationToken ct)
    {
        if (body.Channel is null || !ConsentChannels.All.Contains(body.Channel))
            throw RequestValidationException.For("channel", $"One of {string.Join(", ", ConsentChannels.All)}.");
        if (body.Purpose is null || !ConsentPurposes.All.Contains(body.Purpose))
            throw RequestValidationException.For("purpose", $"One of {string.Join(", ", ConsentPurposes.All)}.");
        if (body.Granted is not { } granted) throw RequestValidationException.For("granted", "true to give consent, false to withdraw it.");
        var me = user.ProfileId();
        await consent.RecordAsync(me, body.Channel, body.Purpose, granted, "api", user.Identity?.Name, ct);
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok((await consent.PreferencesAsync(me, ct)).First(p => p.Channel == body.Channel && p.Purpose == body.Purpose));
    }

    private static async Task<Ok<NotificationList>> Notifications(ClaimsPrincipal user, NotificationCentre centre, CancellationToken ct)
    {
        var page = await centre.ListAsync(user.ProfileId(), ct);
        return TypedResults.Ok(new NotificationList([.. page.Items.Select(n => new NotificationView(n.Id, n.Topic, n.Title, n.Body, n.Link, n.CreatedAt, n.ReadAt))], page.Unread));
    }

    // Someone else's notice, or no such notice: the same answer either way.
    private static async Task<Results<NoContent, ProblemHttpResult>> MarkRead(Guid id, ClaimsPrincipal user, NotificationCentre centre, CancellationToken ct) =>
        await centre.MarkReadAsync(user.ProfileId(), id, ct) ? TypedResults.NoContent() : ApiProblems.NotFound("notification");

    private static async Task<Ok<MarkedRead>> MarkAllRead(ClaimsPrincipal user, NotificationCentre centre, CancellationToken ct) =>
        TypedResults.Ok(new MarkedRead(await centre.MarkAllReadAsync(user.ProfileId(), ct)));
}
