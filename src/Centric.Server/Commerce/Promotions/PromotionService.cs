using System.Text.RegularExpressions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Promotions;

/// <summary>
/// A promotion as staff and integrators write it. <c>kind</c>: percent_off, amount_off, free_shipping or buy_x_get_y;
/// <c>audience</c>: everyone, first_order, segment (with <c>segmentId</c>), decile (<c>decileFrom</c>–<c>decileTo</c>, 1 = the
/// most valuable tenth) or tier (<c>loyaltyTier</c>, a loyalty tier's name; higher tiers qualify too). No <c>code</c> makes it automatic: applied to every eligible cart. Amounts in the currency's units.
/// </summary>
public sealed record PromotionDraft(string? Name, string? Code, string? Kind, int? PercentOff, decimal? AmountOff, int? BuyQuantity, int? GetQuantity,
    string? TargetSku, string? TargetCategory, decimal? MinimumSubtotal, DateTime? StartsAt, DateTime? EndsAt, int? TotalLimit, int? PerCustomerLimit,
    string? Audience, Guid? SegmentId, int? DecileFrom, int? DecileTo, bool? Stackable, bool? Paused, string? LoyaltyTier = null);

/// <summary>
/// A promotion with its status now (active, scheduled, ended, paused, used_up), its redemptions held by orders so far and the
/// line shoppers read.
/// </summary>
public sealed record PromotionView(Guid Id, string Name, string? Code, string Kind, int PercentOff, Money AmountOff, int BuyQuantity, int GetQuantity,
    string? TargetSku, string? TargetCategory, Money MinimumSubtotal, DateTime? StartsAt, DateTime? EndsAt, int? TotalLimit, int? PerCustomerLimit,
    string Audience, Guid? SegmentId, string? SegmentName, int? DecileFrom, int? DecileTo, bool Stackable, bool Paused, string Status, int Redeemed,
    string Explanation, DateTime CreatedAt, DateTime UpdatedAt, string? LoyaltyTier = null);

public sealed record PromotionList(IReadOnlyList<PromotionView> Items);

/// <summary>Staff and integrators create, change and pause promotions; each change is audited.</summary>
public sealed partial class PromotionService(CentricDbContext db, ICustomerSegments segments, Loyalty.LoyaltyLedger loyalty, AuditLog audit, TimeProvider clock)
{
    public static readonly string[] Kinds = ["percent_off", "amount_off", "free_shipping", "buy_x_get_y"];
    public static readonly string[] Audiences = ["everyone", "first_order", "segment", "decile", "tier"];

    [GeneratedRegex("^[A-Z0-9][A-Z0-9_-]{2,39}$")]
    private static partial Regex CodePattern();

    public async Task<IReadOnlyList<PromotionView>> ListAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var all = await db.Promotions.AsNoTracking().OrderByDescending(p => p.CreatedAt).ToListAsync(ct);
        var redeemed = await RedeemedAsync(null, ct);
        return [.. all.Select(p => View(p, now, redeemed.GetValueOrDefault(p.Id)))];
    }

    public async Task<PromotionView?> FindAsync(Guid id, CancellationToken ct) =>
        await db.Promotions.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is { } p
            ? View(p, clock.GetUtcNow().UtcDateTime, (await RedeemedAsync(id, ct)).GetValueOrDefault(id)) : null;

    /// <summary>
    /// Uses held by orders (not given back by a cancellation), per promotion. Only a promotion with a total limit keeps this
    /// count on its row (see <see cref="PromotionCheckout.RedeemAsync"/>), so pages count the redemptions.
    /// </summary>
    private async Task<Dictionary<Guid, int>> RedeemedAsync(Guid? id, CancellationToken ct) =>
        await db.PromotionRedemptions.AsNoTracking().Where(r => r.ReleasedAt == null && (id == null || r.PromotionId == id))
            .GroupBy(r => r.PromotionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);

    public async Task<PromotionView> CreateAsync(PromotionDraft draft, string? by, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var promotion = new Promotion { Name = "", CreatedAt = now, UpdatedAt = now, CreatedBy = by };
        await ApplyAsync(promotion, draft, ct);
        db.Promotions.Add(promotion);
        audit.Record("promotion.created", details: $"{promotion.Name} ({promotion.Code ?? "automatic"})");
        await SaveAsync(promotion, ct);
        return View(promotion, now, 0);
    }

    /// <summary>Changes a promotion (the draft holds all of it, as the form does); null for an unknown id.</summary>
    public async Task<PromotionView?> UpdateAsync(Guid id, PromotionDraft draft, CancellationToken ct)
    {
        if (await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct) is not { } promotion) return null;
        await ApplyAsync(promotion, draft, ct);
        promotion.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        // A limit set now counts the uses so far, which the row did not count while there was none.
        var redeemed = (await RedeemedAsync(id, ct)).GetValueOrDefault(id);
        if (promotion.TotalLimit is not null) promotion.Redeemed = redeemed;
        audit.Record("promotion.changed", details: $"{promotion.Name} ({promotion.Code ?? "automatic"}){(promotion.Paused ? " · paused" : "")}");
        await SaveAsync(promotion, ct);
        return View(promotion, promotion.UpdatedAt, redeemed);
    }

    /// <summary>Pauses or resumes: a paused promotion is never applied and its code is refused as not valid.</summary>
    public async Task<PromotionView?> SetPausedAsync(Guid id, bool paused, CancellationToken ct)
    {
        if (await db.Promotions.FirstOrDefaultAsync(p => p.Id == id, ct) is not { } promotion) return null;
        promotion.Paused = paused;
        promotion.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record(paused ? "promotion.paused" : "promotion.resumed", details: promotion.Name);
        await db.SaveChangesAsync(ct);
        return View(promotion, promotion.UpdatedAt, (await RedeemedAsync(id, ct)).GetValueOrDefault(id));
    }

    /// <summary>The categories a buy X get Y can count (slug and name), for the console's form.</summary>
    public async Task<IReadOnlyList<(string Slug, string Name)>> CategoriesAsync(CancellationToken ct) =>
        [.. (await db.Categories.AsNoTracking().OrderBy(c => c.Name).Select(c => new { c.Slug, c.Name }).ToListAsync(ct)).Select(c => (c.Slug, c.Name))];

    public Task<IReadOnlyList<SegmentChoice>> SegmentsAsync(CancellationToken ct) => segments.ListAsync(ct);

    /// <summary>The loyalty tiers a promotion can be for, lowest first, for the console's form.</summary>
    public async Task<IReadOnlyList<string>> LoyaltyTiersAsync(CancellationToken ct) => [.. (await loyalty.ProgramAsync(ct)).Tiers.Select(t => t.Name)];

    private async Task SaveAsync(Promotion promotion, CancellationToken ct)
    {
        if (promotion.Code is { } code && await db.Promotions.AnyAsync(p => p.Code == code && p.Id != promotion.Id, ct))
            throw new DomainException("promotion-code-taken", $"Another promotion has the code {code}.");
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two promotions given the same code at once: the unique index keeps one.
            throw new DomainException("promotion-code-taken", $"Another promotion has the code {promotion.Code}.");
        }
    }

    private async Task ApplyAsync(Promotion p, PromotionDraft d, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors.TryAdd(field, [message]);

        var name = d.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 120) Error("name", "A name of 1 to 120 characters.");
        var code = PromotionRules.Normalise(d.Code);
        if (code is not null && !CodePattern().IsMatch(code)) Error("code", "3 to 40 letters, digits, dashes or underscores; leave it empty for an automatic promotion.");
        var kind = d.Kind?.Trim().ToLowerInvariant();
        if (kind is null || !Kinds.Contains(kind)) Error("kind", string.Join(", ", Kinds) + ".");
        var audience = d.Audience?.Trim().ToLowerInvariant() ?? "everyone";
        if (!Audiences.Contains(audience)) Error("audience", string.Join(", ", Audiences) + ".");

        int percent = 0, buy = 0, get = 0;
        long amountOff = 0;
        switch (kind)
        {
            case "percent_off":
                if (d.PercentOff is not (>= 1 and <= 100)) Error("percentOff", "A percentage from 1 to 100.");
                percent = d.PercentOff ?? 0;
                break;
            case "amount_off":
                if (d.AmountOff is not (> 0 and <= 100_000)) Error("amountOff", "An amount above 0 and at most 100,000.");
                else amountOff = Minor(d.AmountOff.Value);
                break;
            case "buy_x_get_y":
                if (d.BuyQuantity is not (>= 1 and <= 99)) Error("buyQuantity", "The units to buy, 1 to 99.");
                if (d.GetQuantity is not (>= 1 and <= 99)) Error("getQuantity", "The units free or cheaper, 1 to 99.");
                if (d.PercentOff is not (null or (>= 1 and <= 100))) Error("percentOff", "Off the cheaper units, 1 to 100 (100, the default, is free).");
                (buy, get, percent) = (d.BuyQuantity ?? 0, d.GetQuantity ?? 0, d.PercentOff ?? 100);
                break;
        }
        var sku = d.TargetSku?.Trim().ToUpperInvariant();
        var category = d.TargetCategory?.Trim().ToLowerInvariant();
        if (sku is { Length: 0 }) sku = null;
        if (category is { Length: 0 }) category = null;
        if (sku is { Length: > 64 }) Error("targetSku", "At most 64 characters.");
        if (category is { Length: > 100 }) Error("targetCategory", "At most 100 characters.");
        if (kind == "buy_x_get_y")
        {
            if (sku is null && category is null) Error("targetCategory", "The category (or product SKU) whose units count.");
            if (category is not null && !await db.Categories.AnyAsync(c => c.Slug == category, ct)) Error("targetCategory", "No category has that slug.");
            if (sku is not null && !await db.Variants.AnyAsync(v => v.Sku == sku, ct)) Error("targetSku", "No product has that SKU.");
        }
        else (sku, category) = (null, null);
        if (d.MinimumSubtotal is not (null or (>= 0 and <= 1_000_000))) Error("minimumSubtotal", "An amount from 0 to 1,000,000.");
        var starts = Utc(d.StartsAt);
        var ends = Utc(d.EndsAt);
        if (starts is { Year: < 2000 or > 2200 }) Error("startsAt", "A date between 2000 and 2200.");
        if (ends is { Year: < 2000 or > 2200 }) Error("endsAt", "A date between 2000 and 2200.");
        if (starts is not null && ends is not null && ends <= starts) Error("endsAt", "After the start.");
        if (d.TotalLimit is not (null or (>= 1 and <= 10_000_000))) Error("totalLimit", "Empty for no limit, or 1 to 10,000,000.");
        if (d.PerCustomerLimit is not (null or (>= 1 and <= 1000))) Error("perCustomerLimit", "Empty for no limit, or 1 to 1,000.");

        string? segmentName = null;
        if (audience == "segment")
        {
            if (d.SegmentId is not { } segmentId) Error("segmentId", "The segment the promotion is for.");
            else if ((await segments.ListAsync(ct)).FirstOrDefault(x => x.Id == segmentId) is { } segment) segmentName = segment.Name;
            else Error("segmentId", "No segment has that id.");
        }
        if (audience == "decile")
        {
            if (d.DecileFrom is not (>= 1 and <= 10)) Error("decileFrom", "A value decile from 1 (the most valuable tenth) to 10.");
            if (d.DecileTo is not (>= 1 and <= 10)) Error("decileTo", "A value decile from 1 to 10.");
            else if (d.DecileFrom is { } from && from > d.DecileTo) Error("decileTo", "At least the first decile.");
        }
        string? tierName = null;
        if (audience == "tier")
        {
            var tiers = (await loyalty.ProgramAsync(ct)).Tiers;
            tierName = tiers.FirstOrDefault(t => string.Equals(t.Name, d.LoyaltyTier?.Trim(), StringComparison.OrdinalIgnoreCase))?.Name;
            if (tierName is null) Error("loyaltyTier", tiers.Count == 0 ? "The loyalty programme has no tiers." : "One of the tiers: " + string.Join(", ", tiers.Select(t => t.Name)) + ".");
        }
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Value[0], errors);

        p.Name = name!;
        p.Code = code;
        p.Kind = Array.IndexOf(Kinds, kind) switch { 0 => PromotionKind.PercentOff, 1 => PromotionKind.AmountOff, 2 => PromotionKind.FreeShipping, _ => PromotionKind.BuyXGetY };
        (p.PercentOff, p.AmountOffMinor, p.BuyQuantity, p.GetQuantity, p.TargetSku, p.TargetCategory) = (percent, amountOff, buy, get, sku, category);
        p.MinimumSubtotalMinor = Minor(d.MinimumSubtotal ?? 0);
        (p.StartsAt, p.EndsAt, p.TotalLimit, p.PerCustomerLimit) = (starts, ends, d.TotalLimit, d.PerCustomerLimit);
        p.Audience = Array.IndexOf(Audiences, audience) switch
        {
            1 => PromotionAudience.FirstOrder, 2 => PromotionAudience.Segment, 3 => PromotionAudience.Decile, 4 => PromotionAudience.Tier, _ => PromotionAudience.Everyone,
        };
        p.LoyaltyTier = tierName;
        (p.SegmentId, p.SegmentName) = audience == "segment" ? (d.SegmentId, segmentName) : (null, null);
        (p.DecileFrom, p.DecileTo) = audience == "decile" ? (d.DecileFrom, d.DecileTo) : (null, null);
        p.Stackable = d.Stackable ?? false;
        p.Paused = d.Paused ?? false;
    }

    /// <summary>A time without a zone is taken as UTC, as every time in Centric is.</summary>
    private static DateTime? Utc(DateTime? at) => at is not { } t ? null
        : t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();

    private static long Minor(decimal amount) => (long)Math.Round(amount * 100m, MidpointRounding.AwayFromZero);

    public static string Status(Promotion p, DateTime now) =>
        p.Paused ? "paused"
        : p.EndsAt is { } ends && now >= ends ? "ended"
        : p.StartsAt is { } starts && now < starts ? "scheduled"
        : p.TotalLimit is { } total && p.Redeemed >= total ? "used_up"
        : "active";

    public static string AudienceWire(PromotionAudience a) => Audiences[(int)a];

    private static PromotionView View(Promotion p, DateTime now, int redeemed) => new(p.Id, p.Name, p.Code, PromotionCheckout.Wire(p.Kind), p.PercentOff,
        new Money(p.AmountOffMinor, p.Currency), p.BuyQuantity, p.GetQuantity, p.TargetSku, p.TargetCategory, new Money(p.MinimumSubtotalMinor, p.Currency),
        p.StartsAt, p.EndsAt, p.TotalLimit, p.PerCustomerLimit, AudienceWire(p.Audience), p.SegmentId, p.SegmentName, p.DecileFrom, p.DecileTo,
        p.Stackable, p.Paused, Status(p, now), redeemed, PromotionRules.Explain(p), p.CreatedAt, p.UpdatedAt, p.LoyaltyTier);
}
