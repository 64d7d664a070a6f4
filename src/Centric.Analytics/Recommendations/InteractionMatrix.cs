namespace Centric.Analytics.Recommendations;

/// <summary>Customers × items affinities in compressed rows: each customer's items sorted by item index,
/// with their summed, decayed interaction weight divided by the saturation cap and clipped to 1.</summary>
internal sealed class InteractionMatrix
{
    public required string[] UserIds { get; init; }
    public required string[] ItemIds { get; init; }
    public required Dictionary<string, int> UserIndex { get; init; }
    public required Dictionary<string, int> ItemIndex { get; init; }
    /// <summary>Row starts, length users + 1.</summary>
    public required int[] RowStart { get; init; }
    public required int[] Items { get; init; }
    public required float[] Values { get; init; }

    public int UserCount => UserIds.Length;
    public int ItemCount => ItemIds.Length;

    public ReadOnlySpan<int> ItemsOf(int user) => Items.AsSpan(RowStart[user], RowStart[user + 1] - RowStart[user]);

    public ReadOnlySpan<float> ValuesOf(int user) => Values.AsSpan(RowStart[user], RowStart[user + 1] - RowStart[user]);

    /// <summary>Sum of each item's column: the popularity used by the baseline and by cold start.</summary>
    public float[] ItemTotals()
    {
        var totals = new float[ItemCount];
        for (var k = 0; k < Items.Length; k++) totals[Items[k]] += Values[k];
        return totals;
    }

    public static InteractionMatrix Build(IReadOnlyList<Interaction> interactions, RecommenderOptions options)
    {
        ArgumentNullException.ThrowIfNull(interactions);
        if (interactions.Count == 0) throw new AnalyticsException("no interactions to train on");
        var userIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var itemIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        var users = new List<string>();
        var items = new List<string>();
        var halfLifeSeconds = options.DecayHalfLife?.TotalSeconds;
        var keys = new long[interactions.Count];
        var weights = new float[interactions.Count];
        var latest = new List<DateTimeOffset>();
        for (var k = 0; k < interactions.Count; k++)
        {
            var e = interactions[k];
            if (string.IsNullOrEmpty(e.UserId)) throw new AnalyticsException($"interaction {k} has no user id");
            if (string.IsNullOrEmpty(e.ItemId)) throw new AnalyticsException($"interaction {k} has no item id");
            if (!Enum.IsDefined(e.Kind)) throw new AnalyticsException($"interaction {k} has an unknown kind {(int)e.Kind}");
            if (!userIndex.TryGetValue(e.UserId, out var u)) { u = users.Count; userIndex.Add(e.UserId, u); users.Add(e.UserId); latest.Add(e.OccurredAt); }
            if (!itemIndex.TryGetValue(e.ItemId, out var i)) { i = items.Count; itemIndex.Add(e.ItemId, i); items.Add(e.ItemId); }
            if (e.OccurredAt > latest[u]) latest[u] = e.OccurredAt;
            keys[k] = ((long)u << 32) | (uint)i;
            weights[k] = options.Weights.Of(e.Kind);
        }
        if (halfLifeSeconds is { } h)
        {
            // Decay runs from each customer's own latest event: within a history newer interests count more,
            // but a customer who has been away still teaches which items go together.
            for (var k = 0; k < interactions.Count; k++)
            {
                var age = (latest[(int)(keys[k] >> 32)] - interactions[k].OccurredAt).TotalSeconds;
                weights[k] *= (float)Math.Pow(2, -age / h);
            }
        }
        Array.Sort(keys, weights);
        var rowStart = new int[users.Count + 1];
        var outItems = new List<int>(keys.Length);
        var outValues = new List<float>(keys.Length);
        var saturation = options.Weights.Saturation;
        for (var k = 0; k < keys.Length;)
        {
            var key = keys[k];
            var sum = 0f;
            for (; k < keys.Length && keys[k] == key; k++) sum += weights[k];
            // Weights of zero (a kind switched off) leave no trace rather than a zero entry.
            if (sum <= 0) continue;
            var u = (int)(key >> 32);
            rowStart[u + 1]++;
            outItems.Add((int)(key & 0xFFFFFFFF));
            outValues.Add(Math.Min(1f, sum / saturation));
        }
        if (outItems.Count == 0) throw new AnalyticsException("every interaction has zero weight; nothing to train on");
        for (var u = 0; u < users.Count; u++) rowStart[u + 1] += rowStart[u];
        return new InteractionMatrix
        {
            UserIds = [.. users],
            ItemIds = [.. items],
            UserIndex = userIndex,
            ItemIndex = itemIndex,
            RowStart = rowStart,
            Items = [.. outItems],
            Values = [.. outValues],
        };
    }

}
