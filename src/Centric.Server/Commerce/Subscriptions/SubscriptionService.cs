using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Subscriptions;

/// <summary>Subscribing, the customer's controls (pause, skip, resume, cancel, change card) and renewals with dunning.</summary>
public sealed class SubscriptionService(CentricDbContext db, [FromKeyedServices(SandboxGateway.Name)] IPaymentGateway gateway, InventoryService inventory,
    InteractionLog interactions, MailOutbox mail, IConsent consent, INotifications notifications, Loyalty.LoyaltyLedger loyalty,
    IOptions<CommerceOptions> options, TimeProvider clock)
{
    /// <summary>After a failed renewal: retry after 1, 3 and 7 days, then the subscription is cancelled.</summary>
    public static readonly TimeSpan[] RetrySchedule = [TimeSpan.FromDays(1), TimeSpan.FromDays(3), TimeSpan.FromDays(7)];
    public static readonly TimeSpan ReminderAhead = TimeSpan.FromDays(3);

    public async Task<Subscription> SubscribeAsync(Guid profileId, string email, Guid variantId, int quantity, string cardNumber,
        Address shipTo, CancellationToken ct)
    {
        if (quantity is < 1 or > 20) throw RequestValidationException.For("quantity", "Between 1 and 20.");
        var variant = await db.Variants.FirstOrDefaultAsync(v => v.Id == variantId, ct);
        if (variant?.SubscriptionIntervalDays is not { } interval || variant.SubscriptionPriceMinor is not { } price)
            throw new DomainException("not-subscribable", "This product is not sold as a subscription.", 422);
        var card = await gateway.TokenizeAsync(cardNumber, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var subscription = new Subscription
        {
            ProfileId = profileId, Email = email, VariantId = variantId, Quantity = quantity, IntervalDays = interval, PriceMinor = price,
            Currency = variant.Currency, Status = SubscriptionStatus.Active, NextRenewalAt = now, PaymentToken = card.Token,
            CardBrand = card.Brand, CardLast4 = card.Last4, ShipName = shipTo.Name, ShipLine1 = shipTo.Line1, ShipCity = shipTo.City,
            ShipPostalCode = shipTo.PostalCode, ShipCountry = shipTo.Country, CreatedAt = now, UpdatedAt = now,
            // Due at once, and charged by this request below: claimed from the start, so that no renewal sweep (of any
            // node) takes the same first delivery meanwhile.
            ClaimToken = Guid.NewGuid(), ClaimedUntil = now.AddMinutes(5),
        };
        db.Add(subscription);
        interactions.Append(db, profileId, InteractionTypes.SubscriptionStarted, "web",
            new SubscriptionStartedProperties(subscription.Id, variant.Sku, interval, price / 100m, variant.Currency),
            sourceKind: "subscription", sourceId: subscription.Id.ToString());
        await db.SaveChangesAsync(ct);
        await RenewAsync(subscription, ct);   // the first delivery is charged and sent now
        return subscription;
    }

    public Task<List<Subscription>> ListOwnAsync(Guid profileId, CancellationToken ct) =>
        db.Set<Subscription>().Where(s => s.ProfileId == profileId).OrderByDescending(s => s.CreatedAt).ToListAsync(ct);

    /// <summary>The names of the products these variants belong to, by variant id.</summary>
    public Task<Dictionary<Guid, string>> ProductNamesAsync(IEnumerable<Guid> variantIds, CancellationToken ct)
    {
        var ids = variantIds.Distinct().ToList();
        return (from v in db.Variants join p in db.Products on v.ProductId equals p.Id where ids.Contains(v.Id) select new { v.Id, p.Name })
            .ToDictionaryAsync(x => x.Id, x => x.Name, ct);
    }

    public Task<Subscription?> FindOwnAsync(Guid id, Guid profileId, CancellationToken ct) =>
        db.Set<Subscription>().FirstOrDefaultAsync(s => s.Id == id && s.ProfileId == profileId, ct);

    public async Task PauseAsync(Subscription s, CancellationToken ct) => await ChangeAsync(s, InteractionTypes.SubscriptionPaused, () =>
    {
        if (s.Status != SubscriptionStatus.Active) throw new DomainException("subscription-not-active", "Only an active subscription can be paused.");
        s.Status = SubscriptionStatus.Paused;
    }, ct);

    public async Task ResumeAsync(Subscription s, CancellationToken ct) => await ChangeAsync(s, InteractionTypes.SubscriptionResumed, () =>
    {
        if (s.Status != SubscriptionStatus.Paused) throw new DomainException("subscription-not-paused", "Only a paused subscription can be resumed.");
        s.Status = SubscriptionStatus.Active;
        var now = clock.GetUtcNow().UtcDateTime;
        if (s.NextRenewalAt < now) s.NextRenewalAt = now;
    }, ct);

    public async Task SkipAsync(Subscription s, CancellationToken ct) => await ChangeAsync(s, InteractionTypes.SubscriptionSkipped, () =>
    {
        if (s.Status is not (SubscriptionStatus.Active or SubscriptionStatus.Paused)) throw new DomainException("subscription-not-active", "Nothing to skip.");
        s.NextRenewalAt = s.NextRenewalAt.AddDays(s.IntervalDays);
    }, ct);

    public async Task CancelAsync(Subscription s, CancellationToken ct) => await ChangeAsync(s, InteractionTypes.SubscriptionCancelled, () =>
    {
        if (s.Status == SubscriptionStatus.Cancelled) throw new DomainException("subscription-cancelled", "Already cancelled.");
        s.Status = SubscriptionStatus.Cancelled;
    }, ct);

    /// <summary>A new card; a subscription waiting on a failed payment is retried at once.</summary>
    public async Task ChangeCardAsync(Subscription s, string cardNumber, CancellationToken ct)
    {
        var card = await gateway.TokenizeAsync(cardNumber, ct);
        await ChangeAsync(s, InteractionTypes.SubscriptionCardChanged, () =>
        {
            (s.PaymentToken, s.CardBrand, s.CardLast4) = (card.Token, card.Brand, card.Last4);
            if (s.Status == SubscriptionStatus.PastDue) s.RetryAt = clock.GetUtcNow().UtcDateTime;
        }, ct);
    }

    private async Task ChangeAsync(Subscription s, InteractionType<SubscriptionChangedProperties> what, Action change, CancellationToken ct)
    {
        change();
        s.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        interactions.Append(db, s.ProfileId, what, "web", new SubscriptionChangedProperties(s.Id, s.Status.ToString(), s.NextRenewalAt),
            sourceKind: "subscription", sourceId: s.Id.ToString());
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// One pass of the scheduler: reminders for renewals coming up, then due renewals and retries. Each subscription
    /// is claimed with a conditional update first, so two nodes never renew the same one. Returns renewals attempted.
    /// </summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var upcoming = await db.Set<Subscription>().AsNoTracking().Where(s => s.Status == SubscriptionStatus.Active && s.NextRenewalAt <= now + ReminderAhead
                && s.NextRenewalAt > now && (s.RemindedFor == null || s.RemindedFor != s.NextRenewalAt)).Select(s => s.Id).Take(100).ToListAsync(ct);
        foreach (var id in upcoming) await RemindAsync(id, now, ct);

        var due = await db.Set<Subscription>().AsNoTracking()
            .Where(s => (s.Status == SubscriptionStatus.Active && s.NextRenewalAt <= now) || (s.Status == SubscriptionStatus.PastDue && s.RetryAt <= now))
            .Where(s => s.ClaimedUntil == null || s.ClaimedUntil < now).Select(s => s.Id).Take(50).ToListAsync(ct);
        var attempted = 0;
        foreach (var id in due)
        {
            var token = Guid.NewGuid();
            // Still due as well as unclaimed: a node that read the list before another finished this renewal (and let
            // go of its claim) finds the renewal moved on and leaves it.
            var claimed = await db.Set<Subscription>().Where(s => s.Id == id && (s.ClaimedUntil == null || s.ClaimedUntil < now)
                    && ((s.Status == SubscriptionStatus.Active && s.NextRenewalAt <= now) || (s.Status == SubscriptionStatus.PastDue && s.RetryAt <= now)))
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.ClaimToken, token).SetProperty(s => s.ClaimedUntil, now.AddMinutes(5)), ct);
            if (claimed != 1) continue;
            var subscription = await db.Set<Subscription>().FirstAsync(s => s.Id == id, ct);
            await db.Entry(subscription).ReloadAsync(ct);   // the claim was written behind the tracker's back
            await RenewAsync(subscription, ct);
            attempted++;
        }
        return attempted;
    }

    /// <summary>
    /// One reminder per renewal date. Marking the date reminded is the claim, made with a conditional update in the
    /// reminder's own transaction: of two nodes reading the same list, the second updates nothing and sends nothing.
    /// </summary>
    private async Task RemindAsync(Guid id, DateTime now, CancellationToken ct)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var s = await db.Set<Subscription>().AsNoTracking().FirstAsync(x => x.Id == id, ct);
            var claimed = await db.Set<Subscription>().Where(x => x.Id == id && x.Status == SubscriptionStatus.Active && x.NextRenewalAt == s.NextRenewalAt
                    && x.NextRenewalAt > now && (x.RemindedFor == null || x.RemindedFor != x.NextRenewalAt))
                .ExecuteUpdateAsync(u => u.SetProperty(x => x.RemindedFor, x => x.NextRenewalAt), ct);
            if (claimed != 1)
            {
                await tx.RollbackAsync(ct);
                return;
            }
            interactions.Append(db, s.ProfileId, InteractionTypes.SubscriptionRenewalDue, "web",
                new SubscriptionRenewalDueProperties(s.Id, s.NextRenewalAt, s.PriceMinor * s.Quantity / 100m, s.Currency),
                sourceKind: "subscription", sourceId: s.Id.ToString());
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
    }

    /// <summary>Places and charges one delivery. Success moves the next renewal on; failure starts or continues dunning.</summary>
    private async Task RenewAsync(Subscription s, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var variant = await db.Variants.FirstAsync(v => v.Id == s.VariantId, ct);
        var product = await db.Products.FirstAsync(p => p.Id == variant.ProductId, ct);
        var category = await db.Categories.Where(c => c.Id == product.CategoryId).Select(c => c.Slug).FirstAsync(ct);
        var subtotal = new Money(s.PriceMinor * s.Quantity, s.Currency);
        var tax = subtotal.Percent(options.Value.TaxRate);
        var key = $"renewal:{s.Id:N}:{s.NextRenewalAt:yyyyMMdd}:{s.FailedAttempts}";
        // A run that stopped after placing this renewal must not place it twice: finish the order it left.
        var left = await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.IdempotencyKey == key, ct);
        if (left is { Status: not OrderStatus.Placed })
        {
            if (left.Status == OrderStatus.Paid) s.NextRenewalAt = s.NextRenewalAt.AddDays(s.IntervalDays);
            s.ClaimToken = null;
            s.ClaimedUntil = null;
            await db.SaveChangesAsync(ct);
            return;
        }
        // Still placed: it stopped between placing the order and recording the charge, so the card may have been charged.
        // The same order is charged again under the same key: the gateway answers with its first answer (or charges now
        // if the first request never reached it), never a second charge.
        var order = left ?? new Order
        {
            Number = "CS-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)), ProfileId = s.ProfileId, Email = s.Email, Status = OrderStatus.Placed,
            Currency = s.Currency, SubtotalMinor = subtotal.Minor, TaxMinor = tax.Minor, TotalMinor = subtotal.Minor + tax.Minor, ShippingMethod = "standard",
            ShipName = s.ShipName, ShipLine1 = s.ShipLine1, ShipCity = s.ShipCity, ShipPostalCode = s.ShipPostalCode, ShipCountry = s.ShipCountry,
            IdempotencyKey = key, PlacedAt = now, UpdatedAt = now,
            EstimatedDeliveryFrom = now.Date.AddDays(3), EstimatedDeliveryTo = now.Date.AddDays(5),
        };
        string? failure = null;
        try
        {
            if (left is null)
            {
                order.Lines.Add(new OrderLine
                {
                    OrderId = order.Id, VariantId = variant.Id, ProductId = product.Id, Sku = variant.Sku, Name = product.Name, Category = category,
                    UnitPriceMinor = s.PriceMinor, Quantity = s.Quantity, LineTotalMinor = subtotal.Minor,
                });
                db.Orders.Add(order);
                await inventory.ReserveAsync(order, null, ct);
                await db.SaveChangesAsync(ct);
            }
            var payment = new Payment
            {
                OrderId = order.Id, ProfileId = s.ProfileId, AmountMinor = order.TotalMinor, Currency = s.Currency, Status = PaymentStatus.Pending,
                Gateway = SandboxGateway.Name, IdempotencyKey = order.IdempotencyKey, CreatedAt = now, UpdatedAt = now, CardBrand = s.CardBrand, CardLast4 = s.CardLast4,
            };
            db.Payments.Add(payment);
            var result = await gateway.ChargeAsync(new ChargeRequest(payment.Id, payment.AmountMinor, payment.Currency, s.PaymentToken, order.IdempotencyKey), ct);
            payment.GatewayReference = result.Reference;
            if (result.Outcome == GatewayOutcome.Succeeded)
            {
                payment.Status = PaymentStatus.Succeeded;
                order.MoveTo(OrderStatus.Paid, now);
                await inventory.CommitAsync(order.Id, ct);
                await loyalty.EarnForOrderAsync(order, "web", ct);
            }
            else
            {
                payment.Status = PaymentStatus.Failed;
                payment.FailureCode = result.DeclineCode ?? "requires_action";
                failure = payment.FailureCode;
            }
        }
        catch (DomainException e) when (e.Code == "out-of-stock")
        {
            failure = "out_of_stock";
        }

        if (failure is null)
        {
            s.FailedAttempts = 0;
            s.RetryAt = null;
            s.Status = SubscriptionStatus.Active;
            s.NextRenewalAt = s.NextRenewalAt.AddDays(s.IntervalDays);
            if (s.NextRenewalAt <= now) s.NextRenewalAt = now.AddDays(s.IntervalDays);
            interactions.Append(db, s.ProfileId, InteractionTypes.SubscriptionRenewed, "web",
                new SubscriptionRenewedProperties(s.Id, order.Id, order.Number, order.TotalMinor / 100m, s.Currency, s.NextRenewalAt),
                sourceKind: "order", sourceId: order.Number);
        }
        else
        {
            if (order.Status == OrderStatus.Placed) order.MoveTo(OrderStatus.Cancelled, now);
            await db.SaveChangesAsync(ct);
            await inventory.ReleaseAsync(order.Id, ct);
            s.FailedAttempts++;
            var giveUp = s.FailedAttempts > RetrySchedule.Length;
            s.Status = giveUp ? SubscriptionStatus.Cancelled : SubscriptionStatus.PastDue;
            s.RetryAt = giveUp ? null : now + RetrySchedule[s.FailedAttempts - 1];
            interactions.Append(db, s.ProfileId, InteractionTypes.SubscriptionRenewalFailed, "web",
                new SubscriptionRenewalFailedProperties(s.Id, failure, s.FailedAttempts, s.RetryAt, giveUp, order.TotalMinor / 100m, s.Currency),
                sourceKind: "subscription", sourceId: s.Id.ToString());
            var text = giveUp
                ? "We could not take payment for your subscription after several tries, so it has been cancelled."
                : $"We could not take payment for your subscription. We will try again on {s.RetryAt:d MMM}. You can update your card in your account.";
            await notifications.NotifyAsync(s.ProfileId, "subscription_renewal_failed", giveUp ? "Your subscription was cancelled" : "Payment for your subscription failed",
                text, "/account/subscriptions", ConsentPurposes.Service, ct);
            if (await consent.MayContactAsync(s.ProfileId, "email", ConsentPurposes.Service, ct))
            {
                await mail.SendAsync(s.Email, giveUp ? "Your subscription was cancelled" : "Payment for your subscription failed",
                    $"<p>{HtmlEncoder.Default.Encode(text)}</p><p><a href=\"/account/subscriptions\">Manage your subscription</a></p>", ct);
            }
        }
        s.ClaimToken = null;
        s.ClaimedUntil = null;
        s.UpdatedAt = now;
        await db.SaveChangesAsync(ct);
    }
}

/// <summary>Runs renewals, retries and reminders every minute.</summary>
internal sealed class SubscriptionRenewals(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Checkout.CommerceOptions> options, ILogger<SubscriptionRenewals> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<SubscriptionService>().RunDueAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(SubscriptionRenewals)); }
            try { await Task.Delay(options.Value.RenewalInterval, clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
