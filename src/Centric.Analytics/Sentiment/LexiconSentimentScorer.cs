namespace Centric.Analytics.Sentiment;

/// <summary>
/// What the word list makes of a text: the signed evidence for each side and the overall score.
/// </summary>
/// <param name="Positive">Sum of positive contributions after negation, emphasis and contrast (≥ 0).</param>
/// <param name="Negative">Sum of negative contributions, as a magnitude (≥ 0).</param>
/// <param name="Score">The overall score in [-1, 1].</param>
internal readonly record struct LexiconReading(double Positive, double Negative, double Score);

/// <summary>
/// A rule-based scorer that needs no trained model: Centric's own word list with negation
/// ("not good" reads as mildly negative, "never again" as negative), intensifiers ("very good"),
/// softeners ("slightly slow"), contrast (after "but" the second clause counts 1.5 times, the
/// first half as much), emphasis (capitals, "!!!") and emoji. The fallback when no trained
/// <see cref="SentimentModel"/> is available, and one of the trained model's inputs.
/// </summary>
public sealed class LexiconSentimentScorer : ISentimentScorer
{
    // Words after a negator that it still reaches; past that, "not bad, the staff were great" keeps "great".
    private const int NegationReach = 3;

    // A negated word flips and weakens: "not good" is less negative than "bad".
    private const double NegationFactor = -0.6;
    private const double ShoutFactor = 1.5;
    private const double BeforeContrast = 0.5;
    private const double AfterContrast = 1.5;

    // tanh(sum / Squash) maps evidence to (-1, 1): "good" (2) → 0.58, "very good" (2.6) → 0.70.
    private const double Squash = 3.0;

    [ThreadStatic]
    private static TokenizedText? t_text;

    /// <summary>Creates a scorer whose labels use the given neutral band.</summary>
    /// <param name="neutralBand">Scores strictly inside (-band, band) are neutral; in [0, 1].</param>
    public LexiconSentimentScorer(double neutralBand = SentimentResult.DefaultNeutralBand)
    {
        if (!(neutralBand >= 0 && neutralBand <= 1)) throw new AnalyticsException("The neutral band must lie in [0, 1].");
        NeutralBand = neutralBand;
    }

    /// <summary>Half-width of the neutral band around 0.</summary>
    public double NeutralBand { get; }

    /// <inheritdoc />
    public SentimentResult Score(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return SentimentResult.Empty;
        var tokens = t_text ??= new TokenizedText();
        tokens.Tokenize(text);
        return SentimentResult.FromScore(Read(tokens).Score, NeutralBand);
    }

    /// <summary>Reads a tokenized text; the trained model calls this on its own tokens.</summary>
    internal static LexiconReading Read(TokenizedText text)
    {
        var tokens = text.Tokens;
        var contrastAt = -1;
        for (var i = tokens.Length - 1; i >= 0; i--)
        {
            if (tokens[i].Kind == TokenKind.Word && SentimentLexicon.IsContrast(text.TextOf(tokens[i])))
            {
                contrastAt = i;
                break;
            }
        }

        double positive = 0, negative = 0, boost = 0;
        var negationLeft = 0;
        var exclamations = 0;
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            var word = text.TextOf(token);
            var clauseWeight = contrastAt < 0 ? 1.0 : i < contrastAt ? BeforeContrast : AfterContrast;
            double valence;
            switch (token.Kind)
            {
                case TokenKind.Punctuation:
                    negationLeft = 0;
                    if (word[0] is '.' or '!' or '?') boost = 0;
                    if (word[0] == '!') exclamations += word.Length;
                    continue;
                case TokenKind.Emoji:
                case TokenKind.Emoticon:
                    valence = SentimentLexicon.EmojiValence(word);
                    break;
                default:
                    if (SentimentLexicon.IsContrast(word))
                    {
                        negationLeft = 0;
                        boost = 0;
                        continue;
                    }
                    if (IsPhrase(text, tokens, i, "never", "again"))
                    {
                        AddEvidence(-2.5 * clauseWeight * (token.Shouted ? ShoutFactor : 1), ref positive, ref negative);
                        i++;
                        negationLeft = 0;
                        continue;
                    }
                    if (IsPhrase(text, tokens, i, "not", "only") || IsPhrase(text, tokens, i, "no", "doubt"))
                    {
                        // "not only good but cheap", "no doubt the best": affirmations, not negations.
                        i++;
                        continue;
                    }
                    if (IsPhrase(text, tokens, i, "kind", "of") || IsPhrase(text, tokens, i, "sort", "of"))
                    {
                        boost -= 0.3;
                        i++;
                        continue;
                    }
                    if (SentimentLexicon.IsNegator(word))
                    {
                        negationLeft = NegationReach;
                        continue;
                    }
                    var negated = negationLeft > 0;
                    if (negated) negationLeft--;
                    var booster = SentimentLexicon.Booster(word);
                    if (booster != 0)
                    {
                        boost += booster * (token.Shouted ? ShoutFactor : 1);
                        continue;
                    }
                    valence = SentimentLexicon.Valence(word);
                    if (valence == 0)
                    {
                        boost = 0; // "very" only reaches the word right after it
                        continue;
                    }
                    if (negated) valence *= NegationFactor;
                    break;
            }
            if (valence == 0) continue;
            valence *= Math.Max(0.1, 1 + boost) * clauseWeight * (token.Shouted ? ShoutFactor : 1);
            boost = 0;
            AddEvidence(valence, ref positive, ref negative);
        }

        var sum = positive - negative;
        // "!!!" and a message in capitals amplify whatever leaning is already there, never create one.
        var emphasis = 1 + (0.1 * Math.Min(exclamations, 4)) + (text.AllShouted ? 0.2 : 0);
        positive *= emphasis;
        negative *= emphasis;
        sum *= emphasis;
        return new LexiconReading(positive, negative, Math.Tanh(sum / Squash));
    }

    private static bool IsPhrase(TokenizedText text, ReadOnlySpan<SentimentToken> tokens, int i, string first, string second) =>
        i + 1 < tokens.Length
        && tokens[i + 1].Kind == TokenKind.Word
        && text.TextOf(tokens[i]).SequenceEqual(first)
        && text.TextOf(tokens[i + 1]).SequenceEqual(second);

    private static void AddEvidence(double valence, ref double positive, ref double negative)
    {
        if (valence > 0) positive += valence;
        else negative -= valence;
    }
}
