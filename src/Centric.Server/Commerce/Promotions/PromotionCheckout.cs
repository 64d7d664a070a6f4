using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Promotions;

/// <summary>The promotions a cart may get and the facts about the shopper the rules need, read once per quote.</summary>
public sealed record PromotionOffers(IReadOnlyList<Promotion> Candidates, CustomerFacts Customer, string? Code, DateTime Now)
{
    public PromotionOutcome Apply(IReadOnlyList<PromotionLine> lines, Money shipping) =>
        PromotionRules.Apply(lines, shipping, Customer, Candidates, Code, Now);
}

/// <summary>
/// Promotions at the checkout: what a shopper may get, and the redemptions of a placed order, written in the order's own
/// transaction and released when the order is cancelled.
/// </summary>
public sealed class PromotionCheckout(CentricDbContext db, ICustomerInsights insights, ICustomerSegments segments, Loyalty.LoyaltyLedger loyalty,
    InteractionLog interactions, TimeProvider clock)
{
    /// <summary>The automatic promotions that may run now and the promotion with the typed code (in any state, so a refusal can say why).</summary>
    public async Task<PromotionOffers> OffersAsync(string? code, Guid? profileId, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var typed = PromotionRules.Normalise(code);
        var candidates = await db.Promotions.AsNoTracking()
            .Where(p => (p.Code == null && !p.Paused && (p.EndsAt == null || p.EndsAt > now)) || (typed != null && p.Code == typed))
            .ToListAsync(ct);
        return new PromotionOffers(candidates, await FactsAsync(profileId, candidates, ct), typed, now);
    }

    private async Task<CustomerFacts> FactsAsync(Guid? profileId, List<Promotion> candidates, CancellationToken ct)
    {
        if (profileId is not { } profile || candidates.Count == 0) return CustomerFacts.Unknown;
        var ids = candidates.Select(p => p.Id).ToList();
        var uses = await db.PromotionRedemptions.AsNoTracking()
            .Where(r => r.ProfileId == profile && r.ReleasedAt == null && ids.Contains(r.PromotionId))
            .GroupBy(r => r.PromotionId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var previousOrders = candidates.Any(p => p.Audience == PromotionAudience.FirstOrder)
            ? await db.Orders.CountAsync(o => o.ProfileId == profile && o.Status != OrderStatus.Cancelled, ct) : 0;
        var decile = candidates.Any(p => p.Audience == PromotionAudience.Decile) ? (await insights.FindAsync(profile, ct))?.Decile : null;
        var memberOf = candidates.Any(p => p.Audience == PromotionAudience.Segment) ? await segments.OfAsync(profile, ct) : new HashSet<Guid>();
        HashSet<string>? tiers = null;
        if (candidates.Any(p => p.Audience == PromotionAudience.Tier))
        {
            // A member of a tier counts as a member of every tier below it too: a Silver offer is Gold's as well.
            var program = await loyalty.ProgramAsync(ct);
            var tier = program.Tier(await db.LoyaltyAccounts.Where(a => a.ProfileId == profile).Select(a => a.Tier).FirstOrDefaultAsync(ct));
            tiers = tier is null ? [] : [.. program.Tiers.Where(t => t.Threshold <= tier.Threshold).Select(t => t.Name)];
            tiers = new HashSet<string>(tiers, StringComparer.OrdinalIgnoreCase);
        }
        return new CustomerFacts(true, previousOrders, decile, memberOf, uses, tiers);
    }

    /// <summary>
    /// Records the promotions applied to a new order, inside the caller's transaction and unit of work. A promotion with a total
    /// limit is counted with a conditional update, so the database refuses the use past the limit however many checkouts run at
    /// once; a per-customer limit takes the customer's next free slot, unique per promotion and customer.
    /// </summary>
    /// <param name="offers">What the order was priced with, read in the same transaction: the promotions' limits come from there.</param>
    public async Task RedeemAsync(Order order, PromotionOffers offers, IReadOnlyList<AppliedPromotion> applied, string channel, CancellationToken ct)
    {
        foreach (var a in applied)
        {
            var limits = offers.Candidates.First(p => p.Id == a.PromotionId);
            // Only a promotion with a total limit keeps a count on its row: counting every use of an unlimited one (an automatic
            // 5 % off) would line every checkout up behind that one row's lock until its commit.
            if (limits.TotalLimit is not null)
            {
                var counted = await db.Promotions.Where(p => p.Id == a.PromotionId && p.Redeemed < p.TotalLimit)
                    .ExecuteUpdateAsync(u => u.SetProperty(p => p.Redeemed, p => p.Redeemed + 1), ct);
                if (counted == 0) throw UsedUp(a);
            }
            int? slot = null;
            if (limits.PerCustomerLimit is { } max)
            {
                var taken = await db.PromotionRedemptions.Where(r => r.PromotionId == a.PromotionId && r.ProfileId == order.ProfileId && r.CustomerSlot != null)
                    .Select(r => r.CustomerSlot!.Value).ToListAsync(ct);
                slot = Enumerable.Range(1, max).Cast<int?>().FirstOrDefault(n => !taken.Contains(n!.Value));
                if (slot is null) throw UsedByCustomer(a);
            }
            db.PromotionRedemptions.Add(new PromotionRedemption
            {
                PromotionId = a.PromotionId, ProfileId = order.ProfileId, OrderId = order.Id, OrderNumber = order.Number, Code = a.Code,
                AmountMinor = a.Amount.Minor, Currency = a.Amount.Currency, CustomerSlot = slot, RedeemedAt = order.PlacedAt,
            });
            interactions.Append(db, order.ProfileId, InteractionTypes.PromotionRedeemed, channel, new PromotionRedeemedProperties(
                a.PromotionId, a.Name, a.Code, Wire(a.Kind), order.Id, order.Number, a.Amount.Amount, a.Amount.Currency, a.Explanation),
                sourceKind: "order", sourceId: order.Number);
        }
    }

    /// <summary>A cancelled order gives its promotions back: the uses count again for the customer and towards the total.</summary>
    public async Task ReleaseAsync(Guid orderId, CancellationToken ct)
    {
        var held = await db.PromotionRedemptions.Where(r => r.OrderId == orderId && r.ReleasedAt == null).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var r in held)
        {
            r.ReleasedAt = now;
            r.CustomerSlot = null;
            await db.Promotions.Where(p => p.Id == r.PromotionId && p.TotalLimit != null && p.Redeemed > 0)
                .ExecuteUpdateAsync(u => u.SetProperty(p => p.Redeemed, p => p.Redeemed - 1), ct);
        }
    }

    public static DomainException UsedUp(AppliedPromotion a) => new("promotion-used-up",
        a.Code is null ? $"“{a.Name}” has just been used up; please check your order again." : $"The code {a.Code} has just been used up.");

    public static DomainException UsedByCustomer(AppliedPromotion a) => new("promotion-already-used",
        a.Code is null ? $"You have used “{a.Name}” already." : $"You have used the code {a.Code} already.");

    public static string Wire(PromotionKind kind) => kind switch
    {
        PromotionKind.PercentOff => "percent_off",
        PromotionKind.AmountOff => "amount_off",
        PromotionKind.FreeShipping => "free_shipping",
        _ => "buy_x_get_y",
    };
}
