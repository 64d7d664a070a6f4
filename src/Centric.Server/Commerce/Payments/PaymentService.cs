using System.Text.Encodings.Web;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Payments;

public sealed record PaymentOutcome(Payment Payment, Order Order)
{
    public bool Paid => Payment.Status == PaymentStatus.Succeeded;
    public bool NeedsChallenge => Payment.Status == PaymentStatus.RequiresAction;
}

/// <summary>Pays placed orders through the gateway. One payment row per idempotency key: a double submit never charges twice.</summary>
public sealed class PaymentService(CentricDbContext db, [FromKeyedServices(SandboxGateway.Name)] IPaymentGateway gateway, InventoryService inventory,
    InteractionLog interactions, MailOutbox mail, IConsent consent, CommerceTelemetry telemetry, Loyalty.LoyaltyLedger loyalty, TimeProvider clock)
{
    /// <summary>
    /// What the payment sent with this form's idempotency key came to, when it has an outcome; null for a key never used or
    /// still pending. A form sent again after its payment went through (its answer lost) gets the same answer.
    /// </summary>
    public async Task<PaymentOutcome?> EarlierOutcomeAsync(Order order, string? idempotencyKey, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100) return null;
        var key = order.Id.ToString("N") + ":" + idempotencyKey;
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.IdempotencyKey == key && p.Status != PaymentStatus.Pending, ct);
        return payment is null ? null : new PaymentOutcome(payment, order);
    }

    public async Task<PaymentOutcome> PayAsync(Order order, string cardNumber, string idempotencyKey, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(idempotencyKey) || idempotencyKey.Length > 100)
            throw RequestValidationException.For("idempotencyKey", "Reload the page and try again.");
        // A saved card arrives as its gateway token (the caller has checked it belongs to this customer).
        var isToken = cardNumber?.StartsWith("tok_", StringComparison.Ordinal) == true;
        var digits = isToken ? cardNumber! : new string((cardNumber ?? "").Where(char.IsDigit).ToArray());
        if (!isToken && (digits.Length is < 12 or > 19 || !SandboxGateway.Luhn(digits)))
            throw RequestValidationException.For("cardNumber", "That card number is not valid.");
        var key = order.Id.ToString("N") + ":" + idempotencyKey;
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.IdempotencyKey == key, ct);
        // Pending means the attempt was recorded but its outcome never was (the server stopped in between, or the first
        // submit is still at the gateway): ask the gateway again under the same key, which answers with its first answer.
        if (payment is not null && payment.Status != PaymentStatus.Pending) return new PaymentOutcome(payment, order);
        if (order.Status != OrderStatus.Placed) throw new DomainException("order-not-payable", $"This order is {order.Status} and cannot be paid.");

        if (payment is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            payment = new Payment
            {
                OrderId = order.Id, ProfileId = order.ProfileId, AmountMinor = order.TotalMinor, Currency = order.Currency,
                Status = PaymentStatus.Pending, Gateway = SandboxGateway.Name, IdempotencyKey = key, CreatedAt = now, UpdatedAt = now,
            };
            db.Payments.Add(payment);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // A concurrent double submit created it first: carry on with that payment.
                db.ChangeTracker.Clear();
                payment = await db.Payments.FirstAsync(p => p.IdempotencyKey == key, ct);
                order = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == order.Id, ct);
                if (payment.Status != PaymentStatus.Pending) return new PaymentOutcome(payment, order);
            }
        }
        var result = await gateway.ChargeAsync(new ChargeRequest(payment.Id, payment.AmountMinor, payment.Currency, digits, key), ct);
        return await ApplyAsync(payment, order, result, ct);
    }

    /// <summary>One of the customer's own payments with its order; someone else's payment id is simply not found.</summary>
    public async Task<PaymentOutcome?> FindOwnAsync(Guid paymentId, Guid profileId, CancellationToken ct)
    {
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.Id == paymentId && p.ProfileId == profileId, ct);
        if (payment is null) return null;
        var order = await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == payment.OrderId && o.ProfileId == profileId, ct);
        return order is null ? null : new PaymentOutcome(payment, order);
    }

    public async Task<PaymentOutcome> CompleteChallengeAsync(Payment payment, Order order, bool approved, CancellationToken ct)
    {
        if (payment.Status != PaymentStatus.RequiresAction) return new PaymentOutcome(payment, order);
        var result = await gateway.CompleteChallengeAsync(payment.GatewayReference!, approved, ct);
        return await ApplyAsync(payment, order, result, ct);
    }

    /// <summary>Gives part of an order's payment back (a return); the order keeps its status, the refunded total grows.</summary>
    public async Task RefundPartAsync(Order order, long amountMinor, string reason, CancellationToken ct)
    {
        if (amountMinor <= 0) return;
        if (amountMinor > order.TotalMinor - order.RefundedMinor) throw new DomainException("refund-too-large", "That is more than is left to refund.");
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.OrderId == order.Id && p.Status == PaymentStatus.Succeeded, ct)
            ?? throw new DomainException("order-not-paid", "This order has no payment to refund.");
        var result = await gateway.RefundAsync(payment.GatewayReference!, amountMinor, reason + ":" + payment.Id.ToString("N"), ct);
        if (result.Outcome != GatewayOutcome.Succeeded) throw new DomainException("refund-failed", "The gateway refused the refund.");
        order.RefundedMinor += amountMinor;
        order.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        interactions.Append(db, order.ProfileId, InteractionTypes.RefundIssued, "web",
            new RefundIssuedProperties(order.Id, order.Number, amountMinor / 100m, order.Currency, reason),
            sourceKind: "order", sourceId: order.Number);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>Refunds the order's successful payment in full (idempotent: a second call finds it refunded).</summary>
    public async Task RefundAsync(Order order, string reason, CancellationToken ct)
    {
        var payment = await db.Payments.FirstOrDefaultAsync(p => p.OrderId == order.Id && (p.Status == PaymentStatus.Succeeded || p.Status == PaymentStatus.Refunded), ct)
            ?? throw new DomainException("order-not-paid", "This order has no payment to refund.");
        if (payment.Status == PaymentStatus.Refunded) return;
        var result = await gateway.RefundAsync(payment.GatewayReference!, payment.AmountMinor, "refund:" + payment.Id.ToString("N"), ct);
        if (result.Outcome != GatewayOutcome.Succeeded) throw new DomainException("refund-failed", "The gateway refused the refund.");
        var now = clock.GetUtcNow().UtcDateTime;
        payment.Status = PaymentStatus.Refunded;
        payment.UpdatedAt = now;
        order.RefundedMinor = order.TotalMinor;
        var from = order.Status;
        order.MoveTo(OrderStatus.Refunded, now);
        await loyalty.ReverseOrderAsync(order, "refunded", ct);
        interactions.Append(db, order.ProfileId, InteractionTypes.RefundIssued, "web",
            new RefundIssuedProperties(order.Id, order.Number, payment.AmountMinor / 100m, payment.Currency, reason, from.ToString()),
            sourceKind: "order", sourceId: order.Number);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>
    /// Records the gateway's answer, with the order's move to Paid, the stock leaving the shelf and the receipt, in one
    /// transaction. Only the request that moves the payment on from the status it found applies it: a concurrent resend
    /// of the same payment finds it moved and answers with what the other one recorded.
    /// </summary>
    private async Task<PaymentOutcome> ApplyAsync(Payment payment, Order order, GatewayResult result, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var found = payment.Status;
        var receipt = result.Outcome == GatewayOutcome.Succeeded && await consent.MayContactAsync(order.ProfileId, "email", ConsentPurposes.Service, ct);
        payment.GatewayReference = result.Reference;
        payment.CardBrand = result.CardBrand;
        payment.CardLast4 = result.CardLast4;
        payment.CardFingerprint = result.CardFingerprint;
        payment.UpdatedAt = now;
        var strategy = db.Database.CreateExecutionStrategy();
        var applied = await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            // Takes the payment's row lock (PostgreSQL) or the write lock (SQLite): a concurrent apply waits here, then finds the status moved.
            var claimed = await db.Payments.Where(p => p.Id == payment.Id && p.Status == found)
                .ExecuteUpdateAsync(s => s.SetProperty(p => p.UpdatedAt, now), ct);
            if (claimed == 0)
            {
                await tx.RollbackAsync(ct);
                return false;
            }
            switch (result.Outcome)
            {
                case GatewayOutcome.Succeeded:
                    payment.Status = PaymentStatus.Succeeded;
                    var from = order.Status;
                    order.MoveTo(OrderStatus.Paid, now);
                    await inventory.CommitAsync(order.Id, ct);
                    // Points for the paid order, in the payment's own transaction (once: the earning is keyed by the order).
                    await loyalty.EarnForOrderAsync(order, "web", ct);
                    interactions.Append(db, order.ProfileId, InteractionTypes.OrderStatusChanged, "web",
                        new OrderStatusChangedProperties(order.Id, order.Number, from.ToString(), order.Status.ToString(), Total: order.TotalMinor / 100m, Currency: order.Currency),
                        sourceKind: "order", sourceId: order.Number);
                    break;
                case GatewayOutcome.Declined:
                    payment.Status = PaymentStatus.Failed;
                    payment.FailureCode = result.DeclineCode;
                    interactions.Append(db, order.ProfileId, InteractionTypes.PaymentFailed, "web",
                        new PaymentFailedProperties(order.Id, order.Number, result.DeclineCode, order.TotalMinor / 100m, order.Currency),
                        sourceKind: "order", sourceId: order.Number);
                    break;
                default:
                    payment.Status = PaymentStatus.RequiresAction;
                    break;
            }
            // In the same transaction: a receipt for every paid order, and never one for an order that is not paid.
            if (receipt) AddReceipt(order, payment);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return true;
        });
        if (applied)
        {
            if (payment.Status == PaymentStatus.Succeeded) telemetry.PaymentSucceeded(order.Number, payment.Id);
            else if (payment.Status == PaymentStatus.Failed) telemetry.PaymentDeclined(order.Number, payment.Id, payment.FailureCode);
            return new PaymentOutcome(payment, order);
        }
        db.ChangeTracker.Clear();
        return new PaymentOutcome(await db.Payments.FirstAsync(p => p.Id == payment.Id, ct), await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == order.Id, ct));
    }

    private void AddReceipt(Order order, Payment payment)
    {
        var e = HtmlEncoder.Default;
        var lines = string.Concat(order.Lines.Select(l =>
            $"<tr><td>{e.Encode(l.Name)}</td><td>{l.Quantity}</td><td>{e.Encode(new Money(l.LineTotalMinor, order.Currency).ToString())}</td></tr>"));
        var html = $"""
            <p>Thank you for your order <b>{e.Encode(order.Number)}</b>. We have received your payment.</p>
            <table>{lines}</table>
            <p>Subtotal {e.Encode(new Money(order.SubtotalMinor, order.Currency).ToString())} · discount {e.Encode(new Money(order.DiscountMinor, order.Currency).ToString())}
            · delivery {e.Encode(new Money(order.ShippingMinor, order.Currency).ToString())} · VAT {e.Encode(new Money(order.TaxMinor, order.Currency).ToString())}</p>
            <p><b>Total paid {e.Encode(order.Total.ToString())}</b> with {e.Encode(payment.CardBrand ?? "card")} ending {e.Encode(payment.CardLast4 ?? "")}.</p>
            <p>Expected {order.EstimatedDeliveryFrom:d MMM} – {order.EstimatedDeliveryTo:d MMM}. <a href="/orders/{e.Encode(order.Number)}?key={order.AccessKey}">Track your order</a>.</p>
            """;
        mail.Add(db, order.Email, $"Your order {order.Number}", html);
    }
}
