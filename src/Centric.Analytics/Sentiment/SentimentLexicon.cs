using System.Collections.Frozen;

namespace Centric.Analytics.Sentiment;

/// <summary>
/// Centric's own word list for customer feedback: valences from -3 (furious) to +3 (delighted),
/// negators, intensifiers and softeners, and emoji. Written for this project from everyday
/// review, survey and support language; a trailing * matches any ending ("disappoint*" covers
/// disappointed, disappointing, disappointment).
/// </summary>
internal static class SentimentLexicon
{
    private const string Plus3 = """
        amazing amazingly awesome brilliant brilliantly excellent excellently exceptional exceptionally fantastic
        fantastically flawless flawlessly incredible magnificent masterpiece masterful outstanding perfect perfection
        phenomenal spectacular stellar superb superbly terrific wonderful wonderfully love loved loves loving adore*
        best greatest marvelous marvellous sublime stunning breathtaking extraordinary impeccable exquisite delicious
        deliciously heavenly fabulous gorgeous splendid superlative unbeatable unforgettable mindblowing
        brilliance genius fav favourite favorite favorites favourites thrilled ecstatic overjoyed beloved
        """;

    private const string Plus2 = """
        good great nice pleasant happy happier happiest glad pleased enjoy enjoyed enjoying enjoys enjoyable fun funny
        beautiful beautifully lovely recommend recommended recommending recommends satisfied satisfying satisfaction
        impressive impressed worth worthwhile comfortable comfortably reliable friendly helpful delightful delighted
        tasty yummy attentive courteous polite professional efficient smooth sturdy terrific cool excited exciting
        thrilling refreshing entertaining engaging charming enchanting captivating inspiring inspired touching
        heartwarming hilarious gem treat bravo kudos praise pleasure joy joyful grateful thankful appreciate* wow yay
        woohoo winner classy elegant stylish cute sweet generous welcoming gracious pleasantly perfectly exceeded
        excels excel excelled outstandingly fresh flavorful flavourful handy useful convenient intuitive effortless
        effortlessly seamless seamlessly knowledgeable accommodating superior memorable powerful fascinating clever
        smart witty likable likeable nicely goodness better greater improved improvement awesomeness happily correctly
        properly fixed resolved solved prompt promptly responsive recommendable positive positively beauty loveliest
        coolest nicest sweetest finest incredible incredibly pleasing succulent tender juicy crispy crisp authentic
        cozy cosy inviting spotless clean gripping compelling riveting delight funniest engrossing
        """;

    private const string Plus1 = """
        fine decent ok okay alright like liked likes liking works worked working quick quickly easy easier easiest
        simple solid clear clearly affordable reasonable reasonably bargain cheaper fair safe secure thanks thank thx
        ty helped interesting laugh laughed laughing laughs smile* warm warmly calm relaxing relaxed peaceful
        lightweight compact bright vivid sharp accurate precise durable strong stable consistent fits fit fitting
        suitable suits suited adequate sufficient satisfactory pleasantly win wins won success successful successfully
        glad worthy honest genuine original unique creative fresh neat tidy organized organised loyal hopeful excited
        friendly welcome wise beautiful kind kindly caring patient fast classic believable realistic haunting
        """;

    private const string Minus1 = """
        cheap cheaply slow slowly late delay delayed delays issue issues error errors difficult tricky confusing
        confused unclear complicated weird strange odd meh average mediocre ordinary plain bland boring bored lacking
        lacks lack lacked missing noisy awkward expensive pricey overpriced costly sorry unfortunately unfortunate
        sadly sad cancel* refund refunded wait waited waiting tired tiring tedious predictable cliche cliched cheesy
        silly forgettable generic unimpressive underwhelming underwhelmed lukewarm undercooked overcooked dry soggy
        greasy salty stale burnt burned chewy rubbery limp watery weak flimsy cramped crowded outdated dirty smelly
        sticky mess messy sloppy clumsy annoyance bother bothered inconvenient inconvenience hassle headache complain
        complained complaining complaint complaints doubt doubtful mistake mistakes wrong problem problems trouble
        troubles fault faulty glitch glitches glitchy bug bugs buggy crash crashed crashes crashing freeze froze
        freezes freezing died dies dead dropped drops dropping static unreliable inconsistent uncomfortable unfriendly
        unhelpful unpleasant unhappy unsatisfied dissatisfied unacceptable unprofessional impolite rude mad angry
        annoyed annoying annoys frustrated frustrating frustration irritated irritating upset dull pointless senseless
        mindless shallow contrived hokey flat wooden pretentious unconvincing outdated breaks
        """;

    private const string Minus2 = """
        awful terrible terribly horrible horribly horrendous horrid atrocious abysmal appalling dreadful dreadfully
        disgusting disgusted gross pathetic hate hated hates hating hateful garbage trash trashy crap crappy junk
        rubbish useless worthless nasty inedible ridiculous ridiculously disaster disastrous nightmare scam scammed
        ripoff fraud wasted wasting lousy sucks sucked suck sucky stinks stunk stink shit shitty vomit sick poisoning
        unbearable unwatchable insult insulting insulted offensive stupid stupidity dumb idiot idiotic moron moronic
        incompetent incompetence ignorant ignored ignoring neglected neglect broken broke defective malfunction
        malfunctioned malfunctions fail failed fails failing failure regret regrets regretted avoid avoided
        embarrassing embarrassed shameful shame painful pain hurt hurts hurting ugly worst nonsense amateurish amateur
        overrated overacting overacted unfunny incoherent mess terrible horror horrific hideous repulsive revolting
        tasteless flavorless flavourless inferior substandard unusable unreadable unplayable unwatchable awfully
        dishonest liar lied lying cheat cheated cheating filthy disgrace disgraceful outrageous furious livid
        infuriating infuriated hostile arrogant condescending slowest dirtiest worse worthless beware warning bad
        badly worse poor poorly disappointed disappointing disappointment disappoints disappoint* waste lame laughable
        stinker cringe cringey implausible
        """;

    // Words that change the next sentiment word's strength: +0.5 is "half again as strong".
    private const string Boosters = """
        very:0.3 really:0.3 extremely:0.5 so:0.3 super:0.4 incredibly:0.5 absolutely:0.5 totally:0.4
        completely:0.4 highly:0.4 truly:0.3 most:0.3 such:0.2 quite:0.15 especially:0.2 exceptionally:0.5
        utterly:0.5 seriously:0.3 definitely:0.3 simply:0.2 thoroughly:0.4 deeply:0.3 hugely:0.4 insanely:0.4
        remarkably:0.3 particularly:0.2 pretty:0.15 real:0.2 genuinely:0.3 immensely:0.5 enormously:0.4
        entirely:0.3 too:0.2 way:0.2 much:0.2 more:0.1 even:0.1 beyond:0.3 tremendously:0.5
        slightly:-0.4 somewhat:-0.3 kinda:-0.3 sorta:-0.3 mildly:-0.4 marginally:-0.4 partly:-0.3
        bit:-0.3 little:-0.3 almost:-0.2 nearly:-0.2 occasionally:-0.3 sometimes:-0.2 less:-0.3 rather:-0.1
        """;

    private const string Negators = """
        not no never none nothing nobody neither nor nowhere without cannot cant dont doesnt didnt isnt wasnt arent
        werent wont wouldnt couldnt shouldnt hasnt havent hadnt aint barely hardly
        """;

    // Emoji and emoticons: faces and gestures customers actually send in chat.
    private const string EmojiValences = """
        😀:2 😃:2 😄:2 😁:2 😆:2 😊:2 🙂:1 😉:1 😍:3 🥰:3 😘:2 😻:2 🤩:3 😎:1.5 🤗:2 😇:2 😋:2 😂:1 🤣:1
        👍:2 👏:2 🙌:2 👌:1.5 💯:2 🎉:2 🥳:2 ✨:1 ⭐:1.5 🌟:2 🏆:2 💪:1.5 🙏:1.5 ❤:2.5 💕:2.5 💖:2.5 💗:2.5
        💙:2 💚:2 💛:2 💜:2 🧡:2 💓:2 💞:2 😌:1 ☺:2 ✅:1 🔥:1.5 ✌:1
        😞:-2 😟:-2 😢:-2 😭:-2.5 😡:-3 😠:-2.5 🤬:-3 👎:-2 💔:-2.5 😒:-1.5 🙄:-1.5 😤:-2 😩:-2 😫:-2
        🤮:-3 🤢:-2.5 😖:-2 😕:-1.5 🙁:-1.5 ☹:-2 😣:-2 😔:-1.5 😓:-1.5 😰:-2 😱:-1.5 😨:-1.5 😬:-1 😐:-0.5
        😑:-0.5 💩:-2.5 ❌:-1.5 ⚠:-1 😪:-1 🥱:-1.5 😴:-1 🤦:-2 😿:-2
        :):1.5 :-):1.5 :d:2 :-d:2 ;):1 ;-):1 =):1.5 :p:0.5 :-p:0.5 :]:1.5 <3:2 :(:-1.5 :-(:-1.5 :'(:-2 :'-(:-2
        =(:-1.5 :/:-1 :-/:-1 :|:-0.5 :-|:-0.5 :[:-1.5 </3:-2 :o:-0.5
        """;

    private static readonly FrozenDictionary<string, double> Words;
    private static readonly FrozenDictionary<string, double> Stems;
    private static readonly FrozenDictionary<string, double> BoosterWords;
    private static readonly FrozenSet<string> NegatorWords;
    private static readonly FrozenDictionary<string, double> Emoji;
    private static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> WordLookup;
    private static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> StemLookup;
    private static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> BoosterLookup;
    private static readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> NegatorLookup;
    private static readonly FrozenDictionary<string, double>.AlternateLookup<ReadOnlySpan<char>> EmojiLookup;
    private static readonly int MinStem;
    private static readonly int MaxStem;

#pragma warning disable CA1810 // one pass builds several related tables; field initialisers would repeat it
    static SentimentLexicon()
#pragma warning restore CA1810
    {
        var words = new Dictionary<string, double>(StringComparer.Ordinal);
        var stems = new Dictionary<string, double>(StringComparer.Ordinal);
        // Later (stronger) lists win where a word appears twice, so order from weak to strong.
        AddWords(Plus1, 1, words, stems);
        AddWords(Minus1, -1.5, words, stems);
        AddWords(Plus2, 2, words, stems);
        AddWords(Minus2, -2.5, words, stems);
        AddWords(Plus3, 3, words, stems);
        Words = words.ToFrozenDictionary(StringComparer.Ordinal);
        Stems = stems.ToFrozenDictionary(StringComparer.Ordinal);
        MinStem = stems.Count == 0 ? 0 : stems.Keys.Min(k => k.Length);
        MaxStem = stems.Count == 0 ? 0 : stems.Keys.Max(k => k.Length);
        BoosterWords = ParsePairs(Boosters);
        Emoji = ParsePairs(EmojiValences);
        NegatorWords = Negators.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);
        WordLookup = Words.GetAlternateLookup<ReadOnlySpan<char>>();
        StemLookup = Stems.GetAlternateLookup<ReadOnlySpan<char>>();
        BoosterLookup = BoosterWords.GetAlternateLookup<ReadOnlySpan<char>>();
        NegatorLookup = NegatorWords.GetAlternateLookup<ReadOnlySpan<char>>();
        EmojiLookup = Emoji.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Number of distinct words and stems with a valence.</summary>
    internal static int Size => Words.Count + Stems.Count;

    /// <summary>The valence of a lowercased word, 0 when the list does not know it.</summary>
    internal static double Valence(ReadOnlySpan<char> word)
    {
        if (WordLookup.TryGetValue(word, out var v)) return v;
        if (word.Length > 2 && word[^2] == '\'' && word[^1] == 's' && WordLookup.TryGetValue(word[..^2], out v)) return v;
        for (var n = Math.Min(MaxStem, word.Length); n >= MinStem; n--)
        {
            if (StemLookup.TryGetValue(word[..n], out v)) return v;
        }
        return 0;
    }

    /// <summary>True for words that negate what follows ("not", "never", "don't", "without").</summary>
    internal static bool IsNegator(ReadOnlySpan<char> word) =>
        NegatorLookup.Contains(word) || (word.Length > 3 && word.EndsWith("n't", StringComparison.Ordinal));

    /// <summary>Extra strength for the next sentiment word: positive intensifies, negative softens, 0 neither.</summary>
    internal static double Booster(ReadOnlySpan<char> word) => BoosterLookup.TryGetValue(word, out var b) ? b : 0;

    /// <summary>Words after which the second clause carries the writer's verdict ("good food but slow service").</summary>
    internal static bool IsContrast(ReadOnlySpan<char> word) =>
        word.SequenceEqual("but") || word.SequenceEqual("however") || word.SequenceEqual("although")
        || word.SequenceEqual("though") || word.SequenceEqual("yet") || word.SequenceEqual("except");

    /// <summary>The valence of an emoji or emoticon token, 0 when unknown.</summary>
    internal static double EmojiValence(ReadOnlySpan<char> token) => EmojiLookup.TryGetValue(token, out var v) ? v : 0;

    private static void AddWords(string list, double valence, Dictionary<string, double> words, Dictionary<string, double> stems)
    {
        foreach (var entry in list.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.EndsWith('*')) stems[entry[..^1]] = valence;
            else words[entry] = valence;
        }
    }

    private static FrozenDictionary<string, double> ParsePairs(string list)
    {
        var pairs = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var entry in list.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = entry.LastIndexOf(':');
            pairs[entry[..colon]] = double.Parse(entry[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        }
        return pairs.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
