using Centric.Server.Customers.Contracts;
using Centric.Server.Engagement.Segments;

namespace Centric.Server.Engagement.Journeys;

/// <summary>The journeys that come with the product, as drafts a marketer publishes (the demo publishes them all).</summary>
public static class ShippedJourneys
{
    public sealed record Shipped(string Key, string Name, string Description, JourneyDefinition Definition);

    private const string Marketing = ConsentPurposes.Marketing, Service = ConsentPurposes.Service;

    private static JourneyStep Wait(string id, int days = 0, int hours = 0) => new() { Id = id, Kind = "wait", Days = days == 0 ? null : days, Hours = hours == 0 ? null : hours };

    private static JourneyStep Email(string id, string purpose, string subject, string body, string? link = null) =>
        new() { Id = id, Kind = "send", Channel = "email", Purpose = purpose, Subject = subject, Body = body, Link = link };

    private static JourneyEvent On(string type, string? property = null, string? value = null) =>
        new() { Type = type, Where = property is null ? null : new Dictionary<string, string> { [property] = value! } };

    public static IReadOnlyList<Shipped> All { get; } =
    [
        new("welcome", "Welcome series", "Three emails over the first week after someone opens an account.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "account_registered" }, Reentry = "never",
            Steps =
            [
                Email("hello", Service, "Welcome to the shop", "Thank you for joining us. Your account keeps your orders, returns and messages in one place.", "/account"),
                Wait("two-days", days: 2),
                Email("best-sellers", Marketing, "What our customers love", "A look at this month's best sellers, picked for you.", "/"),
                Wait("five-days", days: 5),
                Email("help", Marketing, "Anything we can help with?", "Our help centre answers most questions in a minute, and we are a message away.", "/help"),
            ],
        }),
        new("abandoned_cart", "Abandoned cart", "A reminder an hour after something is put in the cart and not bought, another after a day; a tenth is held out to measure the effect.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "cart_item_added" }, Goal = On("order_placed"), ConversionDays = 7,
            Reentry = "after_days", ReentryDays = 3,
            Steps =
            [
                Wait("one-hour", hours: 1),
                new JourneyStep { Id = "split", Kind = "split", Arms = [new() { Name = "A", Percent = 45 }, new() { Name = "B", Percent = 45, Goto = "reminder-b" }, new() { Name = "holdout", Percent = 10, Holdout = true }] },
                Email("reminder-a", Marketing, "You left something in your cart", "Your cart is waiting for you.", "/cart") with { Next = "one-day" },
                Email("reminder-b", Marketing, "Still thinking it over?", "Your cart is saved, and delivery is on us over the free-shipping line.", "/cart"),
                Wait("one-day", hours: 23),
                Email("last-call", Marketing, "Your cart is still here", "The items in your cart are still available, for now.", "/cart"),
            ],
        }),
        new("browse_abandonment", "Browse abandonment", "A nudge four hours after someone looks at a product and does not add anything to the cart.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "product_viewed" }, Goal = On("cart_item_added"), Reentry = "after_days", ReentryDays = 7,
            Steps =
            [
                new JourneyStep { Id = "look", Kind = "wait_for", Event = On("cart_item_added"), Hours = 4, Timeout = "nudge" },
                new JourneyStep { Id = "done", Kind = "exit" },
                Email("nudge", Marketing, "Saw something you liked?", "The product you looked at is still here, with others like it.", "/"),
            ],
        }),
        new("review_request", "Review request", "Asks for a review three days after an order is delivered.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "order_status_changed", Where = new Dictionary<string, string> { ["to"] = "delivered" } },
            Goal = On("review_submitted"), Reentry = "after_exit",
            Steps = [Wait("three-days", days: 3), Email("ask", Marketing, "How was your order?", "Tell other customers what you think: a review takes a minute.", "/account/orders")],
        }),
        new("nps_first_delivery", "NPS after the first delivery", "Asks how likely the customer is to recommend us, 14 days after their first delivery.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "order_status_changed", Where = new Dictionary<string, string> { ["to"] = "delivered" }, First = true },
            Reentry = "never",
            Steps = [Wait("two-weeks", days: 14), new JourneyStep { Id = "ask", Kind = "survey", SurveyKind = "nps" }],
        }),
        new("renewal_reminder", "Subscription renewal reminder", "Tells subscribers their renewal is coming up.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "subscription_renewal_due" }, Reentry = "after_exit",
            Steps = [Email("remind", Service, "Your subscription renews soon", "Your next delivery is on its way soon. You can skip, pause or change it from your account.", "/account/subscriptions")],
        }),
        new("dunning", "Failed-payment dunning", "After a renewal payment fails: an email at once, an SMS two days later if the card was not changed.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "subscription_renewal_failed" }, Goal = On("subscription_card_changed"), Reentry = "after_exit",
            Steps =
            [
                Email("email", Service, "Your payment did not go through", "Please update your card so your subscription carries on.", "/account/subscriptions"),
                Wait("two-days", days: 2),
                new JourneyStep { Id = "sms", Kind = "send", Channel = "sms", Purpose = Service, Body = "Your subscription payment failed. Update your card in your account to keep it going." },
            ],
        }),
        new("win_back", "Win-back", "Reaches out 90 days after a customer's last order, and again two weeks later.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "inactivity", Type = "order_placed", Days = 90 }, Goal = On("order_placed"), ConversionDays = 30, Reentry = "after_exit",
            Steps =
            [
                Email("miss-you", Marketing, "We miss you", "It has been a while. Here is what is new since your last visit.", "/"),
                Wait("two-weeks", days: 14),
                Email("offer", Marketing, "Come back for something new", "New arrivals are in, and we would love to see you again.", "/"),
            ],
        }),
        new("birthday", "Birthday", "Wishes a happy birthday on the date in the customer's \"birthday\" trait.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "date", Trait = "birthday", Annual = true }, Reentry = "after_exit",
            Steps = [Email("wish", Marketing, "Happy birthday!", "Everyone here wishes you a happy birthday.", "/")],
        }),
        new("churn_risk_task", "High-value customer at churn risk", "When a customer in the top two value deciles crosses the churn-risk line, an agent gets a task to call.", new JourneyDefinition
        {
            Trigger = new JourneyTrigger { On = "interaction", Type = "churn_risk_changed", Where = new Dictionary<string, string> { ["high"] = "true" } }, Reentry = "after_days", ReentryDays = 30,
            Steps =
            [
                new JourneyStep
                {
                    Id = "valuable", Kind = "condition", Else = "done",
                    If = new SegmentRule("all", [new SegmentCondition { Kind = "insight", Field = "decile", Op = "lte", Value = System.Text.Json.JsonSerializer.SerializeToElement(2) }]),
                },
                new JourneyStep { Id = "call", Kind = "task", Role = "agent", Title = "Call a high-value customer at risk of leaving" },
                new JourneyStep { Id = "tag", Kind = "tag", Tag = "at-risk" },
                new JourneyStep { Id = "done", Kind = "exit" },
            ],
        }),
    ];
}
