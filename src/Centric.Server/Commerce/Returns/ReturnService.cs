using System.Security.Cryptography;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Returns;

public sealed class ReturnOptions
{
    /// <summary>Days after delivery within which a return may be requested.</summary>
    public int WindowDays { get; set; } = 30;
}

public sealed record ReturnItem(Guid OrderLineId, int Quantity);

/// <summary>Returns and exchanges: request (customer), approve or reject, receive, then refund or send the replacement (staff).</summary>
public sealed class ReturnService(CentricDbContext db, PaymentService payments, InventoryService inventory, InteractionLog interactions,
    Loyalty.LoyaltyLedger loyalty, IOptions<ReturnOptions> options, TimeProvider clock)
{
    public async Task<ReturnRequest> RequestAsync(Order order, IReadOnlyList<ReturnItem> items, string reason, string? comment,
        ReturnResolution resolution, Guid? exchangeVariantId, CancellationToken ct, string channel = "web")
    {
        var now = clock.GetUtcNow().UtcDateTime;
        if (order.Status != OrderStatus.Delivered || order.DeliveredAt is null)
            throw new DomainException("return-not-delivered", "Items can be returned once the order has been delivered.", 422);
        if (now > order.DeliveredAt.Value.AddDays(options.Value.WindowDays))
            throw new DomainException("return-window-closed", $"Returns are accepted within {options.Value.WindowDays} days of delivery.", 422);
        if (!ReturnReasons.All.Contains(reason)) throw RequestValidationException.For("reason", "Choose a reason.");
        var chosen = items.Where(i => i.Quantity > 0).ToList();
        if (chosen.Count == 0) throw RequestValidationException.For("items", "Choose at least one item to return.");

        // Quantities already on other open or finished returns cannot be returned twice.
        var already = await db.Set<ReturnLine>()
            .Where(l => db.Set<ReturnRequest>().Any(r => r.Id == l.ReturnRequestId && r.OrderId == order.Id && r.Status != ReturnStatus.Rejected))
            .GroupBy(l => l.OrderLineId).Select(g => new { g.Key, Quantity = g.Sum(l => l.Quantity) }).ToDictionaryAsync(x => x.Key, x => x.Quantity, ct);
        long refund = 0;
        foreach (var item in chosen)
        {
            var line = order.Lines.FirstOrDefault(l => l.Id == item.OrderLineId) ?? throw RequestValidationException.For("items", "That item is not in this order.");
            if (item.Quantity > line.Quantity - already.GetValueOrDefault(line.Id))
                throw RequestValidationException.For("items", $"You can return at most {line.Quantity - already.GetValueOrDefault(line.Id)} of {line.Name}.");
            refund += line.UnitPriceMinor * item.Quantity;
        }
        if (resolution == ReturnResolution.Exchange)
        {
            if (chosen.Count != 1 || chosen[0].Quantity != 1) throw RequestValidationException.For("items", "Exchange one item at a time.");
            var line = order.Lines.First(l => l.Id == chosen[0].OrderLineId);
            if (exchangeVariantId is null || !await db.Variants.AnyAsync(v => v.Id == exchangeVariantId && v.ProductId == line.ProductId && v.Id != line.VariantId, ct))
                throw RequestValidationException.For("exchangeVariantId", "Choose another option of the same product.");
        }
        // Goods are refunded with the VAT charged on them; delivery is not refunded.
        var share = order.SubtotalMinor == 0 ? 0 : (decimal)refund / order.SubtotalMinor;
        var discount = (long)Math.Round(order.DiscountMinor * share, MidpointRounding.AwayFromZero);
        var net = refund - discount;
        var withTax = net + (long)Math.Round(order.TaxMinor * (order.SubtotalMinor - order.DiscountMinor + order.ShippingMinor == 0 ? 0 :
            (decimal)net / (order.SubtotalMinor - order.DiscountMinor + order.ShippingMinor)), MidpointRounding.AwayFromZero);

        var request = new ReturnRequest
        {
            Number = "RT-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)), OrderId = order.Id, ProfileId = order.ProfileId,
            Status = ReturnStatus.Requested, Resolution = resolution, Reason = reason, Comment = comment?.Trim()[..Math.Min(comment.Trim().Length, 1000)],
            ExchangeVariantId = resolution == ReturnResolution.Exchange ? exchangeVariantId : null,
            RefundMinor = resolution == ReturnResolution.Refund ? Math.Min(withTax, order.TotalMinor - order.RefundedMinor) : 0, CreatedAt = now, UpdatedAt = now,
        };
        request.Lines.AddRange(chosen.Select(i => new ReturnLine { ReturnRequestId = request.Id, OrderLineId = i.OrderLineId, Quantity = i.Quantity }));
        db.Add(request);
        interactions.Append(db, order.ProfileId, InteractionTypes.ReturnRequested, channel,
            new ReturnRequestedProperties(request.Id, request.Number, order.Id, order.Number, reason, resolution.ToString(),
                [.. chosen.Select(i => new ReturnedItem(order.Lines.First(l => l.Id == i.OrderLineId).Sku, i.Quantity))], request.RefundMinor / 100m, order.Currency),
            sourceKind: "return", sourceId: request.Number);
        await db.SaveChangesAsync(ct);
        return request;
    }

    /// <summary>Whether the customer may still ask to return items of this order (delivered, within the window).</summary>
    public bool CanReturn(Order order) =>
        order is { Status: OrderStatus.Delivered, DeliveredAt: { } delivered } && clock.GetUtcNow().UtcDateTime <= delivered.AddDays(options.Value.WindowDays);

    /// <summary>What the return label's code says (shown as a QR code and read at the drop-off point).</summary>
    public static string LabelCode(string returnNumber) => "CENTRIC-RETURN:" + returnNumber;

    /// <summary>The customer's own returns, newest first, each with its order.</summary>
    public async Task<List<(ReturnRequest Request, Order Order)>> ListOwnAsync(Guid profileId, CancellationToken ct)
    {
        var requests = await db.Set<ReturnRequest>().AsNoTracking().Include(r => r.Lines).Where(r => r.ProfileId == profileId)
            .OrderByDescending(r => r.CreatedAt).Take(100).ToListAsync(ct);
        var orderIds = requests.Select(r => r.OrderId).Distinct().ToList();
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => orderIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        return [.. requests.Select(r => (r, orders[r.OrderId]))];
    }

    /// <summary>The options of the order's products the customer did not buy: what an exchange may be for.</summary>
    public async Task<List<(Guid VariantId, Guid ProductId, string Label)>> ExchangeOptionsAsync(Order order, CancellationToken ct)
    {
        var productIds = order.Lines.Select(l => l.ProductId).ToList();
        var bought = order.Lines.Select(l => l.VariantId).ToList();
        return [.. (await db.Variants.AsNoTracking().Where(v => productIds.Contains(v.ProductId) && !bought.Contains(v.Id)).ToListAsync(ct))
            .Select(v => (v.Id, v.ProductId, $"{v.Sku} {v.Options}".Trim()))];
    }

    public Task<ReturnRequest?> FindOwnAsync(string number, Guid profileId, CancellationToken ct) =>
        db.Set<ReturnRequest>().Include(r => r.Lines).FirstOrDefaultAsync(r => r.Number == number && r.ProfileId == profileId, ct);

    public Task<ReturnRequest?> FindAsync(string number, CancellationToken ct) =>
        db.Set<ReturnRequest>().Include(r => r.Lines).FirstOrDefaultAsync(r => r.Number == number, ct);

    public Task<List<ReturnRequest>> QueueAsync(ReturnStatus? status, CancellationToken ct)
    {
        var query = db.Set<ReturnRequest>().AsNoTracking().Include(r => r.Lines).AsQueryable();
        if (status is { } s) query = query.Where(r => r.Status == s);
        return query.OrderBy(r => r.Status).ThenByDescending(r => r.CreatedAt).Take(200).ToListAsync(ct);
    }

    public Task ApproveAsync(ReturnRequest r, CancellationToken ct) => MoveAsync(r, ReturnStatus.Requested, ReturnStatus.Approved, ct);

    public Task RejectAsync(ReturnRequest r, CancellationToken ct) => MoveAsync(r, ReturnStatus.Requested, ReturnStatus.Rejected, ct);

    /// <summary>The parcel arrived: goods go back on the shelf, then the refund or the replacement goes out.</summary>
    public async Task ReceiveAsync(ReturnRequest r, CancellationToken ct)
    {
        await MoveAsync(r, ReturnStatus.Approved, ReturnStatus.Received, ct);
        var order = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == r.OrderId, ct);
        var location = await db.StockReservations.Where(x => x.OrderId == order.Id).Select(x => (Guid?)x.LocationId).FirstOrDefaultAsync(ct);
        await inventory.RestockAsync([.. r.Lines.Select(line => (order.Lines.First(l => l.Id == line.OrderLineId).VariantId, line.Quantity))], location, ct);
        if (r.Resolution == ReturnResolution.Refund)
        {
            await payments.RefundPartAsync(order, r.RefundMinor, "return:" + r.Number, ct);
            // The returned goods' share of the points the order earned goes, and of the points it spent comes back.
            await loyalty.ReturnAsync(order, r.Id, r.Number,
                r.Lines.Sum(line => order.Lines.First(l => l.Id == line.OrderLineId).UnitPriceMinor * line.Quantity), ct);
            await MoveAsync(r, ReturnStatus.Received, ReturnStatus.Refunded, ct);
        }
        else
        {
            await ExchangeAsync(r, order, ct);
            await MoveAsync(r, ReturnStatus.Received, ReturnStatus.Exchanged, ct);
        }
    }

    /// <summary>The replacement ships as a paid, zero-total order linked to the return.</summary>
    private async Task ExchangeAsync(ReturnRequest r, Order original, CancellationToken ct)
    {
        var variant = await db.Variants.FirstAsync(v => v.Id == r.ExchangeVariantId, ct);
        var product = await db.Products.FirstAsync(p => p.Id == variant.ProductId, ct);
        var category = await db.Categories.Where(c => c.Id == product.CategoryId).Select(c => c.Slug).FirstAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var replacement = new Order
        {
            Number = "CX-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(4)), ProfileId = original.ProfileId, Email = original.Email, Status = OrderStatus.Placed,
            Currency = original.Currency, ShippingMethod = original.ShippingMethod, PickupLocationId = original.PickupLocationId,
            ShipName = original.ShipName, ShipLine1 = original.ShipLine1, ShipLine2 = original.ShipLine2, ShipCity = original.ShipCity,
            ShipPostalCode = original.ShipPostalCode, ShipCountry = original.ShipCountry, IdempotencyKey = "exchange:" + r.Id.ToString("N"),
            PlacedAt = now, UpdatedAt = now, EstimatedDeliveryFrom = now.Date.AddDays(2), EstimatedDeliveryTo = now.Date.AddDays(5),
        };
        replacement.Lines.Add(new OrderLine
        {
            OrderId = replacement.Id, VariantId = variant.Id, ProductId = product.Id, Sku = variant.Sku, Name = product.Name + " " + variant.Options,
            Category = category, UnitPriceMinor = 0, Quantity = 1, LineTotalMinor = 0,
        });
        db.Orders.Add(replacement);
        await inventory.ReserveAsync(replacement, null, ct);
        await db.SaveChangesAsync(ct);
        await inventory.CommitAsync(replacement.Id, ct);
        replacement.MoveTo(OrderStatus.Paid, now);
        interactions.Append(db, original.ProfileId, InteractionTypes.ExchangeShipped, "web",
            new ExchangeShippedProperties(r.Number, original.Number, replacement.Number, variant.Sku), sourceKind: "order", sourceId: replacement.Number);
        await db.SaveChangesAsync(ct);
    }

    private async Task MoveAsync(ReturnRequest r, ReturnStatus from, ReturnStatus to, CancellationToken ct)
    {
        if (r.Status != from) throw new DomainException("return-invalid-transition", $"A return that is {r.Status} cannot become {to}.");
        r.Status = to;
        r.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        interactions.Append(db, r.ProfileId, InteractionTypes.ReturnStatusChanged, "web", new ReturnStatusChangedProperties(r.Id, r.Number, from.ToString(), to.ToString()),
            sourceKind: "return", sourceId: r.Number);
        await db.SaveChangesAsync(ct);
    }
}
