using System.Runtime.CompilerServices;

namespace Centric.Analytics.Sentiment;

/// <summary>
/// Counts of hashed features in one text. Keys are (bucket &lt;&lt; 1 | block): block 0 holds
/// words, word pairs, emoji and "!"/"?", block 1 character n-grams. An open-addressing table
/// reused per thread, so adding a feature is a probe or two and nothing is allocated.
/// </summary>
internal sealed class FeatureBag
{
    private int[] _slots = new int[2048];   // entry index + 1, 0 when empty
    private int[] _slotOf = new int[1024];
    private int[] _keys = new int[1024];
    private float[] _counts = new float[1024];

    public int Count { get; private set; }

    public ReadOnlySpan<int> Keys => _keys.AsSpan(0, Count);

    public ReadOnlySpan<float> Counts => _counts.AsSpan(0, Count);

    public void Clear()
    {
        for (var e = 0; e < Count; e++) _slots[_slotOf[e]] = 0;
        Count = 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Add(int key)
    {
        var mask = _slots.Length - 1;
        var slot = (int)((uint)key * 0x9E3779B1u >> 7) & mask;
        while (true)
        {
            var entry = _slots[slot];
            if (entry == 0) break;
            if (_keys[entry - 1] == key)
            {
                _counts[entry - 1]++;
                return;
            }
            slot = (slot + 1) & mask;
        }
        if (Count == _keys.Length)
        {
            Grow();
            Add(key);
            return;
        }
        _keys[Count] = key;
        _counts[Count] = 1;
        _slotOf[Count] = slot;
        Count++;
        _slots[slot] = Count;
    }

    private void Grow()
    {
        var keys = _keys[..Count];
        var counts = _counts[..Count];
        Clear();
        _slots = new int[_slots.Length * 2];
        _slotOf = new int[_slotOf.Length * 2];
        _keys = new int[_keys.Length * 2];
        _counts = new float[_counts.Length * 2];
        for (var e = 0; e < keys.Length; e++)
        {
            Add(keys[e]);
            _counts[Count - 1] = counts[e];
        }
    }
}

/// <summary>
/// Turns tokens into hashed features: words (marked when a negator governs them, up to the next
/// punctuation or "but"), neighbouring word pairs, emoji, "!" and "?", and character n-grams
/// inside each space-padded word (so "disappoint" is shared by disappointed and disappointing).
/// </summary>
internal sealed class SentimentFeaturizer(SentimentTrainingOptions options)
{
    private const uint WordSeed = 0x2545F491;
    private const uint NegatedWordSeed = 0x6C8E9CF5;
    private const uint PairSeed = 0x1B873593;
    private const uint CharSeed = 0x85EBCA6B;
    private const uint NegatedCharSeed = 0xC2B2AE35;
    private const uint SymbolSeed = 0x27D4EB2F;

    private readonly int _mask = (1 << options.HashBits) - 1;

    public void Featurize(TokenizedText text, FeatureBag bag)
    {
        var tokens = text.Tokens;
        var negated = false;
        var previous = 0u;
        var hasPrevious = false;
        foreach (var token in tokens)
        {
            var span = text.TextOf(token);
            uint hash;
            switch (token.Kind)
            {
                case TokenKind.Punctuation:
                    negated = false;
                    hasPrevious = false;
                    if (span[0] is '!' or '?') AddWord(bag, Hash(span[..1], SymbolSeed) + (uint)Math.Min(span.Length, 3));
                    continue;
                case TokenKind.Emoji:
                case TokenKind.Emoticon:
                    hash = Hash(span, SymbolSeed);
                    break;
                default:
                    if (SentimentLexicon.IsContrast(span)) negated = false;
                    var marked = negated && options.MarkNegation;
                    hash = Hash(span, marked ? NegatedWordSeed : WordSeed);
                    if (options.CharNGramMin > 0)
                    {
                        AddCharNGrams(bag, span, marked && options.MarkNegatedCharNGrams ? NegatedCharSeed : CharSeed);
                    }
                    if (SentimentLexicon.IsNegator(span)) negated = true;
                    break;
            }
            AddWord(bag, hash);
            if (options.WordBigrams && hasPrevious) AddWord(bag, Mix((previous * 0x9E3779B1u) ^ hash ^ PairSeed));
            previous = hash;
            hasPrevious = true;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void AddWord(FeatureBag bag, uint hash) => bag.Add((int)(Mix(hash) & (uint)_mask) << 1);

    private void AddCharNGrams(FeatureBag bag, ReadOnlySpan<char> word, uint seed)
    {
        var min = options.CharNGramMin;
        var max = options.CharNGramMax;
        var padded = word.Length + 2;
        // Each start position extends one rolling hash through n = 1..max: O(length × max).
        for (var start = 0; start < padded; start++)
        {
            var h = seed;
            var longest = Math.Min(max, padded - start);
            for (var n = 1; n <= longest; n++)
            {
                var at = start + n - 1;
                var c = at == 0 || at == padded - 1 ? ' ' : word[at - 1];
                h = (h ^ c) * 16777619u;
                if (n >= min) bag.Add(((int)(Mix(h + (uint)n) & (uint)_mask) << 1) | 1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint Hash(ReadOnlySpan<char> s, uint seed)
    {
        var h = seed ^ 2166136261u;
        foreach (var c in s) h = (h ^ c) * 16777619u;
        return h;
    }

    // Murmur3's finaliser spreads the FNV hash over all bits before masking.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
