using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Shipments;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Commerce.Orders;

public sealed record OrderTracking(OrderStatus Status, Shipment? Shipment, IReadOnlyList<ShipmentEvent> Events);

/// <summary>Order lookups scoped to their owner, and the moves of the state machine with their side effects.</summary>
public sealed class OrderService(CentricDbContext db, InventoryService inventory, Promotions.PromotionCheckout promotions, Loyalty.LoyaltyLedger loyalty,
    InteractionLog interactions, TimeProvider clock)
{
    /// <summary>A customer's own order; someone else's number is simply not found.</summary>
    public Task<Order?> FindOwnAsync(string number, Guid profileId, CancellationToken ct) =>
        db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Number == number && o.ProfileId == profileId, ct);

    public Task<Order?> FindOwnAsync(Guid orderId, Guid profileId, CancellationToken ct) =>
        db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == orderId && o.ProfileId == profileId, ct);

    /// <summary>A guest's order, opened with the secret key from their confirmation link.</summary>
    public async Task<Order?> FindByKeyAsync(string number, string key, CancellationToken ct)
    {
        var order = await db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Number == number, ct);
        return order is not null && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.ASCII.GetBytes(order.AccessKey), System.Text.Encoding.ASCII.GetBytes(key)) ? order : null;
    }

    /// <summary>The order if this viewer may see it: its signed-in owner, or anyone holding the confirmation link's key.</summary>
    public async Task<Order?> FindForViewerAsync(string number, string? key, Guid? signedInProfile, CancellationToken ct)
    {
        if (signedInProfile is { } p && await FindOwnAsync(number, p, ct) is { } own) return own;
        return string.IsNullOrEmpty(key) ? null : await FindByKeyAsync(number, key, ct);
    }

    /// <summary>Where the order is: its status and its latest shipment with the carrier's scans, newest first.</summary>
    public async Task<OrderTracking> TrackingAsync(Guid orderId, CancellationToken ct)
    {
        var status = await db.Orders.Where(o => o.Id == orderId).Select(o => o.Status).FirstAsync(ct);
        var shipment = await db.Set<Shipment>().AsNoTracking().Where(s => s.OrderId == orderId).OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(ct);
        var events = shipment is null ? [] : await db.Set<ShipmentEvent>().AsNoTracking().Where(e => e.ShipmentId == shipment.Id)
            .OrderByDescending(e => e.OccurredAt).ToListAsync(ct);
        return new OrderTracking(status, shipment, events);
    }

    public Task<List<Order>> ListOwnAsync(Guid profileId, CancellationToken ct) =>
        db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => o.ProfileId == profileId).OrderByDescending(o => o.PlacedAt).Take(100).ToListAsync(ct);

    public async Task MoveAsync(Order order, OrderStatus to, string by, CancellationToken ct)
    {
        var from = order.Status;
        var now = clock.GetUtcNow().UtcDateTime;
        var strategy = db.Database.CreateExecutionStrategy();
        await strategy.ExecuteAsync(async () =>
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            order.MoveTo(to, now);
            if (to == OrderStatus.Cancelled)
            {
                await inventory.ReleaseAsync(order.Id, ct);
                await promotions.ReleaseAsync(order.Id, ct);
                // The points it spent come back and the points it earned (if it was paid) go.
                await loyalty.ReverseOrderAsync(order, "cancelled", ct);
            }
            interactions.Append(db, order.ProfileId, InteractionTypes.OrderStatusChanged, "web",
                new OrderStatusChangedProperties(order.Id, order.Number, from.ToString(), to.ToString(), by),
                sourceKind: "order", sourceId: order.Number);
            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
        });
    }

    /// <summary>Staff's list: newest first, optionally by status or number.</summary>
    public Task<List<Order>> ListAsync(OrderStatus? status, string? number, int take, CancellationToken ct)
    {
        var query = db.Orders.AsNoTracking().Include(o => o.Lines).AsQueryable();
        if (status is { } s) query = query.Where(o => o.Status == s);
        if (!string.IsNullOrWhiteSpace(number))
        {
            var normal = number.Trim().ToUpperInvariant();
            query = query.Where(o => o.Number == normal);
        }
        return query.OrderByDescending(o => o.PlacedAt).Take(take).ToListAsync(ct);
    }

    public Task<Order?> FindAsync(string number, CancellationToken ct) =>
        db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Number == number, ct);

    /// <summary>The customer cancels before shipping.</summary>
    public async Task CancelByCustomerAsync(Order order, CancellationToken ct)
    {
        if (!order.CanCancel) throw new DomainException("order-not-cancellable", "This order has shipped and can no longer be cancelled; you can return it once it arrives.");
        await MoveAsync(order, OrderStatus.Cancelled, "customer", ct);
    }

    /// <summary>Placed orders not paid within the hold are cancelled and their stock released. Returns how many.</summary>
    public async Task<int> ExpireUnpaidAsync(CancellationToken ct)
    {
        var cutoff = clock.GetUtcNow().UtcDateTime - InventoryService.Hold;
        var stale = await db.Orders.Include(o => o.Lines).Where(o => o.Status == OrderStatus.Placed && o.PlacedAt < cutoff).Take(50).ToListAsync(ct);
        foreach (var order in stale)
        {
            try { await MoveAsync(order, OrderStatus.Cancelled, "timeout", ct); }
            catch (DbUpdateConcurrencyException) { db.ChangeTracker.Clear(); }
        }
        return stale.Count;
    }
}

/// <summary>Releases stock held by orders whose payment never came.</summary>
internal sealed class UnpaidOrderExpiry(IServiceScopeFactory scopes, TimeProvider clock, Microsoft.Extensions.Options.IOptions<Checkout.CommerceOptions> options, ILogger<UnpaidOrderExpiry> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.BackgroundJobs) return;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<OrderService>().ExpireUnpaidAsync(stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { return; }
            catch (Exception e) { Platform.Log.WorkerFailed(logger, e, nameof(UnpaidOrderExpiry)); }
            try { await Task.Delay(TimeSpan.FromSeconds(30), clock, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }
}
