using Centric.Analytics.Recommendations;

namespace Centric.Server.Insights.Contracts;

/// <summary>The recommendations model staff made active, with its version number (shown and clicked lists record it).</summary>
public sealed record ActiveRecommender(RecommendationModel Model, int Version);

/// <summary>
/// The active recommendations model of the model registry, for the modules that show recommendations. The model is loaded
/// once per version and kept; which version is active is asked again every few seconds, so a promotion or rollback on any
/// node shows within that time without a database query on every page.
/// </summary>
public interface IActiveRecommender
{
    /// <summary>The active model, or null while no recommendations model has been trained and promoted.</summary>
    Task<ActiveRecommender?> GetAsync(CancellationToken ct);
}
