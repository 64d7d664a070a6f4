using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Centric.Analytics.Sentiment;
using Centric.Bench.Sentiment;

namespace Centric.Bench.Commands;

/// <summary>
/// sentiment [--data DIR] [--runs N] [--variants]   quality (10-fold CV, leave-one-source-out) and speed
/// sentiment --train OUTFILE [--data DIR]           trains the shipped model on all three sources and saves it
/// sentiment --eval FILE [--model FILE]             accuracy on a "text TAB 0|1" file (.gz or plain)
/// Model settings can be overridden for experiments: --cost, --bits, --weighting none|idf|nb, --char-min,
/// --char-max, --no-bigrams, --sublinear, --no-negation, --negated-chars, --joint-norm, --lexicon-weight.
/// </summary>
public static class SentimentCommand
{
    private const int Folds = 10;
    private const int FoldSeed = 42;

    public static int Run(BenchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var folder = options.Get("data") ?? Path.Combine(BenchOptions.DataRoot(), "sentiment-sentences");
        var settings = Settings(options);

        if (options.Get("train") is { } output)
        {
            var corpus = SentimentCorpus.Load(folder);
            var model = SentimentModel.Train(corpus.Texts, corpus.Positive, settings);
            using (var file = File.Create(output)) model.Save(file);
            Print(new { model = "nb-logreg+lexicon", trained_on = corpus.Texts.Length, file = output, bytes = new FileInfo(output).Length });
            return 0;
        }
        if (options.Get("eval") is { } evalFile)
        {
            return Evaluate(evalFile, options.Get("model"), folder, settings);
        }

        var data = SentimentCorpus.Load(folder);
        var runs = options.GetInt("runs", 5);
        if (options.Has("variants"))
        {
            foreach (var (name, variant) in Variants(settings)) Measure(name, variant, data, runs: 1, isDefault: false);
            MeasureNested(settings, data);
        }
        Measure("nb-logreg+lexicon", settings, data, runs, isDefault: true);
        MeasureLexicon(data, runs);
        return 0;
    }

    private static void Measure(string name, SentimentTrainingOptions settings, SentimentCorpus data, int runs, bool isDefault)
    {
        var clock = Stopwatch.StartNew();
        var cv = SentimentEvaluation.CrossValidate(data.Texts, data.Positive, settings, Folds, FoldSeed);
        var loso = SentimentEvaluation.LeaveOneGroupOut(data.Texts, data.Positive, data.Sources, settings);
        var evaluationSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var model = SentimentModel.Train(data.Texts, data.Positive, settings);
        var trainSeconds = clock.Elapsed.TotalSeconds;
        Print(new
        {
            model = name,
            @default = isDefault,
            cv_accuracy = Round(cv.Accuracy),
            cv_folds = Folds,
            loso_accuracy = Round(loso.Accuracy),
            loso_per_source = SentimentCorpus.SourceNames.Zip(loso.PerFold).ToDictionary(p => p.First, p => Round(p.Second)),
            sentences_per_second = Math.Round(SentencesPerSecond(model, data.Texts, runs)),
            threads = 1,
            train_seconds = Math.Round(trainSeconds, 3),
            evaluation_seconds = Math.Round(evaluationSeconds, 2),
            settings = Describe(settings),
        });
    }

    private static void MeasureNested(SentimentTrainingOptions settings, SentimentCorpus data)
    {
        double[] costs = [0.3, 1, 3, 10];
        var (accuracy, chosen) = SentimentEvaluation.NestedCrossValidate(data.Texts, data.Positive, costs, settings, Folds, innerFolds: 5, FoldSeed);
        Print(new
        {
            model = "nb-logreg+lexicon, C tuned by inner 5-fold CV",
            @default = false,
            cv_accuracy = Round(accuracy.Accuracy),
            cv_folds = Folds,
            costs,
            chosen_costs = chosen,
        });
    }

    private static void MeasureLexicon(SentimentCorpus data, int runs)
    {
        var scorer = new LexiconSentimentScorer();
        var perSource = SentimentCorpus.SourceNames.Select(source =>
        {
            var rows = Enumerable.Range(0, data.Texts.Length).Where(i => data.Sources[i] == source).ToArray();
            return SentimentEvaluation.Accuracy(scorer, rows.Select(i => data.Texts[i]).ToArray(), rows.Select(i => data.Positive[i]).ToArray());
        }).ToArray();
        var zero = data.Texts.Count(t => scorer.Score(t).Score == 0);
        Print(new
        {
            model = "lexicon-only",
            @default = false,
            // No training, so cross-validation and leave-one-source-out both reduce to plain accuracy.
            cv_accuracy = Round(SentimentEvaluation.Accuracy(scorer, data.Texts, data.Positive)),
            loso_accuracy = Round(perSource.Average()),
            loso_per_source = SentimentCorpus.SourceNames.Zip(perSource).ToDictionary(p => p.First, p => Round(p.Second)),
            no_evidence_share = Round((double)zero / data.Texts.Length),
            sentences_per_second = Math.Round(SentencesPerSecond(scorer, data.Texts, runs)),
            threads = 1,
        });
    }

    private static int Evaluate(string path, string? modelPath, string folder, SentimentTrainingOptions settings)
    {
        var sentences = SentimentCorpus.ReadFile(path);
        SentimentModel model;
        string origin;
        if (modelPath is not null)
        {
            using var file = File.OpenRead(modelPath);
            model = SentimentModel.Load(file);
            origin = modelPath;
        }
        else
        {
            var corpus = SentimentCorpus.Load(folder);
            model = SentimentModel.Train(corpus.Texts, corpus.Positive, settings);
            origin = $"trained from {folder}";
        }
        var accuracy = SentimentEvaluation.Accuracy(model, sentences.Select(s => s.Text).ToArray(), sentences.Select(s => s.Positive).ToArray());
        Print(new { model = "nb-logreg+lexicon", @default = true, file = path, sentences = sentences.Count, accuracy = Round(accuracy), model_from = origin });
        return 0;
    }

    // Single thread: score every sentence repeatedly for about a second per run; median of the runs.
    private static double SentencesPerSecond(ISentimentScorer scorer, string[] texts, int runs)
    {
        foreach (var t in texts) scorer.Score(t);
        var rates = new List<double>();
        for (var r = 0; r < runs; r++)
        {
            var scored = 0;
            var clock = Stopwatch.StartNew();
            while (clock.ElapsedMilliseconds < 1000)
            {
                foreach (var t in texts) scorer.Score(t);
                scored += texts.Length;
            }
            rates.Add(scored / clock.Elapsed.TotalSeconds);
        }
        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static IEnumerable<(string Name, SentimentTrainingOptions Options)> Variants(SentimentTrainingOptions d)
    {
        yield return ("tfidf-logreg (words 1-2 + chars 2-5, sublinear)", d with { Weighting = SentimentFeatureWeighting.InverseDocumentFrequency, SublinearTermFrequency = true, LexiconWeight = 0, MarkNegation = false });
        yield return ("tfidf-logreg + negation", d with { Weighting = SentimentFeatureWeighting.InverseDocumentFrequency, SublinearTermFrequency = true, LexiconWeight = 0 });
        yield return ("nb-logreg, no lexicon, no negation", d with { LexiconWeight = 0, MarkNegation = false });
        yield return ("nb-logreg, no lexicon", d with { LexiconWeight = 0 });
        yield return ("nb-logreg+lexicon, words only", d with { CharNGramMin = 0 });
        yield return ("nb-logreg+lexicon, no negation marking", d with { MarkNegation = false });
        yield return ("nb-logreg+lexicon, joint norm", d with { NormalizePerBlock = false });
        yield return ("tfidf-logreg+lexicon", d with { Weighting = SentimentFeatureWeighting.InverseDocumentFrequency, SublinearTermFrequency = true });
        foreach (var c in new[] { 0.3, 3.0, 10.0 }) yield return ($"nb-logreg+lexicon, C={c}", d with { Cost = c });
        foreach (var l in new[] { 0.5, 2.0, 4.0 }) yield return ($"nb-logreg+lexicon, lexicon weight {l}", d with { LexiconWeight = l });
    }

    private static SentimentTrainingOptions Settings(BenchOptions o)
    {
        var d = new SentimentTrainingOptions();
        return d with
        {
            Cost = o.Get("cost") is { } c ? double.Parse(c, CultureInfo.InvariantCulture) : d.Cost,
            HashBits = o.GetInt("bits", d.HashBits),
            Weighting = o.Get("weighting") switch
            {
                null => d.Weighting,
                "none" => SentimentFeatureWeighting.None,
                "idf" => SentimentFeatureWeighting.InverseDocumentFrequency,
                "nb" => SentimentFeatureWeighting.NaiveBayes,
                var w => throw new ArgumentException($"unknown weighting '{w}': none, idf or nb"),
            },
            CharNGramMin = o.GetInt("char-min", d.CharNGramMin),
            CharNGramMax = o.GetInt("char-max", d.CharNGramMax),
            WordBigrams = !o.Has("no-bigrams") && d.WordBigrams,
            SublinearTermFrequency = o.Has("sublinear") || d.SublinearTermFrequency,
            MarkNegation = !o.Has("no-negation") && d.MarkNegation,
            MarkNegatedCharNGrams = o.Has("negated-chars") || d.MarkNegatedCharNGrams,
            NormalizePerBlock = !o.Has("joint-norm") && d.NormalizePerBlock,
            LexiconWeight = o.Get("lexicon-weight") is { } l ? double.Parse(l, CultureInfo.InvariantCulture) : d.LexiconWeight,
        };
    }

    private static string Describe(SentimentTrainingOptions s) =>
        $"C={s.Cost} bits={s.HashBits} weighting={s.Weighting} chars={s.CharNGramMin}-{s.CharNGramMax} bigrams={s.WordBigrams} " +
        $"sublinear={s.SublinearTermFrequency} negation={s.MarkNegation} negated_chars={s.MarkNegatedCharNGrams} " +
        $"block_norm={s.NormalizePerBlock} lexicon_weight={s.LexiconWeight}";

    private static double Round(double v) => Math.Round(v, 4);

    // Relaxed escaping keeps "+" and "-" readable in model names; the output is never embedded in HTML.
    private static readonly JsonSerializerOptions Json = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static void Print(object line) => Console.WriteLine(JsonSerializer.Serialize(line, Json));
}
