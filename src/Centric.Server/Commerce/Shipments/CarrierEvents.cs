using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Mail;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Commerce.Shipments;

public sealed class CarrierOptions
{
    /// <summary>Shared secret per carrier for webhook signatures. None is built in: a carrier without one is off.</summary>
    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    public TimeSpan SignatureTolerance { get; set; } = TimeSpan.FromMinutes(5);
}

public sealed record CarrierEvent(string TrackingNumber, string EventId, string Code, string? Description, string? Location, DateTimeOffset? OccurredAt);

/// <summary>Shipments and the carrier events that move them (and their order) along.</summary>
public sealed class CarrierEvents(CentricDbContext db, OrderService orders, InteractionLog interactions, MailOutbox mail, IConsent consent,
    INotifications notifications, IOptions<CarrierOptions> options, TimeProvider clock)
{
    public static readonly string[] Codes = ["in_transit", "out_for_delivery", "delivered", "exception"];

    /// <summary>Staff ship a packed order: a shipment with a tracking number, and the order becomes Shipped.</summary>
    public async Task<Shipment> ShipAsync(Order order, string carrier, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var shipment = new Shipment
        {
            OrderId = order.Id, ProfileId = order.ProfileId, Carrier = carrier, Status = ShipmentStatus.LabelCreated, CreatedAt = now, UpdatedAt = now,
            TrackingNumber = "SIM" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture),
        };
        db.Add(shipment);
        await orders.MoveAsync(order, OrderStatus.Shipped, "staff", ct);
        await NotifyAsync(order, "shipped", $"Your order {order.Number} is on its way (tracking {shipment.TrackingNumber}).", ct);
        return shipment;
    }

    /// <summary>Checks the <c>Carrier-Signature</c> header (the same recipe as outgoing webhooks) with the carrier's usable secret.</summary>
    public bool Verify(string secret, string? header, string body) =>
        header is not null && Platform.Signing.HmacSignature.Verify(secret, header, body, clock.GetUtcNow(), options.Value.SignatureTolerance);

    /// <summary>Applies a tracking event once; returns false for a duplicate.</summary>
    public async Task<bool> ApplyAsync(string carrier, CarrierEvent e, CancellationToken ct)
    {
        if (!Codes.Contains(e.Code)) throw RequestValidationException.For("code", $"One of {string.Join(", ", Codes)}.");
        if (string.IsNullOrWhiteSpace(e.EventId) || e.EventId.Length > 100) throw RequestValidationException.For("eventId", "Required, at most 100 characters.");
        var shipment = await db.Set<Shipment>().FirstOrDefaultAsync(s => s.Carrier == carrier && s.TrackingNumber == e.TrackingNumber, ct)
            ?? throw new DomainException("shipment-not-found", "No shipment has this tracking number.", 404);
        var externalId = carrier + ":" + e.EventId;
        if (await db.Set<ShipmentEvent>().AnyAsync(x => x.ExternalId == externalId, ct)) return false;
        var now = clock.GetUtcNow().UtcDateTime;
        db.Add(new ShipmentEvent
        {
            ShipmentId = shipment.Id, ExternalId = externalId, Code = e.Code, Description = (e.Description ?? e.Code.Replace('_', ' '))[..Math.Min((e.Description ?? e.Code).Length, 300)],
            Location = e.Location?[..Math.Min(e.Location.Length, 100)], OccurredAt = e.OccurredAt?.UtcDateTime ?? now, ReceivedAt = now,
        });
        shipment.Status = e.Code switch
        {
            "in_transit" => ShipmentStatus.InTransit,
            "out_for_delivery" => ShipmentStatus.OutForDelivery,
            "delivered" => ShipmentStatus.Delivered,
            _ => ShipmentStatus.Exception,
        };
        shipment.UpdatedAt = now;
        var order = await db.Orders.Include(o => o.Lines).FirstAsync(o => o.Id == shipment.OrderId, ct);
        interactions.Append(db, order.ProfileId, InteractionTypes.ShipmentEvent, "web",
            new ShipmentEventProperties(order.Id, order.Number, shipment.TrackingNumber, e.Code, e.Location),
            sourceKind: "order", sourceId: order.Number);
        await db.SaveChangesAsync(ct);

        var target = e.Code switch { "out_for_delivery" => OrderStatus.OutForDelivery, "delivered" => OrderStatus.Delivered, _ => (OrderStatus?)null };
        if (target is { } to && Order.CanMove(order.Status, to))
        {
            await orders.MoveAsync(order, to, "carrier", ct);
            await NotifyAsync(order, e.Code, to == OrderStatus.Delivered ? $"Your order {order.Number} was delivered." : $"Your order {order.Number} is out for delivery today.", ct);
        }
        return true;
    }

    /// <summary>
    /// Email and an in-app notice for the milestones customers care about, each only on the channels where the customer
    /// allows service messages. Both land on the timeline as <c>message_sent</c> (channel email or in_app).
    /// </summary>
    private async Task NotifyAsync(Order order, string milestone, string text, CancellationToken ct)
    {
        var link = $"/orders/{order.Number}";
        if (await consent.MayContactAsync(order.ProfileId, "email", ConsentPurposes.Service, ct))
        {
            await mail.SendAsync(order.Email, text, $"<p>{HtmlEncoder.Default.Encode(text)}</p><p><a href=\"{HtmlEncoder.Default.Encode(link)}?key={order.AccessKey}\">Track your order</a></p>", ct);
            interactions.Append(db, order.ProfileId, InteractionTypes.MessageSent, "email", new MessageSentProperties("order_" + milestone, "service", OrderNumber: order.Number),
                sourceKind: "order", sourceId: order.Number);
        }
        var title = milestone switch
        {
            "shipped" => $"Order {order.Number} has shipped",
            "out_for_delivery" => $"Order {order.Number} is out for delivery",
            _ => $"Order {order.Number} was delivered",
        };
        await notifications.NotifyAsync(order.ProfileId, "order_" + milestone, title, text, link, ConsentPurposes.Service, ct);
        await db.SaveChangesAsync(ct);
    }

    /// <summary>The built-in carrier simulator: the next plausible scan for a shipment, signed like a real carrier would.</summary>
    public async Task<bool> SimulateNextAsync(Shipment shipment, CancellationToken ct)
    {
        var next = shipment.Status switch
        {
            ShipmentStatus.LabelCreated => ("in_transit", "Parcel at the sorting centre", "Lisbon hub"),
            ShipmentStatus.InTransit => ("out_for_delivery", "With the driver for delivery today", "Local depot"),
            ShipmentStatus.OutForDelivery => ("delivered", "Delivered, signed at the door", "Front door"),
            _ => default,
        };
        if (next.Item1 is null) return false;
        return await ApplyAsync(shipment.Carrier, new CarrierEvent(shipment.TrackingNumber, Guid.NewGuid().ToString("N"), next.Item1, next.Item2, next.Item3, clock.GetUtcNow()), ct);
    }
}
