using Centric.Analytics.Sentiment;

namespace Centric.Analytics.Tests.Sentiment;

public class SentimentModelTests
{
    private static readonly string[] Texts =
    [
        "good", "good food", "really good", "good service", "great", "great food", "loved it", "good value",
        "not good", "bad", "bad food", "not good service", "terrible", "awful service", "hated it", "not good at all",
    ];

    private static readonly bool[] Labels = [.. Enumerable.Repeat(true, 8), .. Enumerable.Repeat(false, 8)];

    // Words only and no lexicon, so what is tested is what the n-gram model learned.
    private static readonly SentimentTrainingOptions NgramsOnly = new() { LexiconWeight = 0, CharNGramMin = 0, HashBits = 12, Cost = 10 };

    [Fact]
    public void Trained_model_reads_good_and_not_good_with_opposite_signs()
    {
        var model = SentimentModel.Train(Texts, Labels, NgramsOnly);
        Assert.True(model.Score("good").Score > 0);
        Assert.True(model.Score("not good").Score < 0);
        Assert.True(model.Score("the food was good").Score > 0);
    }

    [Fact]
    public void Negation_marking_makes_the_governed_word_a_separate_feature()
    {
        // Without marking, "good" is seen in three negatives and leans less positive.
        var marked = SentimentModel.Train(Texts, Labels, NgramsOnly);
        var unmarked = SentimentModel.Train(Texts, Labels, NgramsOnly with { MarkNegation = false });
        Assert.True(marked.Score("good").Score > unmarked.Score("good").Score);
    }

    [Fact]
    public void Default_model_with_lexicon_handles_words_it_never_saw_in_training()
    {
        var model = SentimentModel.Train(Texts, Labels);
        Assert.True(model.Score("superb, thank you 👍").Score > 0);
        Assert.True(model.Score("disgusting 😡").Score < 0);
    }

    [Fact]
    public void Save_and_load_give_identical_scores_and_bytes()
    {
        var model = SentimentModel.Train(Texts, Labels);
        var saved = Save(model);
        var loaded = SentimentModel.Load(new MemoryStream(saved));
        foreach (var text in new[] { "good", "not good", "Loved it!!!", "awful service but great food", "🙂", "" })
        {
            Assert.Equal(model.Score(text), loaded.Score(text));
        }
        Assert.Equal(saved, Save(loaded));
        Assert.Equal(model.Options, loaded.Options);
    }

    [Fact]
    public void Training_twice_on_the_same_data_writes_the_same_bytes()
    {
        Assert.Equal(Save(SentimentModel.Train(Texts, Labels)), Save(SentimentModel.Train(Texts, Labels)));
    }

    [Fact]
    public void Loading_something_else_fails_clearly()
    {
        var saved = Save(SentimentModel.Train(Texts, Labels, NgramsOnly));
        Assert.Throws<AnalyticsException>(() => SentimentModel.Load(new MemoryStream("not a model at all"u8.ToArray())));
        var otherVersion = (byte[])saved.Clone();
        otherVersion[4] = 99;
        var error = Assert.Throws<AnalyticsException>(() => SentimentModel.Load(new MemoryStream(otherVersion)));
        Assert.Contains("version 99", error.Message, StringComparison.Ordinal);
        Assert.Throws<AnalyticsException>(() => SentimentModel.Load(new MemoryStream(saved[..(saved.Length / 2)])));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" \n\t ")]
    public void Blank_text_is_neutral_zero(string? text)
    {
        var model = SentimentModel.Train(Texts, Labels, NgramsOnly);
        Assert.Equal(SentimentResult.Empty, model.Score(text));
    }

    [Fact]
    public void Training_without_usable_two_class_data_is_refused()
    {
        Assert.Throws<AnalyticsException>(() => SentimentModel.Train([], []));
        Assert.Throws<AnalyticsException>(() => SentimentModel.Train(["  ", null], [true, false]));
        Assert.Throws<AnalyticsException>(() => SentimentModel.Train(["good", "great"], [true, true]));
        Assert.Throws<AnalyticsException>(() => SentimentModel.Train(["good", "bad"], [true]));
        Assert.Throws<AnalyticsException>(() => SentimentModel.Train(["good", "bad"], [true, false], new SentimentTrainingOptions { Cost = double.NaN }));
    }

    private static byte[] Save(SentimentModel model)
    {
        using var stream = new MemoryStream();
        model.Save(stream);
        return stream.ToArray();
    }
}

public class LogisticRegressionSolverTests
{
    [Fact]
    public void Solution_satisfies_the_optimality_condition()
    {
        // Overlapping 2-feature data (second feature a constant for the bias): at the optimum of
        // ½‖w‖² + C Σ log(1 + e^(-y w·x)) the gradient w - C Σ y x σ(-y w·x) is zero.
        double[][] x = [[1.0, 1], [2.0, 1], [0.5, 1], [-1.0, 1], [-2.0, 1], [0.8, 1], [-0.3, 1]];
        sbyte[] y = [1, 1, -1, -1, -1, -1, 1];
        const double cost = 2;
        var rowStart = Enumerable.Range(0, x.Length + 1).Select(i => 2 * i).ToArray();
        var index = x.SelectMany(_ => new[] { 0, 1 }).ToArray();
        var value = x.SelectMany(r => r.Select(v => (float)v)).ToArray();
        var w = LogisticRegressionSolver.Train(new LogisticRegressionSolver.SparseRows(rowStart, index, value, 2), y, cost, seed: 1, tolerance: 1e-8, maxEpochs: 5000);

        var gradient = (double[])w.Clone();
        for (var i = 0; i < x.Length; i++)
        {
            var margin = y[i] * ((w[0] * (float)x[i][0]) + (w[1] * x[i][1]));
            var sigma = 1 / (1 + Math.Exp(margin));
            gradient[0] -= cost * y[i] * (float)x[i][0] * sigma;
            gradient[1] -= cost * y[i] * x[i][1] * sigma;
        }
        Assert.True(Math.Abs(gradient[0]) < 1e-5, $"gradient {gradient[0]}");
        Assert.True(Math.Abs(gradient[1]) < 1e-5, $"gradient {gradient[1]}");
        Assert.True(w[0] > 0); // larger x leans positive in this data
    }
}

public class LabelledSentencesTests
{
    [Fact]
    public void Label_is_what_follows_the_last_tab_and_quotes_stay_in_the_text()
    {
        var parsed = LabelledSentences.Parse(new StringReader("\"Great\" film\t1\nbad\tvery bad  \t0\n\n  \nok\t 1 \n"));
        Assert.Equal(3, parsed.Count);
        Assert.Equal(new LabelledSentence("\"Great\" film", true), parsed[0]);
        Assert.Equal(new LabelledSentence("bad\tvery bad", false), parsed[1]);
        Assert.True(parsed[2].Positive);
    }

    [Theory]
    [InlineData("no label here")]
    [InlineData("text\t2")]
    [InlineData("text\t")]
    public void A_line_without_a_zero_or_one_label_is_refused_with_its_number(string line)
    {
        var error = Assert.Throws<AnalyticsException>(() => LabelledSentences.Parse(new StringReader("fine\t1\n" + line)));
        Assert.Contains("Line 2", error.Message, StringComparison.Ordinal);
    }
}

public class FeatureBagTests
{
    [Fact]
    public void Counts_repeats_and_keeps_counting_after_growing()
    {
        var bag = new FeatureBag();
        for (var round = 0; round < 2; round++)
        {
            for (var key = 0; key < 5000; key++) bag.Add(key * 2);
        }
        bag.Add(42);
        Assert.Equal(5000, bag.Count);
        Assert.All(bag.Counts.ToArray(), c => Assert.True(c >= 2));
        Assert.Equal(3, bag.Counts[bag.Keys.IndexOf(42)]);
        bag.Clear();
        bag.Add(7);
        Assert.Equal(1, bag.Count);
        Assert.Equal(1, bag.Counts[0]);
    }
}

public class SentimentEvaluationTests
{
    private static readonly string[] Texts =
    [
        "good", "good food", "really good", "good service", "great", "great food", "loved it", "good value",
        "not good", "bad", "bad food", "not good service", "terrible", "awful service", "hated it", "not good at all",
    ];

    private static readonly bool[] Labels = [.. Enumerable.Repeat(true, 8), .. Enumerable.Repeat(false, 8)];

    [Fact]
    public void Nested_cross_validation_picks_each_fold_a_cost_from_the_list()
    {
        var (accuracy, chosen) = SentimentEvaluation.NestedCrossValidate(Texts, Labels, [0.5, 5], folds: 4, innerFolds: 2, seed: 3);
        Assert.Equal(4, chosen.Count);
        Assert.All(chosen, c => Assert.Contains(c, new[] { 0.5, 5 }));
        Assert.InRange(accuracy.Accuracy, 0.75, 1);
    }

    [Fact]
    public void Cross_validation_deals_stratified_folds_and_refuses_too_few_texts()
    {
        var cv = SentimentEvaluation.CrossValidate(Texts, Labels, folds: 4, seed: 1);
        Assert.Equal(4, cv.PerFold.Count);
        Assert.InRange(cv.Accuracy, 0.75, 1);
        Assert.Throws<AnalyticsException>(() => SentimentEvaluation.CrossValidate(Texts[..3], Labels[..3], folds: 4));
        Assert.Throws<AnalyticsException>(() => SentimentEvaluation.LeaveOneGroupOut(Texts, Labels, Texts.Select(_ => "one").ToArray()));
    }
}
