using Centric.Analytics.Recommendations;
using Centric.Server.Insights.Contracts;
using Centric.Server.Platform.Data;

namespace Centric.Server.Insights.Models;

/// <summary>
/// <see cref="IActiveRecommender"/> over <see cref="ActiveModels"/>: the answer is kept for <see cref="Recheck"/> so a busy
/// product page asks the registry at most that often which version is active.
/// </summary>
internal sealed class ActiveRecommenderSource(ActiveModels models, IServiceScopeFactory scopes, TimeProvider clock) : IActiveRecommender
{
    public static readonly TimeSpan Recheck = TimeSpan.FromSeconds(5);
    private sealed record Kept(ActiveRecommender Model, DateTimeOffset CheckedAt);
    private volatile Kept? _kept;

    public async Task<ActiveRecommender?> GetAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        // Only a model is kept: while none is active every call looks, so the first promotion shows at once.
        if (_kept is { } kept && now - kept.CheckedAt < Recheck) return kept.Model;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
        var active = await models.GetAsync(db, ModelKind.Recommendations, RecommendationModel.Load, ct);
        if (active is not { } a)
        {
            _kept = null;
            return null;
        }
        var answer = new ActiveRecommender(a.Model, a.Version);
        _kept = new Kept(answer, now);
        return answer;
    }
}
