using Centric.Server.Platform.Data;

namespace Centric.Server.Insights.Contracts;

/// <summary>The scores on one profile as other modules filter on them (Engagement's segments); see <c>CustomerInsights</c>.</summary>
public sealed class ScoreFact
{
    public Guid ProfileId { get; init; }
    public int? Decile { get; init; }
    public double? ChurnRisk { get; init; }
    public double? Clv12m { get; init; }
    public double? Sentiment { get; init; }
}

/// <summary>Profile scores as a composable query over the DbContext it is given; nothing is loaded until the caller runs it.</summary>
public sealed class ScoreFacts(CentricDbContext db)
{
    public IQueryable<ScoreFact> All =>
        db.ProfileInsights.Select(s => new ScoreFact
        {
            ProfileId = s.ProfileId, Decile = s.Decile, ChurnRisk = s.ChurnRisk, Clv12m = s.Clv12m, Sentiment = s.Sentiment,
        });
}
