using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Costs;

/// <summary>What serving customers cost on one channel over a range, in total and by part (support, shipping…).</summary>
public sealed record ChannelCost(string Channel, double Total, IReadOnlyDictionary<string, double> Parts);

/// <summary>
/// Cost to serve, attributed from the timeline: the cost drivers of a range (<see cref="CostDriver"/>, kept by the stream)
/// priced with the business's cost model. A range is UTC instants, start inclusive, end exclusive.
/// </summary>
public sealed class CostToServe(CentricDbContext db, CostModelSettings settings)
{
    private sealed record Sum(Guid ProfileId, string Kind, string Channel, long Quantity, int Count);

    /// <summary>Each customer's cost to serve in the range (customers with none are left out).</summary>
    public async Task<Dictionary<Guid, decimal>> PerCustomerAsync(DateTime start, DateTime end, CancellationToken ct)
    {
        var model = await settings.GetAsync(ct);
        var result = new Dictionary<Guid, decimal>();
        foreach (var s in await SumsAsync(db.CostDrivers.AsNoTracking().Where(d => d.At >= start && d.At < end), ct))
            result[s.ProfileId] = result.GetValueOrDefault(s.ProfileId) + model.Price(s.Kind, s.Channel, s.Quantity, s.Count).Amount;
        return result;
    }

    /// <summary>The range's cost to serve by channel, the dearest first.</summary>
    public async Task<IReadOnlyList<ChannelCost>> PerChannelAsync(DateTime start, DateTime end, CancellationToken ct)
    {
        var model = await settings.GetAsync(ct);
        var channels = new Dictionary<string, Dictionary<string, decimal>>();
        foreach (var s in await SumsAsync(db.CostDrivers.AsNoTracking().Where(d => d.At >= start && d.At < end), ct))
        {
            var (part, amount) = model.Price(s.Kind, s.Channel, s.Quantity, s.Count);
            if (!channels.TryGetValue(s.Channel, out var parts)) channels[s.Channel] = parts = [];
            parts[part] = parts.GetValueOrDefault(part) + amount;
        }
        return [.. channels.Select(c => new ChannelCost(c.Key, Round(c.Value.Values.Sum()), c.Value.ToDictionary(p => p.Key, p => Round(p.Value))))
            .OrderByDescending(c => c.Total).ThenBy(c => c.Channel, StringComparer.Ordinal)];
    }

    /// <summary>One customer's cost to serve in the range, by part (support, shipping, returns, payments, messages).</summary>
    public async Task<IReadOnlyDictionary<string, decimal>> ForCustomerAsync(Guid profileId, DateTime start, DateTime end, CancellationToken ct)
    {
        var model = await settings.GetAsync(ct);
        var parts = new Dictionary<string, decimal>();
        foreach (var s in await SumsAsync(db.CostDrivers.AsNoTracking().Where(d => d.ProfileId == profileId && d.At >= start && d.At < end), ct))
        {
            var (part, amount) = model.Price(s.Kind, s.Channel, s.Quantity, s.Count);
            parts[part] = parts.GetValueOrDefault(part) + amount;
        }
        return parts;
    }

    /// <summary>The channels support work and messages have gone over, by cost item (for the cost model page).</summary>
    public async Task<IReadOnlyDictionary<string, IReadOnlyList<string>>> ChannelsSeenAsync(CancellationToken ct)
    {
        var seen = await db.CostDrivers.AsNoTracking().Select(d => new { d.Kind, d.Channel }).Distinct().ToListAsync(ct);
        string? Item(string kind) => kind switch
        {
            CostDriverKinds.SupportReply or CostDriverKinds.SupportCall => CostItems.SupportMinute,
            CostDriverKinds.Message => CostItems.Message,
            _ => null,
        };
        return CostItems.ByChannel.ToDictionary(i => i, i => (IReadOnlyList<string>)[.. seen.Where(s => Item(s.Kind) == i).Select(s => s.Channel).Distinct().Order(StringComparer.Ordinal)]);
    }

    /// <summary>Quantities summed in the database, one row per customer, kind and channel: a load reads a few rows, not every driver.</summary>
    private static async Task<List<Sum>> SumsAsync(IQueryable<CostDriver> drivers, CancellationToken ct) =>
        await drivers.GroupBy(d => new { d.ProfileId, d.Kind, d.Channel })
            .Select(g => new Sum(g.Key.ProfileId, g.Key.Kind, g.Key.Channel, g.Sum(d => d.Quantity), g.Count())).ToListAsync(ct);

    public static double Round(decimal amount) => (double)decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}
