using System.Globalization;

namespace Centric.Server.Commerce.Promotions;

/// <summary>A cart line as the promotion rules see it.</summary>
public sealed record PromotionLine(string Sku, string Category, long UnitPriceMinor, int Quantity);

/// <summary>
/// What the rules know about the shopper. <see cref="Known"/> is false for a visitor who has not signed in: the checkout
/// asks again with the profile the order goes to. <see cref="Uses"/> is how often they have redeemed each promotion.
/// </summary>
/// <remarks><see cref="Tiers"/> are the loyalty tiers the shopper counts as a member of: their own and every tier below it.</remarks>
public sealed record CustomerFacts(bool Known, int PreviousOrders, int? Decile, IReadOnlySet<Guid> Segments, IReadOnlyDictionary<Guid, int> Uses,
    IReadOnlySet<string>? Tiers = null)
{
    public static readonly CustomerFacts Unknown = new(false, 0, null, new HashSet<Guid>(), new Dictionary<Guid, int>());
}

/// <summary>A promotion applied to the cart: how much it takes off the goods or the delivery, and why, in a line.</summary>
public sealed record AppliedPromotion(Guid PromotionId, string Name, string? Code, PromotionKind Kind, Money Amount, bool OnShipping, string Explanation);

/// <summary>
/// The promotions applied, the reason a code typed is refused (null when it applies, none was typed, or it is only left out
/// for a better offer), and notes on promotions left out because a better one does not combine with them.
/// </summary>
public sealed record PromotionOutcome(IReadOnlyList<AppliedPromotion> Applied, string? CodeRefusal, IReadOnlyList<string> Notes)
{
    public Money GoodsDiscount(string currency) =>
        new(Applied.Where(a => !a.OnShipping).Sum(a => a.Amount.Minor), currency);

    public Money ShippingDiscount(string currency) =>
        new(Applied.Where(a => a.OnShipping).Sum(a => a.Amount.Minor), currency);

    /// <summary>The code that applies, upper case; null when none does.</summary>
    public string? Code => Applied.FirstOrDefault(a => a.Code is not null)?.Code;

    public static readonly PromotionOutcome None = new([], null, []);
}

/// <summary>
/// The promotion rules, as one pure function: at most one code per cart; automatic promotions apply whenever the shopper
/// and the cart are eligible; stackable promotions add up, and one that does not stack is applied alone — whichever choice
/// saves the shopper most wins, and what it leaves out is explained; the goods discount never exceeds the goods.
/// </summary>
public static class PromotionRules
{
    public static PromotionOutcome Apply(IReadOnlyList<PromotionLine> lines, Money shipping, CustomerFacts customer,
        IEnumerable<Promotion> candidates, string? code, DateTime now)
    {
        var currency = shipping.Currency;
        var subtotal = lines.Sum(l => l.UnitPriceMinor * l.Quantity);
        var typed = Normalise(code);
        var all = candidates.ToList();
        var offered = new List<(Promotion Promotion, AppliedPromotion Applied)>();
        string? refusal = null;
        if (typed is not null)
        {
            var promotion = all.FirstOrDefault(p => p.Code == typed);
            refusal = promotion is null ? $"The code {typed} is not valid." : Refusal(promotion, lines, subtotal, customer, now);
            if (promotion is not null && refusal is null) offered.Add((promotion, Price(promotion, lines, subtotal, shipping)));
        }
        if (lines.Count == 0) return new PromotionOutcome([], refusal, []);
        foreach (var promotion in all.Where(p => p.IsAutomatic))
            if (Refusal(promotion, lines, subtotal, customer, now) is null) offered.Add((promotion, Price(promotion, lines, subtotal, shipping)));
        if (offered.Count == 0) return new PromotionOutcome([], refusal, []);

        // The choices: every stackable promotion together, or one that does not stack on its own. The shopper gets the one
        // that saves most (a tie goes to the choice with the code they typed).
        var choices = new List<List<(Promotion Promotion, AppliedPromotion Applied)>>();
        var stackable = offered.Where(o => o.Promotion.Stackable).ToList();
        if (stackable.Count > 0) choices.Add(stackable);
        choices.AddRange(offered.Where(o => !o.Promotion.Stackable).Select(o => new List<(Promotion, AppliedPromotion)> { o }));
        var best = choices
            .Select(c => (Choice: c, Applied: Capped(c.Select(x => x.Applied), subtotal, currency)))
            .OrderByDescending(c => c.Applied.Sum(a => a.Amount.Minor))
            .ThenByDescending(c => c.Choice.Any(x => x.Promotion.Code is not null))
            .First();

        var notes = new List<string>();
        var winner = best.Applied.OrderByDescending(a => a.Amount.Minor).First().Name;
        foreach (var (promotion, _) in offered.Where(o => !best.Choice.Contains(o)))
        {
            // Not a refusal: the code is fine, the shopper simply gets the better offer (and may check out with the code typed).
            notes.Add(promotion.Code is not null ? $"The code {promotion.Code} does not combine with “{winner}”, which saves you more."
                : $"“{promotion.Name}” does not combine with “{winner}”, which saves you more.");
        }
        return new PromotionOutcome(best.Applied, refusal, notes);
    }

    /// <summary>Why this promotion does not apply to this shopper and cart, in the shopper's words; null when it does.</summary>
    public static string? Refusal(Promotion p, IReadOnlyList<PromotionLine> lines, long subtotal, CustomerFacts customer, DateTime now)
    {
        var what = p.Code is null ? $"“{p.Name}”" : $"The code {p.Code}";
        if (p.Paused) return p.Code is null ? $"{what} is paused." : $"The code {p.Code} is not valid.";
        if (p.StartsAt is { } starts && now < starts) return $"{what} starts {Day(starts)}.";
        if (p.EndsAt is { } ends && now >= ends) return $"{what} ended {Day(ends)}.";
        if (p.TotalLimit is { } total && p.Redeemed >= total) return $"{what} has been used up.";
        switch (p.Audience)
        {
            case PromotionAudience.FirstOrder when customer.PreviousOrders > 0:
                return $"{what} is for first orders only.";
            case PromotionAudience.Segment or PromotionAudience.Decile or PromotionAudience.Tier when !customer.Known:
                return $"Sign in to use {(p.Code is null ? what : "the code " + p.Code)}: it is for selected customers.";
            case PromotionAudience.Segment when p.SegmentId is not { } segment || !customer.Segments.Contains(segment):
                return $"{what} is not for your segment.";
            case PromotionAudience.Decile when customer.Decile is not { } d || d < (p.DecileFrom ?? 1) || d > (p.DecileTo ?? 10):
                return $"{what} is not for your segment.";
            case PromotionAudience.Tier when p.LoyaltyTier is not { } tier || customer.Tiers?.Contains(tier) != true:
                return $"{what} is for our {p.LoyaltyTier} members.";
        }
        if (p.PerCustomerLimit is { } mine && customer.Uses.GetValueOrDefault(p.Id) >= mine)
            return mine == 1 ? $"You have used {(p.Code is null ? what : "the code " + p.Code)} already."
                : $"You have used {(p.Code is null ? what : "the code " + p.Code)} {mine} times already.";
        if (subtotal < p.MinimumSubtotalMinor) return $"{what} needs an order of at least {new Money(p.MinimumSubtotalMinor, p.Currency)}.";
        if (p.Kind == PromotionKind.BuyXGetY && Units(p, lines) < p.BuyQuantity + p.GetQuantity)
            return $"{what} needs {p.BuyQuantity + p.GetQuantity} items {Target(p)} in the cart.";
        return null;
    }

    /// <summary>What the promotion is worth on this cart, before the cap.</summary>
    private static AppliedPromotion Price(Promotion p, IReadOnlyList<PromotionLine> lines, long subtotal, Money shipping)
    {
        var currency = shipping.Currency;
        var goods = new Money(subtotal, currency);
        var (amount, onShipping) = p.Kind switch
        {
            PromotionKind.PercentOff => (goods.Percent(p.PercentOff / 100m), false),
            PromotionKind.AmountOff => (new Money(Math.Min(p.AmountOffMinor, subtotal), currency), false),
            PromotionKind.FreeShipping => (shipping, true),
            _ => (new Money(FreeUnits(p, lines).Sum(), currency).Percent(p.PercentOff / 100m), false),
        };
        return new AppliedPromotion(p.Id, p.Name, p.Code, p.Kind, amount, onShipping, Explain(p, lines));
    }

    /// <summary>Adds the goods discounts up in the order given, each cut so that together they never exceed the goods.</summary>
    private static List<AppliedPromotion> Capped(IEnumerable<AppliedPromotion> applied, long subtotal, string currency)
    {
        var left = subtotal;
        var result = new List<AppliedPromotion>();
        foreach (var a in applied.OrderByDescending(a => a.Amount.Minor))
        {
            if (a.OnShipping) { result.Add(a); continue; }
            var amount = Math.Min(a.Amount.Minor, left);
            left -= amount;
            result.Add(a with { Amount = new Money(amount, currency) });
        }
        return result;
    }

    /// <summary>The prices of the units a buy X get Y makes free or cheaper: the cheapest Y of every X + Y qualifying units.</summary>
    private static IEnumerable<long> FreeUnits(Promotion p, IReadOnlyList<PromotionLine> lines)
    {
        var group = p.BuyQuantity + p.GetQuantity;
        if (p.GetQuantity <= 0 || group <= 0) return [];
        var units = lines.Where(l => Qualifies(p, l)).SelectMany(l => Enumerable.Repeat(l.UnitPriceMinor, l.Quantity)).OrderBy(u => u).ToList();
        return units.Take(units.Count / group * p.GetQuantity);
    }

    private static int Units(Promotion p, IReadOnlyList<PromotionLine> lines) => lines.Where(l => Qualifies(p, l)).Sum(l => l.Quantity);

    private static bool Qualifies(Promotion p, PromotionLine line) =>
        (p.TargetSku is null || string.Equals(line.Sku, p.TargetSku, StringComparison.OrdinalIgnoreCase))
        && (p.TargetCategory is null || string.Equals(line.Category, p.TargetCategory, StringComparison.OrdinalIgnoreCase));

    /// <summary>The line a shopper reads under the promotion's name.</summary>
    public static string Explain(Promotion p, IReadOnlyList<PromotionLine>? lines = null)
    {
        var offer = p.Kind switch
        {
            PromotionKind.PercentOff => $"{p.PercentOff}% off your items",
            PromotionKind.AmountOff => $"{new Money(p.AmountOffMinor, p.Currency)} off your items",
            PromotionKind.FreeShipping => "free delivery",
            _ => $"buy {p.BuyQuantity} {Target(p)}, get {p.GetQuantity} " + (p.PercentOff >= 100 ? "free" : $"at {p.PercentOff}% off")
                + (lines is null ? "" : FreeUnits(p, lines).Count() is var n and > 0 ? $" ({n} {(n == 1 ? "item" : "items")})" : ""),
        };
        var who = p.Audience switch
        {
            PromotionAudience.FirstOrder => " on your first order",
            PromotionAudience.Segment => $" for {p.SegmentName ?? "selected customers"}",
            PromotionAudience.Decile => p.DecileFrom is null or 1 ? " for our most valued customers" : " for selected customers",
            PromotionAudience.Tier => $" for {p.LoyaltyTier} members",
            _ => "",
        };
        var minimum = p.MinimumSubtotalMinor > 0 ? $" on orders of {new Money(p.MinimumSubtotalMinor, p.Currency)} or more" : "";
        return char.ToUpperInvariant(offer[0]) + offer[1..] + who + minimum;
    }

    private static string Target(Promotion p) =>
        p.TargetSku is { } sku ? $"of {sku}" : p.TargetCategory is { } category ? $"from {category.Replace('_', ' ')}" : "of anything";

    private static string Day(DateTime at) => at.ToString("d MMM", CultureInfo.InvariantCulture);

    /// <summary>A code as stored: trimmed, upper case; null for nothing.</summary>
    public static string? Normalise(string? code) => string.IsNullOrWhiteSpace(code) ? null : code.Trim().ToUpperInvariant();
}
