using Centric.Analytics.Recommendations;
using static Centric.Analytics.Tests.Recommendations.ModelMathTests;

namespace Centric.Analytics.Tests.Recommendations;

public class ServingTests
{
    // Two tastes: shoppers of a tent also buy stoves and mats; shoppers of yarn also buy needles and hooks.
    private static List<Interaction> Shop()
    {
        var rows = new List<Interaction>();
        for (var u = 0; u < 30; u++)
        {
            var outdoor = u % 2 == 0;
            string[] items = outdoor ? ["tent", "stove", "mat", "lamp"] : ["yarn", "needles", "hook", "pattern"];
            // Each customer skips one item of their taste so the model has something to recommend.
            for (var k = 0; k < items.Length; k++)
                if (k != u / 2 % items.Length) rows.Add(new Interaction($"c{u}", items[k], k == 0 ? InteractionKind.Purchase : InteractionKind.View, new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero).AddHours(u * 10 + k)));
        }
        return rows;
    }

    private static readonly CatalogItem[] Catalog =
    [
        new("tent", "outdoor", ["camping", "waterproof"]),
        new("stove", "outdoor", ["camping", "gas"]),
        new("mat", "outdoor", ["camping"]),
        new("lamp", "outdoor", ["battery"]),
        new("yarn", "craft", ["wool"]),
        new("needles", "craft", ["steel"]),
        new("hook", "craft", ["steel"]),
        new("pattern", "craft", ["paper"]),
        new("hammock", "outdoor", ["camping", "waterproof"]),
    ];

    private static Dictionary<string, string> Segments() =>
        Enumerable.Range(0, 30).ToDictionary(u => $"c{u}", u => u % 2 == 0 ? "campers" : "crafters");

    public static TheoryData<RecommenderModelKind> Kinds => [RecommenderModelKind.Ease, RecommenderModelKind.ItemSimilarity, RecommenderModelKind.Popularity];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Recommendations_never_repeat_what_the_customer_already_has(RecommenderModelKind kind)
    {
        var data = Shop();
        var model = RecommenderTrainer.Train(data, new RecommenderOptions { Model = kind });
        foreach (var user in data.Select(d => d.UserId).Distinct())
        {
            var seen = data.Where(d => d.UserId == user).Select(d => d.ItemId).ToHashSet();
            var top = model.RecommendForUser(user, 5);
            Assert.Equal(5, top.Count);
            Assert.DoesNotContain(top, t => seen.Contains(t.ItemId));
            Assert.Equal(top.Count, top.Select(t => t.ItemId).Distinct().Count());
        }
    }

    [Theory]
    [InlineData(RecommenderModelKind.Ease)]
    [InlineData(RecommenderModelKind.ItemSimilarity)]
    public void The_missing_item_of_a_customers_taste_comes_first(RecommenderModelKind kind)
    {
        var model = RecommenderTrainer.Train(Shop(), new RecommenderOptions { Model = kind, EaseLambda = 1 });
        // c0 is a camper who skipped "tent"; c1 a crafter who skipped "yarn".
        Assert.Equal("tent", model.RecommendForUser("c0", 1)[0].ItemId);
        Assert.Equal("yarn", model.RecommendForUser("c1", 1)[0].ItemId);
        Assert.Equal(RecommendationSource.Model, model.RecommendForUser("c1", 1)[0].Source);
    }

    [Fact]
    public void A_business_filter_removes_items_from_every_kind_of_answer()
    {
        var model = RecommenderTrainer.Train(Shop(), catalog: Catalog, userSegments: Segments());
        static bool InStock(string id) => id is not "tent" and not "stove";
        Assert.NotEqual("tent", model.RecommendForUser("c0", 1, InStock)[0].ItemId);
        Assert.All(model.RecommendForUser("c0", 6, InStock), t => Assert.True(InStock(t.ItemId)));
        Assert.All(model.BoughtTogether("mat", 6, InStock), t => Assert.True(InStock(t.ItemId)));
        Assert.All(model.PopularItems("campers", 6, InStock), t => Assert.True(InStock(t.ItemId)));
        Assert.All(model.RecommendForUser("stranger", 6, InStock), t => Assert.True(InStock(t.ItemId)));
        // Everything filtered out gives an empty answer rather than filtered items.
        Assert.Empty(model.RecommendForUser("c0", 5, _ => false));
    }

    [Fact]
    public void A_new_customer_gets_what_is_popular_in_their_segment()
    {
        var model = RecommenderTrainer.Train(Shop(), userSegments: Segments());
        var campers = model.RecommendForUser("new-customer", 4, segment: "campers");
        Assert.Equal(["lamp", "mat", "stove", "tent"], campers.Select(t => t.ItemId).Order());
        Assert.All(campers, t => Assert.Equal(RecommendationSource.Segment, t.Source));
        var crafters = model.PopularItems("crafters", 4);
        Assert.Equal(["hook", "needles", "pattern", "yarn"], crafters.Select(t => t.ItemId).Order());
        // No segment, or an unknown one: popular overall.
        var anyone = model.RecommendForUser("new-customer", 8, segment: "unknown-segment");
        Assert.Equal(8, anyone.Count);
        Assert.All(anyone, t => Assert.Equal(RecommendationSource.Popular, t.Source));
        Assert.False(model.KnowsUser("new-customer"));
    }

    [Fact]
    public void A_new_item_is_matched_by_category_and_attributes()
    {
        var model = RecommenderTrainer.Train(Shop(), catalog: Catalog);
        // "hammock" is in the catalog but nobody has bought it yet: outdoor items sharing "camping" and "waterproof" first.
        var similar = model.BoughtTogether("hammock", 3);
        Assert.Equal("tent", similar[0].ItemId);
        Assert.All(similar, t => Assert.Equal(RecommendationSource.Catalog, t.Source));
        Assert.All(similar, t => Assert.Contains(t.ItemId, new[] { "tent", "stove", "mat", "lamp" }));
        var brandNew = model.SimilarToNewItem(new CatalogItem("knitting-bag", "craft", ["wool"]), 2);
        Assert.Equal("yarn", brandNew[0].ItemId);
        Assert.Equal(RecommendationSource.Catalog, brandNew[1].Source);
        // Nothing in common with anything: popular items.
        Assert.All(model.SimilarToNewItem(new CatalogItem("gift-card"), 3), t => Assert.Equal(RecommendationSource.Popular, t.Source));
    }

    [Fact]
    public void Unknown_items_fall_back_to_popular_and_unknown_basket_items_are_ignored()
    {
        var model = RecommenderTrainer.Train(Shop());
        var popular = model.BoughtTogether("no-such-item", 3);
        Assert.Equal(3, popular.Count);
        Assert.All(popular, t => Assert.Equal(RecommendationSource.Popular, t.Source));
        var basket = model.RecommendForItems(["no-such-item", "yarn", "needles"], 2);
        Assert.Equal(["hook", "pattern"], basket.Select(t => t.ItemId).Order());
        Assert.Empty(model.RecommendForUser("c0", 0));
        Assert.Throws<AnalyticsException>(() => model.RecommendForUser("c0", -1));
    }

    [Fact]
    public void Auto_picks_ease_for_small_catalogs_item_similarity_for_large_and_popularity_without_pairs()
    {
        Assert.Equal(RecommenderModelKind.Ease, RecommenderTrainer.Train(Shop()).Kind);
        Assert.Equal(RecommenderModelKind.ItemSimilarity, RecommenderTrainer.Train(Shop(), new RecommenderOptions { MaxDenseItems = 4 }).Kind);
        Interaction[] singles = [Buy("a", "x"), Buy("b", "y"), Buy("c", "y")];
        var model = RecommenderTrainer.Train(singles);
        Assert.Equal(RecommenderModelKind.Popularity, model.Kind);
        Assert.Equal(["y"], model.RecommendForUser("a", 5).Select(t => t.ItemId));
        var rule = new RecommenderOptions();
        Assert.Equal(RecommenderModelKind.Ease, RecommenderTrainer.Choose(5_000, true, rule));
        Assert.Equal(RecommenderModelKind.ItemSimilarity, RecommenderTrainer.Choose(50_000, true, rule));
        Assert.Equal(RecommenderModelKind.Popularity, RecommenderTrainer.Choose(50_000, false, rule));
    }

    [Fact]
    public void Bad_input_is_refused_with_a_clear_message()
    {
        Assert.Contains("no interactions", Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([])).Message);
        Assert.Contains("interaction 1", Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([Buy("a", "x"), Buy("", "y")])).Message);
        Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([Buy("a", "")]));
        Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([new Interaction("a", "x", (InteractionKind)42, default)]));
        Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([Buy("a", "x")], new RecommenderOptions { EaseLambda = float.NaN }));
        Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([Buy("a", "x")], new RecommenderOptions { Weights = new() { View = float.PositiveInfinity } }));
        Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([Buy("a", "x")], catalog: [new CatalogItem("x"), new CatalogItem("x")]));
        // Every interaction weighted zero leaves nothing to learn.
        Assert.Throws<AnalyticsException>(() => RecommenderTrainer.Train([new Interaction("a", "x", InteractionKind.View, default)],
            new RecommenderOptions { Weights = new() { View = 0 } }));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void A_saved_model_loads_and_answers_identically(RecommenderModelKind kind)
    {
        var data = Shop();
        var model = RecommenderTrainer.Train(data, new RecommenderOptions { Model = kind }, Catalog, Segments());
        using var stream = new MemoryStream();
        model.Save(stream);
        stream.Position = 0;
        var loaded = RecommendationModel.Load(stream);
        Assert.Equal(model.Kind, loaded.Kind);
        Assert.Equal((model.ItemCount, model.UserCount), (loaded.ItemCount, loaded.UserCount));
        foreach (var user in data.Select(d => d.UserId).Distinct())
            Assert.Equal(model.RecommendForUser(user, 6), loaded.RecommendForUser(user, 6));
        Assert.Equal(model.BoughtTogether("mat", 4), loaded.BoughtTogether("mat", 4));
        Assert.Equal(model.BoughtTogether("hammock", 4), loaded.BoughtTogether("hammock", 4));
        Assert.Equal(model.PopularItems("crafters", 4), loaded.PopularItems("crafters", 4));
    }

    [Fact]
    public void Loading_another_version_or_a_damaged_file_fails_clearly()
    {
        var model = RecommenderTrainer.Train(Shop());
        using var stream = new MemoryStream();
        model.Save(stream);
        var bytes = stream.ToArray();

        var otherVersion = (byte[])bytes.Clone();
        BitConverter.TryWriteBytes(otherVersion.AsSpan(4), RecommendationModel.FormatVersion + 1);
        Assert.Contains("version", Assert.Throws<AnalyticsException>(() => RecommendationModel.Load(new MemoryStream(otherVersion))).Message);
        Assert.Contains("truncated", Assert.Throws<AnalyticsException>(() => RecommendationModel.Load(new MemoryStream(bytes[..(bytes.Length / 2)]))).Message);
        Assert.Contains("not a saved", Assert.Throws<AnalyticsException>(() => RecommendationModel.Load(new MemoryStream("hello, world"u8.ToArray()))).Message);
    }
}
