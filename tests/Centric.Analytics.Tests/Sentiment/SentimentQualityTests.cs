using System.IO.Compression;
using Centric.Analytics.Sentiment;

namespace Centric.Analytics.Tests.Sentiment;

/// <summary>The three UCI labelled-sentence files (amazon, imdb, yelp), read once for the quality tests.</summary>
public sealed class SentimentSentences
{
    public SentimentSentences()
    {
        var texts = new List<string>();
        var labels = new List<bool>();
        var sources = new List<string>();
        foreach (var (source, file) in new[] { ("amazon", "amazon_cells_labelled.txt.gz"), ("imdb", "imdb_labelled.txt.gz"), ("yelp", "yelp_labelled.txt.gz") })
        {
            using var gzip = new GZipStream(File.OpenRead(TestData.PathOf("sentiment-sentences", file)), CompressionMode.Decompress);
            using var reader = new StreamReader(gzip);
            foreach (var s in LabelledSentences.Parse(reader))
            {
                texts.Add(s.Text);
                labels.Add(s.Positive);
                sources.Add(source);
            }
        }
        Texts = [.. texts];
        Positive = [.. labels];
        Sources = [.. sources];
    }

    public string[] Texts { get; }
    public bool[] Positive { get; }
    public string[] Sources { get; }
}

public class SentimentQualityTests(SentimentSentences data) : IClassFixture<SentimentSentences>
{
    [Fact]
    public void Each_source_reads_as_a_thousand_balanced_sentences_despite_stray_quotes()
    {
        foreach (var source in new[] { "amazon", "imdb", "yelp" })
        {
            var rows = Enumerable.Range(0, data.Texts.Length).Where(i => data.Sources[i] == source).ToArray();
            Assert.Equal(1000, rows.Length);
            Assert.Equal(500, rows.Count(i => data.Positive[i]));
        }
    }

    [Fact]
    public void Ten_fold_cross_validated_accuracy_reaches_0_86()
    {
        var cv = SentimentEvaluation.CrossValidate(data.Texts, data.Positive, folds: 10, seed: 42);
        Assert.True(cv.Accuracy >= 0.86, $"10-fold CV accuracy {cv.Accuracy:F4}");
    }

    [Fact]
    public void Leave_one_source_out_accuracy_reaches_0_80()
    {
        var loso = SentimentEvaluation.LeaveOneGroupOut(data.Texts, data.Positive, data.Sources);
        Assert.Equal(3, loso.PerFold.Count);
        Assert.True(loso.Accuracy >= 0.80, $"leave-one-source-out accuracy {loso.Accuracy:F4} ({string.Join(", ", loso.PerFold.Select(a => a.ToString("F3")))})");
    }

    [Fact]
    public void Lexicon_fallback_needs_no_training_and_reaches_0_80()
    {
        var accuracy = SentimentEvaluation.Accuracy(new LexiconSentimentScorer(), data.Texts, data.Positive);
        Assert.True(accuracy >= 0.80, $"lexicon-only accuracy {accuracy:F4}");
    }

    [Fact]
    public void Model_trained_on_the_reviews_reads_negation_contrast_emphasis_and_emoji()
    {
        var model = SentimentModel.Train(data.Texts, data.Positive);
        Assert.True(model.Score("The food was good.").Score > 0);
        Assert.True(model.Score("The food was not good.").Score < 0);
        Assert.True(model.Score("Never again.").Score < 0);
        Assert.True(model.Score("The food was great but the service was terrible.").Score < 0);
        Assert.True(model.Score("The service was terrible but the food was great.").Score > 0);
        Assert.True(model.Score("Great phone!!!").Score > model.Score("Great phone.").Score);
        Assert.True(model.Score("arrived today 👍").Score > model.Score("arrived today 👎").Score);
        Assert.Equal(SentimentLabel.Positive, model.Score("Excellent service, highly recommend!").Label);
        Assert.Equal(SentimentLabel.Negative, model.Score("Terrible, it broke after two days.").Label);
    }
}
