using System.Net;
using System.Text.Json;
using Centric.Server.Commerce.Orders;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Sentiment;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;

namespace Centric.Server.Tests.Insights;

/// <summary>Systematic listening: each friction signal found on a hand-made March, counted by hand.</summary>
public abstract class ListeningTests(string provider)
{
    private static DateTime Day(int day, int hour = 12, int minute = 0) => new(2026, 3, day, hour, minute, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task Friction_signals_are_counted_by_channel_with_their_worst_offenders_and_lead_to_the_customers_behind_them()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        Guid a, b;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            var ann = directory.Create(ProfileKind.Known);
            ann.FirstName = "Ann";
            var bob = directory.Create(ProfileKind.Known);
            bob.FirstName = "Bob";
            (a, b) = (ann.Id, bob.Id);
            void Ticket(Guid who, string channel, DateTime at) =>
                log.Append(db, who, InteractionTypes.TicketCreated, channel, new TicketCreatedProperties("T-" + at.Day, "Help", channel, "normal"), "ticket", "T-" + at.Day, at);
            // Ann writes on the 1st, again on the 3rd (a repeat, by chat) and on the 20th (17 days on: not a repeat).
            Ticket(a, "email", Day(1)); Ticket(a, "chat", Day(3)); Ticket(a, "email", Day(20));
            Ticket(a, "email", new DateTime(2026, 2, 27, 12, 0, 0, DateTimeKind.Utc));   // before the range: makes the 1st a repeat too
            // Bob searches twice for something the shop lacks, once successfully, and once in the help centre in vain.
            log.Append(db, b, InteractionTypes.SearchPerformed, "web", new SearchPerformedProperties("Blue Kettle", 0, null, null), occurredAt: Day(2));
            log.Append(db, b, InteractionTypes.SearchPerformed, "web", new SearchPerformedProperties("blue kettle ", 0, null, null), occurredAt: Day(4));
            log.Append(db, b, InteractionTypes.SearchPerformed, "web", new SearchPerformedProperties("mug", 3, null, null), occurredAt: Day(4));
            log.Append(db, b, InteractionTypes.HelpSearched, "web", new HelpSearchedProperties("refund", 0, [], "help"), occurredAt: Day(5));
            log.Append(db, b, InteractionTypes.PaymentFailed, "web", new PaymentFailedProperties(Guid.NewGuid(), "K-1", "card declined", 10m, "EUR"), occurredAt: Day(6));
            // Ann's checkout became an order within the hour; Bob's did not.
            log.Append(db, a, InteractionTypes.CheckoutStarted, "web", new CheckoutStartedProperties(1, 10m, "EUR"), occurredAt: Day(5, 10));
            log.Append(db, a, InteractionTypes.OrderPlaced, "web", new OrderPlacedProperties(Guid.NewGuid(), "K-2", 10m, "EUR", "standard", null, [], []), occurredAt: Day(5, 10, 30));
            log.Append(db, b, InteractionTypes.CheckoutStarted, "app", new CheckoutStartedProperties(1, 10m, "EUR"), occurredAt: Day(6, 10));
            log.Append(db, a, InteractionTypes.ReturnRequested, "web", new ReturnRequestedProperties(Guid.NewGuid(), "R-1", Guid.NewGuid(), "K-2", "damaged", "refund",
                [new ReturnedItem("SKU-1", 1)], 10m, "EUR"), occurredAt: Day(8));
            db.TextSentiments.Add(new TextSentiment { InteractionId = Guid.NewGuid(), ProfileId = b, OccurredAt = Day(9), Source = "message", Channel = "email", Score = -0.8, Label = "negative", Scorer = "lexicon" });
            db.TextSentiments.Add(new TextSentiment { InteractionId = Guid.NewGuid(), ProfileId = a, OccurredAt = Day(9), Source = "review", Channel = "web", Score = 0.6, Label = "positive", Scorer = "lexicon" });
            // Bob's order was promised by the 10th and came on the 12th; Ann's came on time.
            Order Delivered(Guid who, string number, DateTime promised, DateTime came) => new()
            {
                Number = number, ProfileId = who, Email = "x@example.com", Status = OrderStatus.Delivered, Currency = "EUR", ShippingMethod = "standard",
                IdempotencyKey = number, PlacedAt = promised.AddDays(-3), EstimatedDeliveryFrom = promised.AddDays(-1), EstimatedDeliveryTo = promised, DeliveredAt = came,
                Lines = [new OrderLine { Sku = "SKU-2", Name = "Teapot", Category = "kitchen", Quantity = 1, UnitPriceMinor = 1000, LineTotalMinor = 1000 }],
            };
            db.Orders.Add(Delivered(b, "K-LATE", Day(10), Day(12)));
            db.Orders.Add(Delivered(a, "K-ONTIME", Day(10), Day(9)));
            await db.SaveChangesAsync();
        }

        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        var response = await reader.GetAsync("/api/v1/insights/listening?from=2026-03-01&to=2026-04-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var signals = (await response.ReadJsonAsync()).GetProperty("signals").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        (int, int) Count(string id) => (signals[id].GetProperty("occurrences").GetInt32(), signals[id].GetProperty("customers").GetInt32());
        string[] Labels(string id, string part) => [.. signals[id].GetProperty(part).EnumerateArray().Select(c => $"{c.GetProperty("label").GetString()}={c.GetProperty("count").GetInt32()}")];
        Assert.Equal((2, 1), Count("repeat_contact"));
        Assert.Equal(["chat=1", "email=1"], Labels("repeat_contact", "byChannel"));
        Assert.Equal((3, 1), Count("search_no_result"));
        Assert.Equal(["shop: blue kettle=2", "help: refund=1"], Labels("search_no_result", "offenders"));
        Assert.Equal(["card declined=1"], Labels("payment_failed", "offenders"));
        Assert.Equal((1, 1), Count("checkout_abandoned"));
        Assert.Equal(["app=1"], Labels("checkout_abandoned", "byChannel"));
        Assert.Equal(["product: SKU-1=1", "reason: damaged=1"], Labels("return", "offenders"));
        Assert.Equal((1, 1), Count("negative_sentiment"));
        Assert.Equal(["messages=1"], Labels("negative_sentiment", "offenders"));
        Assert.Equal((1, 1), Count("late_delivery"));
        Assert.Equal(["Teapot=1"], Labels("late_delivery", "offenders"));
        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(await app.CreateKeyAsync("customers:read")).GetAsync("/api/v1/insights/listening")).StatusCode);

        using (var analyst = await StaffSession.SignInAsync(app, Roles.Analyst, withMfa: true))
        {
            var page = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights/listening?from=2026-03-01&to=2026-04-01"));
            Assert.Contains("href=\"console/insights/listening/search_no_result?from=2026-03-01&to=2026-04-01\" id=\"search_no_result-who\"", page);
            var who = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights/listening/search_no_result?from=2026-03-01&to=2026-04-01"));
            Assert.Matches($"href=\"console/customers/{b}\">Bob</a></th>\\s*<td class=\"num\">3</td>", who);
            Assert.DoesNotContain($"console/customers/{a}", who);
            Assert.Equal(HttpStatusCode.NotFound, (await analyst.GetAsync("/console/insights/listening/no-such-signal")).StatusCode);
        }
        using (var agent = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true))
            Assert.True(StaffSession.Refused(await agent.GetAsync("/console/insights/listening")), "an agent opened listening");
    }
}

public sealed class ListeningOnSqlite() : ListeningTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class ListeningOnPostgres() : ListeningTests("postgres");
