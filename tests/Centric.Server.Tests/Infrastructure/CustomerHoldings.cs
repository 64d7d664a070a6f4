using Centric.Server.Customers.Contracts;
using Centric.Server.Commerce.Carts;
using Centric.Server.Commerce.Catalog;
using Centric.Server.Commerce.Checkout;
using Centric.Server.Commerce.Inventory;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Payments;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Commerce.Wallet;
using Centric.Server.Customers.Consent;
using Centric.Server.Customers.Notifications;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Infrastructure;

/// <summary>
/// One of everything a customer can own, made the way the product makes them: checkout, payment, delivery, a return
/// request, a subscription, a notice, a support request, a saved card, a line left in the cart, and the product on the wish list. <see cref="Secret"/>
/// is written into several of them, so an answer holding it leaked them.
/// </summary>
public sealed record CustomerHoldings(string Order, string OrderKey, Guid OrderLine, string Return, Guid Payment, string Ticket, Guid Notice, Guid Subscription,
    Guid Card, Guid CartLine, string ProductSlug, Guid Variant, string Secret)
{
    public static async Task<CustomerHoldings> CreateAsync(CentricAppFactory app, Guid profile, string email)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var s = scope.ServiceProvider;
        var db = s.GetRequiredService<CentricDbContext>();
        var suffix = Guid.NewGuid().ToString("N")[..10];
        var secret = "Rua Secreta " + suffix;
        var category = new Category { Slug = "o-" + suffix, Name = "Ownership" };
        var product = new Product { Slug = "own-" + suffix, Name = "Mug " + suffix, CategoryId = category.Id, PriceFromMinor = 1250, SearchText = "mug " + suffix };
        var variant = new ProductVariant { ProductId = product.Id, Sku = "OWN-" + suffix, Currency = "EUR", PriceMinor = 1250, SubscriptionIntervalDays = 30, SubscriptionPriceMinor = 1100 };
        var other = new ProductVariant { ProductId = product.Id, Sku = "OWN-" + suffix + "-L", Options = "Large", Currency = "EUR", PriceMinor = 1250 };
        var location = new StockLocation { Code = suffix[..8], Name = "WH " + suffix };
        db.AddRange(category, product, variant, other, location, new StockLevel { VariantId = variant.Id, LocationId = location.Id, OnHand = 10 },
            new StockLevel { VariantId = other.Id, LocationId = location.Id, OnHand = 10 });
        await db.SaveChangesAsync();

        var address = new Address("Ana Silva", secret, null, "Porto", "4000-001", "PT");
        var token = Guid.NewGuid().ToString("N");
        var carts = s.GetRequiredService<CartService>();
        var cart = await carts.GetOrCreateAsync(profile, token, default);
        await carts.AddAsync(cart, variant.Id, 2, profile, default);
        var order = await s.GetRequiredService<CheckoutService>().PlaceAsync(
            new PlaceOrder(cart.Id, email, "standard", address, null, null, CheckoutService.NewIdempotencyKey()), profile, token, default);
        var paid = await s.GetRequiredService<PaymentService>().PayAsync(order, "4242424242424242", Json.NewId(), default);
        var orders = s.GetRequiredService<OrderService>();
        foreach (var step in new[] { OrderStatus.Picking, OrderStatus.Packed, OrderStatus.Shipped, OrderStatus.Delivered }) await orders.MoveAsync(order, step, "staff", default);
        var request = await s.GetRequiredService<ReturnService>().RequestAsync(order, [new(order.Lines.Single().Id, 1)], "too_small", secret, ReturnResolution.Refund, null, default);

        var subscription = await s.GetRequiredService<SubscriptionService>().SubscribeAsync(profile, email, variant.Id, 1, "4242424242424242", address, default);
        var card = await s.GetRequiredService<WalletService>().AddCardAsync(profile, "5555555555554444", default);
        Assert.True(await s.GetRequiredService<INotifications>().NotifyAsync(profile, "test", "Notice " + suffix, secret, "/orders", ConsentPurposes.Service, default));
        db.WishListItems.Add(new Centric.Server.Personalisation.WishListItem { ProfileId = profile, ProductId = product.Id, AddedAt = DateTime.UtcNow });
        var ticket = await s.GetRequiredService<TicketService>().OpenAsync(profile, "Where is " + suffix,
            new NewMessage(MessageDirection.Inbound, SupportChannels.Web, "Ana", secret), order.Number, default);
        await db.SaveChangesAsync();
        await carts.AddAsync(cart, other.Id, 3, profile, default);
        var notice = await db.Set<Notification>().Where(n => n.ProfileId == profile).Select(n => n.Id).FirstAsync();
        return new CustomerHoldings(order.Number, order.AccessKey, order.Lines.Single().Id, request.Number, paid.Payment.Id, ticket.Number, notice, subscription.Id,
            card.Id, cart.Lines.Single(l => l.VariantId == other.Id).Id, product.Slug, variant.Id, secret);
    }
}
