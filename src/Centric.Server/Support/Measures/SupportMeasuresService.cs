using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Support.Measures;

/// <summary>The support measures of a period from the tickets, SLA clocks, ratings and help-centre interactions (for Insights).</summary>
public sealed class SupportMeasuresService(CentricDbContext db, IOptions<SupportAutomationOptions> options)
{
    public static readonly string[] HelpTypes = [InteractionTypes.HelpSearched.Name, InteractionTypes.HelpArticleViewed.Name, InteractionTypes.HelpDeflected.Name];
    private static readonly string TicketCreated = InteractionTypes.TicketCreated.Name;

    /// <summary>Tickets opened in [from, to) and ratings given in it; help sessions starting in it; backlog now.</summary>
    public async Task<SupportMeasures> ComputeAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        // A ticket merged into another is the same request: the target counts it, with every message moved there.
        var tickets = await db.Tickets.AsNoTracking().Where(t => t.CreatedAt >= from && t.CreatedAt < to && t.MergedIntoTicketId == null)
            .Select(t => new { t.Id, t.Channel, t.CreatedAt, t.FirstResponseAt, t.SolvedAt, t.Status }).ToListAsync(ct);
        var ids = tickets.Select(t => t.Id).ToList();
        var responses = new Dictionary<Guid, int>();
        var sla = new Dictionary<Guid, (int Met, int Missed)>();
        foreach (var chunk in ids.Chunk(500))
        {
            foreach (var r in await db.TicketMessages.Where(m => chunk.Contains(m.TicketId) && m.Direction == MessageDirection.Outbound && m.AuthorUserId != null)
                         .GroupBy(m => m.TicketId).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct))
                responses[r.Key] = r.Count;
            foreach (var w in await db.TicketWork.Where(w => chunk.Contains(w.TicketId)).Select(w => new { w.TicketId, w.TargetsMet, w.TargetsMissed }).ToListAsync(ct))
                sla[w.TicketId] = (w.TargetsMet, w.TargetsMissed);
        }
        var facts = tickets.Select(t => new TicketFact(t.Channel, t.CreatedAt, t.FirstResponseAt, t.SolvedAt,
            t.Status is not (TicketStatus.Solved or TicketStatus.Closed), responses.GetValueOrDefault(t.Id),
            sla.GetValueOrDefault(t.Id).Met, sla.GetValueOrDefault(t.Id).Missed)).ToList();

        var backlog = await db.Tickets.CountAsync(t => t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed, ct);
        var ratings = await db.CsatSurveys.Where(s => s.AnsweredAt >= from && s.AnsweredAt < to && s.Rating != null).Select(s => s.Rating!.Value).ToListAsync(ct);
        var window = TimeSpan.FromHours(options.Value.DeflectionWindowHours);
        // Clamped: a period ending at the end of the calendar (9999-12-31) has no room for the window after it.
        var until = to > DateTime.MaxValue - window ? DateTime.MaxValue : to + window;
        // Two reads rather than one with OR: each is then answered from the (Type, OccurredAt, ProfileId) index alone.
        var help = await db.Interactions.AsNoTracking().Where(i => HelpTypes.Contains(i.Type) && i.OccurredAt >= from && i.OccurredAt < to)
            .Select(i => new HelpEvent(i.ProfileId, i.OccurredAt, false)).ToListAsync(ct);
        help.AddRange(await db.Interactions.AsNoTracking().Where(i => i.Type == TicketCreated && i.OccurredAt >= from && i.OccurredAt < until)
            .Select(i => new HelpEvent(i.ProfileId, i.OccurredAt, true)).ToListAsync(ct));
        // Only profiles that visited the help centre matter for deflection.
        var visitors = help.Where(h => !h.IsTicket).Select(h => h.ProfileId).ToHashSet();
        return SupportMeasureMath.Compute(facts, backlog, ratings, [.. help.Where(h => visitors.Contains(h.ProfileId))], window);
    }
}
