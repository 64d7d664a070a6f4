namespace Centric.Server.Customers.Contracts;

/// <summary>
/// One thing that matters now about a customer, in a line an agent reads at a glance: "Lifetime spend · €1,234.50 ·
/// 12 paid orders", "Open tickets · 1 · “Late delivery”". Tone is a badge tone (neutral, info, success, warning, danger).
/// <see cref="Count"/> is the figure behind it when it is a count (open orders, open tickets, late deliveries), for the
/// rules of the suggested next best action (<see cref="NextBestAction"/>); the keys those rules read are in <see cref="HighlightKeys"/>.
/// </summary>
public sealed record CustomerHighlight(string Key, string Label, string Value, string? Detail = null, string? Href = null, string Tone = "neutral",
    long? Count = null);

/// <summary>The highlight keys other code reads (the customer card's next best action); a module may add others, which are shown as they are.</summary>
public static class HighlightKeys
{
    public const string Spend = "spend";
    public const string OpenOrders = "open-orders";
    /// <summary>Orders delivered after their promised window in the last 90 days.</summary>
    public const string LateDeliveries = "late-deliveries";
    public const string Subscriptions = "subscriptions";
    public const string OpenTickets = "open-tickets";
    public const string Satisfaction = "satisfaction";
}

/// <summary>
/// Customers asks, the modules above answer (Commerce: spend, open orders, late deliveries, subscriptions; Support: open tickets,
/// satisfaction): the figures at the top of the customer 360 and on the customer card every staff screen shows. A module added
/// later (loyalty: tier and balance) answers it too and its figures appear on both without changing them.
/// </summary>
public interface ICustomerHighlights
{
    /// <summary>Where this module's figures go among the others' (lower first).</summary>
    int Order { get; }

    Task<IReadOnlyList<CustomerHighlight>> ForAsync(Guid profileId, CancellationToken ct);
}
