namespace Centric.Analytics.Churn;

/// <summary>One node of a tree grown on binned features. A leaf has <see cref="Feature"/> = -1.</summary>
internal struct TreeNode
{
    public int Feature;
    /// <summary>Numeric split: non-missing bins ≤ Threshold go left.</summary>
    public int Threshold;
    /// <summary>Numeric split: where missing values (bin 0) go.</summary>
    public bool MissingLeft;
    /// <summary>Categorical split: bitset of the bins (missing included) that go left; null for numeric.</summary>
    public ulong[]? LeftBins;
    public int Left;
    public int Right;
    /// <summary>Leaf: the output added to the log-odds (learning rate applied).</summary>
    public double Value;
    /// <summary>Training rows that reached the node (used by TreeSHAP).</summary>
    public double Cover;

    public readonly bool GoesLeft(byte bin) =>
        LeftBins is not null ? ((LeftBins[bin >> 6] >> (bin & 63)) & 1) != 0
        : bin == 0 ? MissingLeft : bin <= Threshold;
}

/// <summary>A regression tree over binned features, with exact path-dependent TreeSHAP explanations.</summary>
internal sealed class RegressionTree(TreeNode[] nodes)
{
    public TreeNode[] Nodes { get; } = nodes;

    private readonly int _depth = DepthOf(nodes);

    public double Predict(ReadOnlySpan<byte> bins)
    {
        var nodes = Nodes;
        var i = 0;
        while (nodes[i].Feature >= 0)
            i = nodes[i].GoesLeft(bins[nodes[i].Feature]) ? nodes[i].Left : nodes[i].Right;
        return nodes[i].Value;
    }

    /// <summary>The cover-weighted mean of the leaves: the tree's output when nothing is known about the customer.</summary>
    public double ExpectedValue()
    {
        double sum = 0;
        foreach (var node in Nodes)
            if (node.Feature < 0) sum += node.Value * node.Cover;
        return sum / Nodes[0].Cover;
    }

    private struct PathElement
    {
        public int Feature;
        public double Zero; // fraction of "feature unknown" paths that flow this way
        public double One;  // 1 if the customer's own value flows this way, else 0
        public double Weight;
    }

    /// <summary>
    /// Adds this tree's Shapley values to <paramref name="phi"/> (Lundberg, Erion and Lee 2018, "Consistent
    /// individualized feature attribution for tree ensembles", Algorithm 2). Their sum equals
    /// <see cref="Predict"/> minus <see cref="ExpectedValue"/>.
    /// </summary>
    public void AddShapleyValues(ReadOnlySpan<byte> bins, Span<double> phi)
    {
        if (Nodes.Length == 1) return;
        // Every level of the recursion keeps its path in its own slice of one buffer (level d starts at (d+1)(d+2)/2 and
        // holds d+1 elements), so an explanation allocates nothing per node: it runs once per customer per tree.
        var size = (_depth + 2) * (_depth + 3) / 2;
        Span<PathElement> paths = size <= 512 ? stackalloc PathElement[size] : new PathElement[size];
        Recurse(0, paths, 0, 0, 1, 1, -1, bins, phi);
    }

    // parentStart: where the parent's path starts in paths; depth: how many elements the parent's path holds (this node's
    // path holds one more).
    private void Recurse(int node, Span<PathElement> paths, int parentStart, int depth, double zero, double one, int feature,
        ReadOnlySpan<byte> bins, Span<double> phi)
    {
        var start = parentStart + depth + 1;
        var path = paths.Slice(start, depth + 1);
        paths.Slice(parentStart, depth).CopyTo(path);
        Extend(path, depth, zero, one, feature);
        ref readonly var n = ref Nodes[node];
        if (n.Feature < 0)
        {
            for (var i = 1; i <= depth; i++)
                phi[path[i].Feature] += UnwoundSum(path, depth, i) * (path[i].One - path[i].Zero) * n.Value;
            return;
        }
        var (hot, cold) = n.GoesLeft(bins[n.Feature]) ? (n.Left, n.Right) : (n.Right, n.Left);
        double incomingZero = 1, incomingOne = 1;
        // A feature split on twice along a path counts once: undo its earlier entry and carry its fractions.
        for (var k = 1; k <= depth; k++)
        {
            if (path[k].Feature != n.Feature) continue;
            incomingZero = path[k].Zero;
            incomingOne = path[k].One;
            Unwind(path, depth, k);
            depth--;
            break;
        }
        Recurse(hot, paths, start, depth + 1, incomingZero * Nodes[hot].Cover / n.Cover, incomingOne, n.Feature, bins, phi);
        Recurse(cold, paths, start, depth + 1, incomingZero * Nodes[cold].Cover / n.Cover, 0, n.Feature, bins, phi);
    }

    /// <summary>Appends an element to a path of <paramref name="last"/> elements (written at index <paramref name="last"/>).</summary>
    private static void Extend(Span<PathElement> path, int last, double zero, double one, int feature)
    {
        path[last] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = last == 0 ? 1 : 0 };
        for (var i = last - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (last + 1);
            path[i].Weight = zero * path[i].Weight * (last - i) / (last + 1);
        }
    }

    /// <summary>Removes element <paramref name="index"/> from a path whose last element is at <paramref name="last"/>.</summary>
    private static void Unwind(Span<PathElement> path, int last, int index)
    {
        var one = path[index].One;
        var zero = path[index].Zero;
        var next = path[last].Weight;
        for (var j = last - 1; j >= 0; j--)
        {
            if (one != 0)
            {
                var t = path[j].Weight;
                path[j].Weight = next * (last + 1) / ((j + 1) * one);
                next = t - path[j].Weight * zero * (last - j) / (last + 1);
            }
            else
            {
                path[j].Weight = path[j].Weight * (last + 1) / (zero * (last - j));
            }
        }
        for (var j = index; j < last; j++)
        {
            path[j].Feature = path[j + 1].Feature;
            path[j].Zero = path[j + 1].Zero;
            path[j].One = path[j + 1].One;
        }
    }

    /// <summary>The total weight the path would have with element <paramref name="index"/> unwound, leaving the path as it is.</summary>
    private static double UnwoundSum(ReadOnlySpan<PathElement> path, int last, int index)
    {
        var one = path[index].One;
        var zero = path[index].Zero;
        double sum = 0;
        if (one != 0)
        {
            var next = path[last].Weight;
            for (var j = last - 1; j >= 0; j--)
            {
                var w = next * (last + 1) / ((j + 1) * one);
                sum += w;
                next = path[j].Weight - w * zero * (last - j) / (last + 1);
            }
        }
        else
        {
            for (var j = last - 1; j >= 0; j--) sum += path[j].Weight * (last + 1) / (zero * (last - j));
        }
        return sum;
    }

    /// <summary>The number of splits on the longest path from the root to a leaf.</summary>
    private static int DepthOf(TreeNode[] nodes)
    {
        var deepest = 0;
        var stack = new Stack<(int Node, int Depth)>();
        stack.Push((0, 0));
        while (stack.Count > 0)
        {
            var (node, depth) = stack.Pop();
            deepest = Math.Max(deepest, depth);
            if (nodes[node].Feature < 0) continue;
            stack.Push((nodes[node].Left, depth + 1));
            stack.Push((nodes[node].Right, depth + 1));
        }
        return deepest;
    }

    public void Write(BinaryWriter writer)
    {
        writer.Write(Nodes.Length);
        foreach (var n in Nodes)
        {
            writer.Write(n.Feature);
            writer.Write(n.Value);
            writer.Write(n.Cover);
            if (n.Feature < 0) continue;
            writer.Write(n.Left);
            writer.Write(n.Right);
            writer.Write(n.Threshold);
            writer.Write(n.MissingLeft);
            writer.Write(n.LeftBins is not null);
            if (n.LeftBins is not null) foreach (var word in n.LeftBins) writer.Write(word);
        }
    }

    public static RegressionTree Read(BinaryReader reader, int featureCount)
    {
        var nodes = new TreeNode[reader.ReadInt32()];
        for (var i = 0; i < nodes.Length; i++)
        {
            ref var n = ref nodes[i];
            n.Feature = reader.ReadInt32();
            n.Value = reader.ReadDouble();
            n.Cover = reader.ReadDouble();
            if (n.Feature < 0) continue;
            if (n.Feature >= featureCount) throw new AnalyticsException("the saved churn model is damaged: a split names an unknown feature");
            n.Left = reader.ReadInt32();
            n.Right = reader.ReadInt32();
            n.Threshold = reader.ReadInt32();
            n.MissingLeft = reader.ReadBoolean();
            if (reader.ReadBoolean()) n.LeftBins = [reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64(), reader.ReadUInt64()];
            if ((uint)n.Left >= nodes.Length || (uint)n.Right >= nodes.Length || n.Left <= i || n.Right <= i)
                throw new AnalyticsException("the saved churn model is damaged: a split points outside its tree");
        }
        return new RegressionTree(nodes);
    }
}
