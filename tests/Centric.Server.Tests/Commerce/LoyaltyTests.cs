using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Loyalty;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Reviews;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>
/// The points ledger on the database, with a clock the tests move: earning once per paid order, review and birthday; spending at
/// checkout, once under concurrency; giving back and taking back on cancellation and returns; expiry first in, first out; tiers;
/// and after every step the balance is the sum of the entries.
/// </summary>
public abstract class LoyaltyTests(ManualClockApp app)
{
    private static readonly Address Home = new("Ana Silva", "Rua Augusta 1", null, "Lisboa", "1100-048", "PT");

    private async Task ProgramAsync(Action<LoyaltyProgramDraftBuilder>? with = null)
    {
        var b = new LoyaltyProgramDraftBuilder();
        with?.Invoke(b);
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LoyaltyProgramService>().UpdateAsync(b.Build(), "test", default);
    }

    /// <summary>The programme's rules for a test: 1 point per euro, 100 points = €1, minimum 100, 12 months, Silver 300 (×2), Gold 1000 (free delivery).</summary>
    public sealed class LoyaltyProgramDraftBuilder
    {
        public int PerUnit { get; set; } = 1;
        public int Minimum { get; set; } = 100;
        public int ExpiryMonths { get; set; } = 12;
        public int ReferralLimit { get; set; } = 5;

        public LoyaltyProgramDraft Build() => new(true, PerUnit, 25, 200, 100, 100, Minimum, ExpiryMonths, ReferralLimit,
            [new("Bronze", 0, 1m, false, false), new("Silver", 300, 2m, false, false), new("Gold", 1000, 2m, true, true)]);
    }

    private async Task<Guid> VariantAsync(long priceMinor, int stock = 100)
    {
        return await app.WithDbAsync(async db =>
        {
            var suffix = Guid.NewGuid().ToString("N")[..10];
            var category = new Category { Slug = "loy-" + suffix, Name = "Loyalty " + suffix };
            var product = new Product { Slug = "lp-" + suffix, Name = "Loyal product " + suffix, CategoryId = category.Id, SearchText = "loyal " + suffix, PriceFromMinor = priceMinor };
            var variant = new ProductVariant { ProductId = product.Id, Sku = "LOY-" + suffix, Currency = "EUR", PriceMinor = priceMinor };
            var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
            db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = stock });
            await db.SaveChangesAsync();
            return variant.Id;
        });
    }

    private async Task<(Guid Profile, string Email)> CustomerAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
        var p = directory.Create(ProfileKind.Known);
        var email = Json.NewEmail();
        directory.AddIdentity(p, IdentityKinds.Email, email, true);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        return (p.Id, email);
    }

    /// <summary>A cart of its own for the customer (a checkout per cart, so concurrent checkouts do not share one).</summary>
    private async Task<Guid> CartAsync(Guid profile, params (Guid Variant, int Quantity)[] lines)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var cart = new Cart { ProfileId = profile, Token = Json.NewId(), UpdatedAt = app.Clock.GetUtcNow().UtcDateTime };
        db.Carts.Add(cart);
        await db.SaveChangesAsync();
        var carts = scope.ServiceProvider.GetRequiredService<CartService>();
        foreach (var (variant, quantity) in lines) await carts.AddAsync(cart, variant, quantity, profile, default);
        return cart.Id;
    }

    private async Task<Order> PlaceAsync(Guid profile, string email, Guid cart, bool usePoints = false, string? referral = null, Address? address = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart, email, "standard", address ?? Home, null, null, CheckoutService.NewIdempotencyKey(), UsePoints: usePoints, ReferralCode: referral),
            profile, null, default);
    }

    private async Task PayAsync(Order order, string card = "4242424242424242", string? key = null)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var tracked = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == order.Id);
        Assert.True((await scope.ServiceProvider.GetRequiredService<PaymentService>().PayAsync(tracked, card, key ?? Json.NewId(), default)).Paid);
    }

    private async Task MoveAsync(Order order, params OrderStatus[] steps)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var tracked = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == order.Id);
        foreach (var step in steps) await scope.ServiceProvider.GetRequiredService<OrderService>().MoveAsync(tracked, step, "staff", default);
    }

    private Task<List<LoyaltyEntry>> EntriesAsync(Guid profile) =>
        app.WithDbAsync(db => db.LoyaltyEntries.AsNoTracking().Where(e => e.ProfileId == profile).OrderBy(e => e.CreatedAt).ThenBy(e => e.Id).ToListAsync());

    private async Task<int> BalanceAsync(Guid profile)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<LoyaltyLedger>().BalanceAsync(profile, default);
    }

    /// <summary>The invariant: the balance every page and API shows is the sum of the entries, and the member view agrees.</summary>
    private async Task AssertBalanceIsTheSumAsync(Guid profile, int expected)
    {
        var entries = await EntriesAsync(profile);
        Assert.Equal(expected, entries.Sum(e => e.Points));
        Assert.Equal(expected, await BalanceAsync(profile));
        await using var scope = app.Services.CreateAsyncScope();
        Assert.Equal(expected, (await scope.ServiceProvider.GetRequiredService<MemberLoyalty>().ForAsync(profile, default)).Balance);
    }

    private async Task AdjustAsync(Guid profile, int points, string reason = "test")
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<LoyaltyLedger>().AdjustAsync(profile, points, reason, default);
        await scope.ServiceProvider.GetRequiredService<CentricDbContext>().SaveChangesAsync();
    }

    [SkippableFact]
    public async Task A_paid_order_earns_once_with_its_interaction_and_a_review_earns_its_points()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var variant = await VariantAsync(2550);
        var (profile, email) = await CustomerAsync();
        var order = await PlaceAsync(profile, email, await CartAsync(profile, (variant, 2)));
        Assert.Empty(await EntriesAsync(profile));   // placed is not paid

        var key = Json.NewId();
        await PayAsync(order, key: key);
        await PayAsync(order, key: key);   // the same form sent again
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // A redelivered payment event: the earning is keyed by the order, so nothing more.
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            await scope.ServiceProvider.GetRequiredService<LoyaltyLedger>().EarnForOrderAsync(await db.Orders.FirstAsync(o => o.Id == order.Id), "web", default);
            await db.SaveChangesAsync();
        }
        var earned = Assert.Single(await EntriesAsync(profile));
        Assert.Equal((LoyaltyEntryKind.EarnedOrder, 51, order.Id), (earned.Kind, earned.Points, earned.OrderId));   // €51.00 of items, 1 point a euro
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddMonths(12), earned.ExpiresAt);
        var interaction = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.ProfileId == profile && i.Type == InteractionTypes.LoyaltyPointsEarned.Name));
        var properties = InteractionTypes.LoyaltyPointsEarned.Read(interaction.Properties)!;
        Assert.Equal((51, "earned_order", 51, order.Number), (properties.Points, properties.Kind, properties.Balance, properties.OrderNumber));

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var productId = await app.WithDbAsync(db => db.Variants.Where(v => v.Id == variant).Select(v => v.ProductId).SingleAsync());
            await scope.ServiceProvider.GetRequiredService<ReviewService>().SubmitAsync(productId, profile, "Ana", 5, "Lovely", "Lovely", default);
        }
        Assert.Equal(25, (await EntriesAsync(profile)).Single(e => e.Kind == LoyaltyEntryKind.EarnedReview).Points);
        await AssertBalanceIsTheSumAsync(profile, 76);
    }

    [SkippableFact]
    public async Task Points_at_checkout_lower_the_total_and_a_cancelled_order_gives_them_back_and_takes_its_earning()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var variant = await VariantAsync(2000);
        var (profile, email) = await CustomerAsync();
        await AdjustAsync(profile, 250, "Welcome gift");

        // The quote offers all 250 points (worth €2.50) and, asked to, takes them off the items before VAT.
        var cartId = await CartAsync(profile, (variant, 1));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            var view = await s.GetRequiredService<CartService>().ViewAsync(await s.GetRequiredService<CentricDbContext>().Carts.Include(c => c.Lines).FirstAsync(c => c.Id == cartId), default);
            var without = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, null, "standard", profile, default);
            Assert.Equal((250, 250, 0), (without.Points!.Balance, without.Points.Usable, without.Points.Used));
            Assert.Equal(250, without.Points.UsableValue.Minor);
            Assert.Equal(0, without.Discount.Minor);
            var with = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, null, "standard", profile, default, usePoints: true);
            Assert.Equal(250, with.Discount.Minor);
            Assert.Equal(without.Total.Minor - 250 - (long)Math.Round(250 * 0.23m, MidpointRounding.AwayFromZero), with.Total.Minor);
            // A visitor who is not signed in is offered nothing.
            Assert.Null((await s.GetRequiredService<CheckoutService>().QuoteAsync(view, null, "standard", null, default, usePoints: true)).Points);
        }

        var order = await PlaceAsync(profile, email, cartId, usePoints: true);
        Assert.Equal(250, order.DiscountMinor);
        var redeemed = Assert.Single(await EntriesAsync(profile), e => e.Kind == LoyaltyEntryKind.Redeemed);
        Assert.Equal((-250, order.Id), (redeemed.Points, redeemed.OrderId));
        var spent = await app.WithDbAsync(db => db.Interactions.SingleAsync(i => i.ProfileId == profile && i.Type == InteractionTypes.LoyaltyPointsRedeemed.Name));
        Assert.Equal((-250, -2.50m, 0), (InteractionTypes.LoyaltyPointsRedeemed.Read(spent.Properties)!.Points, InteractionTypes.LoyaltyPointsRedeemed.Read(spent.Properties)!.Amount,
            InteractionTypes.LoyaltyPointsRedeemed.Read(spent.Properties)!.Balance));
        await AssertBalanceIsTheSumAsync(profile, 0);

        // Paid, it earns on what was paid for the items (€17.50 → 17 points); cancelled, both moves are undone.
        await PayAsync(order);
        await AssertBalanceIsTheSumAsync(profile, 17);
        await MoveAsync(order, OrderStatus.Cancelled);
        await MoveAsync(order, OrderStatus.Refunded);
        var entries = await EntriesAsync(profile);
        Assert.Contains(entries, e => e is { Kind: LoyaltyEntryKind.Redeemed, Points: 250 });
        Assert.Contains(entries, e => e is { Kind: LoyaltyEntryKind.Returned, Points: -17 });
        await AssertBalanceIsTheSumAsync(profile, 250);
        // Asking for points the customer no longer has is refused, not quietly charged in full.
        await AdjustAsync(profile, -200);
        var another = await CartAsync(profile, (variant, 1));
        var refused = await Assert.ThrowsAsync<DomainException>(() => PlaceAsync(profile, email, another, usePoints: true));
        Assert.Equal("loyalty-points-insufficient", refused.Code);
        await AssertBalanceIsTheSumAsync(profile, 50);
    }

    [SkippableFact]
    public async Task Returned_goods_take_back_their_share_of_the_earning_and_give_back_their_share_of_the_points_spent()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var (cheap, dear) = (await VariantAsync(1000), await VariantAsync(3000));
        var (profile, email) = await CustomerAsync();
        await AdjustAsync(profile, 400);
        var order = await PlaceAsync(profile, email, await CartAsync(profile, (cheap, 1), (dear, 1)), usePoints: true);   // €40 of items, €4 of points
        await PayAsync(order);
        Assert.Equal(36, (await EntriesAsync(profile)).Single(e => e.Kind == LoyaltyEntryKind.EarnedOrder).Points);
        await MoveAsync(order, OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            var tracked = await s.GetRequiredService<CentricDbContext>().Orders.Include(o => o.Lines).FirstAsync(o => o.Id == order.Id);
            var returns = s.GetRequiredService<ReturnService>();
            var request = await returns.RequestAsync(tracked, [new(tracked.Lines.Single(l => l.VariantId == dear).Id, 1)], "too_small", null, ReturnResolution.Refund, null, default);
            await returns.ApproveAsync(request, default);
            await returns.ReceiveAsync(request, default);
            // A second receive is refused; nothing moves twice.
            Assert.Equal("return-invalid-transition", (await Assert.ThrowsAsync<DomainException>(() => returns.ReceiveAsync(request, default))).Code);
        }
        // Three quarters of the goods came back: 27 of the 36 points go, 300 of the 400 points spent come back.
        var entries = await EntriesAsync(profile);
        Assert.Equal(-27, Assert.Single(entries, e => e.Kind == LoyaltyEntryKind.Returned).Points);
        Assert.Equal(300, Assert.Single(entries, e => e is { Kind: LoyaltyEntryKind.Redeemed, Points: > 0 }).Points);
        await AssertBalanceIsTheSumAsync(profile, 36 - 27 + 300);
    }

    [SkippableFact]
    public async Task Earned_points_expire_first_in_first_out_once_and_the_tier_follows_the_last_twelve_months()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var (profile, _) = await CustomerAsync();
        var first = app.Clock.GetUtcNow().UtcDateTime;
        await AdjustAsync(profile, 100, "First points");
        app.Clock.Advance(TimeSpan.FromDays(180));
        await AdjustAsync(profile, 50, "Second points");
        await AdjustAsync(profile, -120, "Spent");   // all 100 of the first points and 20 of the second

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var jobs = scope.ServiceProvider.GetRequiredService<LoyaltyJobs>();
            app.Clock.Advance(first.AddMonths(12).AddDays(1) - app.Clock.GetUtcNow().UtcDateTime);
            await jobs.ExpireAsync(default);
            // The first points were used up: nothing of them is left to expire.
            Assert.DoesNotContain(await EntriesAsync(profile), e => e.Kind == LoyaltyEntryKind.Expired);
            app.Clock.Advance(TimeSpan.FromDays(200));
            await jobs.ExpireAsync(default);
            await jobs.ExpireAsync(default);   // run again (another node, a restart): nothing twice
        }
        var expired = Assert.Single(await EntriesAsync(profile), e => e.Kind == LoyaltyEntryKind.Expired);
        Assert.Equal(-30, expired.Points);
        Assert.NotNull(expired.LotId);
        await AssertBalanceIsTheSumAsync(profile, 0);

        // Tiers: 400 points earned now reach Silver; a year later, with nothing new earned, the daily review moves the member down.
        var variant = await VariantAsync(40000);
        var (member, email) = await CustomerAsync();
        var order = await PlaceAsync(member, email, await CartAsync(member, (variant, 1)));
        await PayAsync(order);
        Assert.Equal("Silver", await app.WithDbAsync(db => db.LoyaltyAccounts.Where(a => a.ProfileId == member).Select(a => a.Tier).SingleAsync()));
        var changed = await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == member && i.Type == InteractionTypes.LoyaltyTierChanged.Name).ToListAsync());
        Assert.Equal("Silver", InteractionTypes.LoyaltyTierChanged.Read(Assert.Single(changed).Properties)!.To);
        app.Clock.Advance(TimeSpan.FromDays(370));
        await using (var scope = app.Services.CreateAsyncScope()) await scope.ServiceProvider.GetRequiredService<LoyaltyJobs>().ReviewTiersAsync(default);
        Assert.Equal("Bronze", await app.WithDbAsync(db => db.LoyaltyAccounts.Where(a => a.ProfileId == member).Select(a => a.Tier).SingleAsync()));
    }

    [SkippableFact]
    public async Task Sixteen_concurrent_checkouts_of_one_customer_spend_the_points_once_and_the_balance_never_goes_below_zero()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var (profile, email) = await CustomerAsync();
        await AdjustAsync(profile, 1000);
        // Each cart holds a product of its own, so the checkouts share no stock row whose lock would line them up anyway:
        // only the points' own guard stands between them.
        var carts = new List<Guid>();
        for (var i = 0; i < 16; i++) carts.Add(await CartAsync(profile, (await VariantAsync(2000), 1)));

        using var start = new SemaphoreSlim(0);
        var attempts = carts.Select(cart => Task.Run(async () =>
        {
            await start.WaitAsync();
            try { return (Order: (Order?)await PlaceAsync(profile, email, cart, usePoints: true), Refusal: (string?)null); }
            catch (DomainException e) { return (null, e.Code); }
        })).ToList();
        start.Release(16);
        var results = await Task.WhenAll(attempts);

        var discounted = results.Where(r => r.Order is { DiscountMinor: > 0 }).ToList();
        Assert.Equal(1000, Assert.Single(discounted).Order!.DiscountMinor);
        Assert.All(results.Where(r => r.Order is null), r => Assert.Equal("loyalty-points-insufficient", r.Refusal));
        Assert.Equal(-1000, Assert.Single(await EntriesAsync(profile), e => e.Kind == LoyaltyEntryKind.Redeemed).Points);
        await AssertBalanceIsTheSumAsync(profile, 0);
        // Nothing of a refused checkout is left behind: one order, its stock held.
        Assert.Equal(1, await app.WithDbAsync(db => db.Orders.CountAsync(o => o.ProfileId == profile)));
    }

    [SkippableFact]
    public async Task Birthday_points_come_once_a_year_on_the_day_and_a_gold_member_gets_free_standard_delivery()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var (profile, email) = await CustomerAsync();
        var today = app.Clock.GetUtcNow().UtcDateTime;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            await s.GetRequiredService<ProfileTraits>().SetAsync(profile, "birthday", $"1990-{today:MM-dd}", default);
            await s.GetRequiredService<CentricDbContext>().SaveChangesAsync();
            var jobs = s.GetRequiredService<LoyaltyJobs>();
            Assert.True(await jobs.BirthdaysAsync(default) >= 1);
            await jobs.BirthdaysAsync(default);
        }
        Assert.Equal(100, Assert.Single(await EntriesAsync(profile), e => e.Kind == LoyaltyEntryKind.EarnedBirthday).Points);

        var variant = await VariantAsync(1000);
        await AdjustAsync(profile, 5);   // not a tier kind: still Bronze
        var gold = await VariantAsync(200000);
        await PayAsync(await PlaceAsync(profile, email, await CartAsync(profile, (gold, 1))));
        Assert.Equal("Gold", await app.WithDbAsync(db => db.LoyaltyAccounts.Where(a => a.ProfileId == profile).Select(a => a.Tier).SingleAsync()));
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The customer card and the 360 read it as one highlight: "Gold · 2,105 points".
            var balance = await BalanceAsync(profile);
            var highlights = new List<CustomerHighlight>();
            foreach (var source in scope.ServiceProvider.GetServices<ICustomerHighlights>()) highlights.AddRange(await source.ForAsync(profile, default));
            Assert.Equal($"Gold · {balance.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} points", Assert.Single(highlights, h => h.Key == "loyalty").Value);
        }
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            var cartId = await CartAsync(profile, (variant, 1));
            var view = await s.GetRequiredService<CartService>().ViewAsync(await s.GetRequiredService<CentricDbContext>().Carts.Include(c => c.Lines).FirstAsync(c => c.Id == cartId), default);
            var quote = await s.GetRequiredService<CheckoutService>().QuoteAsync(view, null, "standard", profile, default);
            Assert.Equal(0, quote.Shipping.Price.Minor);   // €10 of goods would pay €4.90 delivery
            Assert.True(quote.Points!.FreeStandardDelivery);
            Assert.Equal(990, quote.ShippingOptions.Single(o => o.Code == "express").Price.Minor);
        }
    }

    private async Task<string> ReferralCodeAsync(Guid profile)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return (await scope.ServiceProvider.GetRequiredService<MemberLoyalty>().ForAsync(profile, default)).Referrals!.Code;
    }

    private Task<Referral?> ReferralOfAsync(Guid friend) => app.WithDbAsync(db => db.Referrals.AsNoTracking().FirstOrDefaultAsync(r => r.ProfileId == friend));

    private static Address Elsewhere(int n) => new("Friend " + n, $"Rua Nova {n}", null, "Porto", $"4000-{n:000}", "PT");

    /// <summary>A new customer's first order with the code, paid with the card and delivered.</summary>
    private async Task<(Guid Friend, Order Order)> FriendOrdersAsync(string code, Guid variant, int n, string card = "4111111111111111", string? email = null,
        Address? address = null)
    {
        var (friend, own) = await CustomerAsync();
        var order = await PlaceAsync(friend, email ?? own, await CartAsync(friend, (variant, 1)), referral: code.ToLowerInvariant(), address: address ?? Elsewhere(n));
        await PayAsync(order, card);
        await MoveAsync(order, OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered);
        return (friend, order);
    }

    private async Task SettleAsync()
    {
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<Referrals>().SettleAsync(default);
    }

    [SkippableFact]
    public async Task A_friends_first_order_rewards_both_once_past_the_return_window_and_every_guard_refuses_its_case()
    {
        app.SkipIfUnavailable();
        await ProgramAsync(b => b.ReferralLimit = 1);
        var variant = await VariantAsync(3000);
        var (referrer, referrerEmail) = await CustomerAsync();
        var code = await ReferralCodeAsync(referrer);
        await PayAsync(await PlaceAsync(referrer, referrerEmail, await CartAsync(referrer, (variant, 1))));   // at Home, with 4242…

        var (friend, _) = await FriendOrdersAsync(code, variant, 1);
        var (sameCard, _) = await FriendOrdersAsync(code, variant, 2, card: "4242424242424242");
        var (returned, returnedOrder) = await FriendOrdersAsync(code, variant, 3);
        var (overLimit, _) = await FriendOrdersAsync(code, variant, 4);
        var (sameEmail, _) = await FriendOrdersAsync(code, variant, 5, email: referrerEmail);
        var (sameAddress, _) = await FriendOrdersAsync(code, variant, 6, address: Home with { Line1 = "rua augusta, 1", Name = "Someone else" });
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            var tracked = await s.GetRequiredService<CentricDbContext>().Orders.Include(o => o.Lines).FirstAsync(o => o.Id == returnedOrder.Id);
            await s.GetRequiredService<ReturnService>().RequestAsync(tracked, [new(tracked.Lines.Single().Id, 1)], "changed_mind", null, ReturnResolution.Refund, null, default);
        }
        // Checked at checkout: the referrer's own email, and the referrer's delivery address (written differently).
        Assert.Equal((ReferralStatus.Refused, "Same email"), ((await ReferralOfAsync(sameEmail))!.Status, (await ReferralOfAsync(sameEmail))!.Reason));
        Assert.Equal((ReferralStatus.Refused, "Same delivery address"), ((await ReferralOfAsync(sameAddress))!.Status, (await ReferralOfAsync(sameAddress))!.Reason));

        // Within the return window nothing is settled.
        await SettleAsync();
        Assert.Equal(ReferralStatus.Pending, (await ReferralOfAsync(friend))!.Status);
        Assert.DoesNotContain(await EntriesAsync(referrer), e => e.Kind == LoyaltyEntryKind.EarnedReferral);

        app.Clock.Advance(TimeSpan.FromDays(31));
        await SettleAsync();
        await SettleAsync();   // settled once, however often the job runs
        Assert.Equal(ReferralStatus.Rewarded, (await ReferralOfAsync(friend))!.Status);
        Assert.Equal(200, Assert.Single(await EntriesAsync(referrer), e => e.Kind == LoyaltyEntryKind.EarnedReferral).Points);
        Assert.Equal(200, Assert.Single(await EntriesAsync(friend), e => e.Kind == LoyaltyEntryKind.EarnedReferral).Points);
        Assert.Equal((ReferralStatus.Refused, "Same card"), ((await ReferralOfAsync(sameCard))!.Status, (await ReferralOfAsync(sameCard))!.Reason));
        Assert.Equal(ReferralStatus.Void, (await ReferralOfAsync(returned))!.Status);
        Assert.Equal(ReferralStatus.Refused, (await ReferralOfAsync(overLimit))!.Status);
        Assert.Contains("1 referral rewards this month", (await ReferralOfAsync(overLimit))!.Reason, StringComparison.Ordinal);
        foreach (var refused in new[] { sameCard, returned, overLimit, sameEmail, sameAddress })
            Assert.DoesNotContain(await EntriesAsync(refused), e => e.Kind == LoyaltyEntryKind.EarnedReferral);

        // What the referrer sees: counts and statuses, never who.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var mine = (await scope.ServiceProvider.GetRequiredService<MemberLoyalty>().ForAsync(referrer, default)).Referrals!;
            Assert.Equal((6, 1, 0), (mine.Friends.Count, mine.Rewarded, mine.Pending));
            Assert.Equal(5, mine.Friends.Count(f => f.Status == "not_eligible"));
        }
        await ProgramAsync();
    }

    [SkippableFact]
    public async Task A_customer_cannot_refer_themselves_an_unknown_code_is_refused_and_a_repeat_customer_is_not_referred()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var variant = await VariantAsync(3000);
        var (self, selfEmail) = await CustomerAsync();
        var own = await ReferralCodeAsync(self);
        await PlaceAsync(self, selfEmail, await CartAsync(self, (variant, 1)), referral: own, address: Elsewhere(40));
        Assert.Equal((ReferralStatus.Refused, "Same customer"), ((await ReferralOfAsync(self))!.Status, (await ReferralOfAsync(self))!.Reason));

        var (stranger, strangerEmail) = await CustomerAsync();
        var strangerCart = await CartAsync(stranger, (variant, 1));
        var unknown = await Assert.ThrowsAsync<RequestValidationException>(() => PlaceAsync(stranger, strangerEmail, strangerCart, referral: "NOSUCHCODE", address: Elsewhere(41)));
        Assert.Contains("referralCode", unknown.Errors.Keys);

        // A customer who has ordered before is no friend's first order.
        var (regular, regularEmail) = await CustomerAsync();
        await PlaceAsync(regular, regularEmail, await CartAsync(regular, (variant, 1)), address: Elsewhere(42));
        var (referrer, _) = await CustomerAsync();
        await PlaceAsync(regular, regularEmail, await CartAsync(regular, (variant, 1)), referral: await ReferralCodeAsync(referrer), address: Elsewhere(42));
        Assert.Null(await ReferralOfAsync(regular));
    }

    [SkippableFact]
    public async Task Two_first_orders_placed_at_once_with_a_friends_code_are_both_placed_and_referred_once()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var (referrer, _) = await CustomerAsync();
        var code = await ReferralCodeAsync(referrer);
        var (friend, friendEmail) = await CustomerAsync();
        var carts = new List<Guid>();
        for (var i = 0; i < 4; i++) carts.Add(await CartAsync(friend, (await VariantAsync(2500), 1)));

        using var start = new SemaphoreSlim(0);
        var attempts = carts.Select(cart => Task.Run(async () =>
        {
            await start.WaitAsync();
            return await PlaceAsync(friend, friendEmail, cart, referral: code, address: Elsewhere(60));
        })).ToList();
        start.Release(carts.Count);
        var orders = await Task.WhenAll(attempts);

        Assert.Equal(4, orders.Select(o => o.Id).Distinct().Count());
        var referral = await app.WithDbAsync(db => db.Referrals.AsNoTracking().Where(r => r.ProfileId == friend).ToListAsync());
        Assert.Contains(Assert.Single(referral).OrderId, orders.Select(o => o.Id));
    }

    [SkippableFact]
    public async Task Staff_add_goodwill_points_and_correct_them_but_never_below_zero_and_only_with_the_write_scope()
    {
        app.SkipIfUnavailable();
        await ProgramAsync();
        var (profile, _) = await CustomerAsync();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("loyalty:write", "loyalty:read"));
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("loyalty:read"));
        var path = $"/api/v1/customers/{profile}/loyalty";

        var added = await writer.PostAsJsonAsync(path + "/adjustments", new { points = 500, reason = "Sorry for the late delivery" });
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(500, (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("balance").GetInt32());
        var view = await reader.GetFromJsonAsync<JsonElement>(path);
        var line = view.GetProperty("statement").EnumerateArray().First();
        Assert.Equal(("adjusted", 500, "Sorry for the late delivery"), (line.GetProperty("kind").GetString(), line.GetProperty("points").GetInt32(), line.GetProperty("description").GetString()));

        // Taking off more than the balance is refused and changes nothing; a correction within it is kept.
        var tooMuch = await writer.PostAsJsonAsync(path + "/adjustments", new { points = -501, reason = "Correction" });
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode);
        Assert.Contains("500 points", (await tooMuch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await writer.PostAsJsonAsync(path + "/adjustments", new { points = -200, reason = "Correction" })).StatusCode);
        await AssertBalanceIsTheSumAsync(profile, 300);

        foreach (var bad in new object[] { new { points = 0, reason = "x" }, new { points = 10, reason = "" }, new { points = 2_000_000, reason = "x" }, new { reason = "x" } })
            Assert.Equal(HttpStatusCode.BadRequest, (await writer.PostAsJsonAsync(path + "/adjustments", bad)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync(path + "/adjustments", new { points = 5, reason = "x" })).StatusCode);
        var unknown = Guid.NewGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await writer.PostAsJsonAsync($"/api/v1/customers/{unknown}/loyalty/adjustments", new { points = 5, reason = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await reader.GetAsync($"/api/v1/customers/{unknown}/loyalty")).StatusCode);
        await AssertBalanceIsTheSumAsync(profile, 300);
    }

    [SkippableFact]
    public async Task The_program_api_reads_and_changes_the_rules_with_its_scopes_and_refuses_bad_rules()
    {
        app.SkipIfUnavailable();
        using var writer = app.ClientWithKey(await app.CreateKeyAsync("loyalty:write", "loyalty:read"));
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("loyalty:read"));
        var put = await writer.PutAsJsonAsync("/api/v1/loyalty/program", new
        {
            enabled = true, pointsPerCurrencyUnit = 2, pointsPerCurrencyUnitRedeemed = 200, minimumRedeem = 400,
            tiers = new[] { new { name = "Member", threshold = 0, multiplier = 1m }, new { name = "VIP", threshold = 1500, multiplier = 1.5m } },
        });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var program = await reader.GetFromJsonAsync<JsonElement>("/api/v1/loyalty/program");
        Assert.Equal(2, program.GetProperty("pointsPerCurrencyUnit").GetInt32());
        Assert.Equal("200 points = €1.00", program.GetProperty("pointValue").GetString());
        Assert.Equal(new[] { "Member", "VIP" }, program.GetProperty("tiers").EnumerateArray().Select(t => t.GetProperty("name").GetString() ?? "").ToArray());

        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PutAsJsonAsync("/api/v1/loyalty/program", new { enabled = false })).StatusCode);
        var bad = await writer.PutAsJsonAsync("/api/v1/loyalty/program", new
        {
            pointsPerCurrencyUnitRedeemed = 0, expiryMonths = -1, tiers = new[] { new { name = "A", threshold = 0 }, new { name = "a", threshold = 5 } },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "pointsPerCurrencyUnitRedeemed", "expiryMonths", "tiers[1].name" }) Assert.True(errors.TryGetProperty(field, out _), field);
        await ProgramAsync();   // back to the rules the other tests use
    }
}

public sealed class LoyaltyOnSqlite(ManualClockSqliteApp app) : LoyaltyTests(app), IClassFixture<ManualClockSqliteApp>;

[Trait("Provider", "Postgres")]
public sealed class LoyaltyOnPostgres(ManualClockPostgresApp app) : LoyaltyTests(app), IClassFixture<ManualClockPostgresApp>;
