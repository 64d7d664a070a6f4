using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Sla;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Automation;

/// <summary>
/// Reacts to tickets' footprints on the interaction stream: a new ticket is routed, assigned, given its SLA clock,
/// acknowledged or answered out of hours; replies and status changes move the SLA clock; a solve asks for a rating
/// and frees room for waiting tickets. The dispatcher's lease means one process handles each interaction, and the
/// work commits with the checkpoint. It starts at the end of the stream so old tickets are not acknowledged again.
/// </summary>
public sealed class SupportWorkSubscriber(TicketRouter router, SlaClock sla, TicketAutomation automation, ILogger<SupportWorkSubscriber> logger)
    : IInteractionSubscriber
{
    private static readonly HashSet<string> Types = [.. new InteractionType[] { InteractionTypes.TicketCreated, InteractionTypes.TicketMessageReceived,
        InteractionTypes.TicketReplied, InteractionTypes.TicketCallLogged, InteractionTypes.TicketStatusChanged }.Select(t => t.Name)];

    public string Name => "support.work";

    public bool IsUrgent => true;

    public bool StartsAtEnd => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        // Imported tickets are history: no routing, acknowledgement or survey for them.
        foreach (var i in batch.Where(i => i.SourceKind == "ticket" && Types.Contains(i.Type) && !i.IsImported))
        {
            var ticket = await db.Tickets.FirstOrDefaultAsync(t => t.Number == i.SourceId, ct);
            if (ticket is null) continue;
            try
            {
                await HandleAsync(db, ticket, i, ct);
            }
            catch (Exception e) when (e is DomainException or RequestValidationException)
            {
                // A rule of the ticket refused an automatic step (e.g. closed meanwhile); the rest of the batch goes on.
                Log.AutomationSkipped(logger, ticket.Number, i.Type, e.Message);
            }
            // Each interaction's work is saved here, before the next one, and nothing tracked is needed again: a batch of
            // hundreds of tickets would otherwise make every save look for changes among all the rows of the batch so far.
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }

    private async Task HandleAsync(CentricDbContext db, Ticket ticket, Interaction i, CancellationToken ct)
    {
        var work = await db.TicketWork.FirstOrDefaultAsync(w => w.TicketId == ticket.Id, ct);
        if (InteractionTypes.TicketCreated.Is(i.Type))
        {
            if (work is not null) return;   // handled before (a replayed batch)
            work = new TicketWork { TicketId = ticket.Id, ProfileId = ticket.ProfileId, CreatedAt = i.OccurredAt };
            db.TicketWork.Add(work);
            var text = await FirstTextAsync(db, ticket, ct);
            await router.RouteAsync(ticket, work, text, ct);
            await sla.StartAsync(ticket, work, ticket.CreatedAt, ct);
            await db.SaveChangesAsync(ct);
            if (!await automation.AssistAsync(ticket, work, text, await sla.CalendarAsync(ct), ct))
                await automation.AcknowledgeAsync(ticket, text, ct);
            if (ticket.AssigneeUserId is null) await router.AssignAsync(ticket, work, ct);
            return;
        }
        if (work is null) return;   // a ticket from before routing and SLAs existed
        if (InteractionTypes.TicketMessageReceived.Is(i.Type) && InteractionTypes.TicketMessageReceived.Read(i.Properties) is { } received)
        {
            var text = await db.TicketMessages.Where(m => m.Id == received.MessageId).Select(m => m.BodyText).FirstOrDefaultAsync(ct) ?? "";
            await automation.HandOverIfAskedAsync(ticket, work, text, ct);
            await sla.CustomerWroteAsync(ticket, work, i.OccurredAt, ct);
        }
        else if ((InteractionTypes.TicketReplied.Is(i.Type) || InteractionTypes.TicketCallLogged.Is(i.Type))
            && InteractionTypes.TicketReplied.Read(i.Properties) is { Automated: false })
        {
            await sla.AgentRepliedAsync(work, i.OccurredAt, ct);
        }
        else if (InteractionTypes.TicketStatusChanged.Is(i.Type)
            && Enum.TryParse<TicketStatus>(InteractionTypes.TicketStatusChanged.Read(i.Properties)?.To, out var to))
        {
            await sla.StatusChangedAsync(work, to, i.OccurredAt, ct);
            if (to == TicketStatus.Solved)
            {
                await automation.RequestRatingAsync(ticket, ct);
                await router.AssignWaitingAsync(ct, limit: 20);   // the solver has room for another ticket
            }
        }
    }

    private static async Task<string> FirstTextAsync(CentricDbContext db, Ticket ticket, CancellationToken ct) =>
        await db.TicketMessages.Where(m => m.TicketId == ticket.Id && m.Direction == MessageDirection.Inbound)
            .OrderBy(m => m.CreatedAt).Select(m => m.BodyText).FirstOrDefaultAsync(ct) ?? "";
}
