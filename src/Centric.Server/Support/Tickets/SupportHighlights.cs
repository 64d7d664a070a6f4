using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support.Tickets;

/// <summary>Support's answer to <see cref="ICustomerHighlights"/>: open tickets (the most pressing first) and how the customer rated support.</summary>
internal sealed class SupportHighlights(CentricDbContext db) : ICustomerHighlights
{
    public int Order => 20;

    public async Task<IReadOnlyList<CustomerHighlight>> ForAsync(Guid profileId, CancellationToken ct)
    {
        var open = (await db.Tickets.AsNoTracking()
                .Where(t => t.ProfileId == profileId && t.MergedIntoTicketId == null && t.Status != TicketStatus.Solved && t.Status != TicketStatus.Closed)
                .Select(t => new { t.Number, t.Subject, t.Priority, t.UpdatedAt }).ToListAsync(ct))
            .OrderByDescending(t => t.Priority).ThenByDescending(t => t.UpdatedAt).ToList();
        var highlights = new List<CustomerHighlight>
        {
            open.Count == 0
                ? new(HighlightKeys.OpenTickets, "Open tickets", "0", "Nothing waiting", Count: 0)
                : new(HighlightKeys.OpenTickets, "Open tickets", open.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    $"{open[0].Number} · “{open[0].Subject}”", $"console/tickets/{open[0].Number}",
                    open[0].Priority >= TicketPriority.High ? "danger" : "warning", open.Count),
        };

        var ratings = await db.CsatSurveys.AsNoTracking().Where(s => s.ProfileId == profileId && s.Rating != null)
            .Select(s => s.Rating!.Value).ToListAsync(ct);
        if (ratings.Count > 0)
        {
            var mean = ratings.Average();
            highlights.Add(new(HighlightKeys.Satisfaction, "Support rating", $"{mean.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} of 5",
                $"{ratings.Count} rating{(ratings.Count == 1 ? "" : "s")}", Tone: mean >= 4 ? "success" : mean >= 3 ? "neutral" : "danger"));
        }
        return highlights;
    }
}
