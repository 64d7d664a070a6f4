using Centric.Server.Platform.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Centric.Server.Support.Tickets;

public sealed record MergeRequest(string? Into);

public sealed record SplitRequest(IReadOnlyList<Guid>? MessageIds, Guid? FromMessageId, string? Subject);

/// <summary>Ticket merge and split for integrations (an API key with <c>customers:write</c>); the console calls the same service.</summary>
internal static class TicketsApi
{
    public static IEndpointRouteBuilder MapTicketsApi(this IEndpointRouteBuilder app)
    {
        var tickets = app.MapGroup("/api/v1/support/tickets").RequireAuthorization("scope:" + ApiScopes.CustomersWrite).WithTags("Support");
        tickets.MapPost("/{number}/merge", Merge).WithName("MergeTicket")
            .WithSummary("Move every message of this ticket into another ticket of the same customer and close this one.")
            .ProducesProblem(404).ProducesProblem(409);
        tickets.MapPost("/{number}/split", Split).WithName("SplitTicket")
            .WithSummary("Move chosen messages (or every message from one on) into a new ticket for the same customer.")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
        return app;
    }

    private static async Task<Ok<MergeResult>> Merge(string number, MergeRequest body, TicketMerges merges, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(body.Into)) throw Platform.Errors.RequestValidationException.For("into", "The number of the ticket to merge into.");
        return TypedResults.Ok(await merges.MergeAsync(number, body.Into, null, "API", ct));
    }

    private static async Task<Created<SplitResult>> Split(string number, SplitRequest body, TicketMerges merges, CancellationToken ct)
    {
        var split = await merges.SplitAsync(number, body.MessageIds ?? [], body.FromMessageId, body.Subject, null, "API", ct);
        return TypedResults.Created($"/console/tickets/{split.TicketNumber}", split);
    }
}
