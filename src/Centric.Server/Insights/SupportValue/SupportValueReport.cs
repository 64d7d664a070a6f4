using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.SupportValue;

/// <summary>One band of customers by their support experience, and what they are worth and whether they stayed.</summary>
/// <param name="ChurnRate">Share of the band's customers whose last order is older than the churn horizon at the range's end.</param>
/// <param name="MeanClv">Mean 12-month lifetime value of the band's scored customers; null when none is scored.</param>
/// <param name="MeanChurnRisk">Mean predicted churn risk of the band's scored customers; null when none is scored.</param>
public sealed record SupportValueBand(string Band, int Customers, double? ChurnRate, double? MeanClv, double? MeanChurnRisk);

/// <summary>The customers in bands along one measure of support: satisfaction, contacts, or resolution time.</summary>
public sealed record SupportValueGroup(string Measure, string Title, IReadOnlyList<SupportValueBand> Bands);

public sealed record SupportValueReport(string From, string To, int ChurnHorizonDays, string? Currency, IReadOnlyList<SupportValueGroup> Groups);

/// <summary>
/// Support experience linked to value: every customer who has ordered, banded by what support was like for them in the range
/// (their mean satisfaction rating, how many tickets they opened, how long their tickets took to solve), with the churn rate
/// and mean lifetime value of each band. Read from the timeline (tickets, ratings), the counted orders and the scores, so it
/// needs nothing from Support's own tables.
/// </summary>
public sealed class SupportValueMeasure(CentricDbContext db, Models.ChurnDefinitions churn)
{
    public const string Satisfaction = "satisfaction", Contacts = "contacts", Resolution = "resolution";
    public const string NoContact = "No contact";

    private sealed class Experience
    {
        public int Tickets;
        public List<int> Ratings { get; } = [];
        public List<double> SolveHours { get; } = [];
    }

    public async Task<SupportValueReport> MeasureAsync(DateOnly from, DateOnly to, CancellationToken ct)
    {
        var (start, end) = (from.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc), to.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc));
        var horizon = (await churn.CurrentAsync(ct)).HorizonDays;
        var lapsedBefore = end.AddDays(-horizon);

        // Customers: everyone with an order before the range's end, with their last order.
        var customers = await db.CountedOrders.AsNoTracking().Where(o => o.PlacedAt < end).GroupBy(o => o.ProfileId)
            .Select(g => new { ProfileId = g.Key, Last = g.Max(o => o.PlacedAt) }).ToDictionaryAsync(c => c.ProfileId, c => c.Last, ct);
        var currency = await db.CountedOrders.AsNoTracking().Where(o => o.PlacedAt < end).GroupBy(o => o.Currency)
            .OrderByDescending(g => g.Count()).Select(g => g.Key).FirstOrDefaultAsync(ct);
        var scores = await db.ProfileInsights.AsNoTracking().Select(p => new { p.ProfileId, p.Clv12m, p.ChurnRisk })
            .ToDictionaryAsync(p => p.ProfileId, p => (p.Clv12m, p.ChurnRisk), ct);

        // Support in the range, from the timeline: tickets opened, solved and rated.
        string[] types = [InteractionTypes.TicketCreated.Name, InteractionTypes.TicketStatusChanged.Name, InteractionTypes.CsatSubmitted.Name];
        var events = await db.Interactions.AsNoTracking()
            .Where(i => i.SourceKind == "ticket" && types.Contains(i.Type) && i.OccurredAt >= start && i.OccurredAt < end)
            .Select(i => new { i.ProfileId, i.Type, i.SourceId, i.OccurredAt, i.Properties }).ToListAsync(ct);
        var experience = new Dictionary<Guid, Experience>();
        Experience Of(Guid id) => experience.TryGetValue(id, out var e) ? e : experience[id] = new Experience();
        var opened = new Dictionary<string, DateTime>();
        foreach (var e in events.OrderBy(e => e.OccurredAt))
        {
            if (InteractionTypes.TicketCreated.Is(e.Type))
            {
                Of(e.ProfileId).Tickets++;
                if (e.SourceId is not null) opened.TryAdd(e.SourceId, e.OccurredAt);
            }
            else if (InteractionTypes.CsatSubmitted.Is(e.Type) && InteractionTypes.CsatSubmitted.Read(e.Properties) is { } rated)
                Of(e.ProfileId).Ratings.Add(rated.Rating);
            else if (InteractionTypes.TicketStatusChanged.Is(e.Type) && e.SourceId is not null
                && InteractionTypes.TicketStatusChanged.Read(e.Properties) is { To: "Solved" } && opened.Remove(e.SourceId, out var at))
                Of(e.ProfileId).SolveHours.Add((e.OccurredAt - at).TotalHours);   // the first solve: a reopened ticket's later solves do not count again
        }

        SupportValueGroup Group(string measure, string title, string[] bands, Func<Experience?, string> band)
        {
            var members = customers.Keys.GroupBy(id => band(experience.GetValueOrDefault(id))).ToDictionary(g => g.Key, g => g.ToList());
            return new SupportValueGroup(measure, title, [.. bands.Select(b => Band(b, members.GetValueOrDefault(b) ?? []))]);
        }
        SupportValueBand Band(string name, List<Guid> ids)
        {
            var scored = ids.Where(scores.ContainsKey).Select(id => scores[id]).ToList();
            return new SupportValueBand(name, ids.Count,
                ids.Count == 0 ? null : (double)ids.Count(id => customers[id] < lapsedBefore) / ids.Count,
                scored.Where(s => s.Clv12m is not null).Select(s => s.Clv12m!.Value).DefaultIfEmpty(double.NaN).Average() is var clv && double.IsNaN(clv) ? null : clv,
                scored.Where(s => s.ChurnRisk is not null).Select(s => s.ChurnRisk!.Value).DefaultIfEmpty(double.NaN).Average() is var risk && double.IsNaN(risk) ? null : risk);
        }

        return new SupportValueReport(from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"), horizon, currency,
        [
            Group(Satisfaction, "By satisfaction rating", ["Rated 4–5", "Rated 3", "Rated 1–2", "Contacted, not rated", NoContact], e => e switch
            {
                null or { Tickets: 0, Ratings.Count: 0 } => NoContact,
                { Ratings.Count: 0 } => "Contacted, not rated",
                _ => e.Ratings.Average() switch { >= 3.5 => "Rated 4–5", >= 2.5 => "Rated 3", _ => "Rated 1–2" },
            }),
            Group(Contacts, "By number of contacts", [NoContact, "1 ticket", "2–3 tickets", "4 or more tickets"], e => (e?.Tickets ?? 0) switch
            {
                0 => NoContact, 1 => "1 ticket", <= 3 => "2–3 tickets", _ => "4 or more tickets",
            }),
            Group(Resolution, "By time to solve", ["Under 4 hours", "4–24 hours", "1–3 days", "Over 3 days", "Not solved in the range", NoContact], e => e switch
            {
                null or { Tickets: 0, SolveHours.Count: 0 } => NoContact,
                { SolveHours.Count: 0 } => "Not solved in the range",
                _ => e.SolveHours.Average() switch { < 4 => "Under 4 hours", < 24 => "4–24 hours", <= 72 => "1–3 days", _ => "Over 3 days" },
            }),
        ]);
    }
}
