using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Centric.Analytics.Recommendations;

/// <summary>The trained part of a model: turns a history (items and affinities) or one item into a score per item.</summary>
internal abstract class ItemScorer
{
    public abstract RecommenderModelKind Kind { get; }

    public abstract int ItemCount { get; }

    /// <summary>Adds the scores for a customer with this history to <paramref name="scores"/> (length <see cref="ItemCount"/>).</summary>
    public abstract void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> affinities, Span<float> scores);

    /// <summary>Adds the scores of items related to <paramref name="item"/> to <paramref name="scores"/>.</summary>
    public abstract void ScoreRelated(int item, Span<float> scores);

    public abstract void Write(BinaryWriter writer);

    public static ItemScorer Read(BinaryReader reader, RecommenderModelKind kind, int itemCount, float[] popularity) => kind switch
    {
        RecommenderModelKind.Popularity => new PopularityScorer(popularity),
        RecommenderModelKind.Ease => EaseScorer.Read(reader, itemCount),
        RecommenderModelKind.ItemSimilarity => SimilarityScorer.Read(reader, itemCount),
        _ => throw new AnalyticsException($"saved model has an unknown model kind {(int)kind}"),
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    protected static void AddScaled(ReadOnlySpan<float> row, float scale, Span<float> into)
    {
        ref var r = ref MemoryMarshal.GetReference(row);
        ref var s = ref MemoryMarshal.GetReference(into);
        var n = Math.Min(row.Length, into.Length);
        var k = 0;
        var v = Vector256.Create(scale);
        for (; k <= n - 8; k += 8)
            Vector256.FusedMultiplyAdd(Vector256.LoadUnsafe(ref r, (nuint)k), v, Vector256.LoadUnsafe(ref s, (nuint)k)).StoreUnsafe(ref s, (nuint)k);
        for (; k < n; k++) Unsafe.Add(ref s, k) += Unsafe.Add(ref r, k) * scale;
    }
}

/// <summary>Everyone gets the most popular items: the baseline, and the answer when nothing else can be learnt.</summary>
internal sealed class PopularityScorer(float[] popularity) : ItemScorer
{
    public override RecommenderModelKind Kind => RecommenderModelKind.Popularity;

    public override int ItemCount => popularity.Length;

    public override void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> affinities, Span<float> scores) =>
        AddScaled(popularity, 1f, scores);

    public override void ScoreRelated(int item, Span<float> scores) => AddScaled(popularity, 1f, scores);

    // The popularity vector is saved with the model anyway.
    public override void Write(BinaryWriter writer) { }
}

/// <summary>EASE family linear item-to-item model: score(j) = Σ_i x_i·B[i,j]. Trained in closed form as the emphasised
/// denoising linear autoencoder (EDLAE, Steck 2020, a refinement of EASE, Steck 2019): with G = XᵀX and a per-item ridge
/// Λ = diag(λ + r·G_ii), P = (G + Λ)⁻¹ and B = I − P·Λ, the diagonal then zeroed as the item itself is never recommended.</summary>
internal sealed class EaseScorer : ItemScorer
{
    /// <summary>Beyond this the dense matrix would not fit in memory or in row arithmetic, whatever the options say.</summary>
    public const int HardItemLimit = 30_000;

    private readonly float[] _weights;
    private readonly int _n;

    private EaseScorer(float[] weights, int n) { _weights = weights; _n = n; }

    public override RecommenderModelKind Kind => RecommenderModelKind.Ease;

    public override int ItemCount => _n;

    internal float Weight(int from, int to) => _weights[(long)from * _n + to];

    public static EaseScorer Train(InteractionMatrix m, float lambda, float popularityRidge, int maxThreads)
    {
        var n = m.ItemCount;
        if (n > HardItemLimit) throw new AnalyticsException($"EASE holds an items × items matrix and supports at most {HardItemLimit} items; this catalog has {n}. Use the item-similarity model.");
        // Gram matrix XᵀX, lower triangle only: rows hold items in ascending order, so items[p] ≥ items[q] for q ≤ p.
        var g = new float[(long)n * n];
        for (var u = 0; u < m.UserCount; u++)
        {
            var items = m.ItemsOf(u);
            var values = m.ValuesOf(u);
            for (var p = 0; p < items.Length; p++)
            {
                var row = (long)items[p] * n;
                var xp = values[p];
                for (var q = 0; q <= p; q++) g[row + items[q]] += xp * values[q];
            }
        }
        // Ridge per item: λ plus a share of the item's own popularity, as dropout training implies.
        var ridge = new float[n];
        for (var i = 0; i < n; i++)
        {
            ridge[i] = lambda + popularityRidge * g[(long)i * n + i];
            g[(long)i * n + i] += ridge[i];
        }
        var weights = SymmetricInverse.Invert(g, n, maxThreads);
        // B = I − P·Λ: off the diagonal B[i,j] = −P[i,j]·Λ_j. The diagonal (an item predicting itself) is never used.
        for (var i = 0; i < n; i++)
        {
            var row = weights.AsSpan((int)((long)i * n), n);
            for (var j = 0; j < n; j++) row[j] *= -ridge[j];
            row[i] = 0;
        }
        return new EaseScorer(weights, n);
    }

    public override void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> affinities, Span<float> scores)
    {
        for (var k = 0; k < items.Length; k++)
            AddScaled(_weights.AsSpan((int)((long)items[k] * _n), _n), affinities[k], scores);
    }

    public override void ScoreRelated(int item, Span<float> scores) =>
        AddScaled(_weights.AsSpan((int)((long)item * _n), _n), 1f, scores);

    public override void Write(BinaryWriter writer)
    {
        writer.Write(_n);
        ModelIo.WriteFloats(writer, _weights);
    }

    public static EaseScorer Read(BinaryReader reader, int itemCount)
    {
        var n = reader.ReadInt32();
        if (n != itemCount || n > HardItemLimit) throw new AnalyticsException("saved EASE model does not match its item list");
        return new EaseScorer(ModelIo.ReadFloats(reader, n * n), n);
    }
}

/// <summary>SAR-style item similarity: each item keeps its strongest neighbours by co-occurrence measure;
/// a customer's score for j is Σ_i affinity(i)·sim(i, j).</summary>
internal sealed class SimilarityScorer : ItemScorer
{
    private readonly int[] _start;
    private readonly int[] _neighbours;
    private readonly float[] _similarity;

    private SimilarityScorer(int[] start, int[] neighbours, float[] similarity)
    {
        _start = start; _neighbours = neighbours; _similarity = similarity;
    }

    public override RecommenderModelKind Kind => RecommenderModelKind.ItemSimilarity;

    public override int ItemCount => _start.Length - 1;

    internal float Similarity(int from, int to)
    {
        for (var k = _start[from]; k < _start[from + 1]; k++)
            if (_neighbours[k] == to) return _similarity[k];
        return 0;
    }

    public static SimilarityScorer Train(InteractionMatrix m, RecommenderOptions options)
    {
        var n = m.ItemCount;
        // Customers of each item (the transpose), and each item's customer count for the measures.
        var colStart = new int[n + 1];
        foreach (var i in m.Items) colStart[i + 1]++;
        for (var i = 0; i < n; i++) colStart[i + 1] += colStart[i];
        var colUsers = new int[m.Items.Length];
        var fill = colStart[..^1].ToArray();
        for (var u = 0; u < m.UserCount; u++)
            foreach (var i in m.ItemsOf(u)) colUsers[fill[i]++] = u;

        var keep = options.NeighboursPerItem;
        var rows = new (int[] Items, float[] Sims)[n];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxThreads) };
        Parallel.For(0, n, parallel,
            () => (Counts: new int[n], Touched: new List<int>(), Top: new TopList(keep)),
            (i, _, local) =>
            {
                var (counts, touched, top) = local;
                for (var k = colStart[i]; k < colStart[i + 1]; k++)
                    foreach (var j in m.ItemsOf(colUsers[k]))
                        if (counts[j]++ == 0) touched.Add(j);
                double ci = colStart[i + 1] - colStart[i];
                top.Clear();
                foreach (var j in touched)
                {
                    var c = counts[j];
                    counts[j] = 0;
                    if (j == i || c < options.MinCooccurrence) continue;
                    double cj = colStart[j + 1] - colStart[j];
                    var sim = options.Similarity switch
                    {
                        ItemSimilarityMeasure.Jaccard => c / (ci + cj - c),
                        ItemSimilarityMeasure.Lift => c / (ci * cj),
                        _ => c,
                    };
                    top.Offer((float)sim, j);
                }
                touched.Clear();
                rows[i] = top.TakeSorted();
                return local;
            },
            _ => { });

        var start = new int[n + 1];
        for (var i = 0; i < n; i++) start[i + 1] = start[i] + rows[i].Items.Length;
        var neighbours = new int[start[n]];
        var similarity = new float[start[n]];
        for (var i = 0; i < n; i++)
        {
            rows[i].Items.CopyTo(neighbours, start[i]);
            rows[i].Sims.CopyTo(similarity, start[i]);
        }
        return new SimilarityScorer(start, neighbours, similarity);
    }

    public override void ScoreHistory(ReadOnlySpan<int> items, ReadOnlySpan<float> affinities, Span<float> scores)
    {
        for (var k = 0; k < items.Length; k++)
        {
            var a = affinities[k];
            var i = items[k];
            for (var e = _start[i]; e < _start[i + 1]; e++) scores[_neighbours[e]] += a * _similarity[e];
        }
    }

    public override void ScoreRelated(int item, Span<float> scores)
    {
        for (var e = _start[item]; e < _start[item + 1]; e++) scores[_neighbours[e]] += _similarity[e];
    }

    public override void Write(BinaryWriter writer)
    {
        writer.Write(_start.Length - 1);
        ModelIo.WriteInts(writer, _start);
        ModelIo.WriteInts(writer, _neighbours);
        ModelIo.WriteFloats(writer, _similarity);
    }

    public static SimilarityScorer Read(BinaryReader reader, int itemCount)
    {
        var n = reader.ReadInt32();
        if (n != itemCount) throw new AnalyticsException("saved item-similarity model does not match its item list");
        var start = ModelIo.ReadInts(reader, n + 1);
        var edges = start[n];
        if (edges < 0) throw new AnalyticsException("saved item-similarity model is corrupt");
        var neighbours = ModelIo.ReadInts(reader, edges);
        var similarity = ModelIo.ReadFloats(reader, edges);
        foreach (var j in neighbours)
            if ((uint)j >= (uint)n) throw new AnalyticsException("saved item-similarity model is corrupt");
        return new SimilarityScorer(start, neighbours, similarity);
    }
}
