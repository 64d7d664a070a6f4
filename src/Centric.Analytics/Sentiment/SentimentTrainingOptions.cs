namespace Centric.Analytics.Sentiment;

/// <summary>How each hashed n-gram is weighted before the logistic regression sees it.</summary>
public enum SentimentFeatureWeighting
{
    /// <summary>Every n-gram seen in training counts the same.</summary>
    None,

    /// <summary>Smoothed inverse document frequency, as in TF-IDF.</summary>
    InverseDocumentFrequency,

    /// <summary>
    /// Naive Bayes log-count ratio, log(P(n-gram | positive) / P(n-gram | negative)), as in
    /// Wang and Manning's NB-SVM ("Baselines and bigrams", ACL 2012): strong on short texts.
    /// </summary>
    NaiveBayes,
}

/// <summary>Settings for <see cref="SentimentModel.Train"/>. The defaults are the measured best (docs/BENCHMARKS.md).</summary>
public sealed record SentimentTrainingOptions
{
    /// <summary>Features are hashed into 2^HashBits buckets (10 to 24).</summary>
    public int HashBits { get; init; } = 18;

    /// <summary>Inverse regularisation strength C of the logistic regression (larger fits the data harder).</summary>
    public double Cost { get; init; } = 1;

    /// <summary>Adds pairs of neighbouring words ("not_good", "highly recommend") as features.</summary>
    public bool WordBigrams { get; init; } = true;

    /// <summary>Shortest character n-gram taken inside each word padded with spaces; 0 turns character n-grams off.</summary>
    public int CharNGramMin { get; init; } = 2;

    /// <summary>Longest character n-gram.</summary>
    public int CharNGramMax { get; init; } = 5;

    /// <summary>How n-grams are weighted.</summary>
    public SentimentFeatureWeighting Weighting { get; init; } = SentimentFeatureWeighting.NaiveBayes;

    /// <summary>Repeated n-grams count 1 + ln(count) instead of once.</summary>
    public bool SublinearTermFrequency { get; init; }

    /// <summary>Words after a negator, up to the next punctuation, become distinct features ("not_good").</summary>
    public bool MarkNegation { get; init; } = true;

    /// <summary>Character n-grams of negated words are marked too.</summary>
    public bool MarkNegatedCharNGrams { get; init; }

    /// <summary>Words and character n-grams are scaled to unit length separately, so neither swamps the other.</summary>
    public bool NormalizePerBlock { get; init; } = true;

    /// <summary>Scale of the lexicon's readings among the model's inputs; 0 leaves the lexicon out.</summary>
    public double LexiconWeight { get; init; } = 1;

    /// <summary>Seed for the solver's visiting order; a fixed seed gives a bit-identical model.</summary>
    public int Seed { get; init; } = 17;

    /// <summary>Half-width of the neutral band around 0 used to label scores.</summary>
    public double NeutralBand { get; init; } = SentimentResult.DefaultNeutralBand;

    internal void Validate()
    {
        if (HashBits is < 10 or > 24) throw new AnalyticsException("HashBits must lie in [10, 24].");
        if (!(Cost > 0) || double.IsInfinity(Cost)) throw new AnalyticsException("Cost must be a positive finite number.");
        if (CharNGramMin < 0 || CharNGramMax > 8 || (CharNGramMin > 0 && CharNGramMax < CharNGramMin))
        {
            throw new AnalyticsException("Character n-grams need 0 (off) or 1 ≤ min ≤ max ≤ 8.");
        }
        if (!(LexiconWeight >= 0) || double.IsInfinity(LexiconWeight)) throw new AnalyticsException("LexiconWeight must be finite and ≥ 0.");
        if (!(NeutralBand >= 0 && NeutralBand <= 1)) throw new AnalyticsException("NeutralBand must lie in [0, 1].");
    }
}
