using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using Centric.Bench.Platform;

namespace Centric.Bench.Support;

/// <summary>
/// `kb-search`: help-centre search latency over a large knowledge base, through the whole HTTP path
/// (GET /help/api/search, as the search-as-you-type box calls it). Articles are generated from a support vocabulary of 180
/// subjects (each article about three of them, subjects drawn with a skew) and common words, imported over the admin API, then searched with 2–6 word queries whose last word is cut short
/// half of the time (typing). The baseline, on the same server in the same run, is the same queries over a small help
/// centre (the first <c>--baseline-articles</c>) before the bulk import.
/// </summary>
public static class KbSearchCommand
{
    // Subjects a help centre writes about; each generated article is about three of them.
    private static readonly string[] Topics =
    [
        "order", "delivery", "parcel", "return", "refund", "exchange", "payment", "card", "invoice", "subscription", "password",
        "account", "address", "courier", "tracking", "warranty", "repair", "size", "colour", "discount", "voucher", "gift", "loyalty",
        "points", "store", "collect", "customs", "shipping", "damaged", "missing", "cancel", "pause", "renewal", "login", "email",
        "newsletter", "privacy", "data", "battery", "charger", "shoes", "jacket", "bag", "mattress", "sofa", "assembly", "installation",
        "appointment", "booking", "receipt", "stock", "preorder", "backorder", "price", "promotion", "coupon", "bank", "transfer",
        "label", "printer", "locker", "pickup", "signature", "neighbour", "weekend", "express", "international", "duty", "tax",
        "vat", "business", "wholesale", "student", "military", "membership", "trial", "upgrade", "downgrade", "plan", "device",
        "app", "notification", "sms", "phone", "chat", "callback", "complaint", "feedback", "review", "rating", "photo", "recycling",
        "packaging", "sustainability", "allergy", "ingredient", "food", "fridge", "washing", "cleaning", "care", "fabric", "leather",
        "wool", "cotton", "fitting", "alteration", "engraving", "personalisation", "bundle", "accessory", "spare", "part", "manual",
        "firmware", "update", "reset", "pairing", "bluetooth", "wifi", "router", "cable", "adapter", "plug", "voltage", "europe",
        "ireland", "portugal", "spain", "france", "germany", "italy", "poland", "sweden", "norway", "switzerland", "christmas",
        "black", "friday", "sale", "clearance", "outlet", "reservation", "deposit", "instalment", "klarna", "paypal", "apple",
        "google", "wallet", "fraud", "security", "verification", "identity", "age", "children", "pet", "garden", "furniture",
    ];

    private static readonly string[] Filler =
    [
        "you", "can", "we", "the", "your", "within", "days", "after", "before", "when", "if", "please", "contact", "team", "choose",
        "open", "page", "select", "check", "usually", "working", "free", "charge", "online", "link", "code", "new", "old",
        "first", "next", "time", "again", "help", "support", "customer", "service", "quickly", "easily", "safely", "this", "that",
        "will", "be", "is", "are", "to", "of", "and", "in", "for", "on", "with", "as", "by", "from", "at", "it", "our", "all",
        "more", "about", "up", "out", "one", "two", "three", "any", "most", "also", "only", "other", "some", "such", "may", "must",
        "should", "would", "need", "want", "find", "see", "get", "make", "take", "give", "keep", "send", "receive", "arrive",
        "follow", "instructions", "below", "above", "details", "information", "note", "important", "example", "case", "way",
    ];

    public static async Task<int> RunAsync(BenchOptions options)
    {
        var articles = options.GetInt("articles", 5000);
        var baselineArticles = options.GetInt("baseline-articles", 50);
        var queries = options.GetInt("queries", 3000);
        var concurrency = options.GetInt("concurrency", 4);
        var random = new Random(options.GetInt("seed", 7));
        await using var server = await BenchServer.StartOrAttachAsync(options, "kb");
        using var http = server.CreateClient(Math.Max(concurrency, 8));

        var queryList = Enumerable.Range(0, queries).Select(_ => Query(random)).ToList();
        var importWatch = Stopwatch.StartNew();
        await ImportAsync(http, 0, baselineArticles, random);
        await SearchAsync(http, queryList.Take(200).ToList(), concurrency); // warm-up
        var baseline = await SearchAsync(http, queryList, concurrency);

        await ImportAsync(http, baselineArticles, articles - baselineArticles, random);
        var importSeconds = importWatch.Elapsed.TotalSeconds;
        await SearchAsync(http, queryList.Take(200).ToList(), concurrency);
        var cpuBefore = server.CpuTime();
        var watch = Stopwatch.StartNew();
        var measured = await SearchAsync(http, queryList, concurrency);
        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = server.CpuTime() - cpuBefore;

        JsonLine.Write(new
        {
            bench = "kb-search",
            provider = server.Provider,
            articles,
            queries,
            concurrency,
            importSeconds = Math.Round(importSeconds, 1),
            searchesPerSecond = Math.Round(measured.Latencies.Count / seconds, 1),
            meanHits = Math.Round(measured.Hits / (double)Math.Max(1, measured.Latencies.Count), 2),
            search = Percentiles.Summary(measured.Latencies),
            baselineArticles,
            baseline = Percentiles.Summary(baseline.Latencies),
            p99OverBaselineP99 = Math.Round(Percentiles.Of(measured.Latencies, 99) / Percentiles.Of(baseline.Latencies, 99), 2),
            errors = measured.Errors + baseline.Errors,
            serverCpuSeconds = cpu is { } c ? Math.Round(c.TotalSeconds, 1) : (double?)null,
        });
        return 0;
    }

    private sealed record SearchRun(List<double> Latencies, long Hits, int Errors);

    private static async Task<SearchRun> SearchAsync(HttpClient http, List<string> queries, int concurrency)
    {
        var latencies = new double[queries.Count];
        long hits = 0;
        var errors = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < queries.Count; i = Interlocked.Increment(ref next))
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await http.GetAsync(new Uri($"/help/api/search?limit=8&q={Uri.EscapeDataString(queries[i])}", UriKind.Relative));
                var body = await response.Content.ReadAsByteArrayAsync();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode) Interlocked.Increment(ref errors);
                else Interlocked.Add(ref hits, CountOf(body, "\"slug\""u8));
            }
        }));
        return new SearchRun([.. latencies], hits, errors);
    }

    private static int CountOf(ReadOnlySpan<byte> text, ReadOnlySpan<byte> word)
    {
        var count = 0;
        for (var at = text.IndexOf(word); at >= 0; at = text.IndexOf(word))
        {
            count++;
            text = text[(at + word.Length)..];
        }
        return count;
    }

    private static async Task ImportAsync(HttpClient http, int from, int count, Random random)
    {
        var inputs = Enumerable.Range(from, count).Select(i => Article(i, random)).ToList();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < inputs.Count; i = Interlocked.Increment(ref next))
            {
                using var response = await http.PostAsJsonAsync(new Uri("/api/v1/support/articles", UriKind.Relative), inputs[i]);
                response.EnsureSuccessStatusCode();
            }
        }));
    }

    // Some subjects are far more common than others (orders, deliveries, returns): topics are drawn with a skew.
    private static string Topic(Random random) => Topics[(int)(Topics.Length * Math.Pow(random.NextDouble(), 2))];

    private static object Article(int n, Random random)
    {
        string[] own = [Topic(random), Topic(random), Topic(random)];
        var title = $"{Cap(own[0])} and {own[1]}: {own[2]} ({n})";
        var body = new StringBuilder();
        for (var paragraph = 0; paragraph < 3 + random.Next(4); paragraph++)
        {
            for (var word = 0; word < 40 + random.Next(60); word++)
            {
                var roll = random.Next(100);
                body.Append(roll < 20 ? own[random.Next(3)] : roll < 24 ? Topic(random) : Filler[random.Next(Filler.Length)]).Append(' ');
            }
            body.Append("\n\n");
        }
        return new { title, slug = $"bench-{n}", body = body.ToString(), category = Cap(own[0]), published = true };
    }

    private static string Query(Random random)
    {
        var words = Enumerable.Range(0, 2 + random.Next(5)).Select(_ => random.Next(4) == 0 ? Filler[random.Next(Filler.Length)] : Topic(random)).ToList();
        // Half the queries are caught mid-word, as search-as-you-type sends them.
        if (random.Next(2) == 0 && words[^1].Length > 3) words[^1] = words[^1][..(2 + random.Next(words[^1].Length - 2))];
        return string.Join(' ', words);
    }

    private static string Cap(string word) => char.ToUpperInvariant(word[0]) + word[1..];
}
