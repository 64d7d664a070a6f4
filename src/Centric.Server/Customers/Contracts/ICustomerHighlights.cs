namespace Centric.Server.Customers.Contracts;

/// <summary>
/// One thing that matters now about a customer, in a line an agent reads at a glance: "Lifetime spend · €1,234.50 ·
/// 12 paid orders", "Open tickets · 1 · “Late delivery”". Tone is a badge tone (neutral, info, success, warning, danger).
/// </summary>
public sealed record CustomerHighlight(string Key, string Label, string Value, string? Detail = null, string? Href = null, string Tone = "neutral");

/// <summary>
/// Customers asks, the modules above answer (Commerce: spend, open orders, subscriptions; Support: open tickets,
/// satisfaction): the figures at the top of the customer 360 and on the agent's customer card.
/// </summary>
public interface ICustomerHighlights
{
    /// <summary>Where this module's figures go among the others' (lower first).</summary>
    int Order { get; }

    Task<IReadOnlyList<CustomerHighlight>> ForAsync(Guid profileId, CancellationToken ct);
}
