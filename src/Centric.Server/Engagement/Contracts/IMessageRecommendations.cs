using Centric.Server.Commerce.Contracts;

namespace Centric.Server.Engagement.Contracts;

/// <summary>
/// The products to recommend to a customer in a message (the <c>recommendations</c> placeholder of a template). Engagement asks;
/// Personalisation, above it, answers with the active recommendations model. Without an answer, templates get an empty list.
/// </summary>
public interface IMessageRecommendations
{
    Task<IReadOnlyList<ShopItem>> ForCustomerAsync(Guid profileId, int limit, CancellationToken ct);
}
