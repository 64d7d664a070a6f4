using Centric.Server.Support.Measures;

namespace Centric.Server.Support.Contracts;

/// <summary>Support's figures of a period as the KPI catalogue reads them; null where there is nothing to measure.</summary>
/// <param name="Tickets">Requests opened in the period (merged tickets count once).</param>
/// <param name="TicketsByChannel">Those requests by the channel they came in on.</param>
/// <param name="FirstContactResolution">Share of the solved requests solved with a single agent response.</param>
/// <param name="ResolutionHoursMean">Mean hours from opening to solving, of the requests solved.</param>
/// <param name="Csat">Share of the ratings given in the period that were 4 or 5 out of 5.</param>
/// <param name="Deflection">Share of help-centre sessions not followed by a request within the deflection window.</param>
public sealed record SupportFigures(int Tickets, IReadOnlyDictionary<string, int> TicketsByChannel, double? FirstContactResolution,
    double? ResolutionHoursMean, double? Csat, double? Deflection);

/// <summary>What Support tells Insights about a period (the formulas are docs/support.md's "Support measures").</summary>
public sealed class SupportKpis(SupportMeasuresService measures)
{
    public async Task<SupportFigures> MeasureAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var m = await measures.ComputeAsync(from, to, ct);
        return new SupportFigures(m.Tickets, m.VolumeByChannel, m.FirstContactResolution, m.ResolutionHoursMean, m.Csat, m.DeflectionRate);
    }
}
