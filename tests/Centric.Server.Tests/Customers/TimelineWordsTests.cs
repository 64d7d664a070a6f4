using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Interactions;

namespace Centric.Server.Tests.Customers;

/// <summary>The customer 360 writes every catalogued interaction in words, linked to what it is about.</summary>
public sealed class TimelineWordsTests
{
    private static readonly Dictionary<string, string> NoSubjects = [];

    [Fact]
    public void Every_catalogued_type_has_words_of_its_own()
    {
        foreach (var type in InteractionTypes.All)
        {
            var line = TimelineWords.Describe(Entry(type.Name, Sample(type.PropertiesType)), NoSubjects);
            // The fallback for a type without words is its wire name made readable.
            Assert.False(line.Text == TimelineWords.Humanise(type.Name), $"{type.Name} has no words of its own: “{line.Text}”");
            Assert.DoesNotContain("{", line.Text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Properties_that_leave_out_what_the_declaration_promises_read_as_the_name_instead_of_failing()
    {
        foreach (var type in InteractionTypes.All)
        {
            var nulls = new JsonObject();
            foreach (var (name, _) in type.Properties) nulls[name] = null;
            var line = TimelineWords.Describe(Entry(type.Name, JsonDocument.Parse(nulls.ToJsonString()).RootElement), NoSubjects);
            Assert.False(string.IsNullOrWhiteSpace(line.Text), type.Name);
        }
        Assert.Empty(TimelineWords.TicketNumbers([Entry("ticket_created", JsonDocument.Parse("{\"ticketNumber\":42}").RootElement)]));
    }

    [Fact]
    public void An_order_reads_as_items_and_money_and_links_to_the_order()
    {
        var placed = new OrderPlacedProperties(Guid.NewGuid(), "CO-7K3F9Q", 46.72m, "EUR", "standard", null,
            [new OrderedItem(Guid.NewGuid(), "A", "toys", 1, 20m), new OrderedItem(Guid.NewGuid(), "B", "toys", 1, 26.72m)], ["toys"]);
        var line = TimelineWords.Describe(Entry("order_placed", JsonSerializer.SerializeToElement(placed, JsonSerializerOptions.Web)), NoSubjects);
        Assert.Equal("Ordered 2 items · €46.72", line.Text);
        Assert.Equal("console/orders/CO-7K3F9Q", line.Href);
        Assert.Equal("CO-7K3F9Q", line.LinkText);
    }

    [Fact]
    public void A_call_reads_with_the_ticket_subject_and_its_length()
    {
        var call = new TicketReplyProperties("T-123456", Guid.NewGuid(), "agent-1", 250, "answered", false);
        var line = TimelineWords.Describe(Entry("ticket_call_logged", JsonSerializer.SerializeToElement(call, JsonSerializerOptions.Web)),
            new Dictionary<string, string> { ["T-123456"] = "Late delivery" });
        Assert.Equal("Phone call about “Late delivery” · 4 min · answered", line.Text);
        Assert.Equal("console/tickets/T-123456", line.Href);

        var waiting = new TicketStatusChangedProperties("T-123456", "Open", "PendingCustomer", "agent-1");
        Assert.Equal("Waiting for the customer about “Late delivery”", TimelineWords.Describe(
            Entry("ticket_status_changed", JsonSerializer.SerializeToElement(waiting, JsonSerializerOptions.Web)),
            new Dictionary<string, string> { ["T-123456"] = "Late delivery" }).Text);
    }

    [Fact]
    public void A_type_only_an_integrator_sends_or_properties_that_do_not_fit_fall_back_to_the_readable_name()
    {
        Assert.Equal("loyalty points earned", TimelineWords.Describe(Entry("loyalty_points_earned", JsonDocument.Parse("{\"points\":5}").RootElement), NoSubjects).Text);
        // An integrator sending a catalogued name with properties of its own gets the readable name, not an error.
        Assert.Equal("order placed", TimelineWords.Describe(Entry("order_placed", JsonDocument.Parse("{\"orderId\":\"nope\"}").RootElement), NoSubjects).Text);
    }

    [Fact]
    public void Kinds_cover_every_catalogued_type_once()
    {
        var inKinds = TimelineKinds.All.SelectMany(k => k.Types).Select(t => t.Name).ToList();
        Assert.Equal(inKinds.Count, inKinds.Distinct().Count());
        Assert.Equal(InteractionTypes.All.Select(t => t.Name).Order(), inKinds.Order());
        Assert.Null(TimelineKinds.Types("nonsense"));
        Assert.Contains("ticket_created", TimelineKinds.Types("support")!, StringComparison.Ordinal);
    }

    [Fact]
    public void Only_consecutive_recommendations_shown_on_one_channel_run_together_and_a_run_says_when()
    {
        var empty = JsonDocument.Parse("{}").RootElement;
        TimelineEntry At(string type, string channel, DateTime at) => new(Guid.NewGuid(), Guid.NewGuid().ToString(), type, channel, at, empty, null, null);
        var end = new DateTime(2025, 12, 2, 14, 30, 0, DateTimeKind.Utc);
        // Newest first, as the timeline lists them.
        var items = TimelineRuns.Group(
        [
            At("recommendation_shown", "app", end), At("recommendation_shown", "web", end.AddHours(-1)), At("recommendation_shown", "web", end.AddDays(-4)),
            At("product_viewed", "web", end.AddDays(-5)), At("product_viewed", "web", end.AddDays(-5)), At("recommendation_shown", "web", end.AddDays(-6)),
        ]);
        Assert.Equal([1, 2, 1, 1, 1], items.Select(i => i.Entries.Count));
        Assert.Equal("Was shown recommendations 2 times", TimelineRuns.Describe(items[1]));
        Assert.Equal("28 Nov – 2 Dec", TimelineRuns.Span(items[1]));
        Assert.Equal("3–5 Dec", TimelineRuns.Span(new TimelineItem([At("recommendation_shown", "web", end.AddDays(3)), At("recommendation_shown", "web", end.AddDays(1))])));
        Assert.Equal("09:05–14:30", TimelineRuns.Span(new TimelineItem([At("recommendation_shown", "web", end), At("recommendation_shown", "web", end.AddMinutes(-325))])));
    }

    private static TimelineEntry Entry(string type, JsonElement properties) =>
        new(Guid.NewGuid(), Guid.NewGuid().ToString(), type, "web", DateTime.UtcNow, properties, null, null);

    /// <summary>A value for every declared property of the record, as a producer would write it.</summary>
    private static JsonElement Sample(Type record)
    {
        var json = new JsonObject();
        foreach (var p in record.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.Name != "EqualityContract"))
            json[JsonNamingPolicy.CamelCase.ConvertName(p.Name)] = Value(p.PropertyType);
        return JsonDocument.Parse(json.ToJsonString()).RootElement;
    }

    private static JsonNode? Value(Type t)
    {
        t = Nullable.GetUnderlyingType(t) ?? t;
        if (t == typeof(string)) return "sample";
        if (t == typeof(bool)) return true;
        if (t == typeof(Guid)) return Guid.NewGuid().ToString();
        if (t == typeof(DateTime)) return DateTime.UtcNow.ToString("O");
        if (t == typeof(int) || t == typeof(long)) return 2;
        if (t == typeof(decimal) || t == typeof(double)) return 0.5;
        if (t.IsArray)
        {
            var element = t.GetElementType()!;
            return new JsonArray(element.IsClass && element != typeof(string) ? JsonNode.Parse(Sample(element).GetRawText()) : Value(element));
        }
        return JsonNode.Parse(Sample(t).GetRawText());
    }
}
