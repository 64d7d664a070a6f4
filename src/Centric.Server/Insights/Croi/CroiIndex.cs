using Centric.Server.Insights.Kpis;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Croi;

/// <summary>A weight of the index the business set (insights_croi_weights); a part never set keeps its default.</summary>
public sealed class CroiWeight
{
    public required string Part { get; set; }
    public int Weight { get; set; }
}

/// <summary>One part of the index: the KPI behind it, its 0–100 score, its weight and what it adds to the index.</summary>
public sealed record CroiPart(string Id, string Name, double? Kpi, string Unit, double? Score, int Weight, double? Contribution);

/// <summary>The index of a range (0–100; null when no part has anything to measure) with its parts.</summary>
public sealed record CroiReading(string From, string To, string? Channel, double? Index, IReadOnlyList<CroiPart> Parts);

/// <summary>
/// The customer-return-on-operations index: one number, 0–100, for how well operations serve customers. Each part is a KPI
/// turned into a 0–100 score by a fixed rule (docs/insights.md), and the index is the weighted mean of the parts that have
/// something to measure, with weights the business sets. A part's contribution is its score × its share of those weights,
/// so the contributions add up to the index.
/// </summary>
public sealed class CroiIndex(CentricDbContext db, KpiCatalogue kpis, AuditLog audit)
{
    /// <summary>The parts, with the KPI each reads, how it is scored, and its default weight.</summary>
    public static readonly (string Id, string Name, string Kpi, Func<double, double> Score, int Weight, string Rule)[] Parts =
    [
        ("effort", "Customer effort", "customer_effort_score", ces => (ces - 1) / 6 * 100, 15, "CES 7 (very easy) scores 100, 1 (very difficult) scores 0"),
        ("first_contact", "First-contact resolution", "first_contact_resolution", r => r * 100, 20, "the share solved at first contact, in per cent"),
        ("delivery", "Delivery time", "order_cycle_time", days => (10 - days) / 8 * 100, 15, "2 days or less scores 100, 10 days or more scores 0"),
        ("sentiment", "Sentiment", "feedback_sentiment", s => (s + 1) / 2 * 100, 15, "−1 scores 0, 0 scores 50, 1 scores 100"),
        ("retention", "Retention", "retention_rate", r => r * 100, 25, "the retention rate, in per cent"),
        ("cost", "Cost to serve", "cost_to_serve", share => (0.2 - share) / 0.2 * 100, 10, "cost to serve as a share of revenue: 0 % scores 100, 20 % or more scores 0"),
    ];

    public async Task<IReadOnlyDictionary<string, int>> WeightsAsync(CancellationToken ct)
    {
        var saved = await db.CroiWeights.AsNoTracking().ToDictionaryAsync(w => w.Part, w => w.Weight, ct);
        return Parts.ToDictionary(p => p.Id, p => saved.GetValueOrDefault(p.Id, p.Weight));
    }

    /// <summary>Saves the weights (0–100 each, not all 0), audited; a part left out keeps its weight.</summary>
    public async Task SaveWeightsAsync(IReadOnlyDictionary<string, int> weights, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        foreach (var (part, weight) in weights)
        {
            if (Parts.All(p => p.Id != part)) errors[part] = ["Not a part of the index."];
            else if (weight is < 0 or > 100) errors[part] = ["A weight is a whole number from 0 to 100."];
        }
        if (errors.Count > 0) throw new RequestValidationException("The weights are not valid.", errors);
        var merged = (await WeightsAsync(ct)).ToDictionary(w => w.Key, w => weights.GetValueOrDefault(w.Key, w.Value));
        if (merged.Values.All(w => w == 0)) throw RequestValidationException.For("weights", "At least one part needs a weight above 0.");
        db.CroiWeights.RemoveRange(await db.CroiWeights.ToListAsync(ct));
        db.CroiWeights.AddRange(merged.Select(w => new CroiWeight { Part = w.Key, Weight = w.Value }));
        audit.Record("insights.croi_weights.saved", details: string.Join(", ", merged.Select(w => $"{w.Key} {w.Value}")));
        await db.SaveChangesAsync(ct);
    }

    public async Task<CroiReading> MeasureAsync(DateOnly from, DateOnly to, string? channel, CancellationToken ct)
    {
        var weights = await WeightsAsync(ct);
        var values = (await kpis.MeasureAsync(from, to, channel, ct)).ToDictionary(k => k.Id);
        var revenue = values["revenue"].Value;
        var parts = Parts.Select(p =>
        {
            var kpi = values.TryGetValue(p.Kpi, out var v) ? v.Value : null;
            // Cost to serve is scored as a share of revenue: a growing shop serving more customers is not penalised for it.
            var measured = p.Id == "cost" ? (kpi is { } cost && revenue is > 0 ? cost / revenue : null) : kpi;
            var score = measured is { } m ? Math.Round(Math.Clamp(p.Score(m), 0, 100), 1) : (double?)null;
            return (Part: p, Kpi: kpi, Unit: values.TryGetValue(p.Kpi, out var u) ? u.Unit : "", Score: score, Weight: weights[p.Id]);
        }).ToList();
        var counted = parts.Where(p => p.Score is not null && p.Weight > 0).Sum(p => p.Weight);
        var readings = parts.Select(p => new CroiPart(p.Part.Id, p.Part.Name, p.Kpi, p.Unit, p.Score, p.Weight,
            p.Score is { } s && counted > 0 && p.Weight > 0 ? Math.Round(s * p.Weight / counted, 1) : null)).ToList();
        double? index = counted == 0 ? null : Math.Round(readings.Sum(r => r.Contribution ?? 0), 1);
        return new CroiReading(from.ToString("yyyy-MM-dd"), to.ToString("yyyy-MM-dd"), channel, index, readings);
    }

    /// <summary>The index over the <paramref name="periods"/> ranges of <paramref name="days"/> days ending at <paramref name="to"/>, oldest first.</summary>
    public async Task<IReadOnlyList<CroiReading>> OverTimeAsync(DateOnly to, int days, int periods, CancellationToken ct)
    {
        var readings = new List<CroiReading>();
        for (var i = periods - 1; i >= 0; i--)
        {
            var end = to.AddDays(-days * i);
            readings.Add(await MeasureAsync(end.AddDays(-days), end, null, ct));
        }
        return readings;
    }
}
