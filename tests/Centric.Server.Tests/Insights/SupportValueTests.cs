using System.Net;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Insights.Scores;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Identity;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;

namespace Centric.Server.Tests.Insights;

/// <summary>Support experience linked to value, against bands and rates worked out by hand for five people over half a year.</summary>
public abstract class SupportValueTests(string provider)
{
    private static DateTime Day(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task Customers_are_banded_by_rating_contacts_and_time_to_solve_with_each_bands_churn_rate_and_lifetime_value()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            var (a, b, c, d, e) = (directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id,
                directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id);
            void Order(Guid who, DateTime at) => log.Append(db, who, InteractionTypes.OrderPlaced, "web", new OrderPlacedProperties(Guid.NewGuid(), "K-1", 10m, "EUR", "standard", null,
                [new OrderedItem(Guid.NewGuid(), "SKU", "cat", 1, 10m)], ["cat"]), occurredAt: at);
            void Ticket(Guid who, string number, DateTime opened, DateTime? solved, int? rating)
            {
                log.Append(db, who, InteractionTypes.TicketCreated, "email", new TicketCreatedProperties(number, "Help", "email", "normal"), "ticket", number, opened);
                // Waiting on the customer on the way is not solving it.
                log.Append(db, who, InteractionTypes.TicketStatusChanged, "email", new TicketStatusChangedProperties(number, "New", "PendingCustomer", "agent"), "ticket", number, opened.AddMinutes(30));
                if (solved is { } at) log.Append(db, who, InteractionTypes.TicketStatusChanged, "email", new TicketStatusChangedProperties(number, "PendingCustomer", "Solved", "agent"), "ticket", number, at);
                if (rating is { } r) log.Append(db, who, InteractionTypes.CsatSubmitted, "email", new CsatSubmittedProperties(number, r, null), "ticket", number, solved!.Value.AddHours(1));
            }
            // A: ordering still; one ticket solved in 2 hours, rated 5. B: no order since January (churned by 1 July with a 90-day
            // horizon); a ticket that took 48 hours, rated 1, and another never solved. C: churned, never contacted, not scored.
            // D: active, never contacted. E: contacted but never ordered, so not a customer here.
            Order(a, Day(1, 10)); Order(a, Day(6, 1));
            Order(b, Day(1, 5));
            Order(c, Day(3, 1));
            Order(d, Day(5, 1));
            Ticket(a, "T-A1", Day(2, 1, 10), Day(2, 1, 12), 5);
            Ticket(b, "T-B1", Day(2, 1), Day(2, 3), 1);
            Ticket(b, "T-B2", Day(3, 1), null, null);
            Ticket(e, "T-E1", Day(2, 2), Day(2, 2, 1), 4);
            Ticket(a, "T-A0", Day(7, 2), null, null);   // after the range: not counted
            var now = app.Clock.GetUtcNow().UtcDateTime;
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = a, Clv12m = 100, ChurnRisk = 0.1, ScoredAt = now });
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = b, Clv12m = 20, ChurnRisk = 0.9, ScoredAt = now });
            db.ProfileInsights.Add(new ProfileInsight { ProfileId = d, Clv12m = 50, ChurnRisk = 0.3, ScoredAt = now });
            await db.SaveChangesAsync();
        }
        await app.DispatchAsync("insights.kpi-rollups");

        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        var response = await reader.GetAsync("/api/v1/insights/support-value?from=2026-01-01&to=2026-07-01");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var report = await response.ReadJsonAsync();
        Assert.Equal(90, report.GetProperty("churnHorizonDays").GetInt32());
        (int, double?, double?, double?) Band(string measure, string band)
        {
            var b = report.GetProperty("groups").EnumerateArray().Single(g => g.GetProperty("measure").GetString() == measure)
                .GetProperty("bands").EnumerateArray().Single(x => x.GetProperty("band").GetString() == band);
            static double? N(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : Math.Round(e.GetDouble(), 4);
            return (b.GetProperty("customers").GetInt32(), N(b.GetProperty("churnRate")), N(b.GetProperty("meanClv")), N(b.GetProperty("meanChurnRisk")));
        }
        Assert.Equal((1, 0.0, 100.0, 0.1), Band("satisfaction", "Rated 4–5"));
        Assert.Equal((1, 1.0, 20.0, 0.9), Band("satisfaction", "Rated 1–2"));
        Assert.Equal((0, null, null, null), Band("satisfaction", "Rated 3"));
        Assert.Equal((2, 0.5, 50.0, 0.3), Band("satisfaction", "No contact"));   // C churned; only D is scored
        Assert.Equal((2, 0.5, 50.0, 0.3), Band("contacts", "No contact"));
        Assert.Equal((1, 0.0, 100.0, 0.1), Band("contacts", "1 ticket"));
        Assert.Equal((1, 1.0, 20.0, 0.9), Band("contacts", "2–3 tickets"));
        Assert.Equal((1, 0.0, 100.0, 0.1), Band("resolution", "Under 4 hours"));
        Assert.Equal((1, 1.0, 20.0, 0.9), Band("resolution", "1–3 days"));   // 48 hours; the unsolved ticket has no time
        Assert.Equal((0, null, null, null), Band("resolution", "Over 3 days"));

        Assert.Equal(HttpStatusCode.Forbidden, (await app.ClientWithKey(await app.CreateKeyAsync("customers:read")).GetAsync("/api/v1/insights/support-value")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await reader.GetAsync("/api/v1/insights/support-value?from=2026-07-01&to=2026-01-01")).StatusCode);

        using (var analyst = await StaffSession.SignInAsync(app, Roles.Analyst, withMfa: true))
        {
            var page = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights/support-value?from=2026-01-01&to=2026-07-01"));
            Assert.Matches("Rated 1–2</th>\\s*<td class=\"num\">1</td>\\s*<td class=\"num\">100 %</td>\\s*<td class=\"num\">€20\\.00</td>", page);
        }
        using (var agent = await StaffSession.SignInAsync(app, Roles.Agent, withMfa: true))
            Assert.True(StaffSession.Refused(await agent.GetAsync("/console/insights/support-value")), "an agent opened the support and value page");
    }
}

public sealed class SupportValueOnSqlite() : SupportValueTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class SupportValueOnPostgres() : SupportValueTests("postgres");
