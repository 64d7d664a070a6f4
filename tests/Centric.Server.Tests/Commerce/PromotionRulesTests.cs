using Centric.Server.Commerce;
using Centric.Server.Commerce.Promotions;

namespace Centric.Server.Tests.Commerce;

/// <summary>The promotion rules as a pure function: eligibility, refusals in the shopper's words, stacking and caps.</summary>
public class PromotionRulesTests
{
    private static readonly DateTime Now = new(2026, 12, 10, 12, 0, 0, DateTimeKind.Utc);
    private static readonly Money Delivery = new(490, "EUR");

    private static readonly PromotionLine[] TwoBooks = [new("BOOK-1", "books", 2000, 2)];   // €40.00

    private static CustomerFacts Customer(int previousOrders = 0, int? decile = null, Guid[]? segments = null, Dictionary<Guid, int>? uses = null) =>
        new(true, previousOrders, decile, (segments ?? []).ToHashSet(), uses ?? []);

    private static Promotion Code(string code, Action<Promotion>? with = null) => Make(code, with);

    private static Promotion Automatic(string name, Action<Promotion>? with = null)
    {
        var p = Make(null, with);
        p.Name = name;
        return p;
    }

    private static Promotion Make(string? code, Action<Promotion>? with)
    {
        var p = new Promotion { Name = code ?? "Automatic", Code = code, Kind = PromotionKind.PercentOff, PercentOff = 10 };
        with?.Invoke(p);
        return p;
    }

    private static PromotionOutcome Apply(IReadOnlyList<PromotionLine> lines, string? code, CustomerFacts customer, params Promotion[] candidates) =>
        PromotionRules.Apply(lines, Delivery, customer, candidates, code, Now);

    [Fact]
    public void A_percent_code_takes_its_share_of_the_goods_and_says_so()
    {
        var outcome = Apply(TwoBooks, " welcome10 ", Customer(), Code("WELCOME10"));
        var applied = Assert.Single(outcome.Applied);
        Assert.Equal(400, applied.Amount.Minor);
        Assert.False(applied.OnShipping);
        Assert.Equal("10% off your items", applied.Explanation);
        Assert.Equal("WELCOME10", outcome.Code);
        Assert.Null(outcome.CodeRefusal);
        Assert.Equal(400, outcome.GoodsDiscount("EUR").Minor);
    }

    [Fact]
    public void An_unknown_or_paused_code_is_not_valid()
    {
        Assert.Equal("The code NOPE is not valid.", Apply(TwoBooks, "nope", Customer(), Code("WELCOME10")).CodeRefusal);
        var paused = Apply(TwoBooks, "WELCOME10", Customer(), Code("WELCOME10", p => p.Paused = true));
        Assert.Equal("The code WELCOME10 is not valid.", paused.CodeRefusal);
        Assert.Empty(paused.Applied);
    }

    [Fact]
    public void A_code_outside_its_dates_says_when_it_starts_or_ended()
    {
        Assert.Equal("The code XMAS starts 20 Dec.",
            Apply(TwoBooks, "XMAS", Customer(), Code("XMAS", p => p.StartsAt = new DateTime(2026, 12, 20, 0, 0, 0, DateTimeKind.Utc))).CodeRefusal);
        Assert.Equal("The code BLACKFRIDAY ended 3 Dec.",
            Apply(TwoBooks, "BLACKFRIDAY", Customer(), Code("BLACKFRIDAY", p => p.EndsAt = new DateTime(2026, 12, 3, 23, 59, 0, DateTimeKind.Utc))).CodeRefusal);
        // The last moment before the end still counts.
        Assert.Single(Apply(TwoBooks, "LAST", Customer(), Code("LAST", p => p.EndsAt = Now.AddSeconds(1))).Applied);
    }

    [Fact]
    public void A_first_order_code_is_refused_to_a_customer_who_has_ordered()
    {
        var first = Code("HELLO", p => p.Audience = PromotionAudience.FirstOrder);
        Assert.Equal("The code HELLO is for first orders only.", Apply(TwoBooks, "HELLO", Customer(previousOrders: 1), first).CodeRefusal);
        var applied = Assert.Single(Apply(TwoBooks, "HELLO", Customer(previousOrders: 0), first).Applied);
        Assert.Equal("10% off your items on your first order", applied.Explanation);
        // A visitor not signed in may try it: the checkout asks again for the customer the order goes to.
        Assert.Single(Apply(TwoBooks, "HELLO", CustomerFacts.Unknown, first).Applied);
    }

    [Fact]
    public void Per_customer_and_total_limits_refuse_once_reached()
    {
        var once = Code("ONCE", p => p.PerCustomerLimit = 1);
        Assert.Equal("You have used the code ONCE already.", Apply(TwoBooks, "ONCE", Customer(uses: new() { [once.Id] = 1 }), once).CodeRefusal);
        Assert.Single(Apply(TwoBooks, "ONCE", Customer(uses: new() { [Guid.NewGuid()] = 3 }), once).Applied);
        var twice = Code("TWICE", p => p.PerCustomerLimit = 2);
        Assert.Single(Apply(TwoBooks, "TWICE", Customer(uses: new() { [twice.Id] = 1 }), twice).Applied);
        Assert.Equal("You have used the code TWICE 2 times already.", Apply(TwoBooks, "TWICE", Customer(uses: new() { [twice.Id] = 2 }), twice).CodeRefusal);

        var single = Code("SINGLE", p => { p.TotalLimit = 1; p.Redeemed = 1; });
        Assert.Equal("The code SINGLE has been used up.", Apply(TwoBooks, "SINGLE", Customer(), single).CodeRefusal);
    }

    [Fact]
    public void A_minimum_order_is_measured_on_the_goods()
    {
        var save5 = Code("SAVE5", p => { p.Kind = PromotionKind.AmountOff; p.AmountOffMinor = 500; p.MinimumSubtotalMinor = 3000; });
        Assert.Equal("The code SAVE5 needs an order of at least €30.00.", Apply([new("BOOK-1", "books", 2999, 1)], "SAVE5", Customer(), save5).CodeRefusal);
        var applied = Assert.Single(Apply([new("BOOK-1", "books", 3000, 1)], "SAVE5", Customer(), save5).Applied);
        Assert.Equal(500, applied.Amount.Minor);
        Assert.Equal("€5.00 off your items on orders of €30.00 or more", applied.Explanation);
    }

    [Fact]
    public void Segment_and_decile_codes_are_for_their_customers_only()
    {
        var vip = Guid.NewGuid();
        var segment = Code("VIP", p => { p.Audience = PromotionAudience.Segment; p.SegmentId = vip; p.SegmentName = "VIPs"; });
        Assert.Equal("The code VIP is not for your segment.", Apply(TwoBooks, "VIP", Customer(segments: [Guid.NewGuid()]), segment).CodeRefusal);
        Assert.Equal("10% off your items for VIPs", Assert.Single(Apply(TwoBooks, "VIP", Customer(segments: [vip]), segment).Applied).Explanation);
        Assert.Equal("Sign in to use the code VIP: it is for selected customers.", Apply(TwoBooks, "VIP", CustomerFacts.Unknown, segment).CodeRefusal);

        var top = Code("TOP", p => { p.Audience = PromotionAudience.Decile; p.DecileFrom = 1; p.DecileTo = 2; });
        Assert.Single(Apply(TwoBooks, "TOP", Customer(decile: 2), top).Applied);
        Assert.Equal("The code TOP is not for your segment.", Apply(TwoBooks, "TOP", Customer(decile: 3), top).CodeRefusal);
        Assert.Equal("The code TOP is not for your segment.", Apply(TwoBooks, "TOP", Customer(decile: null), top).CodeRefusal);
    }

    [Fact]
    public void Automatic_promotions_apply_to_eligible_carts_without_a_code_and_quietly_skip_the_others()
    {
        var outcome = Apply(TwoBooks, null, Customer(decile: 1),
            Automatic("Best customers", p => { p.Audience = PromotionAudience.Decile; p.DecileFrom = 1; p.DecileTo = 2; }),
            Automatic("Big baskets", p => p.MinimumSubtotalMinor = 10_000));
        Assert.Equal("Best customers", Assert.Single(outcome.Applied).Name);
        Assert.Null(outcome.CodeRefusal);
        Assert.Empty(outcome.Notes);
        Assert.Null(outcome.Code);
        // A code that only an automatic promotion would match is not a code.
        Assert.Equal("The code AUTOMATIC is not valid.", Apply(TwoBooks, "AUTOMATIC", Customer(), Automatic("Automatic")).CodeRefusal);
    }

    [Fact]
    public void Only_the_code_typed_applies_however_many_codes_exist()
    {
        var outcome = Apply(TwoBooks, "A10", Customer(), Code("A10", p => p.Stackable = true), Code("B20", p => { p.PercentOff = 20; p.Stackable = true; }));
        Assert.Equal("A10", Assert.Single(outcome.Applied).Code);
    }

    [Fact]
    public void A_promotion_that_does_not_stack_is_applied_alone_when_it_saves_most_and_the_other_is_explained()
    {
        var code = Code("WELCOME10");                                             // €4.00, does not stack
        var big = Automatic("Winter sale", p => p.PercentOff = 25);              // €10.00, does not stack
        var outcome = Apply(TwoBooks, "WELCOME10", Customer(), code, big);
        Assert.Equal("Winter sale", Assert.Single(outcome.Applied).Name);
        Assert.Equal(1000, outcome.GoodsDiscount("EUR").Minor);
        Assert.Null(outcome.CodeRefusal);   // the code is fine; the shopper just gets the better offer
        Assert.Equal("The code WELCOME10 does not combine with “Winter sale”, which saves you more.", Assert.Single(outcome.Notes));

        var small = Automatic("Small treat", p => p.PercentOff = 5);
        var codeWins = Apply(TwoBooks, "WELCOME10", Customer(), code, small);
        Assert.Equal("WELCOME10", Assert.Single(codeWins.Applied).Code);
        Assert.Equal("“Small treat” does not combine with “WELCOME10”, which saves you more.", Assert.Single(codeWins.Notes));
    }

    [Fact]
    public void Stackable_promotions_add_up_but_a_better_one_that_does_not_stack_still_wins()
    {
        var ten = Code("TEN", p => p.Stackable = true);
        var delivery = Automatic("Free delivery", p => { p.Kind = PromotionKind.FreeShipping; p.Stackable = true; });
        var both = Apply(TwoBooks, "TEN", Customer(), ten, delivery);
        Assert.Equal(2, both.Applied.Count);
        Assert.Equal(400, both.GoodsDiscount("EUR").Minor);
        Assert.Equal(490, both.ShippingDiscount("EUR").Minor);
        Assert.Equal("Free delivery", both.Applied.Single(a => a.OnShipping).Explanation);

        // Together they save €8.90; a lone 30 % saves €12.00 and wins.
        var lone = Automatic("Thirty", p => p.PercentOff = 30);
        var outcome = Apply(TwoBooks, "TEN", Customer(), ten, delivery, lone);
        Assert.Equal("Thirty", Assert.Single(outcome.Applied).Name);
        Assert.Equal(2, outcome.Notes.Count);
    }

    [Fact]
    public void Discounts_never_exceed_the_goods()
    {
        var big = Code("FIFTY", p => { p.Kind = PromotionKind.AmountOff; p.AmountOffMinor = 5000; p.Stackable = true; });
        Assert.Equal(4000, Assert.Single(Apply(TwoBooks, "FIFTY", Customer(), big).Applied).Amount.Minor);

        var percent = Automatic("Ninety", p => { p.PercentOff = 90; p.Stackable = true; });
        var outcome = Apply(TwoBooks, "FIFTY", Customer(), big, percent);
        Assert.Equal(4000, outcome.GoodsDiscount("EUR").Minor);
        Assert.All(outcome.Applied, a => Assert.InRange(a.Amount.Minor, 0, 4000));
    }

    [Fact]
    public void Buy_two_get_one_free_makes_the_cheapest_qualifying_units_free()
    {
        var b2g1 = Automatic("Kitchen 3 for 2", p =>
        {
            p.Kind = PromotionKind.BuyXGetY; p.BuyQuantity = 2; p.GetQuantity = 1; p.PercentOff = 100; p.TargetCategory = "housewares";
        });
        PromotionLine[] three = [new("PAN", "housewares", 3000, 1), new("JAR", "housewares", 800, 1), new("KETTLE", "housewares", 2500, 1),
            new("BOOK", "books", 100, 1)];
        var applied = Assert.Single(Apply(three, null, Customer(), b2g1).Applied);
        Assert.Equal(800, applied.Amount.Minor);                       // the jar, not the cheaper book from another category
        Assert.Equal("Buy 2 from housewares, get 1 free (1 item)", applied.Explanation);

        // Six units make two groups: the two cheapest are free.
        PromotionLine[] six = [new("PAN", "housewares", 3000, 3), new("JAR", "housewares", 800, 2), new("KETTLE", "housewares", 2500, 1)];
        Assert.Equal(1600, Assert.Single(Apply(six, null, Customer(), b2g1).Applied).Amount.Minor);
        // Five units are one group.
        PromotionLine[] five = [new("PAN", "housewares", 3000, 3), new("JAR", "housewares", 800, 2)];
        Assert.Equal(800, Assert.Single(Apply(five, null, Customer(), b2g1).Applied).Amount.Minor);
        // Two units are not enough: an automatic one just does not apply, a code says what is missing.
        PromotionLine[] two = [new("PAN", "housewares", 3000, 2)];
        Assert.Empty(Apply(two, null, Customer(), b2g1).Applied);
        var code = Code("THREE", p => { p.Kind = PromotionKind.BuyXGetY; p.BuyQuantity = 2; p.GetQuantity = 1; p.PercentOff = 100; p.TargetCategory = "housewares"; });
        Assert.Equal("The code THREE needs 3 items from housewares in the cart.", Apply(two, "THREE", Customer(), code).CodeRefusal);
    }

    [Fact]
    public void Buy_x_get_y_at_a_percent_off_and_for_one_product()
    {
        var half = Code("HALF", p => { p.Kind = PromotionKind.BuyXGetY; p.BuyQuantity = 1; p.GetQuantity = 1; p.PercentOff = 50; p.TargetSku = "MUG"; });
        PromotionLine[] lines = [new("MUG", "housewares", 1000, 2), new("PLATE", "housewares", 400, 2)];
        var applied = Assert.Single(Apply(lines, "HALF", Customer(), half).Applied);
        Assert.Equal(500, applied.Amount.Minor);
        Assert.Equal("Buy 1 of MUG, get 1 at 50% off (1 item)", applied.Explanation);
    }

    [Fact]
    public void Free_delivery_is_worth_the_delivery_and_not_the_goods()
    {
        var free = Code("SHIPFREE", p => p.Kind = PromotionKind.FreeShipping);
        var applied = Assert.Single(Apply(TwoBooks, "SHIPFREE", Customer(), free).Applied);
        Assert.True(applied.OnShipping);
        Assert.Equal(490, applied.Amount.Minor);
        var outcome = Apply(TwoBooks, "SHIPFREE", Customer(), free);
        Assert.Equal(0, outcome.GoodsDiscount("EUR").Minor);
    }

    [Fact]
    public void An_empty_cart_gets_nothing_but_a_code_still_gets_its_answer()
    {
        var outcome = Apply([], "NOPE", Customer(), Automatic("Everything", p => p.PercentOff = 50));
        Assert.Empty(outcome.Applied);
        Assert.Equal("The code NOPE is not valid.", outcome.CodeRefusal);
    }
}
