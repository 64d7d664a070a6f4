namespace Centric.Analytics.Sentiment;

/// <summary>The coarse reading of a piece of customer feedback.</summary>
public enum SentimentLabel
{
    /// <summary>The customer is unhappy.</summary>
    Negative = -1,

    /// <summary>No clear leaning either way, or nothing to read (empty text).</summary>
    Neutral = 0,

    /// <summary>The customer is happy.</summary>
    Positive = 1,
}

/// <summary>
/// A sentiment score in [-1, 1] (negative to positive) and its label.
/// </summary>
/// <param name="Score">-1 is as negative as the scorer can say, 1 as positive, 0 neutral.</param>
/// <param name="Label">The label the score falls in, given the scorer's neutral band.</param>
public readonly record struct SentimentResult(double Score, SentimentLabel Label)
{
    /// <summary>The default half-width of the neutral band around 0.</summary>
    public const double DefaultNeutralBand = 0.1;

    /// <summary>The result for text with nothing to read (null, empty or whitespace): neutral, 0.</summary>
    public static SentimentResult Empty { get; } = new(0, SentimentLabel.Neutral);

    /// <summary>
    /// Labels a score: at least <paramref name="neutralBand"/> is positive, at most
    /// -<paramref name="neutralBand"/> is negative, anything strictly between is neutral.
    /// </summary>
    public static SentimentResult FromScore(double score, double neutralBand = DefaultNeutralBand)
    {
        if (double.IsNaN(score)) throw new AnalyticsException("A sentiment score cannot be NaN.");
        if (!(neutralBand >= 0 && neutralBand <= 1)) throw new AnalyticsException("The neutral band must lie in [0, 1].");
        score = Math.Clamp(score, -1, 1);
        var label = score >= neutralBand && score > 0 ? SentimentLabel.Positive
            : score <= -neutralBand && score < 0 ? SentimentLabel.Negative
            : SentimentLabel.Neutral;
        return new SentimentResult(score, label);
    }
}

/// <summary>Anything that reads the sentiment of a short piece of customer feedback.</summary>
public interface ISentimentScorer
{
    /// <summary>
    /// Scores one text (a review, a survey comment, a chat line, an email). Null, empty or
    /// whitespace-only text is neutral with score 0. Safe to call from several threads.
    /// </summary>
    SentimentResult Score(string? text);
}
