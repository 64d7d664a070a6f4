using Centric.Analytics.Sentiment;

namespace Centric.Analytics.Tests.Sentiment;

public class TokenizerTests
{
    private static (string Text, TokenKind Kind, bool Shouted)[] Tokens(string text)
    {
        var tokenized = new TokenizedText();
        tokenized.Tokenize(text);
        return tokenized.Tokens.ToArray().Select(t => (tokenized.TextOf(t).ToString(), t.Kind, t.Shouted)).ToArray();
    }

    [Fact]
    public void Splits_words_and_punctuation_runs_and_lowercases()
    {
        var tokens = Tokens("Great phone!!! Loved it.");
        Assert.Equal(["great", "phone", "!!!", "loved", "it", "."], tokens.Select(t => t.Text));
        Assert.Equal(TokenKind.Punctuation, tokens[2].Kind);
        Assert.Equal(TokenKind.Word, tokens[3].Kind);
    }

    [Fact]
    public void Keeps_contractions_whole_and_folds_curly_apostrophes()
    {
        Assert.Equal(["don't", "it's", "ok"], Tokens("Don't… it\u2019s OK").Select(t => t.Text));
    }

    [Fact]
    public void Reads_emoticons_and_emoji_as_their_own_tokens()
    {
        var tokens = Tokens("fine :) thanks👍🏽 :-(");
        Assert.Equal(["fine", ":)", "thanks", "👍", ":-("], tokens.Select(t => t.Text));
        Assert.Equal([TokenKind.Word, TokenKind.Emoticon, TokenKind.Word, TokenKind.Emoji, TokenKind.Emoticon], tokens.Select(t => t.Kind));
    }

    [Fact]
    public void Colon_slash_inside_a_link_is_not_a_face()
    {
        Assert.DoesNotContain(Tokens("see http://example.com now"), t => t.Kind == TokenKind.Emoticon);
    }

    [Fact]
    public void A_word_in_capitals_is_shouted_but_a_message_all_in_capitals_is_not_word_by_word()
    {
        Assert.Equal([false, false, true], Tokens("it was AWFUL").Select(t => t.Shouted));
        var whole = new TokenizedText();
        whole.Tokenize("IT WAS AWFUL");
        Assert.True(whole.AllShouted);
        Assert.All(whole.Tokens.ToArray(), t => Assert.False(t.Shouted));
    }

    [Fact]
    public void Hyphen_inside_a_word_joins_nothing_but_a_spaced_dash_separates_clauses()
    {
        var tokens = Tokens("slow-moving - dull");
        Assert.Equal(["slow", "moving", "-", "dull"], tokens.Select(t => t.Text));
        Assert.Equal(TokenKind.Punctuation, tokens[2].Kind);
    }

    [Fact]
    public void Empty_text_has_no_tokens()
    {
        Assert.Empty(Tokens(""));
        Assert.Empty(Tokens("   \t "));
    }
}
