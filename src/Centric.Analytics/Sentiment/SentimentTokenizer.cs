using System.Buffers;
using System.Text;

namespace Centric.Analytics.Sentiment;

/// <summary>What a token is: a word, a run of clause punctuation, an emoji or a text emoticon.</summary>
internal enum TokenKind : byte
{
    Word,
    Punctuation,
    Emoji,
    Emoticon,
}

/// <summary>A token as a slice of <see cref="TokenizedText.Lower"/>.</summary>
/// <param name="Start">Index of the first character in the lowercased copy.</param>
/// <param name="Length">Number of UTF-16 characters.</param>
/// <param name="Kind">Word, punctuation, emoji or emoticon.</param>
/// <param name="Shouted">A word written in capitals among lowercase words ("it was AWFUL").</param>
internal readonly record struct SentimentToken(int Start, int Length, TokenKind Kind, bool Shouted);

/// <summary>
/// Splits short feedback into lowercased words, clause punctuation runs ("!!!" is one token of
/// length 3), emoji and emoticons. Reused per thread so scoring allocates nothing once warm.
/// </summary>
internal sealed class TokenizedText
{
    // Emoticons we read; longest first so ":-)" wins over ":-".
    private static readonly string[] Emoticons =
    [
        ":'-(", ":'(", ":-)", ":-(", ":-d", ":-p", ":-/", ":-|", ";-)", "</3",
        ":)", ":(", ":d", ":p", ":/", ":|", ":]", ":[", ";)", "=)", "=(", ":o", "<3",
    ];

    private char[] _lower = new char[256];
    private SentimentToken[] _tokens = new SentimentToken[64];

    /// <summary>The text lowercased, with typographic apostrophes folded to '.</summary>
    public ReadOnlySpan<char> Lower => _lower.AsSpan(0, TextLength);

    public int TextLength { get; private set; }

    public int Count { get; private set; }

    /// <summary>True when every word of two or more letters is in capitals (the whole message shouts).</summary>
    public bool AllShouted { get; private set; }

    public ReadOnlySpan<SentimentToken> Tokens => _tokens.AsSpan(0, Count);

    public ReadOnlySpan<char> TextOf(in SentimentToken token) => _lower.AsSpan(token.Start, token.Length);

    public void Tokenize(ReadOnlySpan<char> text)
    {
        if (_lower.Length < text.Length) _lower = new char[Math.Max(text.Length, _lower.Length * 2)];
        var lower = _lower.AsSpan(0, text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            lower[i] = c is '\u2019' or '\u2018' or '`' ? '\'' : char.ToLowerInvariant(c);
        }
        TextLength = text.Length;
        Count = 0;

        var shoutedWords = 0;
        var casedWords = 0;
        var i2 = 0;
        while (i2 < lower.Length)
        {
            var c = lower[i2];
            if (char.IsWhiteSpace(c))
            {
                i2++;
                continue;
            }
            if (char.IsLetterOrDigit(c))
            {
                var start = i2;
                i2++;
                while (i2 < lower.Length
                    && (char.IsLetterOrDigit(lower[i2])
                        || (lower[i2] == '\'' && i2 + 1 < lower.Length && char.IsLetter(lower[i2 + 1]))))
                {
                    i2++;
                }
                var (letters, upper) = CountCase(text[start..i2]);
                var shouted = letters >= 2 && upper == letters;
                if (letters >= 2)
                {
                    casedWords++;
                    if (shouted) shoutedWords++;
                }
                Add(new SentimentToken(start, i2 - start, TokenKind.Word, shouted));
                continue;
            }
            if (MatchEmoticon(lower, i2) is var emoticonLength and > 0)
            {
                Add(new SentimentToken(i2, emoticonLength, TokenKind.Emoticon, false));
                i2 += emoticonLength;
                continue;
            }
            if (c is '.' or ',' or '!' or '?' or ';' or ':' || IsDash(lower, i2))
            {
                var start = i2;
                while (i2 < lower.Length && lower[i2] == c) i2++;
                Add(new SentimentToken(start, i2 - start, TokenKind.Punctuation, false));
                continue;
            }
            if (Rune.DecodeFromUtf16(lower[i2..], out var rune, out var used) == OperationStatus.Done && IsEmoji(rune))
            {
                Add(new SentimentToken(i2, used, TokenKind.Emoji, false));
                i2 += used;
                continue;
            }
            i2 += Math.Max(used, 1);
        }

        // A message written all in capitals is loud as a whole, not word by word.
        AllShouted = casedWords >= 2 && shoutedWords == casedWords;
        if (AllShouted)
        {
            for (var t = 0; t < Count; t++) _tokens[t] = _tokens[t] with { Shouted = false };
        }
    }

    private void Add(SentimentToken token)
    {
        if (Count == _tokens.Length) Array.Resize(ref _tokens, _tokens.Length * 2);
        _tokens[Count++] = token;
    }

    private static (int Letters, int Upper) CountCase(ReadOnlySpan<char> original)
    {
        var letters = 0;
        var upper = 0;
        foreach (var c in original)
        {
            if (!char.IsLetter(c)) continue;
            letters++;
            if (char.IsUpper(c)) upper++;
        }
        return (letters, upper);
    }

    // " - " and "--" separate clauses; a hyphen inside a word ("slow-moving") does not.
    private static bool IsDash(ReadOnlySpan<char> s, int i)
    {
        if (s[i] != '-') return false;
        var end = i;
        while (end < s.Length && s[end] == '-') end++;
        if (end - i >= 2) return true;
        var before = i == 0 || char.IsWhiteSpace(s[i - 1]);
        var after = end == s.Length || char.IsWhiteSpace(s[end]);
        return before && after;
    }

    private static int MatchEmoticon(ReadOnlySpan<char> s, int i)
    {
        var c = s[i];
        if (c is not (':' or ';' or '=' or '<')) return 0;
        foreach (var emoticon in Emoticons)
        {
            if (!s[i..].StartsWith(emoticon, StringComparison.Ordinal)) continue;
            var end = i + emoticon.Length;
            // ":d" inside "note:done" or ":/" inside "http://" is not a face.
            if (end < s.Length && (char.IsLetterOrDigit(s[end]) || s[end] == '/')) continue;
            return emoticon.Length;
        }
        return 0;
    }

    internal static bool IsEmoji(Rune rune)
    {
        var v = rune.Value;
        if (v is >= 0x1F3FB and <= 0x1F3FF) return false; // skin-tone modifiers ride on the emoji before them
        return v is (>= 0x1F300 and <= 0x1FAFF) or (>= 0x2600 and <= 0x27BF) or (>= 0x1F000 and <= 0x1F2FF)
            or 0x2B50 or 0x2B55;
    }
}
