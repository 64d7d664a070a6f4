using System.Buffers.Binary;
using System.Text;

namespace Centric.Analytics.Sentiment;

/// <summary>
/// A trained sentiment model for short English customer feedback: logistic regression on hashed
/// word 1-2 grams (negation-marked) and character n-grams, weighted by naive Bayes log-count
/// ratios, plus the readings of Centric's own lexicon (<see cref="LexiconSentimentScorer"/>).
/// Train it with <see cref="Train"/>, persist it with <see cref="Save"/> and
/// <see cref="Load"/>. Scoring is thread-safe and allocation-free once warm.
/// </summary>
public sealed class SentimentModel : ISentimentScorer
{
    /// <summary>Version of the saved format written by <see cref="Save"/>.</summary>
    public const int FormatVersion = 1;

    // Bumped whenever tokenizing, hashing or the lexicon changes what a saved weight means.
    internal const int FeatureVersion = 1;

    internal const int LexiconFeatureCount = 3;
    private static readonly byte[] Magic = "CSNT"u8.ToArray();

    [ThreadStatic]
    private static TokenizedText? t_text;

    [ThreadStatic]
    private static FeatureBag? t_bag;

    private readonly SentimentFeaturizer _featurizer;

    // Per bucket b: [2b] the feature weight rᵦ (0 when never seen in training), [2b+1] rᵦ·wᵦ.
    // Interleaved so a feature costs one memory fetch when scoring.
    private readonly float[] _table;
    private readonly double[] _lexiconWeights;
    private readonly double _bias;

    private SentimentModel(SentimentTrainingOptions options, float[] table, double[] lexiconWeights, double bias)
    {
        Options = options;
        _featurizer = new SentimentFeaturizer(options);
        _table = table;
        _lexiconWeights = lexiconWeights;
        _bias = bias;
    }

    /// <summary>The settings the model was trained with.</summary>
    public SentimentTrainingOptions Options { get; }

    /// <summary>
    /// Trains a model on labelled texts. Null or whitespace-only texts carry no evidence and are
    /// skipped. Throws <see cref="AnalyticsException"/> when the lists differ in length, when no
    /// usable text remains, or when all labels are the same.
    /// </summary>
    /// <param name="texts">Feedback texts.</param>
    /// <param name="positive">For each text, true when it is positive.</param>
    /// <param name="options">Settings; null for the defaults.</param>
    public static SentimentModel Train(IReadOnlyList<string?> texts, IReadOnlyList<bool> positive, SentimentTrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        ArgumentNullException.ThrowIfNull(positive);
        options ??= new SentimentTrainingOptions();
        var corpus = FeaturizedCorpus.Build(texts, positive, options);
        return Fit(corpus, corpus.AllRows(), options);
    }

    /// <inheritdoc />
    public SentimentResult Score(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return SentimentResult.Empty;
        var tokens = t_text ??= new TokenizedText();
        var bag = t_bag ??= new FeatureBag();
        tokens.Tokenize(text);
        bag.Clear();
        _featurizer.Featurize(tokens, bag);
        var margin = Margin(bag.Keys, bag.Counts, LexiconSentimentScorer.Read(tokens));
        return SentimentResult.FromScore(Math.Tanh(margin / 2), Options.NeutralBand);
    }

    /// <summary>The log-odds of positive for an already featurized text.</summary>
    internal double Margin(ReadOnlySpan<int> keys, ReadOnlySpan<float> counts, LexiconReading reading)
    {
        var table = _table;
        var sublinear = Options.SublinearTermFrequency;
        double wordDot = 0, wordNorm = 0, charDot = 0, charNorm = 0;
        for (var e = 0; e < keys.Length; e++)
        {
            var key = keys[e];
            var at = (key >> 1) << 1;
            var ratio = table[at];
            if (ratio == 0) continue;
            var value = sublinear ? 1 + MathF.Log(counts[e]) : 1f;
            var x = value * ratio;
            var contribution = value * table[at + 1];
            if ((key & 1) == 0)
            {
                wordDot += contribution;
                wordNorm += x * x;
            }
            else
            {
                charDot += contribution;
                charNorm += x * x;
            }
        }
        double margin;
        if (Options.NormalizePerBlock)
        {
            margin = (wordNorm > 0 ? wordDot / Math.Sqrt(wordNorm) : 0) + (charNorm > 0 ? charDot / Math.Sqrt(charNorm) : 0);
        }
        else
        {
            var norm = wordNorm + charNorm;
            margin = norm > 0 ? (wordDot + charDot) / Math.Sqrt(norm) : 0;
        }
        Span<double> lexicon = stackalloc double[LexiconFeatureCount];
        LexiconFeatures(reading, Options.LexiconWeight, lexicon);
        for (var k = 0; k < LexiconFeatureCount; k++) margin += lexicon[k] * _lexiconWeights[k];
        return margin + _bias;
    }

    internal static void LexiconFeatures(LexiconReading reading, double weight, Span<double> into)
    {
        into[0] = weight * reading.Score;
        into[1] = weight * Math.Tanh(reading.Positive / 3);
        into[2] = weight * Math.Tanh(reading.Negative / 3);
    }

    /// <summary>Trains on the given rows of a featurized corpus (cross-validation reuses one featurization).</summary>
    internal static SentimentModel Fit(FeaturizedCorpus corpus, ReadOnlySpan<int> rows, SentimentTrainingOptions options)
    {
        options.Validate();
        if (rows.IsEmpty) throw new AnalyticsException("No training texts: sentiment training needs labelled feedback.");
        var positives = 0;
        foreach (var r in rows) if (corpus.Positive[r]) positives++;
        if (positives == 0 || positives == rows.Length)
        {
            throw new AnalyticsException("Training texts are all one class: sentiment training needs both positive and negative examples.");
        }

        var dimension = 1 << options.HashBits;
        var ratio = FeatureRatios(corpus, rows, options, dimension);

        // Lay out each row as its normalised n-gram values, then the lexicon readings and a constant for the bias.
        var lexiconAt = dimension;
        var biasAt = dimension + LexiconFeatureCount;
        var rowStart = new int[rows.Length + 1];
        var total = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            total += corpus.RowStart[rows[i] + 1] - corpus.RowStart[rows[i]] + LexiconFeatureCount + 1;
            rowStart[i + 1] = total;
        }
        var index = new int[total];
        var value = new float[total];
        var labels = new sbyte[rows.Length];
        Span<double> lexicon = stackalloc double[LexiconFeatureCount];
        for (var i = 0; i < rows.Length; i++)
        {
            var r = rows[i];
            labels[i] = corpus.Positive[r] ? (sbyte)1 : (sbyte)-1;
            var at = rowStart[i];
            double wordNorm = 0, charNorm = 0;
            for (var k = corpus.RowStart[r]; k < corpus.RowStart[r + 1]; k++)
            {
                var key = corpus.Keys[k];
                var x = Value(corpus.Counts[k], options) * ratio[key >> 1];
                index[at] = key >> 1;
                value[at] = x;
                if ((key & 1) == 0) wordNorm += x * x;
                else charNorm += x * x;
                at++;
            }
            var wordScale = 1.0;
            var charScale = 1.0;
            if (options.NormalizePerBlock)
            {
                wordScale = wordNorm > 0 ? 1 / Math.Sqrt(wordNorm) : 0;
                charScale = charNorm > 0 ? 1 / Math.Sqrt(charNorm) : 0;
            }
            else
            {
                var norm = wordNorm + charNorm;
                wordScale = charScale = norm > 0 ? 1 / Math.Sqrt(norm) : 0;
            }
            for (int k = corpus.RowStart[r], o = rowStart[i]; k < corpus.RowStart[r + 1]; k++, o++)
            {
                value[o] = (float)(value[o] * ((corpus.Keys[k] & 1) == 0 ? wordScale : charScale));
            }
            LexiconFeatures(corpus.Lexicon[r], options.LexiconWeight, lexicon);
            for (var f = 0; f < LexiconFeatureCount; f++)
            {
                index[at] = lexiconAt + f;
                value[at] = (float)lexicon[f];
                at++;
            }
            index[at] = biasAt;
            value[at] = 1;
        }

        var w = LogisticRegressionSolver.Train(
            new LogisticRegressionSolver.SparseRows(rowStart, index, value, dimension + LexiconFeatureCount + 1),
            labels, options.Cost, options.Seed);

        var table = new float[2 * dimension];
        for (var b = 0; b < dimension; b++)
        {
            if (ratio[b] == 0) continue;
            table[2 * b] = ratio[b];
            table[(2 * b) + 1] = (float)(ratio[b] * w[b]);
        }
        return new SentimentModel(options, table, w[lexiconAt..biasAt], w[biasAt]);
    }

    private static float Value(float count, SentimentTrainingOptions options) =>
        options.SublinearTermFrequency ? 1 + MathF.Log(count) : 1f;

    // Per-bucket weights from the training rows; buckets never seen stay 0 and are ignored when scoring.
    private static float[] FeatureRatios(FeaturizedCorpus corpus, ReadOnlySpan<int> rows, SentimentTrainingOptions options, int dimension)
    {
        var inPositive = new int[dimension];
        var inNegative = new int[dimension];
        foreach (var r in rows)
        {
            var counts = corpus.Positive[r] ? inPositive : inNegative;
            for (var k = corpus.RowStart[r]; k < corpus.RowStart[r + 1]; k++) counts[corpus.Keys[k] >> 1]++;
        }
        var ratio = new float[dimension];
        switch (options.Weighting)
        {
            case SentimentFeatureWeighting.None:
                for (var b = 0; b < dimension; b++) if (inPositive[b] + inNegative[b] > 0) ratio[b] = 1;
                break;
            case SentimentFeatureWeighting.InverseDocumentFrequency:
                for (var b = 0; b < dimension; b++)
                {
                    var df = inPositive[b] + inNegative[b];
                    if (df > 0) ratio[b] = (float)(Math.Log((1.0 + rows.Length) / (1.0 + df)) + 1);
                }
                break;
            default:
                // Add-one smoothing; the totals run over seen buckets only, so hashing width does not shift the ratios.
                double positiveTotal = 0, negativeTotal = 0;
                for (var b = 0; b < dimension; b++)
                {
                    if (inPositive[b] + inNegative[b] == 0) continue;
                    positiveTotal += inPositive[b] + 1;
                    negativeTotal += inNegative[b] + 1;
                }
                var shift = Math.Log(negativeTotal / positiveTotal);
                for (var b = 0; b < dimension; b++)
                {
                    if (inPositive[b] + inNegative[b] == 0) continue;
                    var r = Math.Log((inPositive[b] + 1.0) / (inNegative[b] + 1.0)) + shift;
                    // A bucket whose ratio is exactly 0 would read as "never seen"; nudge it.
                    ratio[b] = r == 0 ? 1e-6f : (float)r;
                }
                break;
        }
        return ratio;
    }

    /// <summary>
    /// Writes the model in Centric's binary format (little-endian): "CSNT", format version,
    /// feature version, settings, lexicon weights, bias, then the non-zero buckets in order.
    /// The same model always writes the same bytes.
    /// </summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(FormatVersion);
        writer.Write(FeatureVersion);
        var o = Options;
        writer.Write(o.HashBits);
        writer.Write(o.Cost);
        writer.Write(o.WordBigrams);
        writer.Write(o.CharNGramMin);
        writer.Write(o.CharNGramMax);
        writer.Write((int)o.Weighting);
        writer.Write(o.SublinearTermFrequency);
        writer.Write(o.MarkNegation);
        writer.Write(o.MarkNegatedCharNGrams);
        writer.Write(o.NormalizePerBlock);
        writer.Write(o.LexiconWeight);
        writer.Write(o.Seed);
        writer.Write(o.NeutralBand);
        foreach (var w in _lexiconWeights) writer.Write(w);
        writer.Write(_bias);
        var used = 0;
        for (var b = 0; b < _table.Length; b += 2) if (_table[b] != 0) used++;
        writer.Write(used);
        for (var b = 0; b < _table.Length; b += 2)
        {
            if (_table[b] == 0) continue;
            writer.Write(b >> 1);
            writer.Write(_table[b]);
            writer.Write(_table[b + 1]);
        }
    }

    /// <summary>
    /// Reads a model written by <see cref="Save"/>. Throws <see cref="AnalyticsException"/> when
    /// the stream is not a sentiment model, was written by another format or feature version
    /// (retrain with the bench's <c>sentiment --train</c>), or is truncated.
    /// </summary>
    public static SentimentModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        try
        {
            using var reader = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
            if (!reader.ReadBytes(4).AsSpan().SequenceEqual(Magic)) throw new AnalyticsException("Not a Centric sentiment model (bad header).");
            var format = reader.ReadInt32();
            if (format != FormatVersion)
            {
                throw new AnalyticsException($"Sentiment model format version {format} is not supported (expected {FormatVersion}).");
            }
            var features = reader.ReadInt32();
            if (features != FeatureVersion)
            {
                throw new AnalyticsException($"Sentiment model was trained with feature version {features}, this build reads {FeatureVersion}: retrain it.");
            }
            var options = new SentimentTrainingOptions
            {
                HashBits = reader.ReadInt32(),
                Cost = reader.ReadDouble(),
                WordBigrams = reader.ReadBoolean(),
                CharNGramMin = reader.ReadInt32(),
                CharNGramMax = reader.ReadInt32(),
                Weighting = (SentimentFeatureWeighting)reader.ReadInt32(),
                SublinearTermFrequency = reader.ReadBoolean(),
                MarkNegation = reader.ReadBoolean(),
                MarkNegatedCharNGrams = reader.ReadBoolean(),
                NormalizePerBlock = reader.ReadBoolean(),
                LexiconWeight = reader.ReadDouble(),
                Seed = reader.ReadInt32(),
                NeutralBand = reader.ReadDouble(),
            };
            options.Validate();
            var lexiconWeights = new double[LexiconFeatureCount];
            for (var k = 0; k < LexiconFeatureCount; k++) lexiconWeights[k] = Finite(reader.ReadDouble());
            var bias = Finite(reader.ReadDouble());
            var dimension = 1 << options.HashBits;
            var used = reader.ReadInt32();
            if (used < 0 || used > dimension) throw new AnalyticsException("Sentiment model is corrupt (bucket count out of range).");
            var table = new float[2 * dimension];
            for (var i = 0; i < used; i++)
            {
                var bucket = reader.ReadInt32();
                if ((uint)bucket >= (uint)dimension) throw new AnalyticsException("Sentiment model is corrupt (bucket out of range).");
                table[2 * bucket] = (float)Finite(reader.ReadSingle());
                table[(2 * bucket) + 1] = (float)Finite(reader.ReadSingle());
            }
            return new SentimentModel(options, table, lexiconWeights, bias);
        }
        catch (EndOfStreamException e)
        {
            throw new AnalyticsException("Sentiment model is truncated.", e);
        }
    }

    private static double Finite(double v) =>
        double.IsFinite(v) ? v : throw new AnalyticsException("Sentiment model is corrupt (a weight is not finite).");
}

/// <summary>Texts tokenized and hashed once, so cross-validation folds only refit.</summary>
internal sealed class FeaturizedCorpus
{
    public required int[] RowStart { get; init; }
    public required int[] Keys { get; init; }
    public required float[] Counts { get; init; }
    public required LexiconReading[] Lexicon { get; init; }
    public required bool[] Positive { get; init; }

    public int Count => Positive.Length;

    public int[] AllRows() => Enumerable.Range(0, Count).ToArray();

    public static FeaturizedCorpus Build(IReadOnlyList<string?> texts, IReadOnlyList<bool> positive, SentimentTrainingOptions options)
    {
        options.Validate();
        if (texts.Count != positive.Count)
        {
            throw new AnalyticsException($"Got {texts.Count} texts but {positive.Count} labels: each text needs one label.");
        }
        var featurizer = new SentimentFeaturizer(options);
        var tokens = new TokenizedText();
        var bag = new FeatureBag();
        var rowStart = new List<int> { 0 };
        var keys = new List<int>();
        var counts = new List<float>();
        var lexicon = new List<LexiconReading>();
        var labels = new List<bool>();
        for (var i = 0; i < texts.Count; i++)
        {
            var text = texts[i];
            if (string.IsNullOrWhiteSpace(text)) continue;
            tokens.Tokenize(text);
            bag.Clear();
            featurizer.Featurize(tokens, bag);
            keys.AddRange(bag.Keys);
            counts.AddRange(bag.Counts);
            rowStart.Add(keys.Count);
            lexicon.Add(LexiconSentimentScorer.Read(tokens));
            labels.Add(positive[i]);
        }
        return new FeaturizedCorpus
        {
            RowStart = [.. rowStart],
            Keys = [.. keys],
            Counts = [.. counts],
            Lexicon = [.. lexicon],
            Positive = [.. labels],
        };
    }

    public double MarginOf(SentimentModel model, int row) =>
        model.Margin(Keys.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]),
            Counts.AsSpan(RowStart[row], RowStart[row + 1] - RowStart[row]), Lexicon[row]);
}
