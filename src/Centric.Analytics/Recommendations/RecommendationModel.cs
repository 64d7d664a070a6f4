using System.Buffers;
using System.Text;

namespace Centric.Analytics.Recommendations;

/// <summary>A trained recommender: "recommended for you", "bought together", and cold-start answers, with business
/// filters. Thread-safe for concurrent reads; answers take microseconds to a millisecond depending on catalog size.</summary>
/// <remarks>
/// Fallbacks, so that callers always get an answer rather than an exception for ordinary gaps in knowledge:
/// <list type="bullet">
/// <item>Unknown customer: popular in the given segment, then popular overall (<see cref="RecommendationSource.Segment"/>,
/// <see cref="RecommendationSource.Popular"/>).</item>
/// <item>Known customer, but the model has fewer positively scored candidates than asked for: the list is filled with
/// popular items (segment first when given).</item>
/// <item>Unknown item in <see cref="BoughtTogether"/>: if the catalog given at training knows it, items matched by category
/// and attributes; otherwise popular items.</item>
/// </list>
/// Items the customer already interacted with are never recommended to them, nor is the item itself in "bought together".
/// The <c>include</c> filter (in stock, allowed in the customer's country...) is applied to every answer, fallbacks included.
/// </remarks>
public sealed class RecommendationModel
{
    /// <summary>Version of the saved format; <see cref="Load"/> refuses any other.</summary>
    public const int FormatVersion = 1;

    private const int Magic = 0x4F434552; // "RECO" in little-endian bytes

    private readonly ItemScorer _scorer;
    private readonly string[] _itemIds;
    private readonly Dictionary<string, int> _itemIndex;
    private readonly int _modelItems;
    private readonly string[] _userIds;
    private readonly Dictionary<string, int> _userIndex;
    private readonly int[] _rowStart;
    private readonly int[] _historyItems;
    private readonly float[] _historyValues;
    private readonly float[] _popularity;
    private readonly int[] _popularOrder;
    private readonly Dictionary<string, (int[] Items, float[] Scores)> _segments;
    private readonly string[] _categories;
    private readonly int[] _itemCategory;
    private readonly string[] _attributes;
    private readonly int[][] _itemAttributes;
    private readonly Dictionary<string, int> _categoryIndex;
    private readonly Dictionary<string, int> _attributeIndex;

    private RecommendationModel(ItemScorer scorer, string[] itemIds, int modelItems, string[] userIds, int[] rowStart,
        int[] historyItems, float[] historyValues, float[] popularity, Dictionary<string, (int[], float[])> segments,
        string[] categories, int[] itemCategory, string[] attributes, int[][] itemAttributes)
    {
        _scorer = scorer;
        _itemIds = itemIds;
        _modelItems = modelItems;
        _userIds = userIds;
        _rowStart = rowStart;
        _historyItems = historyItems;
        _historyValues = historyValues;
        _popularity = popularity;
        _segments = segments;
        _categories = categories;
        _itemCategory = itemCategory;
        _attributes = attributes;
        _itemAttributes = itemAttributes;
        _itemIndex = IndexOf(itemIds, "item");
        _userIndex = IndexOf(userIds, "customer");
        _categoryIndex = IndexOf(categories, "category");
        _attributeIndex = IndexOf(attributes, "attribute");
        var order = new int[modelItems];
        for (var i = 0; i < modelItems; i++) order[i] = i;
        // Most popular first; ties by index so answers do not depend on the sort's stability.
        Array.Sort(order, (x, y) => popularity[y].CompareTo(popularity[x]) is var c && c != 0 ? c : x.CompareTo(y));
        _popularOrder = order;
    }

    internal ItemScorer Scorer => _scorer;

    internal int IndexOf(string itemId) => _itemIndex.TryGetValue(itemId, out var i) ? i : -1;

    /// <summary>The model that scores customers and items.</summary>
    public RecommenderModelKind Kind => _scorer.Kind;

    /// <summary>Items with interactions (those the model can score).</summary>
    public int ItemCount => _modelItems;

    /// <summary>Customers seen in training.</summary>
    public int UserCount => _userIds.Length;

    /// <summary>Whether the customer had interactions in training (otherwise answers are cold start).</summary>
    public bool KnowsUser(string userId) => _userIndex.ContainsKey(userId);

    /// <summary>Whether the item had interactions in training.</summary>
    public bool KnowsItem(string itemId) => _itemIndex.TryGetValue(itemId, out var i) && i < _modelItems;

    /// <summary>"Recommended for you": the best items for a customer, excluding everything they already interacted with.</summary>
    /// <param name="userId">The customer; an unknown one gets the cold-start answer for <paramref name="segment"/>.</param>
    /// <param name="count">How many items at most.</param>
    /// <param name="include">Business filter on item ids (in stock...); null keeps all.</param>
    /// <param name="segment">The customer's segment, used for cold start and for fill-in; null for none.</param>
    public IReadOnlyList<ScoredItem> RecommendForUser(string userId, int count = 10, Func<string, bool>? include = null, string? segment = null)
    {
        ArgumentNullException.ThrowIfNull(userId);
        CheckCount(count);
        if (!_userIndex.TryGetValue(userId, out var u)) return Answer(null, [], count, include, segment);
        var start = _rowStart[u];
        var length = _rowStart[u + 1] - start;
        return Answer(s => _scorer.ScoreHistory(_historyItems.AsSpan(start, length), _historyValues.AsSpan(start, length), s),
            _historyItems.AsSpan(start, length), count, include, segment);
    }

    /// <summary>Recommendations for a set of items (an anonymous session, a basket): as if a customer had interacted
    /// with each once at full strength. Unknown items are ignored; with none known this is the cold-start answer.</summary>
    public IReadOnlyList<ScoredItem> RecommendForItems(IEnumerable<string> itemIds, int count = 10, Func<string, bool>? include = null, string? segment = null)
    {
        ArgumentNullException.ThrowIfNull(itemIds);
        CheckCount(count);
        var known = new SortedSet<int>();
        foreach (var id in itemIds)
            if (id is not null && _itemIndex.TryGetValue(id, out var i) && i < _modelItems) known.Add(i);
        if (known.Count == 0) return Answer(null, [], count, include, segment);
        int[] items = [.. known];
        var values = new float[items.Length];
        values.AsSpan().Fill(1f);
        return Answer(s => _scorer.ScoreHistory(items, values, s), items, count, include, segment);
    }

    /// <summary>"Bought together": items most related to one item, excluding the item itself.</summary>
    /// <remarks>An item the catalog knows but the interactions do not gets <see cref="SimilarToNewItem"/>;
    /// an item unknown to both gets popular items.</remarks>
    public IReadOnlyList<ScoredItem> BoughtTogether(string itemId, int count = 10, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(itemId);
        CheckCount(count);
        if (!_itemIndex.TryGetValue(itemId, out var i)) return Answer(null, [], count, include, null);
        if (i >= _modelItems) return ByCatalog(_itemCategory[i], _itemAttributes[i], i, count, include);
        return Answer(s => _scorer.ScoreRelated(i, s), [i], count, include, null);
    }

    /// <summary>Cold start for a new customer: popular in their segment (when the segment was known at training), then popular overall.</summary>
    public IReadOnlyList<ScoredItem> PopularItems(string? segment = null, int count = 10, Func<string, bool>? include = null)
    {
        CheckCount(count);
        return Answer(null, [], count, include, segment);
    }

    /// <summary>Cold start for a new item: known items of the same category, ranked by shared attributes and then popularity.
    /// With no category or attribute in common with anything, popular items.</summary>
    public IReadOnlyList<ScoredItem> SimilarToNewItem(CatalogItem item, int count = 10, Func<string, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(item);
        CheckCount(count);
        var category = item.Category is not null && _categoryIndex.TryGetValue(item.Category, out var c) ? c : -1;
        var attributes = new SortedSet<int>();
        foreach (var a in item.Attributes ?? [])
            if (a is not null && _attributeIndex.TryGetValue(a, out var id)) attributes.Add(id);
        var self = item.ItemId is not null && _itemIndex.TryGetValue(item.ItemId, out var known) ? known : -1;
        return ByCatalog(category, [.. attributes], self, count, include);
    }

    private List<ScoredItem> ByCatalog(int category, int[] attributes, int self, int count, Func<string, bool>? include)
    {
        var maxPopularity = _modelItems > 0 ? _popularity[_popularOrder[0]] : 0;
        void Score(Span<float> s)
        {
            for (var j = 0; j < _modelItems; j++)
            {
                var score = (category >= 0 && _itemCategory[j] == category ? 1f : 0f) + Jaccard(attributes, _itemAttributes[j]);
                // Popularity only breaks ties among matches; it never makes a non-match a candidate.
                if (score > 0) s[j] = score + (maxPopularity > 0 ? 0.001f * _popularity[j] / maxPopularity : 0);
            }
        }
        int[] exclude = self >= 0 && self < _modelItems ? [self] : [];
        return Answer(Score, exclude, count, include, null, RecommendationSource.Catalog);
    }

    private static float Jaccard(int[] a, int[] b)
    {
        if (a.Length == 0 || b.Length == 0) return 0;
        int i = 0, j = 0, both = 0;
        while (i < a.Length && j < b.Length)
        {
            if (a[i] == b[j]) { both++; i++; j++; }
            else if (a[i] < b[j]) i++;
            else j++;
        }
        return both / (float)(a.Length + b.Length - both);
    }

    // Picks the top of the model's scores (positive ones only), then fills from segment and overall popularity.
    // Blocked items (already seen, already chosen) are marked with −∞ in the score buffer.
    private List<ScoredItem> Answer(Action<Span<float>>? score, ReadOnlySpan<int> exclude, int count,
        Func<string, bool>? include, string? segment, RecommendationSource? source = null)
    {
        var result = new List<ScoredItem>(count);
        if (count == 0 || _modelItems == 0) return result;
        var rented = ArrayPool<float>.Shared.Rent(_modelItems);
        try
        {
            var scores = rented.AsSpan(0, _modelItems);
            scores.Clear();
            score?.Invoke(scores);
            foreach (var i in exclude) scores[i] = float.NegativeInfinity;
            if (score is not null) PickScored(scores, count, include, source ?? ModelSource, result);
            if (result.Count < count && segment is not null && _segments.TryGetValue(segment, out var list))
                Fill(scores, list.Items, list.Scores, count, include, RecommendationSource.Segment, result);
            if (result.Count < count) Fill(scores, _popularOrder, null, count, include, RecommendationSource.Popular, result);
            return result;
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    private RecommendationSource ModelSource => _scorer.Kind == RecommenderModelKind.Popularity ? RecommendationSource.Popular : RecommendationSource.Model;

    private void PickScored(Span<float> scores, int count, Func<string, bool>? include, RecommendationSource source, List<ScoredItem> result)
    {
        // Ask for a few more than needed so that a filter rejecting some rarely forces a second pass;
        // a longer list starts with the shorter one, so a second pass only checks the new tail.
        var want = Math.Min(_modelItems, include is null ? count : count * 2 + 8);
        var checkedCount = 0;
        var chosen = new List<int>(count);
        while (true)
        {
            var top = new TopList(want);
            for (var j = 0; j < scores.Length; j++)
                if (scores[j] > 0) top.Offer(scores[j], j);
            var (items, values) = top.TakeSorted();
            for (var p = checkedCount; p < items.Length && result.Count < count; p++)
            {
                var id = _itemIds[items[p]];
                if (include is not null && !include(id)) continue;
                result.Add(new ScoredItem(id, values[p], source));
                chosen.Add(items[p]);
            }
            if (result.Count >= count || items.Length < want || want == _modelItems) break;
            checkedCount = items.Length;
            want = (int)Math.Min(_modelItems, want * 4L);
        }
        foreach (var i in chosen) scores[i] = float.NegativeInfinity;
    }

    private void Fill(Span<float> scores, int[] order, float[]? orderScores, int count, Func<string, bool>? include,
        RecommendationSource source, List<ScoredItem> result)
    {
        for (var p = 0; p < order.Length && result.Count < count; p++)
        {
            var i = order[p];
            if (float.IsNegativeInfinity(scores[i])) continue;
            var id = _itemIds[i];
            if (include is not null && !include(id)) continue;
            result.Add(new ScoredItem(id, orderScores?[p] ?? _popularity[i], source));
            scores[i] = float.NegativeInfinity;
        }
    }

    private static void CheckCount(int count)
    {
        if (count < 0) throw new AnalyticsException($"count must not be negative (got {count})");
    }

    internal static RecommendationModel Create(InteractionMatrix m, ItemScorer scorer, float[] popularity,
        IReadOnlyList<CatalogItem>? catalog, Dictionary<string, (int[] Items, float[] Scores)> segments)
    {
        var itemIds = new List<string>(m.ItemIds);
        var itemIndex = new Dictionary<string, int>(m.ItemIndex, StringComparer.Ordinal);
        var categories = new List<string>();
        var categoryIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var attributes = new List<string>();
        var attributeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemCategory = new List<int>();
        var itemAttributes = new List<int[]>();
        for (var i = 0; i < m.ItemCount; i++) { itemCategory.Add(-1); itemAttributes.Add([]); }
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in catalog ?? [])
        {
            if (entry is null || string.IsNullOrEmpty(entry.ItemId)) throw new AnalyticsException("catalog entry without an item id");
            if (!seen.Add(entry.ItemId)) throw new AnalyticsException($"catalog lists item '{entry.ItemId}' twice");
            if (!itemIndex.TryGetValue(entry.ItemId, out var i))
            {
                i = itemIds.Count;
                itemIndex.Add(entry.ItemId, i);
                itemIds.Add(entry.ItemId);
                itemCategory.Add(-1);
                itemAttributes.Add([]);
            }
            if (!string.IsNullOrEmpty(entry.Category))
            {
                if (!categoryIndex.TryGetValue(entry.Category, out var c)) { c = categories.Count; categoryIndex.Add(entry.Category, c); categories.Add(entry.Category); }
                itemCategory[i] = c;
            }
            var set = new SortedSet<int>();
            foreach (var a in entry.Attributes ?? [])
            {
                if (string.IsNullOrEmpty(a)) continue;
                if (!attributeIndex.TryGetValue(a, out var id)) { id = attributes.Count; attributeIndex.Add(a, id); attributes.Add(a); }
                set.Add(id);
            }
            itemAttributes[i] = [.. set];
        }
        return new RecommendationModel(scorer, [.. itemIds], m.ItemCount, m.UserIds, m.RowStart, m.Items, m.Values, popularity,
            segments, [.. categories], [.. itemCategory], [.. attributes], [.. itemAttributes]);
    }

    /// <summary>Writes the model in the versioned binary format (<see cref="FormatVersion"/>).</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Magic);
        w.Write(FormatVersion);
        w.Write((int)_scorer.Kind);
        w.Write(_modelItems);
        ModelIo.WriteStrings(w, _itemIds);
        ModelIo.WriteStrings(w, _userIds);
        ModelIo.WriteInts(w, _rowStart);
        w.Write(_historyItems.Length);
        ModelIo.WriteInts(w, _historyItems);
        ModelIo.WriteFloats(w, _historyValues);
        ModelIo.WriteFloats(w, _popularity);
        w.Write(_segments.Count);
        foreach (var (name, (items, scores)) in _segments)
        {
            w.Write(name);
            w.Write(items.Length);
            ModelIo.WriteInts(w, items);
            ModelIo.WriteFloats(w, scores);
        }
        ModelIo.WriteStrings(w, _categories);
        ModelIo.WriteInts(w, _itemCategory);
        ModelIo.WriteStrings(w, _attributes);
        foreach (var a in _itemAttributes)
        {
            w.Write(a.Length);
            ModelIo.WriteInts(w, a);
        }
        _scorer.Write(w);
    }

    /// <summary>Reads a model written by <see cref="Save"/>.</summary>
    /// <exception cref="AnalyticsException">Not a recommendation model, another format version, or a truncated or corrupt file.</exception>
    public static RecommendationModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            if (r.ReadInt32() != Magic) throw new AnalyticsException("not a saved recommendation model");
            var version = r.ReadInt32();
            if (version != FormatVersion) throw new AnalyticsException($"saved recommendation model has format version {version}; this build reads version {FormatVersion} only — retrain it");
            var kind = (RecommenderModelKind)r.ReadInt32();
            var modelItems = r.ReadInt32();
            var itemIds = ModelIo.ReadStrings(r);
            if (modelItems < 0 || modelItems > itemIds.Length) throw Corrupt();
            var userIds = ModelIo.ReadStrings(r);
            var rowStart = ModelIo.ReadInts(r, userIds.Length + 1);
            var historyLength = r.ReadInt32();
            var historyItems = ModelIo.ReadInts(r, historyLength);
            var historyValues = ModelIo.ReadFloats(r, historyLength);
            if (rowStart[0] != 0 || rowStart[^1] != historyLength) throw Corrupt();
            for (var u = 0; u < userIds.Length; u++) if (rowStart[u + 1] < rowStart[u]) throw Corrupt();
            CheckIndexes(historyItems, modelItems);
            var popularity = ModelIo.ReadFloats(r, modelItems);
            var segmentCount = ModelIo.CheckCount(r.ReadInt32());
            var segments = new Dictionary<string, (int[], float[])>(StringComparer.Ordinal);
            for (var s = 0; s < segmentCount; s++)
            {
                var name = r.ReadString();
                var length = r.ReadInt32();
                var items = ModelIo.ReadInts(r, length);
                CheckIndexes(items, modelItems);
                segments[name] = (items, ModelIo.ReadFloats(r, length));
            }
            var categories = ModelIo.ReadStrings(r);
            var itemCategory = ModelIo.ReadInts(r, itemIds.Length);
            foreach (var c in itemCategory) if (c < -1 || c >= categories.Length) throw Corrupt();
            var attributes = ModelIo.ReadStrings(r);
            var itemAttributes = new int[itemIds.Length][];
            for (var i = 0; i < itemIds.Length; i++)
            {
                itemAttributes[i] = ModelIo.ReadInts(r, r.ReadInt32());
                CheckIndexes(itemAttributes[i], attributes.Length);
            }
            var scorer = ItemScorer.Read(r, kind, modelItems, popularity);
            return new RecommendationModel(scorer, itemIds, modelItems, userIds, rowStart, historyItems, historyValues, popularity,
                segments, categories, itemCategory, attributes, itemAttributes);
        }
        catch (EndOfStreamException e)
        {
            throw new AnalyticsException("saved recommendation model is truncated", e);
        }
    }

    private static AnalyticsException Corrupt() => new("saved recommendation model is corrupt");

    private static void CheckIndexes(int[] indexes, int limit)
    {
        foreach (var i in indexes) if ((uint)i >= (uint)limit) throw Corrupt();
    }

    private static Dictionary<string, int> IndexOf(string[] ids, string what)
    {
        var index = new Dictionary<string, int>(ids.Length, StringComparer.Ordinal);
        for (var i = 0; i < ids.Length; i++)
            if (!index.TryAdd(ids[i], i)) throw new AnalyticsException($"{what} '{ids[i]}' appears twice in the model");
        return index;
    }
}
