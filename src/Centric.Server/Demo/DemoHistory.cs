using System.Diagnostics;
using System.Globalization;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Reviews;
using Centric.Server.Commerce.Shipments;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Customers.Demo;
using Centric.Server.Customers.Notifications;
using Centric.Server.Engagement.Surveys;
using Centric.Server.Insights.Contracts;
using Centric.Server.Personalisation.Discovery;
using Centric.Server.Personalisation.Recommendations;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Outbox;
using Centric.Server.Support.Automation;
using Centric.Server.Support.Chat;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Sla;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server;

/// <summary>
/// Two years of the demo business, lived through the product's own services with the clock moved forward by hand:
/// customers fill carts and check out, pay (a few cards are declined), the warehouse ships every morning, the carrier
/// simulator scans parcels until they are delivered, customers review, return, subscribe, cancel and write to support;
/// routing, SLA clocks, acknowledgements, the out-of-hours assistant and satisfaction surveys happen as they would.
/// Every record and every timeline entry comes from the service that makes it in the product, so the 360, the portal
/// and the figures agree. Deterministic in shape (a fixed seed): the same people do the same things at the same times
/// relative to the first start; only generated numbers (order and ticket numbers) differ.
/// A shorter history (<see cref="DemoOptions.HistoryDays"/>) is the same business over fewer days: customers joined within it
/// (see <see cref="DemoSeeder"/>), its milestones (subscriptions, Ana's conversations) fall proportionally closer to today
/// and Ana's own story is told at a quicker pace, so she still has her orders, return, reviews and rated tickets; everyone
/// else simply has had less time to buy.
/// </summary>
internal sealed class DemoHistory(IServiceProvider world, DemoClock clock, IReadOnlyList<DemoCustomer> customers, DateTime end, double span)
{
    private const string Card = "4242424242424242";
    private const string DeclinedCard = "4000000000000002";
    /// <summary>The card of friends Ana referred: not hers, so the referral's same-card guard lets it through.</summary>
    private const string FriendCard = "4111111111111111";
    private string? _anaReferralCode;

    private readonly Random _random = new(20261203);
    private readonly PriorityQueue<Func<Task>, (DateTime At, long Seq)> _queue = new();
    private readonly Dictionary<Guid, DemoOrderPlan> _plans = [];
    private readonly Dictionary<Guid, int> _ordersOf = [];
    private List<DemoVariant> _variants = [];
    private Dictionary<Guid, int> _available = [];
    private List<(string UserId, string Name)> _agents = [];
    private BusinessHours _hours = BusinessHours.AlwaysOpen;
    private long _seq;
    private bool _subscribed;
    private int _subscribers;
    /// <summary>Shopping habits (favourite category, recommendations clicked) draw from their own sequence, so the rest of the history stays as it was.</summary>
    private readonly Random _taste = new(4711);
    private List<string> _categories = [];
    private DateTime _lastSupport = DateTime.MinValue;
    private int _counter;
    /// <summary>Who is asked a survey, whether and what they answer: a sequence of its own, so the rest of the history stays as it was.</summary>
    private readonly Random _voice = new(1984);
    /// <summary>Help-centre visits: a sequence of their own too.</summary>
    private readonly Random _help = new(2718);
    private Guid _nps, _csat, _ces;


    private static readonly DemoTopic[] OrderTopics =
    [
        new("Where is my parcel?", "Hi, my order {order} was due yesterday and the tracking has not moved. Can you check? Thanks, {first}",
            "Sorry for the wait, {first}! The carrier had a delay at the Lisbon hub; your parcel is moving again and should arrive within two days.", true,
            "Thanks. Will I get a tracking update?", "Yes, the order page updates as soon as the carrier scans it again."),
        new("Item arrived damaged", "The box of order {order} was crushed and one item is broken. What can I do?",
            "I'm sorry about that, {first}. Open the order in your account and choose Return or exchange items; we refund as soon as it is back, and the label is free.", true),
        new("Change my delivery address", "Can I still change the delivery address for order {order}? I will be away next week.",
            "It has left our warehouse, so we asked the carrier to hold it at your local pick-up point instead. You'll get a message when it's there.", true),
        new("Invoice for my order", "Could you send me an invoice with my company's VAT number for order {order}?",
            "Of course. The invoice with your VAT number is on its way by email; you can download it from the order page too.", true),
        new("Missing item in my order", "Order {order} arrived but one item is missing from the parcel.",
            "Sorry, {first}! It was packed separately and ships today; you'll have it in two days.", true,
            "Great, thank you for the quick answer.", "You're welcome — enjoy!"),
    ];

    private static readonly DemoTopic[] GeneralTopics =
    [
        new("Question about sizes", "Do the running shoes run small? I am usually a 39.",
            "They fit true to size, {first}; if you're between sizes, take the larger one. Exchanges are free within 30 days.", false),
        new("Subscription payment question", "I was charged for my subscription earlier than I expected. Can you explain?",
            "The renewal runs on the same day each cycle; a skipped delivery moves it one cycle on. Your next charge date is on the Subscriptions page.", false),
        new("Promo code not working", "The code WELCOME10 did not apply at checkout.",
            "WELCOME10 works on a first order only; I've added a 10% credit to your next one instead.", false),
        new("Do you ship to the Azores?", "Hello, do you deliver to the Azores and how long does it take?",
            "We do: standard delivery to the islands takes 5–7 working days and costs the same as on the mainland.", false),
        new("Gift wrapping", "Can you gift wrap an order and leave the price out of the parcel?",
            "Yes — add a gift note at checkout and we wrap it and leave the receipt out.", false),
    ];

    /// <summary>Lives the history (<paramref name="historyDays"/> long, as the customers were seeded) and returns how many orders and tickets it made.</summary>
    public static async Task<(int Orders, int Tickets)> RunAsync(DemoWorld worldFactory, IReadOnlyList<DemoCustomer> customers, DateTime now,
        int historyDays, ILogger logger, CancellationToken ct)
    {
        // The history ends at the last midnight (UTC), so every first start, whatever the hour, lives the same days in the same order.
        var end = now.Date;
        var clock = new DemoClock(new DateTimeOffset(customers.Min(c => c.JoinedAt).AddDays(-1), TimeSpan.Zero));
        await using var world = worldFactory.Build(clock);
        var history = new DemoHistory(world, clock, customers, end, Math.Min(historyDays, DemoSeeder.FullHistoryDays) / (double)DemoSeeder.FullHistoryDays);
        var watch = Stopwatch.StartNew();
        await history.LiveAsync(ct);
        await using var scope = world.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var result = (await db.Orders.CountAsync(ct), await db.Tickets.CountAsync(ct));
        DemoLog.HistoryLived(logger, result.Item1, result.Item2, watch.Elapsed.TotalSeconds);
        return result;
    }

    private async Task LiveAsync(CancellationToken ct)
    {
        await PrepareAsync(ct);
        foreach (var customer in customers) Plan(customer);
        // Today's inbox: a few conversations of the last day and a half, some answered, some still waiting.
        for (var n = 0; n < 8; n++)
        {
            var customer = customers[1 + _random.Next(customers.Count - 1)];
            var topic = GeneralTopics[_random.Next(GeneralTopics.Length)];
            var channel = Channel();
            At(end.AddHours(-_random.Next(1, 36)), () => TicketAsync(customer, topic, channel, null, CancellationToken.None));
        }
        // Customers have read their notifications from before the last week; what came since is still new.
        At(end.AddDays(-7), () => InScopeAsync(async sp =>
        {
            var centre = sp.GetRequiredService<NotificationCentre>();
            foreach (var customer in customers) await centre.MarkAllReadAsync(customer.ProfileId, ct);
        }));
        var day = customers.Min(c => c.JoinedAt).Date.AddDays(1).AddHours(9);
        while (_queue.TryDequeue(out var action, out var key))
        {
            if (key.At > end) break;
            for (; day <= key.At; day = day.AddDays(1)) await DailyAsync(day, ct);
            clock.MoveTo(key.At);
            await action();
        }
        for (; day <= end; day = day.AddDays(1)) await DailyAsync(day, ct);
        clock.MoveTo(end);
        // Tiers as the last 12 months stand today (a member who earned nothing lately moves down).
        await InScopeAsync(sp => sp.GetRequiredService<Commerce.Loyalty.LoyaltyJobs>().RunAsync(Commerce.Loyalty.LoyaltyJobs.Tiers, ct));
    }

    private async Task PrepareAsync(CancellationToken ct)
    {
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CentricDbContext>();
            _variants = await (from v in db.Variants
                               join p in db.Products on v.ProductId equals p.Id
                               join c in db.Categories on p.CategoryId equals c.Id
                               orderby v.Sku
                               select new DemoVariant(v.Id, p.Id, p.Name, c.Slug, v.PriceMinor, v.SubscriptionIntervalDays != null, v.Options)).ToListAsync(ct);
            _categories = [.. _variants.Select(v => v.Category).Distinct().Order(StringComparer.Ordinal)];
            _available = await db.StockLevels.GroupBy(s => s.VariantId).Select(g => new { g.Key, Available = g.Sum(s => s.OnHand - s.Reserved) })
                .ToDictionaryAsync(x => x.Key, x => x.Available, ct);
            var agents = await db.SupportAgents.AsNoTracking().OrderBy(a => a.Name).Select(a => new { a.UserId, a.Name }).ToListAsync(ct);
            _agents = [.. agents.Select(a => (a.UserId, a.Name))];
            _hours = await sp.GetRequiredService<SlaClock>().CalendarAsync(ct);
            // The team signs in to the console; from then on their presence is kept by being seen at work (business hours).
            var router = sp.GetRequiredService<TicketRouter>();
            foreach (var (userId, name) in _agents) await router.SetPresenceAsync(userId, name, AgentPresence.Online, ct);
            // The three surveys the business asks, written the way a marketer would on the Surveys page.
            var surveys = sp.GetRequiredService<SurveyService>();
            _nps = (await surveys.CreateAsync(new SurveyDraft(SurveyKinds.Nps, "Would you recommend us?",
                "How likely are you to recommend us to a friend or colleague?", "What is the main reason for your score?", true), "Centric demo", ct)).Id;
            _csat = (await surveys.CreateAsync(new SurveyDraft(SurveyKinds.Csat, "After delivery",
                "How satisfied are you with your order?", "Anything we could have done better?", true), "Centric demo", ct)).Id;
            _ces = (await surveys.CreateAsync(new SurveyDraft(SurveyKinds.Ces, "After a support request",
                "How easy was it to get your request sorted out?", "What would have made it easier?", true), "Centric demo", ct)).Id;
        });
        // The support team's subscriber takes the stream from here (it starts at the end), before the first ticket.
        await DrainSupportAsync(ct);
    }

    // ---------------------------------------------------------------- plans

    private void At(DateTime at, Func<Task> action) => _queue.Enqueue(action, (at, _seq++));

    private DateTime Daytime(DateTime day, int fromHour = 8, int toHour = 22) =>
        day.Date.AddHours(fromHour).AddMinutes(_random.Next((toHour - fromHour) * 60));

    /// <summary>More orders before Christmas and on Black Friday, fewer in August.</summary>
    private static double Season(DateTime t) => t.Month switch { 11 => 1.6, 12 => t.Day < 24 ? 1.9 : 1.0, 8 => 0.7, 1 => 0.8, _ => 1.0 };

    private void Plan(DemoCustomer customer)
    {
        var r = customer.Index == 0 ? 0 : _random.NextDouble();
        var (gapFrom, gapTo, stopAt) = r switch
        {
            < 0.13 => (45, 100, end),                                                      // loyal repeat buyers
            < 0.38 => (140, 300, end),                                                     // regulars
            < 0.76 => (0, 0, end),                                                         // one order
            < 0.90 => (35, 90, customer.JoinedAt.AddDays((end - customer.JoinedAt).TotalDays * (0.25 + _random.NextDouble() * 0.35))),   // lapsed
            _ => (-1, -1, end),                                                            // browsed and asked, never bought
        };
        if (customer.Index == 0) (gapFrom, gapTo) = (40, 60);
        // Ana's pace follows the length of the history; everyone else's is their own.
        var pace = customer.Index == 0 ? span : 1;
        var t = customer.JoinedAt.AddHours(_random.Next(1, 24 * 12));
        if (gapFrom == 0) At(Daytime(t), () => PlaceOrderAsync(customer, first: true, CancellationToken.None));
        else if (gapFrom > 0)
        {
            var first = true;
            while (t < stopAt && t < end)
            {
                var isFirst = first;
                // Summer holidays: some orders simply do not happen.
                if (isFirst || t.Month != 8 || _random.NextDouble() >= 0.35)
                {
                    At(Daytime(t), () => PlaceOrderAsync(customer, isFirst, CancellationToken.None));
                    first = false;
                }
                t = t.AddDays(_random.Next(gapFrom, gapTo) * pace / Season(t));
            }
            // Christmas shopping: an extra order between mid-November and Christmas.
            for (var year = customer.JoinedAt.Year; year <= end.Year; year++)
            {
                var gift = new DateTime(year, 11, 15, 0, 0, 0, DateTimeKind.Utc).AddDays(_random.Next(0, 38));
                if (gift > customer.JoinedAt && gift < stopAt && gift < end && _random.NextDouble() < 0.4)
                    At(Daytime(gift), () => PlaceOrderAsync(customer, false, CancellationToken.None));
            }
        }

        // Some regular customers also subscribe to an everyday product; some cancel later, a few skip a delivery.
        if (customer.Index == 0)
            At(Daytime(end.AddDays(-245 * span)), () => SubscribeAsync(customer, cancelAfterDays: null, skip: true, CancellationToken.None));
        else if (gapFrom > 0 && _random.NextDouble() < 0.15)
        {
            var start = Max(customer.JoinedAt, end.AddDays(-420 * span)).AddDays(_random.Next(5, 200) * span);
            if (start < end.AddDays(-5))
            {
                // Every other subscriber cancels later, always before today: the demo shows both kinds whatever its date.
                var stays = _subscribers++ % 2 == 0;
                var cancelAfterDays = Math.Min(_random.Next(45, 300), ((end - start).TotalDays - 2) / span);
                At(Daytime(start), () => SubscribeAsync(customer, stays ? null : cancelAfterDays, _random.NextDouble() < 0.25, CancellationToken.None));
            }
        }

        // Questions that are not about an order: most customers never write, some do once or twice (fewer in a shorter history).
        var questions = customer.Index == 0 ? 0 : gapFrom < 0 ? 1 : _random.NextDouble() < 0.25 * span ? _random.Next(1, 3) : 0;
        for (var q = 0; q < questions; q++)
        {
            var at = customer.JoinedAt.AddDays(_random.NextDouble() * (end - customer.JoinedAt).TotalDays);
            var topic = GeneralTopics[_random.Next(GeneralTopics.Length)];
            var channel = Channel();
            At(Daytime(at, 7, 23), () => TicketAsync(customer, topic, channel, null, CancellationToken.None));
        }

        // Some customers look things up in the help centre now and then; most find their answer there and write to nobody.
        var visits = customer.Index == 0 ? 0 : _help.NextDouble() < 0.35 ? _help.Next(1, 4) : 0;
        for (var v = 0; v < visits; v++)
        {
            var at = customer.JoinedAt.AddDays(_help.NextDouble() * (end - customer.JoinedAt).TotalDays);
            var question = HelpQuestions[_help.Next(HelpQuestions.Length)];
            var answered = _help.NextDouble() < 0.5;
            At(Daytime(at, 7, 23), () => HelpVisitAsync(customer, question, answered, CancellationToken.None));
        }

        if (customer.Index == 0) PlanAna(customer);
    }

    /// <summary>The demo customer's story on top of her orders: two past conversations, rated, and two open ones now.</summary>
    private void PlanAna(DemoCustomer ana)
    {
        At(end.AddDays(-320 * span).Date.AddHours(10.5), () => TicketAsync(ana, OrderTopics[4], SupportChannels.Email, 5, CancellationToken.None));
        At(end.AddDays(-96 * span).Date.AddHours(18.2), () => TicketAsync(ana, GeneralTopics[1], SupportChannels.Chat, 4, CancellationToken.None));
        // An order on its way now, a question about it, and a new question nobody has answered yet.
        // Placed 22 hours ago: the morning rounds are a day apart, so at most one falls after it, which ships it at most;
        // delivering takes a later round. (Placed on a fixed day instead, it was delivered by this morning's round whenever
        // the demo started after 09:00.)
        At(end.AddHours(-22), () => PlaceOrderAsync(ana, first: false, CancellationToken.None));
        At(end.AddHours(-20), () => OpenOnlyAsync(ana, OrderTopics[0], SupportChannels.Email,
            "Carrier shows a delay at the Lisbon hub; promised an update tomorrow.", CancellationToken.None));
        At(end.AddHours(-2), () => OpenOnlyAsync(ana, GeneralTopics[0], SupportChannels.Web, null, CancellationToken.None));
        // Last week the help centre answered how to skip a subscription delivery, so she did not need to ask.
        At(end.AddDays(-6).AddHours(20.5), () => HelpVisitAsync(ana, "skip a subscription delivery", answered: true, CancellationToken.None));
        // This morning she looked around her favourite category and saved two things for later.
        At(end.AddHours(-6), () => InScopeAsync(async sp =>
        {
            var favourite = _categories.Count == 0 ? null : _categories[0];
            var looked = _variants.Where(v => v.Category == favourite).Select(v => v.ProductId).Distinct().Skip(3).Take(4).ToList();
            var catalog = sp.GetRequiredService<Commerce.Catalog.CatalogService>();
            foreach (var id in looked)
                if (await catalog.ProductAsync(id, CancellationToken.None) is { } detail) await catalog.RecordViewAsync(ana.ProfileId, detail, "web", CancellationToken.None);
            var wishList = sp.GetRequiredService<WishList>();
            foreach (var id in looked.Take(2)) await wishList.AddAsync(ana.ProfileId, id, CancellationToken.None);
            // She wants to hear when either gets cheaper, and when something sold out in her category is back.
            var alerts = sp.GetRequiredService<Personalisation.Alerts.ProductAlerts>();
            foreach (var id in looked.Take(2)) await alerts.AddAsync(ana.ProfileId, id, Personalisation.ProductAlertKind.PriceDrop, CancellationToken.None);
            var shop = await sp.GetRequiredService<Commerce.Contracts.ShopItems>().SnapshotAsync(CancellationToken.None);
            var soldOut = shop.ById.Values.Where(i => !i.InStock).OrderBy(i => i.Category == favourite ? 0 : 1).ThenBy(i => i.Name, StringComparer.Ordinal).FirstOrDefault();
            if (soldOut is not null) await alerts.AddAsync(ana.ProfileId, soldOut.ProductId, Personalisation.ProductAlertKind.BackInStock, CancellationToken.None);
        }));
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private string Channel() => _random.NextDouble() switch
    {
        < 0.35 => SupportChannels.Email,
        < 0.55 => SupportChannels.Web,
        < 0.85 => SupportChannels.Chat,
        _ => SupportChannels.Phone,
    };

    // ---------------------------------------------------------------- commerce

    private async Task PlaceOrderAsync(DemoCustomer customer, bool first, CancellationToken ct)
    {
        var lines = _random.NextDouble() switch { < 0.55 => 1, < 0.85 => 2, _ => 3 };
        var picks = new List<(DemoVariant Variant, int Quantity)>();
        for (var i = 0; i < lines * 3 && picks.Count < lines; i++)
        {
            var v = Pick(customer, _random.Next(_variants.Count));
            var quantity = _random.NextDouble() < 0.85 ? 1 : 2;
            if (picks.Any(p => p.Variant.ProductId == v.ProductId) || _available.GetValueOrDefault(v.Id) < quantity + 2) continue;
            picks.Add((v, quantity));
        }
        if (picks.Count == 0) return;
        var declined = _random.NextDouble() < 0.04;
        var express = _random.NextDouble() < 0.2;
        var ordinal = _ordersOf.GetValueOrDefault(customer.ProfileId) + 1;
        // Promotions are redeemed through the checkout like a shopper's: the welcome code on some first orders, €5 off on every
        // seventh larger repeat order (no random draw, so the rest of the history stays as it was); automatic ones apply by themselves.
        var promo = first && _random.NextDouble() < 0.3 ? "WELCOME10"
            : !first && ordinal % 7 == 0 && picks.Sum(p => p.Variant.PriceMinor * p.Quantity) >= 3000 ? "SAVE5" : null;
        var plan = new DemoOrderPlan(customer, Review: customer.Index == 0 ? ordinal % 3 == 1 : _random.NextDouble() < 0.22, ReviewRating: Rating(),
            Return: customer.Index == 0 ? ordinal % 6 == 5 : _random.NextDouble() < 0.06,
            ReturnReason: customer.Index == 0 ? "too_small" : ReturnReasons.All[_random.Next(ReturnReasons.All.Length - 1)],
            Ticket: customer.Index != 0 && _random.NextDouble() < 0.12, TicketDelayDays: 1 + _random.NextDouble() * 5);
        // Ana's orders stand (her last one is the order on its way); the draw is made for her too, so the rest stays as it was.
        var cancel = _random.NextDouble() < 0.03 && customer.Index != 0;
        // Some first orders come from Ana's share link (friends pay with cards of their own, or the referral would be refused).
        var referral = first && customer.Index % 20 == 7 ? _anaReferralCode : null;
        // Ana spends her points on every fifth order, so she has spent some and still holds some.
        var usePoints = customer.Index == 0 && ordinal % 5 == 0;

        Order? order = null;
        await InScopeAsync(async sp =>
        {
            await BrowseAsync(sp, customer, picks.Select(p => p.Variant).ToList(), ct);
            var carts = sp.GetRequiredService<CartService>();
            var cart = await carts.GetOrCreateAsync(customer.ProfileId, "demo-" + customer.Index.ToString(CultureInfo.InvariantCulture), ct);
            foreach (var (variant, quantity) in picks) await carts.AddAsync(cart, variant.Id, quantity, customer.ProfileId, ct);
            var address = new Address(customer.Name, $"Rua das Flores {10 + customer.Index % 90}", null, customer.City, customer.PostalCode, customer.Country);
            try
            {
                var request = new PlaceOrder(cart.Id, customer.Email, express ? "express" : "standard", address, null, promo, CheckoutService.NewIdempotencyKey(),
                    UsePoints: usePoints, ReferralCode: referral);
                try
                {
                    order = await sp.GetRequiredService<CheckoutService>().PlaceAsync(request, customer.ProfileId, null, ct);
                }
                catch (DomainException e) when (e.Code == "loyalty-points-insufficient")
                {
                    // Too few points for the minimum: she pays it all by card.
                    order = await sp.GetRequiredService<CheckoutService>().PlaceAsync(request with { UsePoints = false }, customer.ProfileId, null, ct);
                }
                catch (RequestValidationException) when (promo is not null)
                {
                    // The code turned out not to apply to this customer: they check out without it, as a shopper would.
                    order = await sp.GetRequiredService<CheckoutService>().PlaceAsync(request with { PromoCode = null }, customer.ProfileId, null, ct);
                }
            }
            catch (DomainException)
            {
                // Out of stock after all: the customer empties the cart and leaves.
                foreach (var line in cart.Lines.ToList()) await carts.SetQuantityAsync(cart, line.Id, 0, customer.ProfileId, ct);
                return;
            }
            foreach (var (variant, quantity) in picks) _available[variant.Id] -= quantity;
            var payments = sp.GetRequiredService<PaymentService>();
            if (declined)
            {
                await payments.PayAsync(order, DeclinedCard, "demo-declined", ct);
                clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddMinutes(3));
            }
            await payments.PayAsync(order, referral is null ? Card : FriendCard, "demo-paid", ct);
            if (customer.Index == 0 && _anaReferralCode is null)
                _anaReferralCode = await sp.GetRequiredService<CentricDbContext>().LoyaltyAccounts.Where(a => a.ProfileId == customer.ProfileId)
                    .Select(a => a.ReferralCode).FirstOrDefaultAsync(ct);
        });
        if (order is null) return;
        await InScopeAsync(sp => BrowseOnAsync(sp, customer, picks[0].Variant, ct));
        _plans[order.Id] = plan;
        _ordersOf[customer.ProfileId] = _ordersOf.GetValueOrDefault(customer.ProfileId) + 1;
        var number = order.Number;
        if (plan.Ticket)
        {
            var topic = OrderTopics[_random.Next(OrderTopics.Length)];
            var channel = Channel();
            var orderId = order.Id;
            At(Daytime(clock.GetUtcNow().UtcDateTime.AddDays(plan.TicketDelayDays), 7, 23), () => TicketAsync(customer, topic, channel, null, CancellationToken.None, orderId));
        }
        if (cancel)
        {
            At(clock.GetUtcNow().UtcDateTime.AddMinutes(_random.Next(20, 120)), () => InScopeAsync(async sp =>
            {
                var orders = sp.GetRequiredService<OrderService>();
                var placed = await orders.FindOwnAsync(number, customer.ProfileId, ct);
                if (placed is not { CanCancel: true }) return;
                await orders.CancelByCustomerAsync(placed, ct);
                await sp.GetRequiredService<PaymentService>().RefundAsync(placed, "cancelled", ct);
            }));
        }
    }

    /// <summary>Most customers mostly buy from a favourite category (the same draw from the sequence, mapped onto it seven times in ten).</summary>
    private DemoVariant Pick(DemoCustomer customer, int draw)
    {
        if (_categories.Count == 0 || draw % 10 >= 7) return _variants[draw];
        var favourite = _categories[customer.Index % _categories.Count];
        var own = _variants.Where(v => v.Category == favourite).ToList();
        return own.Count == 0 ? _variants[draw] : own[draw % own.Count];
    }

    /// <summary>
    /// Before buying, the customer opens the products' pages, often from a recommendation: a list was shown to them (on the
    /// home page, a product page, the cart or their account) and they clicked what they then bought; now and then they
    /// clicked something else and did not buy it. Shoppers in the model's half of the A/B test click more often.
    /// </summary>
    private async Task BrowseAsync(IServiceProvider sp, DemoCustomer customer, List<DemoVariant> picks, CancellationToken ct)
    {
        if (picks.Count == 0) return;
        var tracking = sp.GetRequiredService<RecommendationTracking>();
        var arm = Arms.Of(customer.ProfileId);
        var placement = Placement.Shown[_taste.Next(Placement.Shown.Count)];
        var others = Enumerable.Range(0, 5).Select(_ => _variants[_taste.Next(_variants.Count)].ProductId).Where(p => p != picks[0].ProductId).Distinct().Take(3).ToList();
        Guid[] shown = [picks[0].ProductId, .. others];
        await tracking.ShownDemoAsync(customer.ProfileId, placement, arm, shown, ct);
        if (_taste.NextDouble() < (arm == Arms.Model ? 0.45 : 0.25))
            await tracking.ClickedAsync(customer.ProfileId, new(placement.Key, arm, null, picks[0].ProductId, 1), ct);
        else if (_taste.NextDouble() < 0.3 && others.Count > 0)
            await tracking.ClickedAsync(customer.ProfileId, new(placement.Key, arm, null, others[0], 2), ct);
        var catalog = sp.GetRequiredService<Commerce.Catalog.CatalogService>();
        foreach (var v in picks)
            if (await catalog.ProductAsync(v.ProductId, ct) is { } detail) await catalog.RecordViewAsync(customer.ProfileId, detail, "web", ct);
    }

    /// <summary>After the order the customer looks at a couple more products of the same category ("customers also bought").</summary>
    private async Task BrowseOnAsync(IServiceProvider sp, DemoCustomer customer, DemoVariant bought, CancellationToken ct)
    {
        var alike = _variants.Where(v => v.Category == bought.Category && v.ProductId != bought.ProductId).Select(v => v.ProductId).Distinct().ToList();
        var catalog = sp.GetRequiredService<Commerce.Catalog.CatalogService>();
        for (var i = 0; i < 2 && alike.Count > 0; i++)
            if (await catalog.ProductAsync(alike[_taste.Next(alike.Count)], ct) is { } detail) await catalog.RecordViewAsync(customer.ProfileId, detail, "web", ct);
    }

    private int Rating() => _random.NextDouble() switch { < 0.05 => 1, < 0.1 => 2, < 0.22 => 3, < 0.5 => 4, _ => 5 };

    private async Task SubscribeAsync(DemoCustomer customer, double? cancelAfterDays, bool skip, CancellationToken ct)
    {
        var choices = _variants.Where(v => v.Subscribable && _available.GetValueOrDefault(v.Id) > 10).ToList();
        if (choices.Count == 0) return;
        var variant = choices[customer.Index == 0 ? 0 : _random.Next(choices.Count)];
        Guid id = default;
        await InScopeAsync(async sp =>
        {
            var address = new Address(customer.Name, $"Rua das Flores {10 + customer.Index % 90}", null, customer.City, customer.PostalCode, customer.Country);
            _subscribed = true;
            id = (await sp.GetRequiredService<SubscriptionService>().SubscribeAsync(customer.ProfileId, customer.Email, variant.Id, 1, Card, address, ct)).Id;
        });
        var now = clock.GetUtcNow().UtcDateTime;
        if (skip) At(now.AddDays(_random.Next(40, 120) * span), () => SubscriptionStepAsync(customer, id, (s, service) => service.SkipAsync(s, ct), ct));
        if (cancelAfterDays is { } days) At(now.AddDays(days * span), () => SubscriptionStepAsync(customer, id, (s, service) => service.CancelAsync(s, ct), ct));
    }

    private Task SubscriptionStepAsync(DemoCustomer customer, Guid id, Func<Subscription, SubscriptionService, Task> step, CancellationToken ct) =>
        InScopeAsync(async sp =>
        {
            var service = sp.GetRequiredService<SubscriptionService>();
            if (await service.FindOwnAsync(id, customer.ProfileId, ct) is { Status: SubscriptionStatus.Active } s)
            {
                try { await step(s, service); }
                catch (DomainException) { /* the subscription moved on meanwhile */ }
            }
        });

    /// <summary>The morning round: renewals, the warehouse ships what was paid, the carrier scans parcels, the support team's sweep.</summary>
    private async Task DailyAsync(DateTime day, CancellationToken ct)
    {
        clock.MoveTo(day);
        if (_subscribed) await InScopeAsync(async sp =>
        {
            var subscriptions = sp.GetRequiredService<SubscriptionService>();
            while (await subscriptions.RunDueAsync(ct) > 0) { }
        });
        var delivered = new List<Guid>();
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CentricDbContext>();
            var orders = sp.GetRequiredService<OrderService>();
            var carrier = sp.GetRequiredService<CarrierEvents>();
            var yesterday = day.AddHours(-12);
            foreach (var shipment in await db.Set<Shipment>().Where(s => s.Status < ShipmentStatus.Delivered && s.CreatedAt < yesterday).OrderBy(s => s.CreatedAt).ToListAsync(ct))
            {
                clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddMinutes(_random.Next(5, 40)));
                // Most parcels go from the sorting centre straight to the door; some get an "out for delivery" scan first.
                if (shipment.Status == ShipmentStatus.InTransit && _random.NextDouble() < 0.7)
                    await carrier.ApplyAsync(shipment.Carrier, new CarrierEvent(shipment.TrackingNumber,
                        "demo-" + ClientId(), "delivered", "Delivered, left with a neighbour", "Front door", clock.GetUtcNow()), ct);
                else await carrier.SimulateNextAsync(shipment, ct);
                if (shipment.Status == ShipmentStatus.Delivered) delivered.Add(shipment.OrderId);
            }
            clock.MoveTo(day.AddHours(1));
            if (day.DayOfWeek == DayOfWeek.Sunday) return;
            var cutoff = day.AddHours(-1);
            foreach (var order in await db.Orders.Include(o => o.Lines).Where(o => o.Status == OrderStatus.Paid && o.PaidAt <= cutoff).OrderBy(o => o.PaidAt).ToListAsync(ct))
            {
                await orders.MoveAsync(order, OrderStatus.Picking, "staff", ct);
                await orders.MoveAsync(order, OrderStatus.Packed, "staff", ct);
                await carrier.ShipAsync(order, "simulator", ct);
                clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddMinutes(2));
            }
        });
        foreach (var orderId in delivered)
            if (_plans.TryGetValue(orderId, out var plan)) AfterDelivery(orderId, plan, day);
        // The loyalty programme's morning: points past their expiry, referrals past the return window.
        await InScopeAsync(sp => sp.GetRequiredService<Commerce.Loyalty.LoyaltyJobs>().RunDueAsync(
            [Commerce.Loyalty.LoyaltyJobs.Expiry, Commerce.Loyalty.LoyaltyJobs.ReferralSettlement], ct));
        // The team's sweep matters while tickets are moving (SLA warnings, waiting assignments, auto-close after a week).
        if (day - _lastSupport < TimeSpan.FromDays(10))
        {
            await SupportSweepAsync(ct);
            await DrainSupportAsync(ct);
        }
    }

    private void AfterDelivery(Guid orderId, DemoOrderPlan plan, DateTime day)
    {
        var customer = plan.Customer;
        if (plan.Review)
            At(Daytime(day.AddDays(_random.Next(1, 12))), () => InScopeAsync(async sp =>
            {
                var db = sp.GetRequiredService<CentricDbContext>();
                var line = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == orderId).OrderBy(l => l.Sku).FirstAsync();
                if (await db.Set<Review>().AnyAsync(r => r.ProductId == line.ProductId && r.ProfileId == customer.ProfileId)) return;
                var (title, body) = ReviewText(plan.ReviewRating, line.Name);
                await sp.GetRequiredService<ReviewService>().SubmitAsync(line.ProductId, customer.ProfileId, customer.FirstName + " " + customer.LastName[0] + ".",
                    plan.ReviewRating, title, body, CancellationToken.None);
            }));
        if (plan.Return)
        {
            var requested = Daytime(day.AddDays(_random.Next(2, 14)));
            At(requested, () => ReturnAsync(customer, orderId, plan.ReturnReason, CancellationToken.None));
        }
        // Some deliveries are followed by a satisfaction survey the next day, some by "would you recommend us" a few weeks on.
        var ask = _voice.NextDouble();
        if (ask < (customer.Index == 0 ? 0.5 : 0.3))
            At(Daytime(day.AddDays(1), 9, 20), () => AskAboutOrderAsync(customer.ProfileId, orderId, _csat, customer.Index == 0));
        else if (ask < 0.45)
            At(Daytime(day.AddDays(_voice.Next(7, 22)), 9, 20), () => AskAboutOrderAsync(customer.ProfileId, orderId, _nps, customer.Index == 0));
    }

    // ---------------------------------------------------------------- surveys

    private Task AskAboutOrderAsync(Guid profileId, Guid orderId, Guid surveyId, bool answers) => InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<CentricDbContext>();
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == orderId)
            .Select(o => new { o.Number, Product = o.Lines.OrderBy(l => l.Sku).Select(l => l.Name).FirstOrDefault() }).FirstAsync();
        await AskAsync(sp, profileId, surveyId, $"demo:order:{order.Number}:{surveyId:N}", new SurveyContext(order.Number, Product: order.Product, Channel: "web"), answers);
    });

    private Task AskAboutTicketAsync(Guid profileId, string number, string channel, string agent) => InScopeAsync(sp =>
        AskAsync(sp, profileId, _ces, $"demo:ticket:{number}", new SurveyContext(TicketNumber: number, Channel: channel, Agent: agent), answers: false));

    /// <summary>Sends the survey; about six in ten answer within three days (some with a comment), the way they would from the email.</summary>
    private async Task AskAsync(IServiceProvider sp, Guid profileId, Guid surveyId, string sendKey, SurveyContext context, bool answers)
    {
        var sent = await sp.GetRequiredService<SurveyService>().InviteAsync(profileId, surveyId, sendKey, context, CancellationToken.None);
        if (sent.Outcome != SurveyInviteOutcome.Sent) return;
        await sp.GetRequiredService<CentricDbContext>().SaveChangesAsync();
        if (!answers && _voice.NextDouble() >= 0.6) return;
        var key = sent.Link!["/surveys/".Length..];
        var kind = surveyId == _nps ? SurveyKinds.Nps : surveyId == _csat ? SurveyKinds.Csat : SurveyKinds.Ces;
        var score = DemoScore(kind);
        var comment = _voice.NextDouble() < 0.45 ? DemoComment(kind, score) : null;
        At(clock.GetUtcNow().UtcDateTime.AddHours(0.5 + _voice.NextDouble() * 70), () => InScopeAsync(inner =>
            inner.GetRequiredService<SurveyService>().AnswerAsync(key, null, score, comment, keepComment: false, CancellationToken.None)));
    }

    /// <summary>A believable spread: NPS around +35, CSAT around 80 %, effort around 5.4 of 7.</summary>
    private int DemoScore(string kind)
    {
        int[] weights = kind switch
        {
            SurveyKinds.Nps => [1, 1, 1, 2, 2, 3, 4, 8, 14, 24, 20],
            SurveyKinds.Csat => [4, 6, 12, 38, 40],
            _ => [3, 4, 6, 10, 18, 30, 29],
        };
        var draw = _voice.Next(weights.Sum());
        var (min, _) = SurveyScale.Of(kind);
        for (var i = 0; i < weights.Length; i++)
        {
            if (draw < weights[i]) return min + i;
            draw -= weights[i];
        }
        return min + weights.Length - 1;
    }

    private string DemoComment(string kind, int score)
    {
        var (min, max) = SurveyScale.Of(kind);
        var position = (double)(score - min) / (max - min);
        string[] said = (kind == SurveyKinds.Ces, position) switch
        {
            (true, >= 0.75) => ["The first answer solved it, thank you!", "Quick, friendly and no need to repeat myself."],
            (true, >= 0.45) => ["Took two messages to get an answer, but it was sorted.", "Fine, though I had to wait a day."],
            (true, _) => ["I had to explain my problem three times.", "It was hard to find where to ask for help."],
            (_, >= 0.75) => ["Fast delivery and great quality, thank you!", "Always easy to order and the parcel came the next day.", "Lovely products and friendly service."],
            (_, >= 0.45) => ["Fine overall, delivery took a bit longer than promised.", "Good products but the website could be simpler.", "OK, nothing special."],
            _ => ["The parcel arrived late and nobody told me why.", "Poor quality for the price, disappointed.", "It was hard to find how to return an item."],
        };
        return said[_voice.Next(said.Length)];
    }

    private async Task ReturnAsync(DemoCustomer customer, Guid orderId, string reason, CancellationToken ct)
    {
        string? number = null;
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CentricDbContext>();
            var order = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == orderId, ct);
            var line = order.Lines.OrderBy(l => l.Sku).First();
            try
            {
                number = (await sp.GetRequiredService<ReturnService>().RequestAsync(order, [new ReturnItem(line.Id, 1)], reason,
                    reason == "too_small" ? "Lovely, but a size too small." : null, ReturnResolution.Refund, null, ct)).Number;
            }
            catch (DomainException) { }
        });
        if (number is null) return;
        At(Daytime(clock.GetUtcNow().UtcDateTime.AddDays(1), 9, 17), () => InScopeAsync(async sp =>
        {
            var returns = sp.GetRequiredService<ReturnService>();
            if (await returns.FindAsync(number, ct) is { } r) await returns.ApproveAsync(r, ct);
        }));
        At(Daytime(clock.GetUtcNow().UtcDateTime.AddDays(5), 9, 17), () => InScopeAsync(async sp =>
        {
            var returns = sp.GetRequiredService<ReturnService>();
            if (await returns.FindAsync(number, ct) is { Status: ReturnStatus.Approved } r) await returns.ReceiveAsync(r, ct);
        }));
    }

    private static (string Title, string Body) ReviewText(int rating, string product) => rating switch
    {
        5 => ("Love it", $"The {product.ToLowerInvariant()} is exactly as described and arrived quickly. Would buy again."),
        4 => ("Very good", $"Good quality {product.ToLowerInvariant()}, does the job. Delivery took a day longer than promised."),
        3 => ("OK", "It's fine for the price, nothing special."),
        2 => ("Disappointed", "Smaller than it looked in the pictures and the finish is rough."),
        _ => ("Not good", "Broke after a week. Customer service sorted out a refund though."),
    };

    // ---------------------------------------------------------------- support

    /// <summary>A conversation from first message to rating: answered in time or late, sometimes a follow-up, solved, maybe rated.</summary>
    private async Task TicketAsync(DemoCustomer customer, DemoTopic topic, string channel, int? rating, CancellationToken ct, Guid? orderId = null)
    {
        var orderNumber = await OrderNumberAsync(customer, orderId, topic, ct);
        if (topic.AboutOrder && orderNumber is null) return;
        var text = Fill(topic.Text, customer, orderNumber);
        // Some look in the help centre first and write anyway a few minutes later (a visit the request followed).
        if (channel != SupportChannels.Phone && _help.NextDouble() < 0.35)
        {
            await HelpVisitAsync(customer, topic.Subject, answered: false, ct);
            clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddMinutes(3 + _help.Next(15)));
        }
        string? number = null;
        await SupportStepAsync(async sp =>
        {
            if (channel == SupportChannels.Chat)
            {
                var view = await sp.GetRequiredService<ChatService>().SendAsync(new ChatParticipant(customer.ProfileId, null), ClientId(), text, ct);
                var db = sp.GetRequiredService<CentricDbContext>();
                number = await db.TicketMessages.Where(m => m.Id == view.Id).Join(db.Tickets, m => m.TicketId, t => t.Id, (m, t) => t.Number).FirstAsync(ct);
            }
            else
            {
                number = (await sp.GetRequiredService<TicketService>().OpenAsync(customer.ProfileId, topic.Subject,
                    new NewMessage(MessageDirection.Inbound, channel == SupportChannels.Phone ? SupportChannels.Phone : channel, customer.Name,
                        channel == SupportChannels.Phone ? $"Called about: {text}" : text), orderNumber, ct)).Number;
            }
        }, ct);
        if (number is null) return;

        var late = _random.NextDouble() < 0.12;
        var replyAt = late ? WorkingHoursLater(clock.GetUtcNow().UtcDateTime, 5 + _random.NextDouble() * 20) : WorkingHoursLater(clock.GetUtcNow().UtcDateTime, 0.1 + _random.NextDouble() * 2.5);
        var followUp = topic.FollowUp is not null && _random.NextDouble() < 0.6;
        rating ??= _random.NextDouble() < 0.55 ? (late ? _random.Next(1, 4) : _random.NextDouble() < 0.75 ? 5 : 4) : null;
        var reply = Fill(topic.Reply, customer, orderNumber);
        At(replyAt, () => ReplyAsync(number, channel, reply, solve: !followUp, rating, ct));
        if (followUp)
        {
            var customerAt = replyAt.AddHours(1 + _random.NextDouble() * 6);
            At(customerAt, () => CustomerWritesAsync(number, channel, customer, topic.FollowUp!, ct));
            At(WorkingHoursLater(customerAt, 0.2 + _random.NextDouble() * 2), () => ReplyAsync(number, channel, topic.Answer!, solve: true, rating, ct));
        }
    }

    /// <summary>
    /// A visit to the help centre as the pages make it: the search the customer finished typing, the article they opened,
    /// and, when it <paramref name="answered"/> their question, "this answered my question".
    /// </summary>
    private Task HelpVisitAsync(DemoCustomer customer, string question, bool answered, CancellationToken ct) => InScopeAsync(async sp =>
    {
        var help = sp.GetRequiredService<KnowledgeBase>();
        var hits = await help.SearchAsync(question, 8, ct);
        await help.RecordSearchAsync(customer.ProfileId, question, hits, "help-centre", ct);
        if (hits.Count == 0 || await help.FindPublishedAsync(hits[0].Slug, ct) is not { } article) return;
        clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddSeconds(20 + _help.Next(60)));
        await help.RecordViewAsync(customer.ProfileId, article, ct);
        if (!answered) return;
        clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddSeconds(30 + _help.Next(120)));
        await help.RecordDeflectionAsync(customer.ProfileId, article, question, ct);
    });

    /// <summary>What customers type into the help centre's search.</summary>
    private static readonly string[] HelpQuestions =
    [
        "how do I return an item", "return label", "refund", "when will my order arrive", "delivery time", "express delivery",
        "change delivery address", "forgot password", "reset password", "two-factor authentication", "pause subscription",
        "skip a delivery", "cancel subscription",
    ];

    /// <summary>A ticket that is still open at the end of the history (with an internal note if given).</summary>
    private async Task OpenOnlyAsync(DemoCustomer customer, DemoTopic topic, string channel, string? note, CancellationToken ct)
    {
        var orderNumber = await OrderNumberAsync(customer, null, topic, ct);
        await SupportStepAsync(async sp =>
        {
            var tickets = sp.GetRequiredService<TicketService>();
            var ticket = await tickets.OpenAsync(customer.ProfileId, topic.Subject,
                new NewMessage(MessageDirection.Inbound, channel, customer.Name, Fill(topic.Text, customer, orderNumber)), orderNumber, ct);
            if (note is null) return;
            clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddMinutes(25));
            var (userId, name) = await AssigneeAsync(sp, ticket, ct);
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Note, channel, name, note, Author: userId), ct);
        }, ct);
    }

    private async Task<string?> OrderNumberAsync(DemoCustomer customer, Guid? orderId, DemoTopic topic, CancellationToken ct)
    {
        if (!topic.AboutOrder) return null;
        string? number = null;
        await InScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<CentricDbContext>();
            number = orderId is { } id
                ? await db.Orders.Where(o => o.Id == id).Select(o => o.Number).FirstOrDefaultAsync(ct)
                : await db.Orders.Where(o => o.ProfileId == customer.ProfileId && o.Status != OrderStatus.Cancelled && o.Status != OrderStatus.Refunded)
                    .OrderByDescending(o => o.PlacedAt).Select(o => o.Number).FirstOrDefaultAsync(ct);
        });
        return number;
    }

    private async Task CustomerWritesAsync(string number, string channel, DemoCustomer customer, string text, CancellationToken ct) =>
        await SupportStepAsync(async sp =>
        {
            if (channel == SupportChannels.Chat)
            {
                await sp.GetRequiredService<ChatService>().SendAsync(new ChatParticipant(customer.ProfileId, null), ClientId(), text, ct);
                return;
            }
            var tickets = sp.GetRequiredService<TicketService>();
            if (await tickets.FindAsync(number, ct) is not { Status: not TicketStatus.Closed } ticket) return;
            await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Inbound, channel == SupportChannels.Phone ? SupportChannels.Email : channel,
                customer.Name, text), ct);
        }, ct);

    private async Task ReplyAsync(string number, string channel, string text, bool solve, int? rating, CancellationToken ct)
    {
        var solved = false;
        var (customer, agent) = (Guid.Empty, "");
        await SupportStepAsync(async sp =>
        {
            var tickets = sp.GetRequiredService<TicketService>();
            if (await tickets.FindAsync(number, ct) is not { } ticket || ticket.Status is TicketStatus.Closed) return;
            var (userId, name) = await AssigneeAsync(sp, ticket, ct);
            (customer, agent) = (ticket.ProfileId, name);
            if (channel == SupportChannels.Chat)
                await sp.GetRequiredService<ChatService>().AgentSendAsync(number, userId, name, ClientId(), text, null, ct);
            else if (channel == SupportChannels.Phone && !solve)
                await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, SupportChannels.Email, name, text, Author: userId), ct);
            else if (channel == SupportChannels.Phone)
            {
                // The agent calls back; the telephony provider reports the call on the ticket, which solves it.
                var seconds = _random.Next(90, 900);
                await sp.GetRequiredService<ChatService>().ReceiveCallAsync(new CallRecord("demo-" + ClientId(), "+351210000000", "customer",
                    seconds, "resolved", null, number, $"{name} called back: {text}"), ct);
                solved = true;
                return;
            }
            else
                await tickets.AddMessageAsync(ticket, new NewMessage(MessageDirection.Outbound, channel, name, text, Author: userId), ct);
            if (!solve) return;
            clock.MoveTo(clock.GetUtcNow().UtcDateTime.AddMinutes(_random.Next(2, 90)));
            ticket = await tickets.FindAsync(number, ct);
            if (ticket is null || ticket.Status is TicketStatus.Closed or TicketStatus.Solved) return;
            await tickets.ChangeStatusAsync(ticket, TicketStatus.Solved, userId, ct);
            solved = true;
        }, ct);
        if (solved && rating is { } stars)
            At(clock.GetUtcNow().UtcDateTime.AddHours(1 + _random.NextDouble() * 40), () => RateAsync(number, stars, ct));
        // Half the solved requests are followed by "how easy was it" (the support team's own rating above stays as it is).
        if (solved && customer != Guid.Empty && _voice.NextDouble() < 0.5)
            At(clock.GetUtcNow().UtcDateTime.AddHours(2 + _voice.NextDouble() * 6), () => AskAboutTicketAsync(customer, number, channel, agent));
    }

    private Task RateAsync(string number, int rating, CancellationToken ct) => InScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<CentricDbContext>();
        var survey = await db.CsatSurveys.FirstOrDefaultAsync(s => s.TicketNumber == number, ct);
        if (survey is null || survey.AnsweredAt is not null) return;
        var comment = rating switch { 5 => "Quick and friendly, thank you!", 1 or 2 => "It took far too long to get an answer.", _ => null };
        await sp.GetRequiredService<CsatService>().SubmitAsync(survey, rating, comment, ct);
    });

    /// <summary>The agent working the ticket: its assignee, or (nobody free when it came in) the agent who picks it up now.</summary>
    private async Task<(string UserId, string Name)> AssigneeAsync(IServiceProvider sp, Ticket ticket, CancellationToken ct)
    {
        if (ticket.AssigneeUserId is { } assigned && _agents.FirstOrDefault(a => a.UserId == assigned) is (not null, _) known) return known;
        var agent = _agents[_counter++ % _agents.Count];
        await sp.GetRequiredService<TicketService>().UpdateAsync(ticket, ticket.Priority, ticket.Type, agent.UserId, ticket.Tags, ticket.OrderNumber, ct);
        return agent;
    }

    /// <summary>A support step: the team is at their desks (in business hours), the SLA sweep has run, and afterwards the
    /// support work (routing, SLA clock, acknowledgement, survey) has reacted to what the step wrote.</summary>
    private async Task SupportStepAsync(Func<IServiceProvider, Task> step, CancellationToken ct)
    {
        _lastSupport = clock.GetUtcNow().UtcDateTime;
        await SupportSweepAsync(ct);
        await InScopeAsync(step);
        await DrainSupportAsync(ct);
    }

    private async Task SupportSweepAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await InScopeAsync(async sp =>
        {
            if (_hours.IsOpen(now))
            {
                var router = sp.GetRequiredService<TicketRouter>();
                foreach (var (userId, _) in _agents) await router.TouchAsync(userId, ct);
            }
            await sp.GetRequiredService<SlaClock>().RunDueAsync(ct);
        });
    }

    private async Task DrainSupportAsync(CancellationToken ct)
    {
        var dispatcher = world.GetRequiredService<InteractionDispatcher>();
        var batch = world.GetRequiredService<IOptions<DispatcherOptions>>().Value.BatchSize;
        // A batch shorter than a full one reached the end of the stream.
        for (var pass = 0; pass < 100 && await dispatcher.RunOnceAsync("support.work", ct) >= batch; pass++) { }
    }

    /// <summary>A moment this many working hours later (the business calendar), plus a few minutes.</summary>
    private DateTime WorkingHoursLater(DateTime from, double hours) => _hours.Add(from, TimeSpan.FromHours(hours)).AddMinutes(_random.Next(1, 15));

    private string ClientId() => "demo-msg-" + (++_counter).ToString("D6", CultureInfo.InvariantCulture);

    private static string Fill(string text, DemoCustomer customer, string? order) =>
        text.Replace("{first}", customer.FirstName, StringComparison.Ordinal).Replace("{order}", order ?? "", StringComparison.Ordinal);

    private async Task InScopeAsync(Func<IServiceProvider, Task> work)
    {
        await using var scope = world.CreateAsyncScope();
        // One connection for the whole step rather than one per query.
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        await db.Database.OpenConnectionAsync();
        try { await work(scope.ServiceProvider); }
        finally { await db.Database.CloseConnectionAsync(); }
    }
}

// Top-level rather than nested: the architecture rules read a nested type's namespace as its outer class's name.
internal sealed record DemoVariant(Guid Id, Guid ProductId, string Name, string Category, long PriceMinor, bool Subscribable, string Options);

/// <summary>What the customer will do once an order arrives, decided when it is placed.</summary>
internal sealed record DemoOrderPlan(DemoCustomer Customer, bool Review, int ReviewRating, bool Return, string ReturnReason, bool Ticket, double TicketDelayDays);

internal sealed record DemoTopic(string Subject, string Text, string Reply, bool AboutOrder, string? FollowUp = null, string? Answer = null);

internal static partial class DemoLog
{
    [LoggerMessage(1900, LogLevel.Information, "Demo history lived through the product's services: {Orders} orders, {Tickets} tickets in {Seconds:F1} s")]
    public static partial void HistoryLived(ILogger logger, int orders, int tickets, double seconds);
}
