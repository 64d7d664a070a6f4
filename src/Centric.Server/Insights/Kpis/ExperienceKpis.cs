using Centric.Server.Insights.Contracts;
using Centric.Server.Insights.Costs;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Kpis;

/// <summary>One KPI of one period, before it is paired with the period before.</summary>
public sealed record KpiFigure(string Id, string Name, string Group, double? Value, string Unit);

/// <summary>
/// The value stream's KPIs beyond the order counts: how customers are served (support, delivery), what they say, which
/// channels they choose, what they cost and convert at. Each is defined in docs/insights.md ("KPIs"). With a channel, only
/// the KPIs that can be split by channel are measured.
/// </summary>
public sealed class ExperienceKpis(CentricDbContext db, SupportKpis support, CostToServe costs, ISurveyFeedback surveys)
{
    /// <summary>Channels where a person serves the customer; every other channel is digital.</summary>
    public static readonly string[] Assisted = ["phone", "store", "pos"];

    /// <param name="current">
    /// Whether this is the range asked for rather than the one before it: figures that are not a trend (the average CLV of
    /// today's scores) are measured for it alone, and have no "previous".
    /// </param>
    public async Task<IReadOnlyList<KpiFigure>> MeasureAsync(DateTime start, DateTime end, string? channel, int orders, int newCustomers, string currency,
        bool current, CancellationToken ct)
    {
        var figures = new List<KpiFigure>();
        // The sums kept per day (visits, orders per channel, cross-sell) are read from the day rows.
        var (firstDay, endDay) = (DateOnly.FromDateTime(start), DateOnly.FromDateTime(end));
        var ofChannel = channel is null;
        var service = ofChannel ? await support.MeasureAsync(start, end, ct) : null;

        // Run
        figures.Add(new("customer_effort_score", "Customer effort score", "run",
            Round(await surveys.ScoreAsync(db, SurveyKinds.Ces, start, end, channel, ct), 2), "score"));
        figures.Add(new("order_cycle_time", "Order cycle time", "run", await CycleDaysAsync(start, end, channel, ct), "days"));
        if (service is not null)
        {
            figures.Add(new("first_contact_resolution", "First-contact resolution", "run", Round(service.FirstContactResolution), "ratio"));
            figures.Add(new("average_resolution_time", "Average resolution time", "run", Round(service.ResolutionHoursMean, 1), "hours"));
            figures.Add(new("ticket_volume", "Ticket volume", "run", service.Tickets, "tickets"));
            // Grow
            figures.Add(new("csat", "CSAT", "grow", Round(service.Csat), "ratio"));
        }
        figures.Add(new("nps", "NPS", "grow", Round(await surveys.ScoreAsync(db, SurveyKinds.Nps, start, end, channel, ct), 1), "score"));
        if (ofChannel)
        {
            if (current)
            {
                var clv = await db.ProfileInsights.AsNoTracking().Where(p => p.Clv12m != null).AverageAsync(p => p.Clv12m, ct);
                figures.Add(new("average_clv", "Average CLV (12 months)", "grow", Round(clv, 2), currency));
            }
            figures.Add(new("cross_sell_revenue", "Cross-sell revenue", "grow",
                await KpiDays.Of(db, firstDay, endDay, null).SumAsync(d => d.CrossSellMinor, ct) / 100.0, currency));
        }

        // Transform
        var said = db.TextSentiments.AsNoTracking().Where(s => s.OccurredAt >= start && s.OccurredAt < end && (channel == null || s.Channel == channel));
        figures.Add(new("feedback_volume", "Feedback volume", "transform", await said.CountAsync(ct), "messages"));
        figures.Add(new("feedback_sentiment", "Feedback sentiment", "transform", Round(await said.AverageAsync(s => (double?)s.Score, ct), 2), "score"));
        var visits = await KpiDays.Of(db, firstDay, endDay, channel).SumAsync(d => d.Visits, ct);
        figures.Add(new("conversion_rate", "Conversion rate", "transform", visits == 0 ? null : Round((double)orders / visits), "ratio"));
        var spent = await costs.PerChannelAsync(start, end, ct);
        var messages = spent.Where(c => channel == null || c.Channel == channel).Sum(c => c.Parts.GetValueOrDefault(CostParts.Messages));
        figures.Add(new("cost_of_acquisition", "Cost of acquisition", "transform", newCustomers == 0 ? null : Round(messages / newCustomers, 2), currency));
        figures.Add(new("cost_to_serve", "Cost to serve", "transform", Round(spent.Where(c => channel == null || c.Channel == channel).Sum(c => c.Total), 2), currency));
        if (service is not null)
        {
            var contacts = await KpiDays.Of(db, firstDay, endDay, null)
                .GroupBy(d => d.Channel).Select(g => new { Channel = g.Key, Count = g.Sum(d => d.Orders) }).ToListAsync(ct);
            var all = contacts.Sum(c => c.Count) + service.Tickets;
            var digital = contacts.Where(c => !Assisted.Contains(c.Channel)).Sum(c => c.Count) + service.TicketsByChannel.Where(t => !Assisted.Contains(t.Key)).Sum(t => t.Value);
            figures.Add(new("digital_adoption", "Digital adoption", "transform", all == 0 ? null : Round((double)digital / all), "ratio"));
            figures.Add(new("self_service_deflection", "Self-service deflection", "transform", Round(service.Deflection), "ratio"));
        }
        return figures;
    }

    private static double? Round(double? value, int digits = 4) => value is { } v ? Math.Round(v, digits) : null;

    /// <summary>Mean days from placing to delivery of the orders delivered in the range.</summary>
    private async Task<double?> CycleDaysAsync(DateTime start, DateTime end, string? channel, CancellationToken ct) =>
        Round(await db.CountedOrders.AsNoTracking().Where(o => o.DeliveredAt >= start && o.DeliveredAt < end && (channel == null || o.Channel == channel))
            .AverageAsync(o => o.DeliveryDays, ct), 1);

}
