namespace Centric.Server.Support.Measures;

/// <summary>One ticket as the measures see it.</summary>
public sealed record TicketFact(string Channel, DateTime CreatedAt, DateTime? FirstResponseAt, DateTime? SolvedAt, bool Open,
    int AgentResponses, int SlaMet, int SlaMissed);

/// <summary>A help-centre visit (search or article view) or a ticket opened, by profile, for deflection.</summary>
public sealed record HelpEvent(Guid ProfileId, DateTime At, bool IsTicket);

/// <summary>A help session: a profile's first and last help event, and whether a ticket followed within the window.</summary>
public sealed record HelpSessionSpan(Guid ProfileId, DateTime StartedAt, DateTime LastAt, bool TicketFollowed);

/// <summary>The support measures of a period; null where there is nothing to measure. Times in hours, rates as fractions 0–1.</summary>
public sealed record SupportMeasures(
    int Tickets,
    IReadOnlyDictionary<string, int> VolumeByChannel,
    double? FirstResponseHoursMean,
    double? FirstResponseHoursMedian,
    double? ResolutionHoursMean,
    double? FirstContactResolution,
    int Backlog,
    double? SlaAttainment,
    double? Csat,
    double? AverageRating,
    int Ratings,
    double? DeflectionRate,
    int HelpSessions);

/// <summary>
/// The formulas of docs/support.md ("Support measures"), as pure functions over facts so they are checked by hand-computed
/// fixtures and run the same on tickets from the database and on an imported data set.
/// </summary>
public static class SupportMeasureMath
{
    /// <param name="help">The help sessions of the period and how many of them were deflected (<see cref="Deflection"/>).</param>
    public static SupportMeasures Compute(IReadOnlyList<TicketFact> tickets, int backlog, IReadOnlyList<int> ratings, (int Sessions, int Deflected) help)
    {
        var firstResponses = tickets.Where(t => t.FirstResponseAt >= t.CreatedAt).Select(t => (t.FirstResponseAt!.Value - t.CreatedAt).TotalHours).Order().ToList();
        var resolutions = tickets.Where(t => t.SolvedAt >= t.CreatedAt).Select(t => (t.SolvedAt!.Value - t.CreatedAt).TotalHours).ToList();
        var solvedWithAnswer = tickets.Where(t => t.SolvedAt is not null && t.AgentResponses > 0).ToList();
        var slaMet = tickets.Sum(t => t.SlaMet);
        var slaAll = slaMet + tickets.Sum(t => t.SlaMissed);
        var (sessions, deflected) = help;
        return new SupportMeasures(
            tickets.Count,
            tickets.GroupBy(t => t.Channel).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            firstResponses.Count == 0 ? null : firstResponses.Average(),
            Median(firstResponses),
            resolutions.Count == 0 ? null : resolutions.Average(),
            solvedWithAnswer.Count == 0 ? null : (double)solvedWithAnswer.Count(t => t.AgentResponses == 1) / solvedWithAnswer.Count,
            backlog,
            slaAll == 0 ? null : (double)slaMet / slaAll,
            ratings.Count == 0 ? null : (double)ratings.Count(r => r >= 4) / ratings.Count,
            ratings.Count == 0 ? null : ratings.Average(),
            ratings.Count,
            sessions == 0 ? null : (double)deflected / sessions,
            sessions);
    }

    /// <summary>
    /// Help sessions: a profile's help events with less than <paramref name="window"/> between one and the next, by profile,
    /// then start. A session is deflected (<see cref="HelpSessionSpan.TicketFollowed"/> false) when the profile opens no ticket
    /// from its start until <paramref name="window"/> after its last help event.
    /// </summary>
    public static List<HelpSessionSpan> Sessions(IReadOnlyList<HelpEvent> events, TimeSpan window)
    {
        var sessions = new List<HelpSessionSpan>();
        foreach (var profile in events.GroupBy(e => e.ProfileId))
        {
            var tickets = profile.Where(e => e.IsTicket).Select(e => e.At).ToList();
            var visits = profile.Where(e => !e.IsTicket).Select(e => e.At).Order().ToList();
            var i = 0;
            while (i < visits.Count)
            {
                var start = visits[i];
                var last = start;
                while (i + 1 < visits.Count && visits[i + 1] - last < window) last = visits[++i];
                i++;
                sessions.Add(new HelpSessionSpan(profile.Key, start, last, tickets.Any(t => t >= start && t <= Until(last, window))));
            }
        }
        return sessions;
    }

    /// <summary>The end of a session's ticket window, clamped at the end of the calendar.</summary>
    public static DateTime Until(DateTime last, TimeSpan window) => last > DateTime.MaxValue - window ? DateTime.MaxValue : last + window;

    public static double? Median(IReadOnlyList<double> sorted) =>
        sorted.Count == 0 ? null : sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}
