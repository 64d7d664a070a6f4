using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Centric.Analytics.Churn;

/// <summary>
/// Grows one regression tree leaf-wise (best gain first) from gradient/hessian histograms of binned
/// features — the LightGBM recipe: a child's histogram is its parent's minus its sibling's, so only the
/// smaller child is ever counted row by row.
/// </summary>
internal sealed class HistogramTreeGrower
{
    private struct Bin
    {
        public double G;
        public double H;
        public int N;
    }

    private struct Split
    {
        public int Feature;
        public double Gain;
        public int Threshold;
        public bool MissingLeft;
        public ulong[]? LeftBins;
        public double LeftG, LeftH;
        public int LeftN;
    }

    private sealed class Leaf
    {
        public int Node;
        public int Start;
        public int Count;
        public double G;
        public double H;
        public int Depth;
        public Bin[]? Histogram;
        public Split Best;
    }

    private readonly byte[] _bins;
    private readonly int _features;
    private readonly FeatureBinning[] _binnings;
    private readonly int[] _offset;
    private readonly int _totalBins;
    private readonly GradientBoostingOptions _options;
    private readonly Stack<Bin[]> _pool = new();
    private int[] _scratch = [];

    public HistogramTreeGrower(byte[] bins, FeatureBinning[] binnings, GradientBoostingOptions options)
    {
        _bins = bins;
        _binnings = binnings;
        _features = binnings.Length;
        _options = options;
        _offset = new int[_features];
        for (var f = 0; f < _features; f++)
        {
            _offset[f] = _totalBins;
            _totalBins += binnings[f].BinCount;
        }
    }

    /// <summary>
    /// Grows a tree on <paramref name="rows"/> (reordered in place so each leaf's rows are contiguous, as listed
    /// in <paramref name="leafRanges"/>); leaf values include the learning rate.
    /// </summary>
    public RegressionTree Grow(double[] gradients, double[] hessians, int[] rows, bool[] usableFeature, List<(int Node, int Start, int Count)> leafRanges)
    {
        leafRanges.Clear();
        if (_scratch.Length < rows.Length) _scratch = new int[rows.Length];
        var nodes = new List<TreeNode>();
        var root = new Leaf { Node = 0, Start = 0, Count = rows.Length, Depth = 0 };
        foreach (var r in rows)
        {
            root.G += gradients[r];
            root.H += hessians[r];
        }
        nodes.Add(new TreeNode { Feature = -1, Cover = rows.Length });
        root.Histogram = Rent();
        Fill(root.Histogram, rows.AsSpan(0, rows.Length), gradients, hessians);
        FindBest(root, usableFeature);

        var leaves = new List<Leaf> { root };
        while (leaves.Count < _options.MaxLeaves)
        {
            Leaf? best = null;
            foreach (var leaf in leaves)
                if (leaf.Best.Gain > _options.MinSplitGain && (best is null || leaf.Best.Gain > best.Best.Gain)) best = leaf;
            if (best is null) break;
            var (left, right) = SplitLeaf(best, nodes, rows, gradients, hessians);
            leaves.Remove(best);
            leaves.Add(left);
            leaves.Add(right);
            FindBest(left, usableFeature);
            FindBest(right, usableFeature);
        }

        var l2 = _options.L2Regularization;
        var shrink = _options.LearningRate;
        var result = nodes.ToArray();
        foreach (var leaf in leaves)
        {
            result[leaf.Node].Value = -leaf.G / (leaf.H + l2) * shrink;
            leafRanges.Add((leaf.Node, leaf.Start, leaf.Count));
            if (leaf.Histogram is not null) _pool.Push(leaf.Histogram);
        }
        return new RegressionTree(result);
    }

    private Bin[] Rent() => _pool.Count > 0 ? _pool.Pop() : new Bin[_totalBins];

    private void Fill(Bin[] histogram, ReadOnlySpan<int> rows, double[] gradients, double[] hessians)
    {
        Array.Clear(histogram);
        var features = _features;
        var offset = _offset;
        ref var first = ref MemoryMarshal.GetArrayDataReference(histogram);
        ref var offsets = ref MemoryMarshal.GetArrayDataReference(offset);
        foreach (var r in rows)
        {
            var g = gradients[r];
            var h = hessians[r];
            ref var row = ref _bins[r * features];
            // Bins are below each feature's BinCount by construction, so the unchecked indexing stays inside the histogram.
            for (var f = 0; f < features; f++)
            {
                ref var b = ref Unsafe.Add(ref first, Unsafe.Add(ref offsets, f) + Unsafe.Add(ref row, f));
                b.G += g;
                b.H += h;
                b.N++;
            }
        }
    }

    private (Leaf Left, Leaf Right) SplitLeaf(Leaf leaf, List<TreeNode> nodes, int[] rows, double[] gradients, double[] hessians)
    {
        var split = leaf.Best;
        var leftNode = nodes.Count;
        var rightNode = leftNode + 1;
        var node = nodes[leaf.Node];
        node.Feature = split.Feature;
        node.Threshold = split.Threshold;
        node.MissingLeft = split.MissingLeft;
        node.LeftBins = split.LeftBins;
        node.Left = leftNode;
        node.Right = rightNode;
        nodes[leaf.Node] = node;

        // Partition the leaf's rows: left ones stay in front, right ones are gathered in scratch and copied after.
        var span = rows.AsSpan(leaf.Start, leaf.Count);
        int leftCount = 0, rightCount = 0;
        foreach (var r in span)
        {
            if (node.GoesLeft(_bins[r * _features + split.Feature])) span[leftCount++] = r;
            else _scratch[rightCount++] = r;
        }
        _scratch.AsSpan(0, rightCount).CopyTo(span[leftCount..]);

        nodes.Add(new TreeNode { Feature = -1, Cover = leftCount });
        nodes.Add(new TreeNode { Feature = -1, Cover = rightCount });
        var left = new Leaf { Node = leftNode, Start = leaf.Start, Count = leftCount, G = split.LeftG, H = split.LeftH, Depth = leaf.Depth + 1 };
        var right = new Leaf { Node = rightNode, Start = leaf.Start + leftCount, Count = rightCount, G = leaf.G - split.LeftG, H = leaf.H - split.LeftH, Depth = leaf.Depth + 1 };

        var (small, large) = leftCount <= rightCount ? (left, right) : (right, left);
        small.Histogram = Rent();
        Fill(small.Histogram, rows.AsSpan(small.Start, small.Count), gradients, hessians);
        var parent = leaf.Histogram!;
        for (var i = 0; i < parent.Length; i++)
        {
            parent[i].G -= small.Histogram[i].G;
            parent[i].H -= small.Histogram[i].H;
            parent[i].N -= small.Histogram[i].N;
        }
        large.Histogram = parent;
        leaf.Histogram = null;
        return (left, right);
    }

    private void FindBest(Leaf leaf, bool[] usableFeature)
    {
        leaf.Best = default;
        var maxDepth = _options.MaxDepth;
        if ((maxDepth > 0 && leaf.Depth >= maxDepth) || leaf.Count < 2 * _options.MinRowsPerLeaf)
        {
            // Cannot split further: its histogram is no longer needed.
            if (leaf.Histogram is not null) _pool.Push(leaf.Histogram);
            leaf.Histogram = null;
            return;
        }
        var parentScore = leaf.G * leaf.G / (leaf.H + _options.L2Regularization);
        for (var f = 0; f < _features; f++)
        {
            if (!usableFeature[f]) continue;
            if (_binnings[f].IsCategorical) CategoricalSplit(leaf, f, parentScore);
            else NumericSplit(leaf, f, parentScore);
        }
        if (leaf.Best.Gain <= _options.MinSplitGain && leaf.Histogram is not null)
        {
            _pool.Push(leaf.Histogram);
            leaf.Histogram = null;
        }
    }

    private double Gain(double lg, double lh, int ln, double rg, double rh, int rn, double parentScore)
    {
        if (ln < _options.MinRowsPerLeaf || rn < _options.MinRowsPerLeaf) return double.NegativeInfinity;
        var minH = _options.MinHessianPerLeaf;
        if (lh < minH || rh < minH) return double.NegativeInfinity;
        var l2 = _options.L2Regularization;
        return lg * lg / (lh + l2) + rg * rg / (rh + l2) - parentScore;
    }

    private void NumericSplit(Leaf leaf, int f, double parentScore)
    {
        var histogram = leaf.Histogram!.AsSpan(_offset[f], _binnings[f].BinCount);
        var missing = histogram[0];
        double lg = 0, lh = 0;
        var ln = 0;
        for (var b = 1; b < histogram.Length - 1; b++)
        {
            lg += histogram[b].G;
            lh += histogram[b].H;
            ln += histogram[b].N;
            if (histogram[b].N == 0) continue; // same partition as the previous threshold
            var rn = leaf.Count - ln - missing.N;
            var gain = Gain(lg, lh, ln, leaf.G - lg, leaf.H - lh, leaf.Count - ln, parentScore);
            if (gain > leaf.Best.Gain)
            {
                // With no missing values here, send future missing values to the busier side.
                var missingLeft = missing.N == 0 && ln >= rn;
                leaf.Best = new Split { Feature = f, Gain = gain, Threshold = b, MissingLeft = missingLeft, LeftG = lg, LeftH = lh, LeftN = ln };
            }
            if (missing.N == 0) continue;
            gain = Gain(lg + missing.G, lh + missing.H, ln + missing.N, leaf.G - lg - missing.G, leaf.H - lh - missing.H, leaf.Count - ln - missing.N, parentScore);
            if (gain > leaf.Best.Gain)
                leaf.Best = new Split { Feature = f, Gain = gain, Threshold = b, MissingLeft = true, LeftG = lg + missing.G, LeftH = lh + missing.H, LeftN = ln + missing.N };
        }
    }

    private void CategoricalSplit(Leaf leaf, int f, double parentScore)
    {
        var histogram = leaf.Histogram!.AsSpan(_offset[f], _binnings[f].BinCount);
        // Missing (bin 0) is treated as one more category.
        Span<int> present = stackalloc int[histogram.Length];
        Span<double> ratio = stackalloc double[histogram.Length];
        var count = 0;
        for (var b = 0; b < histogram.Length; b++)
        {
            if (histogram[b].N == 0) continue;
            present[count] = b;
            ratio[count] = histogram[b].G / (histogram[b].H + _options.CategorySmoothing);
            count++;
        }
        if (count < 2) return;
        present = present[..count];
        ratio = ratio[..count];
        ratio.Sort(present);
        // Sorting categories by gradient ratio makes the best binary partition one of these prefixes.
        double lg = 0, lh = 0;
        int ln = 0, bestPrefix = -1;
        double bestGain = leaf.Best.Gain, bestG = 0, bestH = 0;
        var bestN = 0;
        for (var i = 0; i < count - 1; i++)
        {
            ref readonly var b = ref histogram[present[i]];
            lg += b.G;
            lh += b.H;
            ln += b.N;
            var gain = Gain(lg, lh, ln, leaf.G - lg, leaf.H - lh, leaf.Count - ln, parentScore);
            if (gain > bestGain)
            {
                (bestGain, bestPrefix, bestG, bestH, bestN) = (gain, i, lg, lh, ln);
            }
        }
        if (bestPrefix < 0) return;
        var mask = new ulong[4];
        for (var i = 0; i <= bestPrefix; i++) mask[present[i] >> 6] |= 1UL << (present[i] & 63);
        if (bestN >= leaf.Count - bestN)
        {
            // Categories absent here (and unseen ones, which arrive as missing) follow the busier side.
            for (var b = 0; b < histogram.Length; b++)
                if (histogram[b].N == 0) mask[b >> 6] |= 1UL << (b & 63);
            for (var b = histogram.Length; b < 256; b++) mask[b >> 6] |= 1UL << (b & 63);
        }
        leaf.Best = new Split { Feature = f, Gain = bestGain, LeftBins = mask, LeftG = bestG, LeftH = bestH, LeftN = bestN };
    }
}
