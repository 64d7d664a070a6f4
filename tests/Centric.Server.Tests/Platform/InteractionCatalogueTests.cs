using System.Text.RegularExpressions;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Tests.Platform;

public sealed partial class InteractionCatalogueTests
{
    [GeneratedRegex("^[a-z][a-z0-9_]{2,59}$")]
    private static partial Regex WireName();

    [Fact]
    public void Every_declared_type_has_a_unique_wire_name_the_events_api_accepts()
    {
        Assert.NotEmpty(InteractionTypes.All);
        Assert.Equal(InteractionTypes.All.Count, InteractionTypes.All.Select(t => t.Name).Distinct().Count());
        Assert.All(InteractionTypes.All, t => Assert.Matches(WireName(), t.Name));
        // Every public declaration is in All, so documentation and lookups see it.
        var declared = typeof(InteractionTypes).GetFields().Where(f => f.FieldType.IsAssignableTo(typeof(InteractionType)))
            .Select(f => (InteractionType)f.GetValue(null)!).ToList();
        Assert.Equal(declared.Select(t => t.Name).Order(), InteractionTypes.All.Select(t => t.Name).Order());
    }

    [Fact]
    public void Declared_properties_are_what_a_stored_interaction_reads_back()
    {
        var placed = new OrderPlacedProperties(Guid.NewGuid(), "CO-1", 12.5m, "EUR", "standard", null,
            [new OrderedItem(Guid.NewGuid(), "SKU-1", "toys", 2, 6.25m)], ["toys"]);
        var json = System.Text.Json.JsonSerializer.Serialize(placed, System.Text.Json.JsonSerializerOptions.Web);
        Assert.Contains("\"orderNumber\":\"CO-1\"", json, StringComparison.Ordinal);
        Assert.Equal(placed.Items[0], InteractionTypes.OrderPlaced.Read(json)!.Items[0]);
        Assert.Null(InteractionTypes.OrderPlaced.Read("{\"orderId\":\"not a guid\"}"));
        // An integrator's order_placed with properties of its own (or none) does not fit: consumers pass it over.
        Assert.Null(InteractionTypes.OrderPlaced.Read("{}"));
        Assert.Null(InteractionTypes.OrderPlaced.Read(json.Replace("\"currency\":\"EUR\",", "", StringComparison.Ordinal)));
        Assert.NotNull(InteractionTypes.OrderPlaced.Read(json.Replace("\"promoCode\":null,", "", StringComparison.Ordinal)));
        Assert.Contains(("orderNumber", "string"), InteractionTypes.OrderPlaced.Properties);
        Assert.Contains(("promoCode", "string?"), InteractionTypes.OrderPlaced.Properties);
    }

    /// <summary>Set CENTRIC_WRITE_DOCS=1 to rewrite the generated part of docs/webhooks.md after changing the catalogue.</summary>
    [Fact]
    public void Webhooks_doc_lists_exactly_the_declared_types()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Centric.slnx"))) root = root.Parent;
        Assert.NotNull(root);
        var path = Path.Combine(root.FullName, "docs", "webhooks.md");
        var doc = File.ReadAllText(path);
        var start = doc.IndexOf(InteractionCatalogueDocs.Start, StringComparison.Ordinal);
        var end = doc.IndexOf(InteractionCatalogueDocs.End, StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/webhooks.md lacks the interaction catalogue markers");
        var body = start + InteractionCatalogueDocs.Start.Length;
        var expected = "\n" + InteractionCatalogueDocs.Render(InteractionTypes.All);
        if (Environment.GetEnvironmentVariable("CENTRIC_WRITE_DOCS") == "1")
        {
            File.WriteAllText(path, doc[..body] + expected + doc[end..]);
            return;
        }
        Assert.Equal(expected, doc[body..end]);
    }
}
