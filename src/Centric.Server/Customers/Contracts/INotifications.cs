namespace Centric.Server.Customers.Contracts;

/// <summary>What any module uses to put a notice in a customer's notification centre.</summary>
public interface INotifications
{
    /// <summary>
    /// Adds a notice (and its <c>message_sent</c> interaction on the <c>in_app</c> channel) to the caller's unit of work,
    /// if the customer allows in-app messages for this purpose; the caller's SaveChanges commits it. Returns whether it was added.
    /// <paramref name="consentChecked"/>: the caller has just checked that consent in this unit of work (Engagement's sender),
    /// so it is not read again.
    /// </summary>
    Task<bool> NotifyAsync(Guid profileId, string topic, string title, string body, string? link, string purpose, CancellationToken ct, bool consentChecked = false);

    /// <summary>Unread notices of the customer behind a portal account (the bell in the layout); 0 for an account without a profile.</summary>
    Task<int> UnreadForUserAsync(string userId, CancellationToken ct);
}
