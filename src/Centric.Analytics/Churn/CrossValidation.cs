namespace Centric.Analytics.Churn;

/// <summary>Splits customers into folds for honest evaluation.</summary>
public static class CrossValidation
{
    /// <summary>
    /// Assigns each row a fold 0..folds-1 so every fold holds (within one) the same share of churners:
    /// each class is shuffled with <paramref name="seed"/> and dealt round-robin.
    /// </summary>
    /// <exception cref="AnalyticsException">Fewer than two folds, or a class smaller than the number of folds.</exception>
    public static int[] StratifiedFolds(ReadOnlySpan<bool> churned, int folds, int seed)
    {
        if (folds < 2) throw new AnalyticsException("cross-validation needs at least two folds");
        var positives = new List<int>();
        var negatives = new List<int>();
        for (var i = 0; i < churned.Length; i++) (churned[i] ? positives : negatives).Add(i);
        if (positives.Count < folds || negatives.Count < folds)
            throw new AnalyticsException($"each class needs at least {folds} rows for {folds}-fold cross-validation ({positives.Count} churners, {negatives.Count} stayers)");
        var random = new Random(seed);
        var assignment = new int[churned.Length];
        var next = 0;
        foreach (var group in new[] { positives, negatives })
        {
            var rows = group.ToArray();
            random.Shuffle(rows);
            // Continue the round-robin across classes so fold sizes differ by at most one.
            foreach (var row in rows) assignment[row] = next++ % folds;
        }
        return assignment;
    }

    /// <summary>Rows in (<paramref name="inFold"/> true) or out of the given fold.</summary>
    public static int[] Rows(ReadOnlySpan<int> assignment, int fold, bool inFold)
    {
        var rows = new List<int>();
        for (var i = 0; i < assignment.Length; i++)
            if ((assignment[i] == fold) == inFold) rows.Add(i);
        return [.. rows];
    }
}
