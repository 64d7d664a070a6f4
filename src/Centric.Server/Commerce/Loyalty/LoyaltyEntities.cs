namespace Centric.Server.Commerce.Loyalty;

/// <summary>Why points came or went. Earned kinds carry an expiry; the others use points up or give them back.</summary>
public enum LoyaltyEntryKind
{
    EarnedOrder = 0, EarnedReview = 1, EarnedReferral = 2, EarnedBirthday = 3,
    /// <summary>Spent at checkout (negative), or given back when that order is cancelled or its goods returned (positive).</summary>
    Redeemed = 4,
    /// <summary>Points an order earned, taken back because its goods were returned or it was cancelled (negative).</summary>
    Returned = 5,
    /// <summary>Earned points not used before their expiry (negative), one entry per earning entry it expires.</summary>
    Expired = 6,
    Adjusted = 7,
}

/// <summary>
/// One line of a customer's points statement. The ledger is append-only: a balance is always the sum of a customer's entries,
/// and nothing stores a balance beside it. <see cref="SourceKey"/> names what caused the entry (an order's earning, a review,
/// a referral, a birthday in a year, the expiry of one earning) and is unique, so an event handled twice earns once.
/// </summary>
public sealed class LoyaltyEntry
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public int Points { get; set; }
    public LoyaltyEntryKind Kind { get; set; }
    public required string SourceKey { get; set; }
    public Guid? OrderId { get; set; }
    public string? OrderNumber { get; set; }
    /// <summary>For an <see cref="LoyaltyEntryKind.Expired"/> entry: the earning entry whose rest it expires.</summary>
    public Guid? LotId { get; set; }
    /// <summary>When points that came in (earned, given back) expire if they are not used first.</summary>
    public DateTime? ExpiresAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public string? Note { get; set; }
}

/// <summary>
/// A customer's membership: their referral code and current tier. The row is also the lock a redemption takes, so two
/// checkouts of the same customer spend their points one after the other; the balance itself is never stored here.
/// </summary>
public sealed class LoyaltyAccount
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    /// <summary>Upper case, unique; what a friend types or follows as <c>/r/{code}</c>.</summary>
    public required string ReferralCode { get; set; }
    /// <summary>The tier's name as it was when last reviewed; null below the first tier (or with no tiers).</summary>
    public string? Tier { get; set; }
    public DateTime? TierChangedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

/// <summary>A tier and what it brings. Its threshold counts points earned over the last 12 months.</summary>
public sealed record LoyaltyTier(string Name, int Threshold, decimal Multiplier, bool FreeStandardDelivery, bool EarlyAccess);

/// <summary>
/// The programme's rules, as the business edits them (one row). Points are earned per whole currency unit of the items an order
/// paid for (after discounts, before VAT and delivery); <see cref="PointsPerCurrencyUnitRedeemed"/> points are worth one
/// currency unit at checkout.
/// </summary>
public sealed class LoyaltyProgram
{
    public const int SingletonId = 1;
    public int Id { get; set; } = SingletonId;
    public bool Enabled { get; set; }
    public string Currency { get; set; } = "EUR";
    public int PointsPerCurrencyUnit { get; set; } = 1;
    public int ReviewPoints { get; set; } = 25;
    public int ReferralPoints { get; set; } = 200;
    public int BirthdayPoints { get; set; } = 100;
    public int PointsPerCurrencyUnitRedeemed { get; set; } = 100;
    public int MinimumRedeem { get; set; } = 500;
    public int ExpiryMonths { get; set; } = 12;
    /// <summary>At most this many referral rewards per referrer in a calendar month; more friends still count, unrewarded.</summary>
    public int ReferralMonthlyLimit { get; set; } = 5;
    public List<LoyaltyTier> Tiers { get; set; } = [];
    public DateTime UpdatedAt { get; set; }
    public string? UpdatedBy { get; set; }

    /// <summary>The tier for points earned over 12 months: the highest threshold reached; null below every tier.</summary>
    public LoyaltyTier? TierFor(int earned12Months) =>
        Tiers.Where(t => t.Threshold <= earned12Months).OrderByDescending(t => t.Threshold).FirstOrDefault();

    public LoyaltyTier? Tier(string? name) => name is null ? null : Tiers.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.OrdinalIgnoreCase));

    public LoyaltyTier? NextTier(int earned12Months) => Tiers.Where(t => t.Threshold > earned12Months).OrderBy(t => t.Threshold).FirstOrDefault();

    /// <summary>What <paramref name="points"/> are worth at checkout, in minor units (rounded down).</summary>
    public long ValueMinor(int points) => PointsPerCurrencyUnitRedeemed <= 0 ? 0 : (long)points * 100 / PointsPerCurrencyUnitRedeemed;

    /// <summary>The fewest points worth <paramref name="minor"/> (rounded up).</summary>
    public int PointsFor(long minor) => (int)Math.Min(int.MaxValue, (minor * PointsPerCurrencyUnitRedeemed + 99) / 100);

    /// <summary>The programme as it is before the business sets it up: off, with sensible rules and three tiers ready.</summary>
    public static LoyaltyProgram Default() => new()
    {
        Tiers =
        [
            new("Bronze", 0, 1m, false, false),
            new("Silver", 500, 1.25m, false, false),
            new("Gold", 2000, 1.5m, true, true),
        ],
    };
}

public enum ReferralStatus { Pending = 0, Rewarded = 1, Refused = 2, Void = 3 }

/// <summary>
/// A friend's first order placed with a customer's referral code (<see cref="ProfileId"/> is the friend). It is settled once
/// the order is paid and the return window has passed without a return: both get the referral points, unless a guard refuses
/// it (the same person, email, card or address) or the referrer had their rewards for the month.
/// </summary>
public sealed class Referral
{
    public Guid Id { get; set; } = Guid.CreateVersion7();
    public Guid ProfileId { get; set; }
    public Guid ReferrerProfileId { get; set; }
    public required string Code { get; set; }
    public Guid OrderId { get; set; }
    public required string OrderNumber { get; set; }
    public ReferralStatus Status { get; set; }
    /// <summary>Why it was refused or void, for staff; the referrer sees only "not eligible".</summary>
    public string? Reason { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? SettledAt { get; set; }
}

/// <summary>A daily loyalty job run on a day (expiry, birthdays, referrals, tiers): inserted first, so one node runs it.</summary>
public sealed class LoyaltyDailyRun
{
    public required string Job { get; set; }
    public DateOnly Day { get; set; }
    public DateTime RanAt { get; set; }
}
