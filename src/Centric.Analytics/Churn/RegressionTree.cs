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
        Recurse(0, [], 0, 1, 1, -1, bins, phi);
    }

    private void Recurse(int node, PathElement[] parent, int parentLength, double zero, double one, int feature, ReadOnlySpan<byte> bins, Span<double> phi)
    {
        var path = new PathElement[parentLength + 1];
        Array.Copy(parent, path, parentLength);
        var length = Extend(path, parentLength, zero, one, feature);
        ref readonly var n = ref Nodes[node];
        if (n.Feature < 0)
        {
            for (var i = 1; i < length; i++)
                phi[path[i].Feature] += UnwoundSum(path, length, i) * (path[i].One - path[i].Zero) * n.Value;
            return;
        }
        var (hot, cold) = n.GoesLeft(bins[n.Feature]) ? (n.Left, n.Right) : (n.Right, n.Left);
        double incomingZero = 1, incomingOne = 1;
        // A feature split on twice along a path counts once: undo its earlier entry and carry its fractions.
        for (var k = 1; k < length; k++)
        {
            if (path[k].Feature != n.Feature) continue;
            incomingZero = path[k].Zero;
            incomingOne = path[k].One;
            length = Unwind(path, length, k);
            break;
        }
        Recurse(hot, path, length, incomingZero * Nodes[hot].Cover / n.Cover, incomingOne, n.Feature, bins, phi);
        Recurse(cold, path, length, incomingZero * Nodes[cold].Cover / n.Cover, 0, n.Feature, bins, phi);
    }

    private static int Extend(PathElement[] path, int length, double zero, double one, int feature)
    {
        path[length] = new PathElement { Feature = feature, Zero = zero, One = one, Weight = length == 0 ? 1 : 0 };
        for (var i = length - 1; i >= 0; i--)
        {
            path[i + 1].Weight += one * path[i].Weight * (i + 1) / (length + 1);
            path[i].Weight = zero * path[i].Weight * (length - i) / (length + 1);
        }
        return length + 1;
    }

    private static int Unwind(PathElement[] path, int length, int index)
    {
        var last = length - 1;
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
        return last;
    }

    private static double UnwoundSum(PathElement[] path, int length, int index)
    {
        var copy = (PathElement[])path.Clone();
        var shorter = Unwind(copy, length, index);
        double sum = 0;
        for (var j = 0; j < shorter; j++) sum += copy[j].Weight;
        return sum;
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
