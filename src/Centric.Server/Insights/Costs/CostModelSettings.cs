using System.Globalization;
using System.Text.RegularExpressions;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Insights.Costs;

/// <summary>One figure of the cost model as an admin enters it.</summary>
public sealed record CostRateInput(string Item, string Channel, decimal Amount);

/// <summary>
/// The cost model the business configures (admins, on the console's Cost model page): read with the documented defaults
/// standing in for what was never saved, saved whole and audited.
/// </summary>
public sealed partial class CostModelSettings(CentricDbContext db, AuditLog audit)
{
    /// <summary>The saved model; an item never saved takes its default figures.</summary>
    public async Task<CostModel> GetAsync(CancellationToken ct)
    {
        var saved = await db.CostRates.AsNoTracking().ToListAsync(ct);
        if (saved.Count == 0) return new CostModel(CostModel.Defaults, isDefault: true);
        var items = saved.Select(r => r.Item).ToHashSet();
        return new CostModel(saved.Concat(CostModel.Defaults.Where(d => !items.Contains(d.Item))), isDefault: false);
    }

    /// <summary>
    /// Replaces the model with these figures: every item needs a figure for every channel (<see cref="CostModel.AnyChannel"/>),
    /// and support minutes and messages may have one per channel besides.
    /// </summary>
    public async Task SaveAsync(IReadOnlyList<CostRateInput> rates, CancellationToken ct)
    {
        var clean = new Dictionary<(string Item, string Channel), decimal>();
        foreach (var r in rates)
        {
            var item = (r.Item ?? "").Trim();
            var channel = (r.Channel ?? "").Trim().ToLowerInvariant();
            if (!CostItems.All.Contains(item)) throw RequestValidationException.For("item", $"One of {string.Join(", ", CostItems.All)}.");
            if (channel != CostModel.AnyChannel && (!CostItems.ByChannel.Contains(item) || !ChannelPattern().IsMatch(channel)))
                throw RequestValidationException.For("channel", $"{Words(item)}: a channel is lower-case letters, digits, _ and -, at most 40 characters; only support minutes and messages have figures per channel.");
            var max = item switch { CostItems.PaymentPercent => 100m, CostItems.MinutesPerReply => 600m, _ => 100_000m };
            if (r.Amount < 0 || r.Amount > max || decimal.Round(r.Amount, 6) != r.Amount)
                throw RequestValidationException.For(item, $"{Words(item)}{(channel == CostModel.AnyChannel ? "" : " (" + channel + ")")}: from 0 to {max.ToString(CultureInfo.InvariantCulture)}, at most 6 decimals.");
            if (!clean.TryAdd((item, channel), r.Amount)) throw RequestValidationException.For(item, $"{Words(item)} is given twice for {channel}.");
        }
        foreach (var item in CostItems.All.Where(i => !clean.ContainsKey((i, CostModel.AnyChannel))))
            throw RequestValidationException.For(item, $"{Words(item)}: a figure is needed.");

        var rows = await db.CostRates.ToDictionaryAsync(r => (r.Item, r.Channel), ct);
        foreach (var ((item, channel), amount) in clean)
        {
            if (rows.Remove((item, channel), out var row)) row.Amount = amount;
            else db.CostRates.Add(new CostRate { Item = item, Channel = channel, Amount = amount });
        }
        db.CostRates.RemoveRange(rows.Values);
        audit.Record("insights.cost_model.saved", details: string.Join("; ", clean.OrderBy(c => c.Key.Item, StringComparer.Ordinal).ThenBy(c => c.Key.Channel, StringComparer.Ordinal)
            .Select(c => $"{c.Key.Item}{(c.Key.Channel == CostModel.AnyChannel ? "" : ":" + c.Key.Channel)}={c.Value.ToString(CultureInfo.InvariantCulture)}")));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Back to the documented defaults.</summary>
    public async Task ResetAsync(CancellationToken ct)
    {
        db.CostRates.RemoveRange(await db.CostRates.ToListAsync(ct));
        audit.Record("insights.cost_model.reset");
        await db.SaveChangesAsync(ct);
    }

    /// <summary>An item's name in words, for the page and the messages.</summary>
    public static string Words(string item) => item switch
    {
        CostItems.SupportMinute => "Support minute",
        CostItems.MinutesPerReply => "Minutes per written reply",
        CostItems.Shipment => "Shipment",
        CostItems.Return => "Return",
        CostItems.PaymentPercent => "Payment fee (per cent)",
        CostItems.PaymentFixed => "Payment fee (fixed)",
        CostItems.Message => "Message sent",
        _ => item,
    };

    [GeneratedRegex("^[a-z0-9_-]{1,40}$")]
    private static partial Regex ChannelPattern();
}
