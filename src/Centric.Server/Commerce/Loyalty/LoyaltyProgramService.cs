using System.Globalization;
using Centric.Server.Platform.Audit;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>A tier as staff and integrators write it: a name, the points earned over 12 months it starts at, and its benefits.</summary>
public sealed record LoyaltyTierDraft(string? Name, int? Threshold, decimal? Multiplier, bool? FreeStandardDelivery, bool? EarlyAccess);

/// <summary>
/// The programme's rules as written (the whole of them, as the console's form sends them). Points are earned per whole currency
/// unit of the items paid for; <c>pointsPerCurrencyUnitRedeemed</c> points are worth one currency unit at checkout (100 = €1).
/// </summary>
public sealed record LoyaltyProgramDraft(bool? Enabled, int? PointsPerCurrencyUnit, int? ReviewPoints, int? ReferralPoints, int? BirthdayPoints,
    int? PointsPerCurrencyUnitRedeemed, int? MinimumRedeem, int? ExpiryMonths, int? ReferralMonthlyLimit, IReadOnlyList<LoyaltyTierDraft>? Tiers);

/// <summary>The programme as it runs now, with the line shoppers read about what points are worth.</summary>
public sealed record LoyaltyProgramView(bool Enabled, string Currency, int PointsPerCurrencyUnit, int ReviewPoints, int ReferralPoints, int BirthdayPoints,
    int PointsPerCurrencyUnitRedeemed, int MinimumRedeem, int ExpiryMonths, int ReferralMonthlyLimit, IReadOnlyList<LoyaltyTier> Tiers, string PointValue,
    DateTime? UpdatedAt, string? UpdatedBy)
{
    public static LoyaltyProgramView From(LoyaltyProgram p) => new(p.Enabled, p.Currency, p.PointsPerCurrencyUnit, p.ReviewPoints, p.ReferralPoints,
        p.BirthdayPoints, p.PointsPerCurrencyUnitRedeemed, p.MinimumRedeem, p.ExpiryMonths, p.ReferralMonthlyLimit, p.Tiers, ValueLine(p),
        p.UpdatedAt == default ? null : p.UpdatedAt, p.UpdatedBy);

    public static string ValueLine(LoyaltyProgram p) =>
        $"{p.PointsPerCurrencyUnitRedeemed.ToString("N0", CultureInfo.InvariantCulture)} points = {new Money(100, p.Currency)}";
}

/// <summary>The programme's figures for the console: members, points held, and members per tier.</summary>
public sealed record LoyaltyFigures(int Members, long PointsHeld, Money PointsHeldValue, IReadOnlyList<(string Tier, int Members)> ByTier, int ReferralsPending,
    int ReferralsRewarded);

/// <summary>Staff and integrators read and change the programme's rules; each change is audited.</summary>
public sealed class LoyaltyProgramService(CentricDbContext db, LoyaltyLedger ledger, AuditLog audit, TimeProvider clock)
{
    public async Task<LoyaltyProgramView> ViewAsync(CancellationToken ct) => LoyaltyProgramView.From(await ledger.ProgramAsync(ct));

    public async Task<LoyaltyProgramView> UpdateAsync(LoyaltyProgramDraft d, string? by, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        void Error(string field, string message) => errors.TryAdd(field, [message]);
        int Points(int? value, string field, int max, int fallback)
        {
            if (value is null) return fallback;
            if (value < 0 || value > max) Error(field, $"0 to {max.ToString("N0", CultureInfo.InvariantCulture)}.");
            return value.Value;
        }
        var current = await db.LoyaltyPrograms.FirstOrDefaultAsync(p => p.Id == LoyaltyProgram.SingletonId, ct);
        var p = current ?? LoyaltyProgram.Default();
        var perUnit = Points(d.PointsPerCurrencyUnit, "pointsPerCurrencyUnit", 1000, p.PointsPerCurrencyUnit);
        var review = Points(d.ReviewPoints, "reviewPoints", 100_000, p.ReviewPoints);
        var referral = Points(d.ReferralPoints, "referralPoints", 100_000, p.ReferralPoints);
        var birthday = Points(d.BirthdayPoints, "birthdayPoints", 100_000, p.BirthdayPoints);
        var redeemed = Points(d.PointsPerCurrencyUnitRedeemed, "pointsPerCurrencyUnitRedeemed", 100_000, p.PointsPerCurrencyUnitRedeemed);
        if (redeemed == 0) Error("pointsPerCurrencyUnitRedeemed", "The points worth one currency unit at checkout, 1 to 100,000.");
        var minimum = Points(d.MinimumRedeem, "minimumRedeem", 1_000_000, p.MinimumRedeem);
        var expiry = Points(d.ExpiryMonths, "expiryMonths", 120, p.ExpiryMonths);
        var limit = Points(d.ReferralMonthlyLimit, "referralMonthlyLimit", 1000, p.ReferralMonthlyLimit);
        var tiers = p.Tiers;
        if (d.Tiers is not null)
        {
            tiers = [];
            if (d.Tiers.Count > 10) Error("tiers", "At most 10 tiers.");
            for (var i = 0; i < Math.Min(d.Tiers.Count, 10); i++)
            {
                var t = d.Tiers[i];
                var name = t?.Name?.Trim();
                if (string.IsNullOrEmpty(name) || name.Length > 40) { Error($"tiers[{i}].name", "A name of 1 to 40 characters."); continue; }
                if (t!.Threshold is not (>= 0 and <= 10_000_000)) Error($"tiers[{i}].threshold", "Points earned over 12 months, 0 to 10,000,000.");
                if (t.Multiplier is not (null or (>= 1 and <= 10))) Error($"tiers[{i}].multiplier", "A point multiplier from 1 to 10.");
                if (tiers.Any(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase))) Error($"tiers[{i}].name", "Each tier has its own name.");
                else if (tiers.Any(x => x.Threshold == t.Threshold)) Error($"tiers[{i}].threshold", "Each tier starts at its own number of points.");
                tiers.Add(new LoyaltyTier(name, t.Threshold ?? 0, Math.Round(t.Multiplier ?? 1m, 2), t.FreeStandardDelivery ?? false, t.EarlyAccess ?? false));
            }
            tiers = [.. tiers.OrderBy(t => t.Threshold)];
        }
        if (errors.Count > 0) throw new RequestValidationException(errors.First().Value[0], errors);

        (p.Enabled, p.PointsPerCurrencyUnit, p.ReviewPoints, p.ReferralPoints, p.BirthdayPoints) = (d.Enabled ?? p.Enabled, perUnit, review, referral, birthday);
        (p.PointsPerCurrencyUnitRedeemed, p.MinimumRedeem, p.ExpiryMonths, p.ReferralMonthlyLimit, p.Tiers) = (redeemed, minimum, expiry, limit, tiers);
        p.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        p.UpdatedBy = by;
        if (current is null) db.LoyaltyPrograms.Add(p);
        audit.Record("loyalty.program.changed", details: $"{(p.Enabled ? "running" : "off")} · {p.PointsPerCurrencyUnit}/unit · {LoyaltyProgramView.ValueLine(p)} · "
            + string.Join(", ", p.Tiers.Select(t => $"{t.Name} {t.Threshold}")));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Two first saves at once: the other one made the row; this change is asked for again.
            throw new DomainException("loyalty-program-changed", "The programme was changed at the same moment; please try again.");
        }
        return LoyaltyProgramView.From(p);
    }

    public async Task<LoyaltyFigures> FiguresAsync(CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        var held = await db.LoyaltyEntries.SumAsync(e => (long)e.Points, ct);
        var byTier = await db.LoyaltyAccounts.GroupBy(a => a.Tier).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var referrals = await db.Referrals.GroupBy(r => r.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        return new LoyaltyFigures(byTier.Sum(t => t.Count), held, new Money(program.ValueMinor((int)Math.Clamp(held, 0, int.MaxValue)), program.Currency),
            [.. byTier.OrderBy(t => program.Tier(t.Key)?.Threshold ?? -1).Select(t => (t.Key ?? "No tier", t.Count))],
            referrals.Where(r => r.Key == ReferralStatus.Pending).Sum(r => r.Count), referrals.Where(r => r.Key == ReferralStatus.Rewarded).Sum(r => r.Count));
    }
}
