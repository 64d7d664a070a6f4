namespace Centric.Analytics.Sentiment;

/// <summary>Accuracy overall and per fold (or per held-out group).</summary>
/// <param name="Accuracy">Mean accuracy over the folds or groups.</param>
/// <param name="PerFold">Accuracy of each fold or held-out group, in order.</param>
public sealed record SentimentAccuracy(double Accuracy, IReadOnlyList<double> PerFold);

/// <summary>
/// Measures sentiment accuracy on labelled texts. A text counts as predicted positive when its
/// score is above 0 (for a trained model, when its probability of positive exceeds one half).
/// </summary>
public static class SentimentEvaluation
{
    /// <summary>Share of texts whose sign the scorer gets right.</summary>
    public static double Accuracy(ISentimentScorer scorer, IReadOnlyList<string?> texts, IReadOnlyList<bool> positive)
    {
        ArgumentNullException.ThrowIfNull(scorer);
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(positive);
        if (texts.Count != positive.Count) throw new AnalyticsException("Each text needs exactly one label.");
        if (texts.Count == 0) throw new AnalyticsException("No texts to evaluate on.");
        var right = 0;
        for (var i = 0; i < texts.Count; i++)
        {
            if (scorer.Score(texts[i]).Score > 0 == positive[i]) right++;
        }
        return (double)right / texts.Count;
    }

    /// <summary>
    /// Stratified k-fold cross-validation: positives and negatives are shuffled with the seed and
    /// dealt round-robin to the folds, a model is trained on all but one fold and tested on it.
    /// The texts are featurized once, so this costs little more than k trainings.
    /// </summary>
    public static SentimentAccuracy CrossValidate(IReadOnlyList<string?> texts, IReadOnlyList<bool> positive,
        SentimentTrainingOptions? options = null, int folds = 10, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(positive);
        options ??= new SentimentTrainingOptions();
        var corpus = FeaturizedCorpus.Build(texts, positive, options);
        var rows = corpus.AllRows();
        var fold = StratifiedFolds(corpus, rows, folds, seed);
        var perFold = new double[folds];
        for (var f = 0; f < folds; f++)
        {
            perFold[f] = TestAccuracy(corpus, rows.Where((_, k) => fold[k] != f).ToArray(), rows.Where((_, k) => fold[k] == f).ToArray(), options);
        }
        return new SentimentAccuracy(perFold.Average(), perFold);
    }

    /// <summary>
    /// Nested cross-validation: in each outer fold, the cost C is chosen from <paramref name="costs"/>
    /// by an inner stratified cross-validation on the training part only, and the model refitted
    /// with it is tested on the held-out fold. An honest estimate of "tune C, then train".
    /// </summary>
    /// <returns>The outer accuracy, and the cost chosen in each outer fold.</returns>
    public static (SentimentAccuracy Accuracy, IReadOnlyList<double> ChosenCosts) NestedCrossValidate(
        IReadOnlyList<string?> texts, IReadOnlyList<bool> positive, IReadOnlyList<double> costs,
        SentimentTrainingOptions? options = null, int folds = 10, int innerFolds = 5, int seed = 42)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(costs);
        if (costs.Count == 0) throw new AnalyticsException("Give at least one cost to choose from.");
        options ??= new SentimentTrainingOptions();
        var corpus = FeaturizedCorpus.Build(texts, positive, options);
        var rows = corpus.AllRows();
        var fold = StratifiedFolds(corpus, rows, folds, seed);
        var perFold = new double[folds];
        var chosen = new double[folds];
        for (var f = 0; f < folds; f++)
        {
            var train = rows.Where((_, k) => fold[k] != f).ToArray();
            var test = rows.Where((_, k) => fold[k] == f).ToArray();
            var inner = StratifiedFolds(corpus, train, innerFolds, seed + 1 + f);
            var best = double.NegativeInfinity;
            foreach (var cost in costs)
            {
                var candidate = options with { Cost = cost };
                double sum = 0;
                for (var g = 0; g < innerFolds; g++)
                {
                    sum += TestAccuracy(corpus, train.Where((_, k) => inner[k] != g).ToArray(), train.Where((_, k) => inner[k] == g).ToArray(), candidate);
                }
                // Ties keep the earlier (listed first) cost, so list costs from most to least regularised.
                if (sum > best)
                {
                    best = sum;
                    chosen[f] = cost;
                }
            }
            perFold[f] = TestAccuracy(corpus, train, test, options with { Cost = chosen[f] });
        }
        return (new SentimentAccuracy(perFold.Average(), perFold), chosen);
    }

    // Fold number for each of the given rows: each class shuffled with the seed, then dealt round-robin.
    private static int[] StratifiedFolds(FeaturizedCorpus corpus, int[] rows, int folds, int seed)
    {
        if (folds < 2) throw new AnalyticsException("Cross-validation needs at least 2 folds.");
        if (rows.Length < folds) throw new AnalyticsException($"Only {rows.Length} usable texts for {folds} folds.");
        var fold = new int[rows.Length];
        var random = new Random(seed);
        foreach (var cls in new[] { true, false })
        {
            var members = Enumerable.Range(0, rows.Length).Where(k => corpus.Positive[rows[k]] == cls).ToArray();
            random.Shuffle(members);
            for (var k = 0; k < members.Length; k++) fold[members[k]] = k % folds;
        }
        return fold;
    }

    /// <summary>
    /// Leave-one-group-out: for each distinct group (e.g. the source of the reviews), train on
    /// the others and test on it. The accuracy is the mean over groups, in order of first appearance.
    /// </summary>
    public static SentimentAccuracy LeaveOneGroupOut(IReadOnlyList<string?> texts, IReadOnlyList<bool> positive,
        IReadOnlyList<string> groups, SentimentTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(positive);
        ArgumentNullException.ThrowIfNull(groups);
        options ??= new SentimentTrainingOptions();
        if (groups.Count != texts.Count) throw new AnalyticsException("Each text needs exactly one group.");
        // Blank texts are dropped by featurizing; drop their groups alongside so rows stay aligned.
        var keep = Enumerable.Range(0, texts.Count).Where(i => !string.IsNullOrWhiteSpace(texts[i])).ToArray();
        var corpus = FeaturizedCorpus.Build(keep.Select(i => texts[i]).ToArray(), keep.Select(i => positive[i]).ToArray(), options);
        var rowGroups = keep.Select(i => groups[i]).ToArray();
        var distinct = rowGroups.Distinct(StringComparer.Ordinal).ToArray();
        if (distinct.Length < 2) throw new AnalyticsException("Leave-one-group-out needs at least 2 groups.");
        var perGroup = new double[distinct.Length];
        for (var g = 0; g < distinct.Length; g++)
        {
            var held = distinct[g];
            var train = Enumerable.Range(0, corpus.Count).Where(i => !string.Equals(rowGroups[i], held, StringComparison.Ordinal)).ToArray();
            var test = Enumerable.Range(0, corpus.Count).Where(i => string.Equals(rowGroups[i], held, StringComparison.Ordinal)).ToArray();
            perGroup[g] = TestAccuracy(corpus, train, test, options);
        }
        return new SentimentAccuracy(perGroup.Average(), perGroup);
    }

    private static double TestAccuracy(FeaturizedCorpus corpus, int[] train, int[] test, SentimentTrainingOptions options)
    {
        var model = SentimentModel.Fit(corpus, train, options);
        var right = 0;
        foreach (var i in test)
        {
            if (corpus.MarginOf(model, i) > 0 == corpus.Positive[i]) right++;
        }
        return (double)right / test.Length;
    }
}
