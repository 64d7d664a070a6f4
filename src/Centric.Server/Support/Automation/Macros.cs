using System.Text.RegularExpressions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Support.Email;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Automation;

public sealed record MacroInput(string Name, string Body, TicketStatus? SetStatus, string? AddTags);

/// <summary>Canned replies. Placeholders are filled from the ticket, the customer and the agent; an unknown placeholder is refused rather than sent.</summary>
public sealed partial class Macros(CentricDbContext db, EmailChannel email, TicketService tickets)
{
    public static readonly string[] Placeholders =
        ["customer.first_name", "customer.last_name", "customer.name", "customer.email", "ticket.number", "ticket.subject", "ticket.status", "agent.name", "agent.first_name"];

    public Task<List<Macro>> ListAsync(CancellationToken ct) => db.Macros.AsNoTracking().OrderBy(m => m.Name).ToListAsync(ct);

    public async Task<Macro> SaveAsync(Guid? id, MacroInput input, CancellationToken ct)
    {
        var name = input.Name?.Trim() ?? "";
        if (name.Length is 0 or > 100) throw RequestValidationException.For("name", "Required, at most 100 characters.");
        if (string.IsNullOrWhiteSpace(input.Body) || input.Body.Length > 10_000) throw RequestValidationException.For("body", "Required, at most 10,000 characters.");
        if (Unknown(input.Body) is { } bad) throw RequestValidationException.For("body", $"Unknown placeholder {{{{{bad}}}}}; use {string.Join(", ", Placeholders.Select(p => "{{" + p + "}}"))}.");
        if (await db.Macros.AnyAsync(m => m.Name == name && m.Id != id, ct)) throw new DomainException("macro-name-taken", $"A macro named '{name}' exists.");
        var macro = id is { } existing ? await db.Macros.FirstOrDefaultAsync(m => m.Id == existing, ct) : null;
        if (macro is null)
        {
            macro = new Macro { Name = name, Body = input.Body };
            db.Macros.Add(macro);
        }
        (macro.Name, macro.Body, macro.SetStatus) = (name, input.Body.Trim(), input.SetStatus);
        macro.AddTags = string.Join(' ', (input.AddTags ?? "").Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(t => t.ToLowerInvariant()).Distinct().Take(10));
        await db.SaveChangesAsync(ct);
        return macro;
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct) => await db.Macros.Where(m => m.Id == id).ExecuteDeleteAsync(ct);

    /// <summary>Fills the placeholders. Customer names fall back to the display name so a greeting never reads "Hello ,".</summary>
    public static string Render(string body, Ticket ticket, ProfileContact? customer, string agentName) =>
        PlaceholderPattern().Replace(body, m => m.Groups[1].Value.ToLowerInvariant() switch
        {
            "customer.first_name" => customer?.FirstName ?? customer?.DisplayName ?? "there",
            "customer.last_name" => customer?.LastName ?? "",
            "customer.name" => customer?.DisplayName ?? "there",
            "customer.email" => customer?.Email ?? "",
            "ticket.number" => ticket.Number,
            "ticket.subject" => ticket.Subject,
            "ticket.status" => TicketText.ForCustomer(ticket.Status),
            "agent.name" => agentName,
            "agent.first_name" => agentName.Split(' ', 2)[0],
            var other => throw new DomainException("macro-placeholder-unknown", $"Unknown placeholder {{{{{other}}}}}.", StatusCodes.Status422UnprocessableEntity),
        });

    /// <summary>Sends the macro as the agent's reply (email or portal), then sets its status and adds its tags.</summary>
    public async Task<ReplyResult> ApplyAsync(Ticket ticket, Guid macroId, string agentUserId, string agentName, CancellationToken ct)
    {
        var macro = await db.Macros.AsNoTracking().FirstOrDefaultAsync(m => m.Id == macroId, ct)
            ?? throw new DomainException("macro-not-found", "No such macro.", StatusCodes.Status404NotFound);
        var customer = await new ProfileTraits(db).ContactAsync(ticket.ProfileId, ct);
        var text = Render(macro.Body, ticket, customer, agentName);
        var result = await email.ReplyAsync(ticket, agentUserId, agentName, text, macro.SetStatus ?? TicketStatus.PendingCustomer, ct);
        if (macro.AddTags.Length > 0)
            await tickets.UpdateAsync(ticket, ticket.Priority, ticket.Type, ticket.AssigneeUserId, ticket.Tags + " " + macro.AddTags, ticket.OrderNumber, ct);
        return result;
    }

    private static string? Unknown(string body) =>
        PlaceholderPattern().Matches(body).Select(m => m.Groups[1].Value.ToLowerInvariant()).FirstOrDefault(p => !Placeholders.Contains(p));

    [GeneratedRegex(@"\{\{\s*([A-Za-z_.]+)\s*\}\}")]
    private static partial Regex PlaceholderPattern();
}
