using Centric.Analytics.Churn;

namespace Centric.Analytics.Tests.Churn;

public class TreeTests
{
    private static readonly GradientBoostingOptions OneStump = new()
    {
        LearningRate = 1,
        MaxLeaves = 2,
        MinRowsPerLeaf = 1,
        L2Regularization = 1,
        CategorySmoothing = 0,
        RowFraction = 1,
        FeatureFraction = 1,
    };

    // First boosting round from p = 0.5: gradient p − y = ±0.5, hessian 0.25.
    private static (double[] G, double[] H) FirstRound(bool[] churned) =>
        (churned.Select(c => c ? -0.5 : 0.5).ToArray(), churned.Select(_ => 0.25).ToArray());

    [Fact]
    public void Numeric_split_separates_churners_and_leaf_values_follow_newton_step()
    {
        // Feature 0 separates perfectly between 4 and 5; feature 1 alternates and carries no signal.
        double[] x0 = [1, 2, 3, 4, 5, 6, 7, 8];
        double[] x1 = [1, 2, 1, 2, 1, 2, 1, 2];
        bool[] churned = [false, false, false, false, true, true, true, true];
        var matrix = new double[16];
        for (var r = 0; r < 8; r++) (matrix[2 * r], matrix[2 * r + 1]) = (x0[r], x1[r]);
        FeatureBinning[] binnings = [FeatureBinning.Numeric(matrix, 2, 0, 255), FeatureBinning.Numeric(matrix, 2, 1, 255)];
        var bins = matrix.Select((v, i) => binnings[i % 2].BinOf(v)).ToArray();
        var (g, h) = FirstRound(churned);

        var tree = new HistogramTreeGrower(bins, binnings, OneStump).Grow(g, h, [.. Enumerable.Range(0, 8)], [true, true], []);

        var root = tree.Nodes[0];
        Assert.Equal(0, root.Feature);
        Assert.Equal(4, root.Threshold); // values 1..4 are bins 1..4
        // Left: G = 4·0.5 = 2, H = 1 → −2/(1+λ) = −1; right: +1.
        Assert.Equal(-1.0, tree.Nodes[root.Left].Value, 12);
        Assert.Equal(1.0, tree.Nodes[root.Right].Value, 12);
        Assert.Equal(4, tree.Nodes[root.Left].Cover);
    }

    [Fact]
    public void Categorical_split_puts_the_churning_category_alone()
    {
        // A: 3 churners; B: 3 stayers; C: 1 churner, 2 stayers.
        // Sorted by G/H: A(−2), C(0.67), B(2). {A}|{B,C}: 1.5²/1.75 + 2²/2.5 = 2.886 beats {A,C}|{B}: 1.686.
        double[] codes = [0, 0, 0, 1, 1, 1, 2, 2, 2];
        bool[] churned = [true, true, true, false, false, false, true, false, false];
        FeatureBinning[] binnings = [FeatureBinning.Categorical(3)];
        var bins = codes.Select(binnings[0].BinOf).ToArray();
        var (g, h) = FirstRound(churned);

        var tree = new HistogramTreeGrower(bins, binnings, OneStump).Grow(g, h, [.. Enumerable.Range(0, 9)], [true], []);

        var root = tree.Nodes[0];
        Assert.NotNull(root.LeftBins);
        Assert.True(root.GoesLeft(1));
        Assert.False(root.GoesLeft(2));
        Assert.False(root.GoesLeft(3));
        Assert.False(root.GoesLeft(0)); // missing was never seen: it follows the busier side (right)
        Assert.Equal(1.5 / 1.75, tree.Nodes[root.Left].Value, 12);
        Assert.Equal(-2 / 2.5, tree.Nodes[root.Right].Value, 12);
    }

    [Fact]
    public void Numeric_binning_cuts_between_distinct_values_and_keeps_missing_apart()
    {
        var binning = FeatureBinning.Numeric([3, 1, double.NaN, 2, 2], 1, 0, 255);
        Assert.Equal([1.5, 2.5], binning.Thresholds);
        Assert.Equal(0, binning.BinOf(double.NaN));
        Assert.Equal(1, binning.BinOf(-100));
        Assert.Equal(2, binning.BinOf(2));
        Assert.Equal(3, binning.BinOf(1000));
    }

    [Fact]
    public void Tree_shap_matches_brute_force_shapley_values()
    {
        // Feature 0 is split on twice along one path, which is the case TreeSHAP must unwind.
        TreeNode[] nodes =
        [
            Split(0, 2, 1, 2, 100), Split(1, 1, 3, 4, 60), Split(0, 3, 5, 6, 40),
            Leaf(1.0, 30), Split(2, 1, 7, 8, 30), Leaf(-0.5, 15), Leaf(2.0, 25), Leaf(0.3, 10), Leaf(-1.2, 20),
        ];
        var tree = new RegressionTree(nodes);
        foreach (var x in new byte[][] { [3, 2, 1], [1, 1, 2], [2, 2, 2], [4, 1, 1], [0, 0, 0] })
        {
            var phi = new double[3];
            tree.AddShapleyValues(x, phi);
            for (var i = 0; i < 3; i++) Assert.Equal(BruteForceShapley(tree, x, i, 3), phi[i], 10);
            Assert.Equal(tree.Predict(x), tree.ExpectedValue() + phi.Sum(), 10);
        }
    }

    private static TreeNode Split(int feature, int threshold, int left, int right, double cover) =>
        new() { Feature = feature, Threshold = threshold, Left = left, Right = right, Cover = cover };

    private static TreeNode Leaf(double value, double cover) => new() { Feature = -1, Value = value, Cover = cover };

    // E[f(x) | features in `known` fixed], averaging unknown splits by training cover.
    private static double Conditional(RegressionTree tree, int node, byte[] x, int known)
    {
        var n = tree.Nodes[node];
        if (n.Feature < 0) return n.Value;
        if ((known & (1 << n.Feature)) != 0) return Conditional(tree, n.GoesLeft(x[n.Feature]) ? n.Left : n.Right, x, known);
        return (tree.Nodes[n.Left].Cover * Conditional(tree, n.Left, x, known) + tree.Nodes[n.Right].Cover * Conditional(tree, n.Right, x, known)) / n.Cover;
    }

    private static double BruteForceShapley(RegressionTree tree, byte[] x, int feature, int m)
    {
        double phi = 0;
        for (var s = 0; s < 1 << m; s++)
        {
            if ((s & (1 << feature)) != 0) continue;
            var size = System.Numerics.BitOperations.PopCount((uint)s);
            var weight = Factorial(size) * Factorial(m - size - 1) / Factorial(m);
            phi += weight * (Conditional(tree, 0, x, s | (1 << feature)) - Conditional(tree, 0, x, s));
        }
        return phi;
    }

    private static double Factorial(int n) => n <= 1 ? 1 : n * Factorial(n - 1);
}
