using Centric.Analytics.Recommendations;
using MathNet.Numerics.LinearAlgebra;

namespace Centric.Analytics.Tests.Recommendations;

public class ModelMathTests
{
    private static readonly DateTimeOffset T0 = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static Interaction Buy(string user, string item, int day = 0) => new(user, item, InteractionKind.Purchase, T0.AddDays(day));

    // u1: A,B · u2: A,B,C · u3: A,C · u4: D. Counts A=3, B=2, C=2, D=1; together AB=2, AC=2, BC=1.
    internal static readonly Interaction[] Baskets =
    [
        Buy("u1", "A"), Buy("u1", "B"),
        Buy("u2", "A"), Buy("u2", "B"), Buy("u2", "C"),
        Buy("u3", "A"), Buy("u3", "C"),
        Buy("u4", "D"),
    ];

    [Theory]
    [InlineData(ItemSimilarityMeasure.Jaccard, 2.0 / 3, 2.0 / 3, 1.0 / 3)]
    [InlineData(ItemSimilarityMeasure.Lift, 2.0 / 6, 2.0 / 6, 1.0 / 4)]
    [InlineData(ItemSimilarityMeasure.Cooccurrence, 2, 2, 1)]
    public void Item_similarity_follows_the_measure_on_a_tiny_matrix(ItemSimilarityMeasure measure, double ab, double ac, double bc)
    {
        var model = RecommenderTrainer.Train(Baskets, new RecommenderOptions { Model = RecommenderModelKind.ItemSimilarity, Similarity = measure });
        var related = model.BoughtTogether("B", 3);
        Assert.Equal(["A", "C", "D"], related.Select(r => r.ItemId));
        Assert.Equal(ab, related[0].Score, 5);
        Assert.Equal(bc, related[1].Score, 5);
        Assert.Equal(RecommendationSource.Model, related[0].Source);
        // D never co-occurs with B: it only fills the list as a popular item.
        Assert.Equal(RecommendationSource.Popular, related[2].Source);
        Assert.Equal(ac, model.BoughtTogether("A", 2).Single(r => r.ItemId == "C").Score, 5);
    }

    [Fact]
    public void Item_similarity_scores_a_customer_by_summed_similarity_and_skips_what_they_bought()
    {
        var model = RecommenderTrainer.Train(Baskets, new RecommenderOptions { Model = RecommenderModelKind.ItemSimilarity });
        var top = model.RecommendForUser("u1", 2);
        // C: jaccard(A,C) + jaccard(B,C) = 2/3 + 1/3.
        Assert.Equal("C", top[0].ItemId);
        Assert.Equal(1.0, top[0].Score, 5);
        Assert.Equal(("D", RecommendationSource.Popular), (top[1].ItemId, top[1].Source));
    }

    [Fact]
    public void Time_decay_halves_an_interest_one_half_life_older_than_the_latest()
    {
        // u bought A, then B thirty days later; C goes with A only and D with B only, equally strongly.
        Interaction[] data = [Buy("u", "A", 0), Buy("u", "B", 30), Buy("x1", "A"), Buy("x1", "C"), Buy("x2", "B"), Buy("x2", "D")];
        var options = new RecommenderOptions { Model = RecommenderModelKind.ItemSimilarity, DecayHalfLife = TimeSpan.FromDays(30) };
        var top = RecommenderTrainer.Train(data, options).RecommendForUser("u", 2);
        Assert.Equal(["D", "C"], top.Select(t => t.ItemId));
        Assert.Equal(0.5, top[0].Score, 5);
        Assert.Equal(0.25, top[1].Score, 5);
        var flat = RecommenderTrainer.Train(data, options with { DecayHalfLife = null }).RecommendForUser("u", 2);
        Assert.Equal(flat[0].Score, flat[1].Score, 6);
    }

    [Fact]
    public void Ease_on_two_items_matches_the_hand_solved_closed_form()
    {
        // u1: A,B · u2: A · u3: B → G = [[2,1],[1,2]]; λ = 1, r = 0 → G + Λ = [[3,1],[1,3]], det 8,
        // P[A,B] = −1/8, so B[A,B] = −P[A,B]·Λ_B = 1/8.
        Interaction[] data = [Buy("u1", "A"), Buy("u1", "B"), Buy("u2", "A"), Buy("u3", "B")];
        var model = RecommenderTrainer.Train(data, new RecommenderOptions { Model = RecommenderModelKind.Ease, EaseLambda = 1, PopularityRidge = 0 });
        var related = model.BoughtTogether("A", 1);
        Assert.Equal("B", related[0].ItemId);
        Assert.Equal(0.125, related[0].Score, 6);
    }

    [Fact]
    public void Ease_weights_match_a_double_precision_reference_solution()
    {
        const float lambda = 2f, ridge = 0.5f;
        var model = RecommenderTrainer.Train(Baskets, new RecommenderOptions { Model = RecommenderModelKind.Ease, EaseLambda = lambda, PopularityRidge = ridge });
        string[] items = ["A", "B", "C", "D"];
        var x = Matrix<double>.Build.Dense(4, 4);
        foreach (var e in Baskets) x[int.Parse(e.UserId[1..]) - 1, Array.IndexOf(items, e.ItemId)] = 1;
        var g = x.TransposeThisAndMultiply(x);
        var penalty = Vector<double>.Build.Dense(4, i => lambda + ridge * g[i, i]);
        var p = (g + Matrix<double>.Build.DenseOfDiagonalVector(penalty)).Inverse();
        var ease = Assert.IsType<EaseScorer>(model.Scorer);
        for (var i = 0; i < 4; i++)
            for (var j = 0; j < 4; j++)
            {
                var expected = i == j ? 0 : -p[i, j] * penalty[j];
                Assert.Equal(expected, ease.Weight(model.IndexOf(items[i]), model.IndexOf(items[j])), 5);
            }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(37)]
    [InlineData(130)]
    public void Symmetric_inverse_matches_a_reference_inverse(int n)
    {
        var random = new Random(n);
        var m = Matrix<double>.Build.Dense(n + 3, n, (_, _) => random.Next(3) == 0 ? 1 : 0);
        var a = m.TransposeThisAndMultiply(m) + Matrix<double>.Build.DenseIdentity(n) * 5;
        var flat = new float[n * n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) flat[i * n + j] = (float)a[i, j];
        var inverse = SymmetricInverse.Invert(flat, n, 2);
        var reference = a.Inverse();
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++) Assert.Equal(reference[i, j], inverse[i * n + j], 4);
    }

    [Fact]
    public void Symmetric_inverse_refuses_a_matrix_that_is_not_positive_definite()
    {
        float[] a = [1, 2, 2, 1];
        Assert.Throws<AnalyticsException>(() => SymmetricInverse.Invert(a, 2, 1));
    }
}
