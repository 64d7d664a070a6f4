using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>One line of the statement, newest first: points (+ or −), why, and for points that came in, when they expire.</summary>
public sealed record LoyaltyStatementLine(Guid Id, DateTime At, int Points, string Kind, string Description, string? OrderNumber, DateTime? ExpiresAt);

/// <summary>Points that expire soon unless they are used first.</summary>
public sealed record PointsExpiring(int Points, DateTime ExpiresAt);

/// <summary>A friend the member referred, as the member sees it: when, and pending, rewarded or not_eligible (never who).</summary>
public sealed record ReferredFriend(DateTime At, string Status);

/// <summary>The member's code and share path, the points each side gets, and the friends referred so far.</summary>
public sealed record MemberReferrals(string Code, string Path, int PointsEach, int Pending, int Rewarded, IReadOnlyList<ReferredFriend> Friends);

/// <summary>
/// A member's loyalty at a glance: balance and what it is worth, tier, progress to the next tier (points earned over the last
/// 12 months), the tier's benefits, points expiring in the next 60 days, the statement (newest 100 entries) and referrals.
/// </summary>
public sealed record MemberLoyaltyView(bool Running, int Balance, Money BalanceValue, string PointValue, int MinimumRedeem, string? Tier, int EarnedLast12Months,
    string? NextTier, int? PointsToNextTier, LoyaltyTier? Benefits, IReadOnlyList<PointsExpiring> Expiring, IReadOnlyList<LoyaltyStatementLine> Statement,
    MemberReferrals? Referrals, int PointsPerCurrencyUnit);

/// <summary>What one member sees of their own points and referrals (the portal page and <c>GET /api/v1/me/loyalty</c>).</summary>
public sealed class MemberLoyalty(CentricDbContext db, LoyaltyLedger ledger, TimeProvider clock)
{
    public const int ExpiringWithinDays = 60;

    public async Task<MemberLoyaltyView> ForAsync(Guid profileId, CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var entries = await db.LoyaltyEntries.AsNoTracking().Where(e => e.ProfileId == profileId).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(ct);
        var balance = entries.Sum(e => e.Points);
        var since = now.AddMonths(-12);
        var earned = entries.Where(e => e.CreatedAt >= since && (LoyaltyLedger.EarnedKinds.Contains(e.Kind) || e.Kind == LoyaltyEntryKind.Returned)).Sum(e => e.Points);
        // Members get an account (and so a referral code) the first time they look, while the programme runs.
        var account = program.Enabled ? await ledger.EnsureAccountAsync(profileId, ct) : await ledger.AccountAsync(profileId, ct);
        var tier = program.Tier(account?.Tier);
        var next = program.NextTier(earned);
        var expiring = LoyaltyLedger.Remaining(entries).Where(l => l.Left > 0 && l.Lot.ExpiresAt is { } at && at > now && at <= now.AddDays(ExpiringWithinDays))
            .GroupBy(l => l.Lot.ExpiresAt!.Value.Date).OrderBy(g => g.Key).Select(g => new PointsExpiring(g.Sum(l => l.Left), g.Key)).ToList();
        var statement = entries.AsEnumerable().Reverse().Take(100)
            .Select(e => new LoyaltyStatementLine(e.Id, e.CreatedAt, e.Points, LoyaltyLedger.Wire(e.Kind), Describe(e), e.OrderNumber, e.Points > 0 ? e.ExpiresAt : null)).ToList();
        MemberReferrals? referrals = null;
        if (account is not null)
        {
            var friends = await db.Referrals.AsNoTracking().Where(r => r.ReferrerProfileId == profileId).OrderByDescending(r => r.CreatedAt).Take(100)
                .Select(r => new { r.CreatedAt, r.Status }).ToListAsync(ct);
            referrals = new MemberReferrals(account.ReferralCode, "/r/" + account.ReferralCode, program.ReferralPoints,
                friends.Count(f => f.Status == ReferralStatus.Pending), friends.Count(f => f.Status == ReferralStatus.Rewarded),
                [.. friends.Select(f => new ReferredFriend(f.CreatedAt, f.Status switch
                {
                    ReferralStatus.Pending => "pending", ReferralStatus.Rewarded => "rewarded", _ => "not_eligible",
                }))]);
        }
        return new MemberLoyaltyView(program.Enabled, balance, new Money(program.ValueMinor(Math.Max(0, balance)), program.Currency), LoyaltyProgramView.ValueLine(program),
            program.MinimumRedeem, tier?.Name, earned, next?.Name, next is null ? null : next.Threshold - earned, tier, expiring, statement, referrals,
            program.PointsPerCurrencyUnit);
    }

    /// <summary>
    /// Staff add points (goodwill) or take them off (a correction) with a reason the customer reads on their statement; taking off
    /// more than the balance is refused (409).
    /// </summary>
    public async Task<MemberLoyaltyView> AdjustAsync(Guid profileId, int points, string? reason, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await ledger.AdjustAsync(profileId, points, reason ?? "", ct);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
        return await ForAsync(profileId, ct);
    }

    /// <summary>The statement's words for an entry.</summary>
    public static string Describe(LoyaltyEntry e) => e.Kind switch
    {
        LoyaltyEntryKind.EarnedOrder => e.Note ?? $"Order {e.OrderNumber}",
        LoyaltyEntryKind.EarnedReview => e.Note ?? "Product review",
        LoyaltyEntryKind.EarnedReferral => e.Note ?? "Referral",
        LoyaltyEntryKind.EarnedBirthday => "Happy birthday",
        LoyaltyEntryKind.Redeemed => e.Note ?? (e.Points < 0 ? $"Used on order {e.OrderNumber}" : $"Given back: order {e.OrderNumber}"),
        LoyaltyEntryKind.Returned => e.Note ?? $"Taken back: order {e.OrderNumber}",
        LoyaltyEntryKind.Expired => e.Note ?? "Expired",
        _ => e.Note ?? "Adjusted",
    };
}

/// <summary>Commerce's loyalty answer to <see cref="ICustomerHighlights"/>: "Gold · 1,240 points" on the 360 and the customer card.</summary>
internal sealed class LoyaltyHighlights(CentricDbContext db, LoyaltyLedger ledger) : ICustomerHighlights
{
    public const string Key = "loyalty";

    public int Order => 15;

    public async Task<IReadOnlyList<CustomerHighlight>> ForAsync(Guid profileId, CancellationToken ct)
    {
        var program = await ledger.ProgramAsync(ct);
        var tier = await db.LoyaltyAccounts.AsNoTracking().Where(a => a.ProfileId == profileId).Select(a => new { a.Tier }).FirstOrDefaultAsync(ct);
        if (!program.Enabled && tier is null) return [];
        var balance = await ledger.BalanceAsync(profileId, ct);
        if (tier is null && balance == 0) return [];
        var earned = await ledger.EarnedLastYearAsync(profileId, ct);
        var next = program.NextTier(earned);
        var points = $"{balance.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} point{(balance == 1 ? "" : "s")}";
        return
        [
            new(Key, "Loyalty", tier?.Tier is { } name ? $"{name} · {points}" : points,
                $"{earned.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} earned in 12 months"
                + (next is null ? "" : $" · {(next.Threshold - earned).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} to {next.Name}"),
                Href: $"console/loyalty/members/{profileId}", Tone: tier?.Tier is null ? "neutral" : "info", Count: balance),
        ];
    }
}
