namespace Centric.Analytics.Recommendations;

/// <summary>Keeps the best <c>capacity</c> (score, item) pairs seen, in a min-heap; ties go to the lower item index
/// so that answers are deterministic and a longer list always starts with the shorter one.</summary>
internal sealed class TopList(int capacity)
{
    private readonly float[] _scores = new float[capacity];
    private readonly int[] _items = new int[capacity];
    private int _count;

    public int Count => _count;

    public void Clear() => _count = 0;

    // a is worse than b: lower score, or the same score and a higher index.
    private static bool Worse(float sa, int ia, float sb, int ib) => sa < sb || (sa == sb && ia > ib);

    public void Offer(float score, int item)
    {
        if (capacity == 0) return;
        if (_count < capacity)
        {
            var c = _count++;
            while (c > 0)
            {
                var parent = (c - 1) / 2;
                if (!Worse(score, item, _scores[parent], _items[parent])) break;
                _scores[c] = _scores[parent]; _items[c] = _items[parent];
                c = parent;
            }
            _scores[c] = score; _items[c] = item;
            return;
        }
        if (!Worse(_scores[0], _items[0], score, item)) return;
        SiftDown(score, item, _count);
    }

    private void SiftDown(float score, int item, int count)
    {
        var c = 0;
        while (true)
        {
            var child = 2 * c + 1;
            if (child >= count) break;
            if (child + 1 < count && Worse(_scores[child + 1], _items[child + 1], _scores[child], _items[child])) child++;
            if (!Worse(_scores[child], _items[child], score, item)) break;
            _scores[c] = _scores[child]; _items[c] = _items[child];
            c = child;
        }
        _scores[c] = score; _items[c] = item;
    }

    /// <summary>Empties the list into arrays ordered best first.</summary>
    public (int[] Items, float[] Sims) TakeSorted()
    {
        var n = _count;
        var items = new int[n];
        var scores = new float[n];
        for (var k = n - 1; k >= 0; k--)
        {
            items[k] = _items[0];
            scores[k] = _scores[0];
            var last = --_count;
            if (last > 0) SiftDown(_scores[last], _items[last], last);
        }
        return (items, scores);
    }
}
