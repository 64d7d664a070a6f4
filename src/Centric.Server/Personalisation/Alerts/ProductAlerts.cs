using Centric.Server.Commerce.Contracts;
using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Personalisation.Alerts;

/// <summary>
/// One of a customer's alerts as they see it. <c>kind</c> is "back_in_stock" or "price_drop"; <c>status</c> "waiting" or "sent"
/// (a back-in-stock alert that went out). <c>product</c> is null when the product is no longer for sale.
/// </summary>
public sealed record AlertView(Guid Id, string Kind, string Status, Guid ProductId, string? Product, string? Slug, string? Price, bool InStock,
    DateTime CreatedAt, DateTime? LastSentAt, int Sent);

/// <summary>
/// Price-drop and back-in-stock alerts: a customer asks about a product (its page, the wish list), and when Commerce tells that
/// the product is back or cheaper (<see cref="IProductNewsListener"/>) each customer waiting is sent one message through
/// Engagement's sender, inside the unit of work that made the change. Only ever read and changed for the customer's own profile.
/// </summary>
internal sealed class ProductAlerts(CentricDbContext db, ShopItems shop, IMessageSender sender, InteractionLog interactions, TimeProvider clock)
    : IProductNewsListener
{
    public const int MaxAlerts = 200;
    public const string BackInStock = "back_in_stock";
    public const string PriceDrop = "price_drop";

    /// <summary>
    /// The channels an alert may go on, in order: the first the customer allows for marketing and can be reached on. An alert is
    /// news about a product, so it is marketing on email and SMS; the customer asked for it in their own account, so when
    /// neither is allowed it goes to their notification centre as a service notice.
    /// </summary>
    private static readonly (string Channel, string Purpose)[] Routes =
        [("email", ConsentPurposes.Marketing), ("sms", ConsentPurposes.Marketing), (ConsentChannels.InApp, ConsentPurposes.Service)];

    public static string KindName(ProductAlertKind kind) => kind == ProductAlertKind.PriceDrop ? PriceDrop : BackInStock;

    public static ProductAlertKind? ParseKind(string? kind) => kind switch
    {
        BackInStock => ProductAlertKind.BackInStock,
        PriceDrop => ProductAlertKind.PriceDrop,
        _ => null,
    };

    /// <summary>The customer's alerts, newest first.</summary>
    public async Task<IReadOnlyList<AlertView>> ListAsync(Guid profileId, CancellationToken ct)
    {
        var rows = await db.ProductAlerts.AsNoTracking().Where(a => a.ProfileId == profileId).OrderByDescending(a => a.CreatedAt).ThenByDescending(a => a.Id)
            .ToListAsync(ct);
        var items = await shop.FindAsync([.. rows.Select(a => a.ProductId).Distinct()], ct);
        return [.. rows.Select(a => View(a, items.GetValueOrDefault(a.ProductId)))];
    }

    /// <summary>The customer's waiting alerts on these products (for a product page and the wish list), by product and kind.</summary>
    public async Task<IReadOnlyDictionary<(Guid ProductId, ProductAlertKind Kind), Guid>> WaitingAsync(Guid profileId, IReadOnlyCollection<Guid> productIds,
        CancellationToken ct) =>
        (await db.ProductAlerts.AsNoTracking().Where(a => a.ProfileId == profileId && a.Status == ProductAlertStatus.Waiting && productIds.Contains(a.ProductId))
            .Select(a => new { a.Id, a.ProductId, a.Kind }).ToListAsync(ct))
        .ToDictionary(a => (a.ProductId, a.Kind), a => a.Id);

    /// <summary>
    /// The customer asks for an alert on a product for sale. Asking again keeps one alert (a back-in-stock alert already sent
    /// waits again). Null when there is no such product for sale. A back-in-stock alert on a product in stock is refused (409).
    /// </summary>
    public async Task<AlertView?> AddAsync(Guid profileId, Guid productId, ProductAlertKind kind, CancellationToken ct)
    {
        if ((await shop.FindAsync([productId], ct)).GetValueOrDefault(productId) is not { } item) return null;
        if (kind == ProductAlertKind.BackInStock && item.InStock)
            throw new DomainException("alert-in-stock", $"{item.Name} is in stock now: add it to your cart.");
        var alert = await db.ProductAlerts.FirstOrDefaultAsync(a => a.ProfileId == profileId && a.ProductId == productId && a.Kind == kind, ct);
        if (alert is not null)
        {
            if (alert.Status == ProductAlertStatus.Waiting) return View(alert, item);
            alert.Status = ProductAlertStatus.Waiting;
        }
        else
        {
            if (await db.ProductAlerts.CountAsync(a => a.ProfileId == profileId, ct) >= MaxAlerts)
                throw new DomainException("alert-limit", $"You have {MaxAlerts} alerts already; remove some first.", StatusCodes.Status422UnprocessableEntity);
            alert = new ProductAlert { ProfileId = profileId, ProductId = productId, Kind = kind, CreatedAt = clock.GetUtcNow().UtcDateTime };
            db.ProductAlerts.Add(alert);
        }
        // A price-drop alert goes off below the price the customer saw when asking.
        alert.PriceMinor = kind == ProductAlertKind.PriceDrop ? item.PriceMinor : null;
        interactions.Append(db, profileId, InteractionTypes.AlertRequested, "web",
            new AlertRequestedProperties(alert.Id, productId, item.Name, KindName(kind), alert.PriceMinor, item.Currency), "alert", alert.Id.ToString());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Asked at the same moment from another tab: the unique index kept one alert, which is what was asked for.
            db.ChangeTracker.Clear();
            alert = await db.ProductAlerts.AsNoTracking().FirstAsync(a => a.ProfileId == profileId && a.ProductId == productId && a.Kind == kind, ct);
        }
        return View(alert, item);
    }

    /// <summary>Removes one of the customer's own alerts; false when they have no alert with that id.</summary>
    public async Task<bool> RemoveAsync(Guid profileId, Guid alertId, CancellationToken ct) =>
        await db.ProductAlerts.Where(a => a.Id == alertId && a.ProfileId == profileId).ExecuteDeleteAsync(ct) > 0;

    public async Task BackInStockAsync(ProductBackInStock news, CancellationToken ct)
    {
        var waiting = await db.ProductAlerts.AsNoTracking()
            .Where(a => a.ProductId == news.ProductId && a.Kind == ProductAlertKind.BackInStock && a.Status == ProductAlertStatus.Waiting).ToListAsync(ct);
        foreach (var alert in waiting)
            await SendAsync(alert, $"Back in stock: {news.Name}",
                $"{news.Name} is back in stock at {Price(news.PriceMinor, news.Currency)}. You asked us to tell you; it is on the shop now.",
                news.Slug, news.Name, news.PriceMinor, news.Currency, ProductAlertStatus.Sent, alert.PriceMinor, ct);
    }

    public async Task PriceDroppedAsync(ProductPriceDropped news, CancellationToken ct)
    {
        var waiting = await db.ProductAlerts.AsNoTracking()
            .Where(a => a.ProductId == news.ProductId && a.Kind == ProductAlertKind.PriceDrop && a.Status == ProductAlertStatus.Waiting
                        && (a.PriceMinor == null || a.PriceMinor > news.NewPriceMinor)).ToListAsync(ct);
        foreach (var alert in waiting)
            await SendAsync(alert, $"Price drop: {news.Name} is now {Price(news.NewPriceMinor, news.Currency)}",
                $"{news.Name} is now {Price(news.NewPriceMinor, news.Currency)} (it was {Price(alert.PriceMinor ?? news.OldPriceMinor, news.Currency)} when you asked to hear about it).",
                news.Slug, news.Name, news.NewPriceMinor, news.Currency, ProductAlertStatus.Waiting, news.NewPriceMinor, ct);
    }

    /// <summary>
    /// Claims the alert with a conditional update (its send count as it was read), so two changes at once — two restocks on
    /// two nodes — send it once: the second finds the count moved and sends nothing. Then sends on the first allowed channel;
    /// when none is, the claim is undone and the alert keeps waiting.
    /// </summary>
    private async Task SendAsync(ProductAlert alert, string subject, string body, string slug, string product, long priceMinor, string currency,
        ProductAlertStatus statusAfter, long? barAfter, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sentBefore = alert.SentCount;
        var claimed = await db.ProductAlerts.Where(a => a.Id == alert.Id && a.SentCount == sentBefore && a.Status == ProductAlertStatus.Waiting)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.SentCount, sentBefore + 1).SetProperty(a => a.Status, statusAfter)
                .SetProperty(a => a.PriceMinor, barAfter).SetProperty(a => a.LastSentAt, now), ct);
        if (claimed == 0) return;
        var link = "/shop/" + slug;
        foreach (var (channel, purpose) in Routes)
        {
            var outcome = await sender.SendAsync(new OutgoingMessage(alert.ProfileId, channel, purpose, $"alert:{alert.Id}:{sentBefore + 1}", "alert:" + KindName(alert.Kind),
                Subject: subject, Body: body, Link: link), ct);
            if (outcome is SendOutcome.AlreadySent) return;
            if (outcome is not SendOutcome.Sent) continue;
            interactions.Append(db, alert.ProfileId, InteractionTypes.AlertSent, channel,
                new AlertSentProperties(alert.Id, alert.ProductId, product, KindName(alert.Kind), channel, priceMinor, currency), "alert", alert.Id.ToString());
            return;
        }
        await db.ProductAlerts.Where(a => a.Id == alert.Id && a.SentCount == sentBefore + 1)
            .ExecuteUpdateAsync(u => u.SetProperty(a => a.SentCount, sentBefore).SetProperty(a => a.Status, ProductAlertStatus.Waiting)
                .SetProperty(a => a.PriceMinor, alert.PriceMinor).SetProperty(a => a.LastSentAt, alert.LastSentAt), ct);
    }

    private static string Price(long minor, string currency) => Platform.Http.MoneyText.Format(minor / 100m, currency);

    private static AlertView View(ProductAlert a, ShopItem? item) => new(a.Id, KindName(a.Kind), a.Status == ProductAlertStatus.Sent ? "sent" : "waiting",
        a.ProductId, item?.Name, item?.Slug, item?.Price, item?.InStock ?? false, a.CreatedAt, a.LastSentAt, a.SentCount);
}
