using System.Security.Claims;
using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Centric.Server.Platform.Identity;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;

namespace Centric.Server.Support.Tickets;

/// <summary>
/// A support request as the customer sees it. <c>status</c>: open (the team is on it), awaiting_reply (the team asked the
/// customer something), solved or closed (a closed request takes no more messages: open a new one).
/// </summary>
public sealed record TicketSummaryView(string Number, string Subject, string Status, string StatusText, string? OrderNumber, DateTime CreatedAt, DateTime UpdatedAt);

/// <summary>One message of the thread; <c>from</c> is "customer" or "support" (internal notes are never shown).</summary>
public sealed record TicketMessageView(Guid Id, string From, string AuthorName, string Channel, string Text, DateTime CreatedAt);

public sealed record TicketView(string Number, string Subject, string Status, string StatusText, string? OrderNumber, DateTime CreatedAt, DateTime UpdatedAt,
    IReadOnlyList<TicketMessageView> Messages);

public sealed record NewTicketRequest(string? Subject, string? Text, string? OrderNumber);

public sealed record TicketReply(string? Text);

/// <summary>The customer's own support requests over the API: the same tickets the portal's Support page and the agents' inbox show.</summary>
internal static class CustomerTicketsApi
{
    public static IEndpointRouteBuilder MapCustomerTicketsApi(this IEndpointRouteBuilder app)
    {
        var me = app.MapGroup("/api/v1/me/tickets").RequireAuthorization(Policies.Customer).WithTags("Support");
        me.MapGet("/", List).WithName("ListMyTickets").WithSummary("The customer's support requests, most recently updated first.");
        me.MapPost("/", Open).WithName("OpenTicket").WithSummary("Ask for help: a new support request with its first message, optionally about one of the customer's orders.")
            .ProducesProblem(400);
        me.MapGet("/{number}", Get).WithName("GetMyTicket").WithSummary("One of the customer's requests with its messages, oldest first.");
        me.MapPost("/{number}/messages", Reply).WithName("ReplyToMyTicket")
            .WithSummary("Add a message to the request (a solved request opens again; a closed one refuses).").ProducesProblem(400).ProducesProblem(409);
        return app;
    }

    public static string CustomerStatus(TicketStatus status) => status switch
    {
        TicketStatus.PendingCustomer => "awaiting_reply",
        TicketStatus.Solved => "solved",
        TicketStatus.Closed => "closed",
        _ => "open",
    };

    private static TicketSummaryView Summary(Ticket t) =>
        new(t.Number, t.Subject, CustomerStatus(t.Status), TicketText.ForCustomer(t.Status), t.OrderNumber, t.CreatedAt, t.UpdatedAt);

    private static async Task<Ok<List<TicketSummaryView>>> List(ClaimsPrincipal user, TicketService tickets, CancellationToken ct) =>
        TypedResults.Ok((await tickets.ListOwnAsync(user.ProfileId(), ct)).Select(Summary).ToList());

    private static async Task<Created<TicketView>> Open(NewTicketRequest body, ClaimsPrincipal user, TicketService tickets, OrderLookup orders,
        UserManager<CentricUser> users, CancellationToken ct)
    {
        var me = user.ProfileId();
        var subject = ApiProblems.Text(body.Subject, "subject", 300) ?? throw RequestValidationException.For("subject", "Required.");
        var text = ApiProblems.Text(body.Text, "text", TicketService.MaxText) ?? throw RequestValidationException.For("text", "Required.");
        string? orderNumber = null;
        if (ApiProblems.Text(body.OrderNumber, "orderNumber", 40) is { } number)
            orderNumber = await orders.OwnNumberAsync(me, number, ct)
                ?? throw RequestValidationException.For("orderNumber", "Not one of your orders.");
        var ticket = await tickets.OpenAsync(me, subject, new NewMessage(MessageDirection.Inbound, SupportChannels.Web, await AuthorAsync(user, users), text), orderNumber, ct);
        return TypedResults.Created($"/api/v1/me/tickets/{ticket.Number}", await ViewAsync(ticket, tickets, ct));
    }

    private static async Task<Results<Ok<TicketView>, ProblemHttpResult>> Get(string number, ClaimsPrincipal user, TicketService tickets, CancellationToken ct) =>
        await FindOwnAsync(number, user, tickets, ct) is { } ticket ? TypedResults.Ok(await ViewAsync(ticket, tickets, ct)) : ApiProblems.NotFound("support request");

    private static async Task<Results<Created<TicketMessageView>, ProblemHttpResult>> Reply(string number, TicketReply body, ClaimsPrincipal user,
        TicketService tickets, UserManager<CentricUser> users, CancellationToken ct)
    {
        if (await FindOwnAsync(number, user, tickets, ct) is not { } ticket) return ApiProblems.NotFound("support request");
        var text = ApiProblems.Text(body.Text, "text", TicketService.MaxText) ?? throw RequestValidationException.For("text", "Required.");
        var message = await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Inbound, SupportChannels.Web, await AuthorAsync(user, users), text), ct);
        return TypedResults.Created($"/api/v1/me/tickets/{ticket.Number}", Message(message));
    }

    private static async Task<Ticket?> FindOwnAsync(string number, ClaimsPrincipal user, TicketService tickets, CancellationToken ct)
    {
        var n = number.Trim();
        return n.Length is 0 or > 40 ? null : await tickets.FindOwnAsync(n.ToUpperInvariant(), user.ProfileId(), ct);
    }

    private static async Task<TicketView> ViewAsync(Ticket t, TicketService tickets, CancellationToken ct) =>
        new(t.Number, t.Subject, CustomerStatus(t.Status), TicketText.ForCustomer(t.Status), t.OrderNumber, t.CreatedAt, t.UpdatedAt,
            [.. (await tickets.ThreadAsync(t.Id, includeNotes: false, ct)).Select(Message)]);

    private static TicketMessageView Message(TicketMessage m) =>
        new(m.Id, m.Direction == MessageDirection.Inbound ? "customer" : "support", m.AuthorName, m.Channel, m.BodyText, m.CreatedAt);

    /// <summary>The name the agents see on the customer's messages, as the portal writes it.</summary>
    private static async Task<string> AuthorAsync(ClaimsPrincipal user, UserManager<CentricUser> users) =>
        await users.FindByIdAsync(user.UserId()) is { } account ? account.DisplayName ?? account.Email ?? "Customer" : "Customer";
}
