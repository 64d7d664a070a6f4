using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Customers.Contracts;
using Centric.Server.Customers.Notifications;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Commerce;

/// <summary>Each test owns its server: the fake clock jumps months ahead, which must not disturb other tests.</summary>
public abstract class SubscriptionTests(string provider)
{
    private static readonly Address Home = new("Ana Silva", "Rua Augusta 1", null, "Lisboa", "1100-048", "PT");

    private static async Task<(Guid Profile, string Email, Guid Variant)> SetUpAsync(IServiceProvider s)
    {
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var category = new Category { Slug = "sub-" + suffix, Name = "Coffee" };
        var product = new Product { Slug = "beans-" + suffix, Name = "Coffee beans " + suffix, CategoryId = category.Id, PriceFromMinor = 1200 };
        var variant = new ProductVariant { ProductId = product.Id, Sku = "BEAN-" + suffix, Currency = "EUR", PriceMinor = 1200, SubscriptionIntervalDays = 30, SubscriptionPriceMinor = 1000 };
        var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
        db.AddRange(category, product, variant, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = 50 });
        var directory = s.GetRequiredService<ProfileDirectory>();
        var profile = directory.Create(ProfileKind.Known);
        var email = Json.NewEmail();
        directory.AddIdentity(profile, IdentityKinds.Email, email, true);
        await db.SaveChangesAsync();
        return (profile.Id, email, variant.Id);
    }

    private static async Task<List<string>> TypesAsync(ManualClockApp app, Guid profile) =>
        await app.WithDbAsync(db => db.Interactions.Where(i => i.ProfileId == profile).OrderBy(i => i.ReceivedAt).Select(i => i.Type).ToListAsync());

    private static async Task<List<Notification>> NoticesAsync(ManualClockApp app, Guid profile) =>
        await app.WithDbAsync(db => db.Set<Notification>().AsNoTracking().Where(n => n.ProfileId == profile).OrderBy(n => n.CreatedAt).ThenBy(n => n.Id).ToListAsync());

    [SkippableFact]
    public async Task A_renewal_that_fails_is_retried_and_succeeds_after_the_card_is_updated()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var (profile, email, variant) = await SetUpAsync(s);
        var subscriptions = s.GetRequiredService<SubscriptionService>();
        var start = app.Clock.GetUtcNow().UtcDateTime;

        var sub = await subscriptions.SubscribeAsync(profile, email, variant, 1, "4242424242424242", Home, default);
        Assert.Equal(SubscriptionStatus.Active, sub.Status);
        Assert.Equal(start.AddDays(30), sub.NextRenewalAt);
        Assert.StartsWith("tok_", sub.PaymentToken, StringComparison.Ordinal);
        Assert.Equal(1, await app.WithDbAsync(db => db.Orders.CountAsync(o => o.ProfileId == profile && o.Status == OrderStatus.Paid)));

        await subscriptions.ChangeCardAsync(sub, "4000000000000002", default);
        app.Clock.Advance(TimeSpan.FromDays(28));
        Assert.Equal(0, await subscriptions.RunDueAsync(default));
        Assert.Contains("subscription_renewal_due", await TypesAsync(app, profile));

        app.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await subscriptions.RunDueAsync(default));
        var failed = await app.WithDbAsync(db => db.Set<Subscription>().AsNoTracking().SingleAsync(x => x.Id == sub.Id));
        Assert.Equal(SubscriptionStatus.PastDue, failed.Status);
        Assert.Equal(1, failed.FailedAttempts);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddDays(1), failed.RetryAt);
        Assert.Contains("subscription_renewal_failed", await TypesAsync(app, profile));
        Assert.True(await app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == email && m.Subject == "Payment for your subscription failed")));
        var notice = Assert.Single(await NoticesAsync(app, profile));
        Assert.Equal(("subscription_renewal_failed", "Payment for your subscription failed", "/account/subscriptions"), (notice.Topic, notice.Title, notice.Link));
        Assert.Equal(0, await subscriptions.RunDueAsync(default));   // no retry before its time

        var tracked = await s.GetRequiredService<CentricDbContext>().Set<Subscription>().SingleAsync(x => x.Id == sub.Id);
        await s.GetRequiredService<CentricDbContext>().Entry(tracked).ReloadAsync();
        await subscriptions.ChangeCardAsync(tracked, "4242424242424242", default);
        Assert.Equal(1, await subscriptions.RunDueAsync(default));
        var renewed = await app.WithDbAsync(db => db.Set<Subscription>().AsNoTracking().SingleAsync(x => x.Id == sub.Id));
        Assert.Equal(SubscriptionStatus.Active, renewed.Status);
        Assert.Equal(0, renewed.FailedAttempts);
        Assert.Equal(start.AddDays(60), renewed.NextRenewalAt);
        Assert.Equal(2, await app.WithDbAsync(db => db.Orders.CountAsync(o => o.ProfileId == profile && o.Status == OrderStatus.Paid)));
        Assert.Contains("subscription_renewed", await TypesAsync(app, profile));
    }

    [SkippableFact]
    public async Task A_renewal_cut_off_after_charging_is_finished_without_charging_again()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var (profile, email, variant) = await SetUpAsync(s);
        var subscriptions = s.GetRequiredService<SubscriptionService>();
        var sub = await subscriptions.SubscribeAsync(profile, email, variant, 1, "4242424242424242", Home, default);
        app.Clock.Advance(TimeSpan.FromDays(30));

        // A renewal run placed the order, held the stock and charged the card, then the server stopped before recording the charge.
        var key = $"renewal:{sub.Id:N}:{sub.NextRenewalAt:yyyyMMdd}:{sub.FailedAttempts}";
        var data = s.GetRequiredService<CentricDbContext>();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        var left = new Order
        {
            Number = "CS-CUT0FF01", ProfileId = profile, Email = email, Status = OrderStatus.Placed, Currency = "EUR", SubtotalMinor = 1000, TaxMinor = 230,
            TotalMinor = 1230, ShippingMethod = "standard", IdempotencyKey = key, PlacedAt = now, UpdatedAt = now,
        };
        left.Lines.Add(new OrderLine
        {
            OrderId = left.Id, VariantId = variant, ProductId = (await data.Variants.SingleAsync(v => v.Id == variant)).ProductId, Sku = "BEAN", Name = "Coffee beans",
            Category = "sub", UnitPriceMinor = 1000, Quantity = 1, LineTotalMinor = 1000,
        });
        data.Orders.Add(left);
        await s.GetRequiredService<InventoryService>().ReserveAsync(left, null, default);
        await data.SaveChangesAsync();
        var gateway = (SandboxGateway)s.GetRequiredKeyedService<IPaymentGateway>(SandboxGateway.Name);
        await gateway.ChargeAsync(new ChargeRequest(Guid.NewGuid(), left.TotalMinor, "EUR", sub.PaymentToken, key), default);
        var charges = gateway.Charges;

        Assert.Equal(1, await subscriptions.RunDueAsync(default));
        Assert.Equal(charges, gateway.Charges);   // the gateway was asked again under the same key, not charged anew
        var orders = await app.WithDbAsync(db => db.Orders.AsNoTracking().Where(o => o.ProfileId == profile).ToListAsync());
        Assert.Equal(2, orders.Count(o => o.Status == OrderStatus.Paid));   // the first delivery and this renewal
        Assert.DoesNotContain(orders, o => o.Status == OrderStatus.Cancelled);
        Assert.Equal(OrderStatus.Paid, orders.Single(o => o.Id == left.Id).Status);
        Assert.Equal(1, await app.WithDbAsync(db => db.Payments.CountAsync(p => p.OrderId == left.Id && p.Status == PaymentStatus.Succeeded)));
        Assert.Equal(48, await app.WithDbAsync(db => db.StockLevels.Where(l => l.VariantId == variant).Select(l => l.OnHand - l.Reserved).SingleAsync()));
    }

    [SkippableFact]
    public async Task Pausing_skipping_and_repeated_failures_behave_as_promised()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var (profile, email, variant) = await SetUpAsync(s);
        var subscriptions = s.GetRequiredService<SubscriptionService>();
        var sub = await subscriptions.SubscribeAsync(profile, email, variant, 2, "4242424242424242", Home, default);
        var next = sub.NextRenewalAt;

        await subscriptions.SkipAsync(sub, default);
        Assert.Equal(next.AddDays(30), sub.NextRenewalAt);
        await subscriptions.PauseAsync(sub, default);
        app.Clock.Advance(TimeSpan.FromDays(70));
        await subscriptions.RunDueAsync(default);
        Assert.Equal(1, await app.WithDbAsync(db => db.Orders.CountAsync(o => o.ProfileId == profile)));   // paused: nothing charged
        var e = await Assert.ThrowsAsync<DomainException>(() => subscriptions.PauseAsync(sub, default));
        Assert.Equal("subscription-not-active", e.Code);
        await subscriptions.ResumeAsync(sub, default);
        await subscriptions.ChangeCardAsync(sub, "4000000000009995", default);

        // Renewal fails, then three retries fail: the subscription is cancelled.
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(1, await subscriptions.RunDueAsync(default));
            app.Clock.Advance(TimeSpan.FromDays(8));
        }
        var final = await app.WithDbAsync(db => db.Set<Subscription>().AsNoTracking().SingleAsync(x => x.Id == sub.Id));
        Assert.Equal(SubscriptionStatus.Cancelled, final.Status);
        Assert.Equal(4, final.FailedAttempts);
        Assert.True(await app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == email && m.Subject == "Your subscription was cancelled")));
        // One in-app notice per failed attempt, the last one saying it was cancelled.
        var notices = await NoticesAsync(app, profile);
        Assert.Equal(4, notices.Count);
        Assert.Equal("Your subscription was cancelled", notices[^1].Title);
        Assert.Equal(0, await subscriptions.RunDueAsync(default));
        // Failed renewals released their stock: 50 − 2 (first delivery).
        Assert.Equal(48, await app.WithDbAsync(db => db.StockLevels.Where(l => l.VariantId == variant).Select(l => l.OnHand - l.Reserved).SingleAsync()));
    }

    [SkippableFact]
    public async Task Two_nodes_sweeping_at_once_remind_and_renew_each_subscription_once()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        const int count = 12;
        var subs = new List<(Guid Id, Guid Profile)>();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var s = scope.ServiceProvider;
            var (_, _, variant) = await SetUpAsync(s);
            var directory = s.GetRequiredService<ProfileDirectory>();
            var db = s.GetRequiredService<CentricDbContext>();
            for (var i = 0; i < count; i++)
            {
                var profile = directory.Create(ProfileKind.Known);
                var email = Json.NewEmail();
                directory.AddIdentity(profile, IdentityKinds.Email, email, true);
                await db.SaveChangesAsync();
                // Half of them renew in 30 days, half a day later: when the clock reaches the first, the others are reminded.
                var sub = await s.GetRequiredService<SubscriptionService>().SubscribeAsync(profile.Id, email, variant, 1, "4242424242424242", Home, default);
                if (i % 2 == 1) await s.GetRequiredService<SubscriptionService>().SkipAsync(sub, default);
                subs.Add((sub.Id, profile.Id));
            }
        }
        // Skipped ones move 30 days on; bring them back to one day after the others so they are within the reminder window.
        var skipped = subs.Where((_, i) => i % 2 == 1).Select(x => x.Id).ToList();
        var tomorrow = app.Clock.GetUtcNow().UtcDateTime.AddDays(31);
        Assert.Equal(count / 2, await app.WithDbAsync(db => db.Set<Subscription>().Where(x => skipped.Contains(x.Id))
            .ExecuteUpdateAsync(u => u.SetProperty(x => x.NextRenewalAt, tomorrow))));
        app.Clock.Advance(TimeSpan.FromDays(30));

        // Two nodes, each with its own scope and connection, sweep again and again at the same time.
        async Task NodeAsync()
        {
            for (var pass = 0; pass < 4; pass++)
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SubscriptionService>().RunDueAsync(default);
            }
        }
        await Task.WhenAll(Task.Run(NodeAsync), Task.Run(NodeAsync));

        var profiles = subs.Select(s => s.Profile).ToList();
        var types = await app.WithDbAsync(db => db.Interactions.Where(i => profiles.Contains(i.ProfileId)).Select(i => new { i.ProfileId, i.Type }).ToListAsync());
        var orders = await app.WithDbAsync(db => db.Orders.Where(o => profiles.Contains(o.ProfileId)).GroupBy(o => o.ProfileId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        var payments = await app.WithDbAsync(db => db.Payments.Where(p => profiles.Contains(p.ProfileId)).GroupBy(p => p.ProfileId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        for (var i = 0; i < count; i++)
        {
            var profile = subs[i].Profile;
            var renewed = types.Count(t => t.ProfileId == profile && t.Type == "subscription_renewed");
            var reminded = types.Count(t => t.ProfileId == profile && t.Type == "subscription_renewal_due");
            // Orders, payments, renewals (the first delivery counts as one) and reminders of each customer.
            var seen = (orders.GetValueOrDefault(profile), payments.GetValueOrDefault(profile), renewed, reminded);
            // Due: the first delivery and exactly one renewal, each charged once. Due tomorrow: one reminder, nothing charged yet.
            Assert.Equal(i % 2 == 0 ? (2, 2, 2, 0) : (1, 1, 1, 1), seen);
        }
    }

    [SkippableFact]
    public async Task A_sweep_running_while_customers_subscribe_leaves_each_first_delivery_to_its_subscription()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        Guid variant;
        await using (var scope = app.Services.CreateAsyncScope()) (_, _, variant) = await SetUpAsync(scope.ServiceProvider);
        var profiles = new List<Guid>();
        using var done = new CancellationTokenSource();

        // Another node sweeps without pause while customers subscribe: a new subscription is due at once.
        var sweeping = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await using var scope = app.Services.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SubscriptionService>().RunDueAsync(default);
            }
        });
        for (var i = 0; i < 8; i++)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var s = scope.ServiceProvider;
            var directory = s.GetRequiredService<ProfileDirectory>();
            var profile = directory.Create(ProfileKind.Known);
            var email = Json.NewEmail();
            directory.AddIdentity(profile, IdentityKinds.Email, email, true);
            await s.GetRequiredService<CentricDbContext>().SaveChangesAsync();
            var sub = await s.GetRequiredService<SubscriptionService>().SubscribeAsync(profile.Id, email, variant, 1, "4242424242424242", Home, default);
            Assert.Equal(SubscriptionStatus.Active, sub.Status);
            profiles.Add(profile.Id);
        }
        await done.CancelAsync();
        await sweeping;

        var orders = await app.WithDbAsync(db => db.Orders.Where(o => profiles.Contains(o.ProfileId)).GroupBy(o => o.ProfileId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        var payments = await app.WithDbAsync(db => db.Payments.Where(p => profiles.Contains(p.ProfileId)).GroupBy(p => p.ProfileId)
            .Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count));
        foreach (var profile in profiles) Assert.Equal((1, 1), (orders.GetValueOrDefault(profile), payments.GetValueOrDefault(profile)));
    }
}

public sealed class SubscriptionsOnSqlite() : SubscriptionTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SubscriptionsOnPostgres() : SubscriptionTests("postgres");
