namespace Centric.Analytics.Recommendations;

/// <summary>Top-k ranking metrics for one customer, as defined by Microsoft Recommenders' python_evaluation
/// (map_at_k, ndcg_at_k with binary relevance, precision_at_k, recall_at_k). Averages over customers are the
/// plain mean over customers that have at least one held-out item.</summary>
public static class RankingMetrics
{
    /// <summary>Average precision at k: the sum, over hits in the top k, of (hits so far / rank), divided by
    /// min(relevant count, k) (Recommenders' <c>map_at_k</c>); with <paramref name="divideByAllRelevant"/> it is divided by
    /// the relevant count instead, as the older <c>map</c> (and the MAP column of Recommenders' published benchmark) did.</summary>
    public static double AveragePrecisionAtK<T>(IReadOnlyList<T> recommended, IReadOnlySet<T> relevant, int k, bool divideByAllRelevant = false)
    {
        Check(recommended, relevant, k);
        var hits = 0;
        var sum = 0.0;
        for (var r = 0; r < Math.Min(k, recommended.Count); r++)
        {
            if (!relevant.Contains(recommended[r])) continue;
            hits++;
            sum += hits / (double)(r + 1);
        }
        return sum / (divideByAllRelevant ? relevant.Count : Math.Min(relevant.Count, k));
    }

    /// <summary>Normalised discounted cumulative gain at k with binary relevance: Σ_hits 1/log(1+rank) over the ideal
    /// Σ_{r=1..min(relevant, k)} 1/log(1+r).</summary>
    public static double NdcgAtK<T>(IReadOnlyList<T> recommended, IReadOnlySet<T> relevant, int k)
    {
        Check(recommended, relevant, k);
        var dcg = 0.0;
        for (var r = 0; r < Math.Min(k, recommended.Count); r++)
            if (relevant.Contains(recommended[r])) dcg += 1 / Math.Log(2 + r);
        var ideal = 0.0;
        for (var r = 0; r < Math.Min(k, relevant.Count); r++) ideal += 1 / Math.Log(2 + r);
        return dcg / ideal;
    }

    /// <summary>Hits in the top k divided by k (not by the list length: a short list is penalised, as in Spark and Recommenders).</summary>
    public static double PrecisionAtK<T>(IReadOnlyList<T> recommended, IReadOnlySet<T> relevant, int k)
    {
        Check(recommended, relevant, k);
        return Hits(recommended, relevant, k) / (double)k;
    }

    /// <summary>Hits in the top k divided by the number of relevant items.</summary>
    public static double RecallAtK<T>(IReadOnlyList<T> recommended, IReadOnlySet<T> relevant, int k)
    {
        Check(recommended, relevant, k);
        return Hits(recommended, relevant, k) / (double)relevant.Count;
    }

    private static int Hits<T>(IReadOnlyList<T> recommended, IReadOnlySet<T> relevant, int k)
    {
        var hits = 0;
        for (var r = 0; r < Math.Min(k, recommended.Count); r++)
            if (relevant.Contains(recommended[r])) hits++;
        return hits;
    }

    private static void Check<T>(IReadOnlyList<T> recommended, IReadOnlySet<T> relevant, int k)
    {
        ArgumentNullException.ThrowIfNull(recommended);
        ArgumentNullException.ThrowIfNull(relevant);
        if (k < 1) throw new AnalyticsException($"k must be at least 1 (got {k})");
        // A customer with nothing held out cannot be scored; Recommenders leaves such customers out of the mean.
        if (relevant.Count == 0) throw new AnalyticsException("no relevant items: leave this customer out of the evaluation");
    }
}

/// <summary>Splits interactions for offline evaluation.</summary>
public static class InteractionSplit
{
    /// <summary>Stratified random split per customer, like Recommenders' <c>python_stratified_split</c>: each customer's
    /// rows are shuffled with a fixed seed and the first round(ratio × count) go to training, the rest to test, so every
    /// customer appears in training and (with two or more rows) in test.</summary>
    public static (List<T> Train, List<T> Test) ByUser<T>(IReadOnlyList<T> rows, Func<T, string> userOf, double trainRatio, int seed)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(userOf);
        if (!(trainRatio > 0 && trainRatio < 1)) throw new AnalyticsException($"train ratio must be between 0 and 1 (got {trainRatio})");
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<List<int>>();
        for (var k = 0; k < rows.Count; k++)
        {
            var user = userOf(rows[k]) ?? throw new AnalyticsException($"row {k} has no user");
            if (!groups.TryGetValue(user, out var g)) { groups[user] = g = []; order.Add(g); }
            g.Add(k);
        }
        var random = new Random(seed);
        var train = new List<T>((int)(rows.Count * trainRatio) + order.Count);
        var test = new List<T>(Math.Max(0, rows.Count - train.Capacity + order.Count));
        foreach (var g in order)
        {
            for (var k = g.Count - 1; k > 0; k--)
            {
                var j = random.Next(k + 1);
                (g[k], g[j]) = (g[j], g[k]);
            }
            var cut = (int)Math.Round(trainRatio * g.Count, MidpointRounding.ToEven);
            for (var k = 0; k < g.Count; k++) (k < cut ? train : test).Add(rows[g[k]]);
        }
        return (train, test);
    }
}
