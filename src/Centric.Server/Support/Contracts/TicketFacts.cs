using Centric.Server.Platform.Data;
using Centric.Server.Support.Tickets;

namespace Centric.Server.Support.Contracts;

/// <summary>One ticket as other modules filter on it (Engagement's segments): whose, when it was opened, whether it is still open.</summary>
public sealed class TicketFact
{
    public Guid ProfileId { get; init; }
    public DateTime CreatedAt { get; init; }
    public bool Open { get; init; }
}

/// <summary>Tickets as a composable query over the DbContext it is given (merged-away tickets left out); nothing is loaded until the caller runs it.</summary>
public sealed class TicketFacts(CentricDbContext db)
{
    public IQueryable<TicketFact> All =>
        db.Tickets.Where(t => t.MergedIntoTicketId == null).Select(t => new TicketFact
        {
            ProfileId = t.ProfileId, CreatedAt = t.CreatedAt,
            Open = t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed,
        });
}
