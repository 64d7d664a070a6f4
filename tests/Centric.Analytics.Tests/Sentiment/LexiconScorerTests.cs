using Centric.Analytics.Sentiment;

namespace Centric.Analytics.Tests.Sentiment;

public class LexiconScorerTests
{
    private readonly LexiconSentimentScorer _scorer = new();

    private double Score(string text) => _scorer.Score(text).Score;

    // Hand-checked against the rules: score = tanh(sum of valences / 3); "good" is +2, "bad" -2.5.
    [Fact]
    public void A_single_word_scores_its_valence_squashed()
    {
        Assert.Equal(Math.Tanh(2.0 / 3), Score("good"), 12);
        Assert.Equal(Math.Tanh(-2.5 / 3), Score("bad"), 12);
    }

    [Fact]
    public void Negation_flips_and_weakens_the_word_it_governs()
    {
        Assert.True(Score("good") > 0);
        Assert.Equal(Math.Tanh(2 * -0.6 / 3), Score("not good"), 12);
        Assert.Equal(Math.Tanh(-2.5 * -0.6 / 3), Score("not bad"), 12);
        Assert.True(Score("I don't like it") < 0);
        Assert.True(Score("never again") < 0);
    }

    [Fact]
    public void Negation_stops_at_punctuation_and_after_three_words()
    {
        Assert.Equal(Score("good"), Score("no. good"), 12);
        Assert.Equal(Score("good"), Score("not the one we wanted good"), 12);
        Assert.True(Score("not a very good") < 0);
    }

    [Fact]
    public void Intensifiers_strengthen_and_softeners_weaken()
    {
        Assert.Equal(Math.Tanh(2 * 1.3 / 3), Score("very good"), 12);
        Assert.Equal(Math.Tanh(2 * 0.6 / 3), Score("slightly good"), 12);
        Assert.True(Score("very, very good") > Score("very good"));
        Assert.True(Score("kind of slow") > Score("slow"));
        // An intensifier only reaches the word right after it.
        Assert.Equal(Score("good"), Score("very much the good"), 12);
    }

    [Fact]
    public void After_but_the_second_clause_carries_the_verdict()
    {
        // good ×0.5, bad ×1.5: 1 - 3.75.
        Assert.Equal(Math.Tanh((1 - 3.75) / 3), Score("good but bad"), 12);
        Assert.True(Score("The food was great but the service was terrible") < 0);
        Assert.True(Score("The service was terrible but the food was great") > 0);
    }

    [Fact]
    public void Exclamations_and_capitals_amplify_an_existing_leaning_only()
    {
        Assert.Equal(Math.Tanh(2 * 1.3 / 3), Score("good!!!"), 12);
        Assert.Equal(Math.Tanh(2 * 1.5 / 3), Score("the food was GOOD"), 12);
        Assert.Equal(Math.Tanh(2 * 1.2 / 3), Score("IT WAS GOOD"), 12);
        Assert.True(Score("awful!!") < Score("awful"));
        Assert.Equal(0, Score("the parcel came!!!"));
    }

    [Fact]
    public void Emoji_and_emoticons_carry_sentiment()
    {
        Assert.Equal(Math.Tanh(2.0 / 3), Score("👍"), 12);
        Assert.True(Score("😡") < 0);
        Assert.True(Score("ok :)") > Score("ok"));
        Assert.True(Score("delivery :(") < 0);
        Assert.True(Score("❤️") > 0);
    }

    [Fact]
    public void Word_forms_share_a_stem()
    {
        Assert.True(Score("disappointing") < 0);
        Assert.True(Score("disappointingly") < 0);
        Assert.True(Score("appreciated") > 0);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("the parcel arrived on tuesday")]
    public void Text_with_nothing_to_read_is_neutral_zero(string? text)
    {
        var result = _scorer.Score(text);
        Assert.Equal(0, result.Score);
        Assert.Equal(SentimentLabel.Neutral, result.Label);
    }

    [Fact]
    public void Labels_follow_the_sign()
    {
        Assert.Equal(SentimentLabel.Positive, _scorer.Score("Great service, thank you!").Label);
        Assert.Equal(SentimentLabel.Negative, _scorer.Score("Worst order ever, never again.").Label);
    }
}

public class SentimentResultTests
{
    [Theory]
    [InlineData(0.1, SentimentLabel.Positive)]
    [InlineData(0.0999, SentimentLabel.Neutral)]
    [InlineData(0, SentimentLabel.Neutral)]
    [InlineData(-0.0999, SentimentLabel.Neutral)]
    [InlineData(-0.1, SentimentLabel.Negative)]
    [InlineData(1, SentimentLabel.Positive)]
    [InlineData(-1, SentimentLabel.Negative)]
    public void The_default_neutral_band_is_a_tenth_either_side_of_zero(double score, SentimentLabel expected)
    {
        Assert.Equal(expected, SentimentResult.FromScore(score).Label);
    }

    [Fact]
    public void With_no_band_only_exact_zero_is_neutral()
    {
        Assert.Equal(SentimentLabel.Neutral, SentimentResult.FromScore(0, 0).Label);
        Assert.Equal(SentimentLabel.Positive, SentimentResult.FromScore(0.001, 0).Label);
        Assert.Equal(SentimentLabel.Negative, SentimentResult.FromScore(-0.001, 0).Label);
    }

    [Fact]
    public void Scores_are_clamped_and_nan_or_a_bad_band_is_refused()
    {
        Assert.Equal(1, SentimentResult.FromScore(1.5).Score);
        Assert.Throws<AnalyticsException>(() => SentimentResult.FromScore(double.NaN));
        Assert.Throws<AnalyticsException>(() => SentimentResult.FromScore(0.5, 1.5));
        Assert.Throws<AnalyticsException>(() => new LexiconSentimentScorer(-0.1));
    }
}
