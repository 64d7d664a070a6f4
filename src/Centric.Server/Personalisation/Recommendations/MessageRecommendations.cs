using Centric.Server.Commerce.Contracts;
using Centric.Server.Engagement.Contracts;

namespace Centric.Server.Personalisation.Recommendations;

/// <summary>Engagement's templates ask for a customer's recommendations: the model's, like the API's (no A/B arm, not recorded as shown).</summary>
internal sealed class MessageRecommendations(Recommender recommender) : IMessageRecommendations
{
    public async Task<IReadOnlyList<ShopItem>> ForCustomerAsync(Guid profileId, int limit, CancellationToken ct) =>
        [.. (await recommender.ForShopperAsync(Placement.Api, profileId, limit, ct)).Items.Select(r => r.Item)];
}
