using Centric.Server.Platform.Data;
using Centric.Server.Support.Knowledge;
using Centric.Server.Support.Routing;
using Centric.Server.Support.Tickets;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Support;

/// <summary>The demo business's help centre and support team; its tickets come from the demo history.</summary>
public sealed class SupportDemo(CentricDbContext db, KnowledgeBase knowledge, SupportSetup setup)
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

    /// <summary>Help-centre articles and the support team's setup: business hours, queues, routing rules, SLA policies per priority, agents.</summary>
    public async Task<bool> SeedIfEmptyAsync(CancellationToken ct)
    {
        if (await db.Articles.AnyAsync(ct)) return false;
        foreach (var article in Articles) await knowledge.SaveAsync(null, article, ct);

        await setup.SaveCalendarAsync("Europe/Lisbon", "mon 08:00-20:00; tue 08:00-20:00; wed 08:00-20:00; thu 08:00-20:00; fri 08:00-20:00; sat 10:00-16:00", null, ct);
        var general = await setup.SaveQueueAsync(new QueueInput("general", "General questions", AssignmentStrategy.LeastLoaded, true), ct);
        var orders = await setup.SaveQueueAsync(new QueueInput("orders", "Orders, deliveries and returns", AssignmentStrategy.RoundRobin, false), ct);
        var priority = await setup.SaveQueueAsync(new QueueInput("priority", "Gold customers", AssignmentStrategy.LeastLoaded, false), ct);
        await setup.SaveRuleAsync(null, new RuleInput("Gold customers first", 1, true, null, null, null, "gold", null, priority.Id, null), ct);
        await setup.SaveRuleAsync(null, new RuleInput("Orders and deliveries", 2, true, null, null,
            "order,parcel,delivery,delivered,tracking,return,refund,damaged,broken,arrived", null, null, orders.Id, null), ct);
        await setup.SaveRuleAsync(null, new RuleInput("Subscriptions and billing", 3, true, null, null, "subscription,invoice,charged,payment,card", null, null, general.Id, "billing"), ct);
        // Working minutes (the calendar above); warnings half an hour before.
        await setup.SavePolicyAsync(null, new SlaPolicyInput("Urgent", TicketPriority.Urgent, null, 30, 60, 240, 15, false, false, true, "supervisor@centric.demo"), ct);
        await setup.SavePolicyAsync(null, new SlaPolicyInput("High", TicketPriority.High, null, 60, 120, 480, 30, false, true, true, null), ct);
        await setup.SavePolicyAsync(null, new SlaPolicyInput("Normal", TicketPriority.Normal, null, 240, 480, 1440, 30, false, true, false, null), ct);
        await setup.SavePolicyAsync(null, new SlaPolicyInput("Low", TicketPriority.Low, null, 480, 960, 2880, 60, true, false, false, null), ct);
        await setup.SavePolicyAsync(null, new SlaPolicyInput("Gold customers", TicketPriority.Normal, "gold", 60, 240, 720, 30, false, true, true, null), ct);

        var staff = await db.Users.AsNoTracking().Where(u => u.IsStaff).ToDictionaryAsync(u => u.Email!, u => (u.Id, u.DisplayName), ct);
        foreach (var (email, queues, skills, capacity) in Agents)
            if (staff.TryGetValue(email, out var user))
                await setup.SaveAgentAsync(new AgentInput(user.Id, user.DisplayName ?? email, queues, skills, capacity), ct);
        return true;
    }

    private static readonly (string Email, string Queues, string Skills, int Capacity)[] Agents =
    [
        ("agent@centric.demo", "general orders", "returns", 12),
        ("marta.reis@centric.demo", "general orders priority", "billing returns", 10),
        ("tom.becker@centric.demo", "orders priority", "billing", 10),
        ("admin@centric.demo", "priority general", "billing returns", 6),
    ];
}
