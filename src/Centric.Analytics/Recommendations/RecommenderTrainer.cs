namespace Centric.Analytics.Recommendations;

/// <summary>Trains a <see cref="RecommendationModel"/> from implicit feedback.</summary>
public static class RecommenderTrainer
{
    /// <summary>Trains the model chosen by <paramref name="options"/> (see <see cref="RecommenderOptions"/> for the rule).</summary>
    /// <param name="interactions">Views, cart adds, purchases and ratings; repeated events for one customer and item add up.</param>
    /// <param name="options">Training settings; null for the defaults.</param>
    /// <param name="catalog">Optional catalog with categories and attributes, for new-item cold start. Catalog items
    /// without interactions are known to the model but only reachable through category and attribute matching.</param>
    /// <param name="userSegments">Optional segment of each customer (e.g. "young-urban"), for new-customer cold start:
    /// a new customer in a segment gets what is popular in that segment.</param>
    /// <exception cref="AnalyticsException">No interactions, an empty id, an unknown kind, bad options, or duplicate catalog ids.</exception>
    public static RecommendationModel Train(IReadOnlyList<Interaction> interactions, RecommenderOptions? options = null,
        IReadOnlyList<CatalogItem>? catalog = null, IReadOnlyDictionary<string, string>? userSegments = null)
    {
        options ??= new RecommenderOptions();
        options.Validate();
        var matrix = InteractionMatrix.Build(interactions, options);
        var kind = options.Model == RecommenderModelKind.Auto ? Choose(matrix, options) : options.Model;
        var popularity = matrix.ItemTotals();
        ItemScorer scorer = kind switch
        {
            RecommenderModelKind.Popularity => new PopularityScorer(popularity),
            RecommenderModelKind.Ease => EaseScorer.Train(matrix, options.EaseLambda, options.PopularityRidge, options.MaxThreads),
            RecommenderModelKind.ItemSimilarity => SimilarityScorer.Train(matrix, options),
            _ => throw new AnalyticsException($"unknown model kind {(int)options.Model}"),
        };
        return RecommendationModel.Create(matrix, scorer, popularity, catalog, Segments(matrix, userSegments, options.SegmentListLength));
    }

    /// <summary>The model <see cref="RecommenderModelKind.Auto"/> picks for a catalog of <paramref name="itemCount"/> items
    /// (items with interactions): popularity when no customer touched two items, EASE up to
    /// <see cref="RecommenderOptions.MaxDenseItems"/>, item similarity beyond.</summary>
    public static RecommenderModelKind Choose(int itemCount, bool someCustomerTouchedTwoItems, RecommenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (itemCount < 2 || !someCustomerTouchedTwoItems) return RecommenderModelKind.Popularity;
        return itemCount <= Math.Min(options.MaxDenseItems, EaseScorer.HardItemLimit)
            ? RecommenderModelKind.Ease
            : RecommenderModelKind.ItemSimilarity;
    }

    private static RecommenderModelKind Choose(InteractionMatrix m, RecommenderOptions options)
    {
        var twoItems = false;
        for (var u = 0; u < m.UserCount && !twoItems; u++) twoItems = m.RowStart[u + 1] - m.RowStart[u] >= 2;
        return Choose(m.ItemCount, twoItems, options);
    }

    private static Dictionary<string, (int[] Items, float[] Scores)> Segments(InteractionMatrix m,
        IReadOnlyDictionary<string, string>? userSegments, int length)
    {
        var result = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
        if (userSegments is null) return result;
        var totals = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var (user, segment) in userSegments)
        {
            if (string.IsNullOrEmpty(segment)) throw new AnalyticsException($"customer '{user}' has an empty segment name");
            // Customers with a segment but no interactions add nothing to its popularity.
            if (!m.UserIndex.TryGetValue(user, out var u)) continue;
            if (!totals.TryGetValue(segment, out var t)) totals[segment] = t = new float[m.ItemCount];
            var items = m.ItemsOf(u);
            var values = m.ValuesOf(u);
            for (var k = 0; k < items.Length; k++) t[items[k]] += values[k];
        }
        foreach (var (segment, t) in totals)
        {
            var top = new TopList(length);
            for (var i = 0; i < t.Length; i++)
                if (t[i] > 0) top.Offer(t[i], i);
            result[segment] = top.TakeSorted();
        }
        return result;
    }
}
