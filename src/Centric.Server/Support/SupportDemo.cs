using Centric.Server.Customers.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support;

/// <summary>Help-centre articles and a few conversations for the demo business.</summary>
public sealed class SupportDemo(CentricDbContext db, KnowledgeBase knowledge, TicketService tickets, ICustomerDirectory customers)
{
    private static readonly ArticleInput[] Articles =
    [
        new("How do I return an item?", "returns", "You can return items within **30 days of delivery**. Open the order in *Orders*, choose **Return or exchange items**, pick the items and a reason, and print the label (or show its QR code at a drop-off point). We refund to your original payment once the parcel arrives.", "Orders", true),
        new("When will my order arrive?", "delivery-times", "Standard delivery takes **3–5 working days** (free over €50), express **1–2 days**. Click and collect orders are ready in about two hours. Your order page shows live tracking once the parcel ships.", "Delivery", true),
        new("Can I change my delivery address?", "change-address", "Until the order is packed you can cancel it and order again with the right address. After it ships, contact us and we will ask the carrier to redirect it.", "Delivery", true),
        new("I forgot my password", "reset-password", "Choose **Forgot your password?** on the sign-in page. We email you a link to choose a new one.", "Account", true),
        new("Setting up two-factor authentication", "two-factor", "In *Account → Two-factor authentication*, scan the QR code with an authenticator app and enter the six-digit code. Keep the ten recovery codes somewhere safe.", "Account", true),
        new("Pausing or skipping a subscription", "subscriptions", "In *Account → Subscriptions* you can pause, skip the next delivery, resume or cancel at any time. If a payment fails we try again after 1, 3 and 7 days; updating your card retries at once.", "Subscriptions", true),
    ];

    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Articles.AnyAsync(ct)) return false;
        foreach (var article in Articles) await knowledge.SaveAsync(null, article, ct);
        var ana = await customers.FindByIdentityAsync(IdentityKinds.Email, "ana.silva@example.com", ct);
        if (ana?.Id is not { } profile) return true;
        var late = await tickets.OpenAsync(profile, "Where is my parcel?",
            new NewMessage(MessageDirection.Inbound, "email", "Ana Silva", "Hi, my order was due yesterday and the tracking has not moved. Can you check? Thanks, Ana"), null, ct);
        await tickets.AddMessageAsync(late, new NewMessage(MessageDirection.Note, "email", "Demo Agent", "Carrier shows a delay at the Lisbon hub; promised an update tomorrow."), ct);
        await tickets.OpenAsync(profile, "Question about sizes",
            new NewMessage(MessageDirection.Inbound, "web", "Ana Silva", "Do the running shoes run small? I am usually a 39."), null, ct);
        return true;
    }
}
