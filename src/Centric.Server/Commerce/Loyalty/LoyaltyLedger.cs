using System.Security.Cryptography;
using Centric.Server.Commerce.Orders;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Loyalty;

/// <summary>
/// The points ledger: every change of a customer's points is an appended <see cref="LoyaltyEntry"/> with its interaction, in the
/// caller's unit of work, and a balance is the sum of the entries. Earning is keyed by what caused it, so a payment, review or
/// job handled twice earns once; spending locks the customer's <see cref="LoyaltyAccount"/> row first, so two checkouts at once
/// spend the same points once.
/// </summary>
public sealed class LoyaltyLedger(CentricDbContext db, InteractionLog interactions, TimeProvider clock)
{
    public static readonly LoyaltyEntryKind[] EarnedKinds =
        [LoyaltyEntryKind.EarnedOrder, LoyaltyEntryKind.EarnedReview, LoyaltyEntryKind.EarnedReferral, LoyaltyEntryKind.EarnedBirthday];

    /// <summary>What counts towards a tier: points earned, less those taken back for returned goods.</summary>
    private static readonly LoyaltyEntryKind[] TierKinds = [.. EarnedKinds, LoyaltyEntryKind.Returned];

    public async Task<LoyaltyProgram> ProgramAsync(CancellationToken ct) =>
        await db.LoyaltyPrograms.AsNoTracking().FirstOrDefaultAsync(p => p.Id == LoyaltyProgram.SingletonId, ct) ?? LoyaltyProgram.Default();

    /// <summary>The sum of the customer's entries, including those added to this unit of work and not yet saved.</summary>
    public async Task<int> BalanceAsync(Guid profileId, CancellationToken ct) =>
        await db.LoyaltyEntries.Where(e => e.ProfileId == profileId).SumAsync(e => e.Points, ct) + Pending(profileId).Sum(e => e.Points);

    /// <summary>Points earned over the 12 months to now (less those taken back), which place the customer in a tier.</summary>
    public async Task<int> EarnedLastYearAsync(Guid profileId, CancellationToken ct)
    {
        var since = clock.GetUtcNow().UtcDateTime.AddMonths(-12);
        return await db.LoyaltyEntries.Where(e => e.ProfileId == profileId && TierKinds.Contains(e.Kind) && e.CreatedAt >= since).SumAsync(e => e.Points, ct)
            + Pending(profileId).Where(e => TierKinds.Contains(e.Kind)).Sum(e => e.Points);
    }

    private IEnumerable<LoyaltyEntry> Pending(Guid profileId) =>
        db.ChangeTracker.Entries<LoyaltyEntry>().Where(e => e.State == EntityState.Added && e.Entity.ProfileId == profileId).Select(e => e.Entity);

    /// <summary>The customer's membership row; one this unit of work has read already is not read again (a query would hand back the same tracked row).</summary>
    public async Task<LoyaltyAccount?> AccountAsync(Guid profileId, CancellationToken ct) =>
        db.LoyaltyAccounts.Local.FirstOrDefault(a => a.ProfileId == profileId) ?? await db.LoyaltyAccounts.FirstOrDefaultAsync(a => a.ProfileId == profileId, ct);

    /// <summary>
    /// The customer's membership row, created on first need with a new referral code. The insert does nothing when another
    /// transaction made the row first (or the random code is taken, then it tries another), so it never fails the caller's work.
    /// </summary>
    public async Task<LoyaltyAccount> EnsureAccountAsync(Guid profileId, CancellationToken ct)
    {
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await AccountAsync(profileId, ct) is { } account) return account;
            var now = clock.GetUtcNow().UtcDateTime;
            // The row made here comes back from the insert itself; nothing comes back when another transaction made it first.
            var made = await db.LoyaltyAccounts.FromSqlInterpolated(
                $"""INSERT INTO commerce_loyalty_accounts ("Id", "ProfileId", "ReferralCode", "CreatedAt", "UpdatedAt") VALUES ({Guid.CreateVersion7()}, {profileId}, {NewCode()}, {now}, {now}) ON CONFLICT DO NOTHING RETURNING *""")
                .ToListAsync(ct);
            if (made is [var created]) return created;
        }
        return await AccountAsync(profileId, ct) ?? throw new InvalidOperationException("Could not create the loyalty account.");
    }

    /// <summary>Eight letters and digits without look-alikes (no 0/O, 1/I/L).</summary>
    public static string NewCode()
    {
        const string alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
        Span<char> chars = stackalloc char[8];
        for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)];
        return new string(chars);
    }

    private async Task<bool> ExistsAsync(string key, CancellationToken ct) =>
        db.LoyaltyEntries.Local.Any(e => e.SourceKey == key) || await db.LoyaltyEntries.AnyAsync(e => e.SourceKey == key, ct);

    /// <summary>Appends an entry and its interaction to the unit of work; null when the source key has an entry already.</summary>
    private async Task<LoyaltyEntry?> AppendAsync(Guid profileId, int points, LoyaltyEntryKind kind, string key, string channel, CancellationToken ct,
        Order? order = null, string? note = null, DateTime? expiresAt = null, Guid? lotId = null, decimal? amount = null, string? currency = null,
        bool keyChecked = false)
    {
        if (points == 0 || (!keyChecked && await ExistsAsync(key, ct))) return null;
        var entry = new LoyaltyEntry
        {
            ProfileId = profileId, Points = points, Kind = kind, SourceKey = key, OrderId = order?.Id, OrderNumber = order?.Number, Note = note,
            ExpiresAt = expiresAt, LotId = lotId, CreatedAt = clock.GetUtcNow().UtcDateTime,
        };
        var balance = await BalanceAsync(profileId, ct) + points;
        db.LoyaltyEntries.Add(entry);
        if (kind == LoyaltyEntryKind.Redeemed)
            interactions.Append(db, profileId, InteractionTypes.LoyaltyPointsRedeemed, channel, new LoyaltyPointsRedeemedProperties(points, amount ?? 0,
                currency ?? order?.Currency ?? "EUR", balance, order!.Id, order.Number, note), sourceKind: "order", sourceId: order.Number);
        else
            interactions.Append(db, profileId, EarnedKinds.Contains(kind) ? InteractionTypes.LoyaltyPointsEarned : InteractionTypes.LoyaltyPointsAdjusted, channel,
                new LoyaltyPointsProperties(points, Wire(kind), balance, order?.Id, order?.Number, note, expiresAt),
                sourceKind: order is null ? "loyalty" : "order", sourceId: order?.Number ?? entry.Id.ToString());
        return entry;
    }

    /// <summary>Points for points that come in: expire after the programme's months.</summary>
    private DateTime? ExpiryOf(LoyaltyProgram program) =>
        program.ExpiryMonths > 0 ? clock.GetUtcNow().UtcDateTime.AddMonths(program.ExpiryMonths) : null;

    /// <summary>
    /// A paid order earns points for the items it paid for (after discounts and points, before VAT and delivery), times the tier's
    /// multiplier. Called in the payment's transaction; a second call for the same order earns nothing.
    /// </summary>
    public async Task EarnForOrderAsync(Order order, string channel, CancellationToken ct)
    {
        var program = await ProgramAsync(ct);
        if (!program.Enabled || program.PointsPerCurrencyUnit <= 0 || order.Currency != program.Currency) return;
        var key = $"order:{order.Id:N}:earned";
        var paidForItems = order.SubtotalMinor - order.DiscountMinor;
        if (paidForItems <= 0 || await ExistsAsync(key, ct)) return;
        var account = await EnsureAccountAsync(order.ProfileId, ct);
        var multiplier = program.Tier(account.Tier)?.Multiplier ?? 1m;
        var points = (int)Math.Floor(paidForItems / 100m * program.PointsPerCurrencyUnit * multiplier);
        var note = multiplier == 1m ? $"Order {order.Number}" : $"Order {order.Number} · {account.Tier} ×{multiplier:0.##}";
        // The key was looked for just above, in this transaction; the unique source key refuses a concurrent duplicate on save.
        if (await AppendAsync(order.ProfileId, points, LoyaltyEntryKind.EarnedOrder, key, channel, ct, order, note, ExpiryOf(program), keyChecked: true) is not null)
            await ReviewTierAsync(order.ProfileId, program, ct);
    }

    /// <summary>A review earns the programme's review points, once per customer and product.</summary>
    public async Task EarnForReviewAsync(Guid profileId, Guid productId, string productName, CancellationToken ct)
    {
        var program = await ProgramAsync(ct);
        if (!program.Enabled || program.ReviewPoints <= 0) return;
        await EnsureAccountAsync(profileId, ct);
        if (await AppendAsync(profileId, program.ReviewPoints, LoyaltyEntryKind.EarnedReview, $"review:{profileId:N}:{productId:N}", "web", ct,
                note: $"Review of {Shorten(productName, 120)}", expiresAt: ExpiryOf(program)) is not null)
            await ReviewTierAsync(profileId, program, ct);
    }

    /// <summary>Birthday points, once per customer and year.</summary>
    public async Task<bool> EarnForBirthdayAsync(LoyaltyProgram program, Guid profileId, int year, CancellationToken ct)
    {
        if (!program.Enabled || program.BirthdayPoints <= 0) return false;
        await EnsureAccountAsync(profileId, ct);
        var entry = await AppendAsync(profileId, program.BirthdayPoints, LoyaltyEntryKind.EarnedBirthday, $"birthday:{profileId:N}:{year}", "web", ct,
            note: "Happy birthday", expiresAt: ExpiryOf(program));
        if (entry is not null) await ReviewTierAsync(profileId, program, ct);
        return entry is not null;
    }

    /// <summary>Referral points for one side of a settled referral.</summary>
    public async Task EarnForReferralAsync(LoyaltyProgram program, Guid profileId, Referral referral, bool referrer, CancellationToken ct)
    {
        if (program.ReferralPoints <= 0) return;
        await EnsureAccountAsync(profileId, ct);
        if (await AppendAsync(profileId, program.ReferralPoints, LoyaltyEntryKind.EarnedReferral, $"referral:{referral.Id:N}:{(referrer ? "referrer" : "friend")}",
                "web", ct, note: referrer ? "A friend you referred ordered" : "Welcome: you were referred by a friend", expiresAt: ExpiryOf(program)) is not null)
            await ReviewTierAsync(profileId, program, ct);
    }

    /// <summary>
    /// A staff adjustment (positive, e.g. goodwill after a late delivery, or negative, a correction) with its reason. Points taken
    /// off lock the account as spending does, and never take the balance below zero.
    /// </summary>
    public async Task AdjustAsync(Guid profileId, int points, string reason, CancellationToken ct)
    {
        if (points is 0 or < -1_000_000 or > 1_000_000) throw RequestValidationException.For("points", "A number of points other than 0, at most a million either way.");
        if (string.IsNullOrWhiteSpace(reason) || reason.Trim().Length > 200) throw RequestValidationException.For("reason", "Why, in up to 200 characters.");
        var program = await ProgramAsync(ct);
        await EnsureAccountAsync(profileId, ct);
        if (points < 0 && await LockedBalanceAsync(profileId, ct) is { } balance && balance < -points)
            throw new DomainException("loyalty-points-insufficient",
                $"The customer has {balance.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} points: take off at most that many.", 409);
        await AppendAsync(profileId, points, LoyaltyEntryKind.Adjusted, $"adjust:{Guid.CreateVersion7():N}", "web", ct, note: reason.Trim(),
            expiresAt: points > 0 ? ExpiryOf(program) : null);
    }

    /// <summary>
    /// Spends points on a new order, in the checkout's transaction. The customer's account is locked and its balance read first,
    /// then the entry added: a second checkout of the same customer waits, then finds the points gone and is refused.
    /// </summary>
    public async Task RedeemAsync(Order order, int points, Money amount, string channel, CancellationToken ct)
    {
        if (points <= 0) return;
        if (await LockedBalanceAsync(order.ProfileId, ct) is not { } balance || balance < points) throw NotEnoughPoints();
        await AppendAsync(order.ProfileId, -points, LoyaltyEntryKind.Redeemed, $"order:{order.Id:N}:redeemed", channel, ct, order,
            $"Used on order {order.Number}", amount: -amount.Amount, currency: amount.Currency);
    }

    /// <summary>
    /// Locks the customer's account row (an update that PostgreSQL holds to the end of the transaction; SQLite's writers take
    /// turns anyway), then reads the balance, so points taken off are never spent twice. Null when there is no account.
    /// </summary>
    private async Task<int?> LockedBalanceAsync(Guid profileId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var locked = await db.LoyaltyAccounts.Where(a => a.ProfileId == profileId).ExecuteUpdateAsync(u => u.SetProperty(a => a.UpdatedAt, now), ct);
        return locked == 0 ? null : await BalanceAsync(profileId, ct);
    }

    public static DomainException NotEnoughPoints() =>
        new("loyalty-points-insufficient", "You no longer have enough points for that; please check your order again.", 409);

    /// <summary>
    /// A cancelled or wholly refunded order: the points it spent come back (with a new expiry) and the points it earned go.
    /// What earlier returns already moved is left alone, and a second call changes nothing.
    /// </summary>
    public async Task ReverseOrderAsync(Order order, string why, CancellationToken ct)
    {
        var moved = await db.LoyaltyEntries.Where(e => e.OrderId == order.Id).Select(e => new { e.Kind, e.Points }).ToListAsync(ct);
        if (moved.Count == 0) return;
        var program = await ProgramAsync(ct);
        var spent = -moved.Where(e => e.Kind == LoyaltyEntryKind.Redeemed).Sum(e => e.Points);
        var earned = moved.Where(e => e.Kind is LoyaltyEntryKind.EarnedOrder or LoyaltyEntryKind.Returned).Sum(e => e.Points);
        if (spent > 0)
            await AppendAsync(order.ProfileId, spent, LoyaltyEntryKind.Redeemed, $"order:{order.Id:N}:given-back", "web", ct, order,
                $"Given back: order {order.Number} {why}", ExpiryOf(program), amount: program.ValueMinor(spent) / 100m, currency: order.Currency);
        if (earned > 0)
            await AppendAsync(order.ProfileId, -earned, LoyaltyEntryKind.Returned, $"order:{order.Id:N}:taken-back", "web", ct, order,
                $"Order {order.Number} {why}");
        if (earned > 0) await ReviewTierAsync(order.ProfileId, program, ct);
    }

    /// <summary>
    /// Returned goods: the points the order earned are taken back in the share of the goods returned, and the points it spent
    /// come back in the same share. Once per return.
    /// </summary>
    public async Task ReturnAsync(Order order, Guid returnId, string returnNumber, long returnedGoodsMinor, CancellationToken ct)
    {
        if (order.SubtotalMinor <= 0 || returnedGoodsMinor <= 0) return;
        var moved = await db.LoyaltyEntries.Where(e => e.OrderId == order.Id).Select(e => new { e.Kind, e.Points }).ToListAsync(ct);
        if (moved.Count == 0) return;
        var program = await ProgramAsync(ct);
        var share = Math.Min(1m, (decimal)returnedGoodsMinor / order.SubtotalMinor);
        var earnedLeft = moved.Where(e => e.Kind is LoyaltyEntryKind.EarnedOrder or LoyaltyEntryKind.Returned).Sum(e => e.Points);
        var spentLeft = -moved.Where(e => e.Kind == LoyaltyEntryKind.Redeemed).Sum(e => e.Points);
        var takeBack = Math.Min(earnedLeft, (int)Math.Round(moved.Where(e => e.Kind == LoyaltyEntryKind.EarnedOrder).Sum(e => e.Points) * share, MidpointRounding.AwayFromZero));
        var giveBack = Math.Min(spentLeft, (int)Math.Round(-moved.Where(e => e.Kind == LoyaltyEntryKind.Redeemed && e.Points < 0).Sum(e => e.Points) * share,
            MidpointRounding.AwayFromZero));
        if (giveBack > 0)
            await AppendAsync(order.ProfileId, giveBack, LoyaltyEntryKind.Redeemed, $"return:{returnId:N}:given-back", "web", ct, order,
                $"Given back: return {returnNumber}", ExpiryOf(program), amount: program.ValueMinor(giveBack) / 100m, currency: order.Currency);
        if (takeBack > 0)
        {
            await AppendAsync(order.ProfileId, -takeBack, LoyaltyEntryKind.Returned, $"return:{returnId:N}:taken-back", "web", ct, order,
                $"Return {returnNumber} of order {order.Number}");
            await ReviewTierAsync(order.ProfileId, program, ct);
        }
    }

    /// <summary>Places the customer in the tier their last 12 months of earning reach; a change is recorded on their timeline.</summary>
    public async Task ReviewTierAsync(Guid profileId, LoyaltyProgram program, CancellationToken ct)
    {
        var account = await EnsureAccountAsync(profileId, ct);
        var earned = await EarnedLastYearAsync(profileId, ct);
        var tier = program.TierFor(earned)?.Name;
        if (string.Equals(tier, account.Tier, StringComparison.Ordinal)) return;
        var from = account.Tier;
        account.Tier = tier;
        account.TierChangedAt = account.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        interactions.Append(db, profileId, InteractionTypes.LoyaltyTierChanged, "web", new LoyaltyTierChangedProperties(from, tier, earned),
            sourceKind: "loyalty", sourceId: account.Id.ToString());
    }

    /// <summary>
    /// Writes an <see cref="LoyaltyEntryKind.Expired"/> entry for what is left of each earning whose expiry has passed. What is
    /// left is found first in, first out: points spent, taken back or expired use up the oldest points first.
    /// </summary>
    public async Task<int> ExpireAsync(Guid profileId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var entries = await db.LoyaltyEntries.AsNoTracking().Where(e => e.ProfileId == profileId).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync(ct);
        var expired = 0;
        foreach (var (lot, left) in Remaining(entries).Where(l => l.Lot.ExpiresAt <= now && l.Left > 0))
        {
            if (await AppendAsync(profileId, -left, LoyaltyEntryKind.Expired, $"expired:{lot.Id:N}", "web", ct, note: $"Expired: {Wire(lot.Kind).Replace('_', ' ')} of {lot.CreatedAt:d MMM yyyy}",
                    lotId: lot.Id) is not null)
                expired += left;
        }
        return expired;
    }

    /// <summary>
    /// What is left of each entry that brought points in, oldest first, after every entry that took points out: an expiry takes
    /// from its own earning, anything else from the oldest points left (and a shortfall from the next points to come in).
    /// </summary>
    public static IReadOnlyList<(LoyaltyEntry Lot, int Left)> Remaining(IEnumerable<LoyaltyEntry> entries)
    {
        var lots = new List<(LoyaltyEntry Lot, int Left)>();
        var owed = 0;
        foreach (var e in entries)
        {
            if (e.Points > 0)
            {
                var pay = Math.Min(owed, e.Points);
                owed -= pay;
                lots.Add((e, e.Points - pay));
                continue;
            }
            var take = -e.Points;
            if (e.Kind == LoyaltyEntryKind.Expired && e.LotId is { } lotId && lots.FindIndex(l => l.Lot.Id == lotId) is var own and >= 0)
            {
                var used = Math.Min(take, lots[own].Left);
                lots[own] = (lots[own].Lot, lots[own].Left - used);
                take -= used;
            }
            for (var i = 0; i < lots.Count && take > 0; i++)
            {
                var used = Math.Min(take, lots[i].Left);
                lots[i] = (lots[i].Lot, lots[i].Left - used);
                take -= used;
            }
            owed += take;
        }
        return lots;
    }

    public static string Wire(LoyaltyEntryKind kind) => kind switch
    {
        LoyaltyEntryKind.EarnedOrder => "earned_order",
        LoyaltyEntryKind.EarnedReview => "earned_review",
        LoyaltyEntryKind.EarnedReferral => "earned_referral",
        LoyaltyEntryKind.EarnedBirthday => "earned_birthday",
        LoyaltyEntryKind.Redeemed => "redeemed",
        LoyaltyEntryKind.Returned => "returned",
        LoyaltyEntryKind.Expired => "expired",
        _ => "adjusted",
    };

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
