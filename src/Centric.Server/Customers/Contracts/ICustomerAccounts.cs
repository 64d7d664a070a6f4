using System.Text.Json.Nodes;
using Centric.Server.Platform.Identity;

namespace Centric.Server.Customers.Contracts;

/// <summary>Portal accounts and the customer profiles behind them, for the account pages.</summary>
public interface ICustomerAccounts
{
    /// <summary>
    /// After registration: the account joins the profile that already holds this email (history from events), or a new one.
    /// Nothing is shown to the account until the email is confirmed, so this reveals nothing.
    /// </summary>
    Task LinkNewAccountAsync(CentricUser user, CancellationToken ct);

    /// <summary>A confirmed email becomes a verified identity of the account's profile (merging another profile that held it).</summary>
    Task EmailConfirmedAsync(CentricUser user, CancellationToken ct);

    /// <summary>Everything held about the customer, for their own download (the same export staff and integrators get).</summary>
    Task<JsonObject?> ExportAsync(Guid profileId, CancellationToken ct);

    /// <summary>The customer deleted their account: the profile is erased (personal data and accounts go, aggregates stay, audited).</summary>
    Task EraseAsync(Guid profileId, CancellationToken ct);
}
