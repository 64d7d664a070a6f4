using System.Text.Json;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Segments;

/// <summary>
/// The demo's segments, created through the same service as a marketer's, so their counts are true. "High value at risk"
/// fills as the demo's models score the customers (each score change reaches the segments through the stream).
/// </summary>
internal sealed class DemoSegments(SegmentService segments, CentricDbContext db)
{
    public async Task SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Segments.AnyAsync(ct)) return;
        static JsonElement N(double v) => JsonSerializer.SerializeToElement(v);
        SegmentCondition Did(string type, int days, bool did = true) => new() { Kind = "behaviour", Type = type, Days = days, Did = did };
        var demo = new (string Name, string Description, SegmentRule Rule)[]
        {
            ("Bought in the last 30 days", "Placed an order in the last 30 days.",
                new(SegmentRules.All, [Did("order_placed", 30)])),
            ("Lapsed 90 days", "Ordered before, but not in the last 90 days: the win-back audience.",
                new(SegmentRules.All, [new() { Kind = "aggregate", Field = "daysSinceLastOrder", Op = "gte", Value = N(90) }])),
            ("High value at risk", "The three most valuable deciles with a churn risk of 50 % or more.",
                new(SegmentRules.All, [
                    new() { Kind = "insight", Field = "decile", Op = "lte", Value = N(3) },
                    new() { Kind = "insight", Field = "churnRisk", Op = "gte", Value = N(0.5) }])),
            ("Browsing, not buying", "Say yes to marketing email, looked at products this month, and ordered nothing in it.",
                new(SegmentRules.All, [
                    new() { Kind = "consent", Channel = "email", Purpose = "marketing" },
                    Did("product_viewed", 30),
                    Did("order_placed", 30, did: false)])),
            ("Frequent support contacts", "Opened three support tickets or more.",
                new(SegmentRules.All, [new() { Kind = "aggregate", Field = "tickets", Op = "gte", Value = N(3) }])),
        };
        foreach (var (name, description, rule) in demo)
            await segments.CreateAsync(new NewSegment(name, description, "rule", rule), "Centric demo", ct);
    }
}
