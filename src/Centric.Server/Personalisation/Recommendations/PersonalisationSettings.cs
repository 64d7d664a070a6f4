using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>The business rules and A/B switches as the recommender applies them (kept for a few seconds; edits forget them at once on this node).</summary>
internal sealed record RecommendationPolicy(IReadOnlyList<RecommendationRule> Rules, IReadOnlyDictionary<string, PlacementMode> Modes)
{
    public PlacementMode ModeOf(string placement) => Modes.GetValueOrDefault(placement, PlacementMode.Model);

    public IEnumerable<RecommendationRule> For(string placement) => Rules.Where(r => r.Placement is null || r.Placement == placement);
}

/// <summary>Staff's business rules (pin a product, exclude a category) and the A/B switch per placement.</summary>
internal sealed class PersonalisationSettings(CentricDbContext db, IMemoryCache cache, AuditLog audit, TimeProvider clock)
{
    private const string Key = "personalisation:policy";
    /// <summary>Other nodes pick a change up within this time.</summary>
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(10);

    public async Task<RecommendationPolicy> PolicyAsync(CancellationToken ct) =>
        (await cache.GetOrCreateAsync(Key, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = Freshness;
            var rules = await db.RecommendationRules.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(ct);
            var modes = await db.PlacementSettings.AsNoTracking().ToDictionaryAsync(p => p.Placement, p => p.Mode, ct);
            return new RecommendationPolicy(rules, modes);
        }))!;

    public async Task SetModeAsync(string placement, PlacementMode mode, string by, CancellationToken ct)
    {
        if (Placement.Find(placement) is null) throw RequestValidationException.For("placement", "No such placement.");
        var row = await db.PlacementSettings.FirstOrDefaultAsync(p => p.Placement == placement, ct);
        if (row is null) db.PlacementSettings.Add(row = new PlacementSetting { Placement = placement });
        row.Mode = mode;
        row.ChangedAt = clock.GetUtcNow().UtcDateTime;
        row.ChangedBy = by;
        audit.Record("personalisation.placement", details: $"{placement} shows {mode.ToString().ToLowerInvariant()} (by {by})");
        await db.SaveChangesAsync(ct);
        cache.Remove(Key);
    }

    public async Task AddRuleAsync(RecommendationRuleKind kind, Guid? productId, string? category, string? placement, string by, CancellationToken ct)
    {
        if (placement is not null && Placement.Find(placement) is null) throw RequestValidationException.For("placement", "No such placement.");
        if (kind == RecommendationRuleKind.Pin && productId is null) throw RequestValidationException.For("product", "Name the product to pin by its SKU.");
        if (kind == RecommendationRuleKind.ExcludeCategory && string.IsNullOrWhiteSpace(category)) throw RequestValidationException.For("category", "Choose the category to exclude.");
        db.RecommendationRules.Add(new RecommendationRule
        {
            Kind = kind, ProductId = kind == RecommendationRuleKind.Pin ? productId : null,
            Category = kind == RecommendationRuleKind.ExcludeCategory ? category!.Trim() : null,
            Placement = placement, CreatedAt = clock.GetUtcNow().UtcDateTime, CreatedBy = by,
        });
        audit.Record("personalisation.rule.add", details: $"{kind} {productId?.ToString() ?? category} on {placement ?? "every placement"} (by {by})");
        await db.SaveChangesAsync(ct);
        cache.Remove(Key);
    }

    public async Task RemoveRuleAsync(Guid id, string by, CancellationToken ct)
    {
        var removed = await db.RecommendationRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct);
        if (removed == 0) return;
        audit.Record("personalisation.rule.remove", details: $"rule {id} removed by {by}");
        await db.SaveChangesAsync(ct);
        cache.Remove(Key);
    }
}
