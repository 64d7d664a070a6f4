using Centric.Server.Platform.Data;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Measures;

/// <summary>The support measures of a period from the tickets, SLA clocks, ratings and help sessions (for Insights).</summary>
public sealed class SupportMeasuresService(CentricDbContext db)
{
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
        // A help session counts in the period it starts in; both counts come from the sessions' (StartedAt, TicketFollowed) index.
        var sessions = await db.HelpSessions.Where(s => s.StartedAt >= from && s.StartedAt < to).GroupBy(s => s.TicketFollowed)
            .Select(g => new { Followed = g.Key, Count = g.Count() }).ToListAsync(ct);
        var help = (sessions.Sum(s => s.Count), sessions.Where(s => !s.Followed).Sum(s => s.Count));
        return SupportMeasureMath.Compute(facts, backlog, ratings, help);
    }
}
