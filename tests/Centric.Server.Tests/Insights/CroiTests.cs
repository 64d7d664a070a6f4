using System.Net;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Sentiment;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;

namespace Centric.Server.Tests.Insights;

/// <summary>The customer-return-on-operations index against a week scored by hand, and its weights set by an admin.</summary>
public abstract class CroiTests(string provider)
{
    private static DateTime Day(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task The_index_is_the_weighted_mean_of_the_parts_that_have_something_to_measure_and_admins_set_the_weights()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            var a = scope.ServiceProvider.GetRequiredService<ProfileDirectory>().Create(ProfileKind.Known).Id;
            Guid Order(DateTime at)
            {
                var id = Guid.NewGuid();
                log.Append(db, a, InteractionTypes.OrderPlaced, "web", new OrderPlacedProperties(id, "K-" + id.ToString("N")[..6], 20m, "EUR", "standard", null,
                    [new OrderedItem(Guid.NewGuid(), "SKU", "tea", 1, 20m)], ["tea"]), occurredAt: at);
                return id;
            }
            // A came back (retention 100 %), the order arrived in 2 days (delivery scores 100), what A wrote was neutral (50),
            // nothing cost anything (100); no tickets and no effort survey: those parts are left out.
            Order(Day(10, 28));
            var o2 = Order(Day(11, 2));
            log.Append(db, a, InteractionTypes.OrderStatusChanged, "web", new OrderStatusChangedProperties(o2, "K", "OutForDelivery", "Delivered"), occurredAt: Day(11, 4));
            db.TextSentiments.Add(new TextSentiment { InteractionId = Guid.NewGuid(), ProfileId = a, OccurredAt = Day(11, 3), Source = "message", Channel = "email", Score = 0, Label = "neutral", Scorer = "lexicon" });
            await db.SaveChangesAsync();
        }
        await app.DispatchAsync("insights.kpi-rollups");

        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        async Task<JsonElement> CroiAsync()
        {
            var response = await reader.GetAsync("/api/v1/insights/croi?from=2026-11-01&to=2026-11-08");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            return await response.ReadJsonAsync();
        }
        static Dictionary<string, (double? Score, int Weight, double? Contribution)> Parts(JsonElement r) => r.GetProperty("parts").EnumerateArray().ToDictionary(
            p => p.GetProperty("id").GetString()!,
            p => (p.GetProperty("score").ValueKind == JsonValueKind.Null ? (double?)null : p.GetProperty("score").GetDouble(), p.GetProperty("weight").GetInt32(),
                  p.GetProperty("contribution").ValueKind == JsonValueKind.Null ? (double?)null : p.GetProperty("contribution").GetDouble()));
        var reading = await CroiAsync();
        // Weights 25 + 15 + 15 + 10 = 65 of the measured parts: (100·25 + 100·15 + 50·15 + 100·10) / 65.
        var parts = Parts(reading);
        Assert.Equal((100.0, 25, 38.5), parts["retention"]);
        Assert.Equal((100.0, 15, 23.1), parts["delivery"]);
        Assert.Equal((50.0, 15, 11.5), parts["sentiment"]);
        Assert.Equal((100.0, 10, 15.4), parts["cost"]);
        Assert.Equal(((double?)null, 20, (double?)null), parts["first_contact"]);
        Assert.Equal(((double?)null, 15, (double?)null), parts["effort"]);
        Assert.Equal(88.5, reading.GetProperty("index").GetDouble());

        // An admin weighs sentiment out and retention up, on the console page; the index follows.
        using (var admin = await StaffSession.SignInAsync(app, Roles.Admin, withMfa: true))
        {
            var fields = new Dictionary<string, string>
            {
                ["_handler"] = "croi-weights", ["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(admin, "/console/insights/croi"),
                ["weight-effort"] = "15", ["weight-first_contact"] = "20", ["weight-delivery"] = "15", ["weight-sentiment"] = "0", ["weight-retention"] = "50", ["weight-cost"] = "10",
            };
            var saved = WebUtility.HtmlDecode(await (await admin.PostAsync("/console/insights/croi", new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync());
            Assert.Contains("Weights saved.", saved);
            fields["weight-cost"] = "101";
            fields["__RequestVerificationToken"] = await StaffSession.AntiforgeryTokenAsync(admin, "/console/insights/croi");
            var refused = WebUtility.HtmlDecode(await (await admin.PostAsync("/console/insights/croi", new FormUrlEncodedContent(fields))).Content.ReadAsStringAsync());
            Assert.Contains("A weight is a whole number from 0 to 100.", refused);
        }
        reading = await CroiAsync();
        Assert.Equal((50.0, 0, (double?)null), Parts(reading)["sentiment"]);
        Assert.Equal(100.0, reading.GetProperty("index").GetDouble());   // every weighed part scores 100

        // Analysts read it; the weights form is for admins.
        using (var analyst = await StaffSession.SignInAsync(app, Roles.Analyst, withMfa: true))
        {
            var page = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights/croi?from=2026-11-01&to=2026-11-08"));
            Assert.Contains("id=\"croi-index\"", page);
            Assert.DoesNotContain("croi-weights-form", page);
        }
        using (var agent = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true))
            Assert.True(StaffSession.Refused(await agent.GetAsync("/console/insights/croi")), "an agent opened the index");
    }
}

public sealed class CroiOnSqlite() : CroiTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class CroiOnPostgres() : CroiTests("postgres");
