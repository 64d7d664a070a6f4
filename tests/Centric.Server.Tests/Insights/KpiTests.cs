using System.Net;
using Microsoft.EntityFrameworkCore;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Tests.Infrastructure;
using Centric.Server.Tests.Platform;

namespace Centric.Server.Tests.Insights;

/// <summary>The fixed KPIs against answers worked out by hand on a small shop of four customers over three weeks.</summary>
public abstract class KpiTests(string provider)
{
    private static DateTime Day(int month, int day, int hour = 12) => new(2026, month, day, hour, 0, 0, DateTimeKind.Utc);

    [SkippableFact]
    public async Task History_older_than_the_stream_is_rolled_up_from_the_timeline_once()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await SeedAsync(app);
        // A stream that still holds the history leaves it to the subscriber (as on a demo just seeded).
        Assert.Equal(0, await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpAsync(db, default)));
        // As on a database whose stream no longer holds its oldest rows (pruned): the history comes from the timeline.
        await app.WithDbAsync(async db =>
        {
            var oldest = await db.Interactions.Where(i => Centric.Server.Insights.Kpis.KpiRollups.Types.Contains(i.Type))
                .OrderBy(i => i.OccurredAt).ThenBy(i => i.Id).Select(i => i.Id).FirstAsync();
            return await db.Outbox.Where(m => m.InteractionId == oldest).ExecuteDeleteAsync();
        });
        Assert.True(await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpAsync(db, default)) >= 10);
        Assert.Equal(0, await app.WithDbAsync(db => Centric.Server.Insights.Kpis.KpiHistory.RollUpAsync(db, default)));   // once
        await app.DispatchAsync("insights.kpi-rollups");   // the subscriber meeting the same rows adds nothing
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        var all = await KpisAsync(reader, "from=2026-11-01&to=2026-11-08");
        Assert.Equal((4.0, 2.0), Kpi(all, "orders"));
        Assert.Equal((75.0, 80.0), Kpi(all, "revenue"));
        Assert.Equal((2.0, 1.0), Kpi(all, "new_customers"));
    }

    [SkippableFact]
    public async Task Orders_revenue_average_order_value_active_new_customers_and_retention_match_the_hand_computed_figures()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await SeedAsync(app);
        await app.DispatchAsync("insights.kpi-rollups");
        await app.DispatchAsync("insights.kpi-rollups");   // nothing new: nothing counted twice
        await AssertHandComputedAsync(app);
    }

    /// <summary>
    /// Four customers over three weeks. The range is 1–8 Nov; the previous period 25 Oct–1 Nov; the one before that 18–25 Oct.
    /// </summary>
    private static async Task<(Guid A, Guid B, Guid C, Guid D)> SeedAsync(ManualClockApp app)
    {
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            var directory = scope.ServiceProvider.GetRequiredService<ProfileDirectory>();
            var log = scope.ServiceProvider.GetRequiredService<InteractionLog>();
            var (a, b, c, d) = (directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id, directory.Create(ProfileKind.Known).Id);
            Guid Order(Guid who, DateTime at, string channel, decimal total, params (int Quantity, decimal Price)[] lines)
            {
                var id = Guid.NewGuid();
                log.Append(db, who, InteractionTypes.OrderPlaced, channel, new OrderPlacedProperties(id, "K-" + id.ToString("N")[..6], total, "EUR", "standard", null,
                    [.. lines.Select(l => new OrderedItem(Guid.NewGuid(), "SKU", "cat", l.Quantity, l.Price))], ["cat"]), occurredAt: at);
                return id;
            }
            // A: a regular since before the previous period.
            Order(a, Day(10, 20), "web", 10m, (1, 10m));
            Order(a, Day(10, 28), "web", 30m, (2, 15m));
            Order(a, Day(11, 2), "web", 20m, (1, 20m));
            // B: first order in the previous period, cancelled at the very start of the range; nothing since.
            var bOrder = Order(b, Day(10, 30), "web", 50m, (1, 50m));
            log.Append(db, b, InteractionTypes.OrderStatusChanged, "web", new OrderStatusChangedProperties(bOrder, "K-b", "Paid", "Cancelled"), occurredAt: Day(11, 1, 0));
            // C: new in the range, first in the app, then on the web (that one cancelled).
            Order(c, Day(11, 3), "app", 30m, (3, 10m));
            var cWeb = Order(c, Day(11, 5), "web", 40m, (1, 40m));
            log.Append(db, c, InteractionTypes.OrderStatusChanged, "web", new OrderStatusChangedProperties(cWeb, "K-c", "Placed", "Cancelled"), occurredAt: Day(11, 6));
            // D: new in the range; the total includes €10 delivery (lines are what count); a return refunds €25.
            var dOrder = Order(d, Day(11, 4), "web", 110m, (1, 100m));
            log.Append(db, d, InteractionTypes.RefundIssued, "web", new RefundIssuedProperties(dOrder, "K-d", 25m, "EUR", "return"), occurredAt: Day(11, 7));
            // After the range: counts for nothing here.
            Order(d, Day(11, 8, 0), "web", 999m, (1, 999m));
            // An integrator's order_placed for another system's order, with properties of its own: not counted, and no failure.
            RawInteractions.Add(db, a, InteractionTypes.OrderPlaced.Name, $$"""{"orderId":"{{Guid.NewGuid()}}","total":500}""").OccurredAt = Day(11, 3);
            await db.SaveChangesAsync();
            return (a, b, c, d);
        }
    }

    [SkippableFact]
    public async Task Breakdowns_over_time_by_channel_and_decile_add_up_to_the_kpis_and_drill_down_to_exactly_the_counted_customers()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var (a, b, c, d) = await SeedAsync(app);
        await app.DispatchAsync("insights.kpi-rollups");
        // A is in the top decile, D in the second; B and C are not scored yet. A second, older row for A (as a merge can
        // leave for a moment) does not count.
        await app.WithDbAsync(async db =>
        {
            db.ProfileInsights.Add(new Centric.Server.Insights.Scores.ProfileInsight { ProfileId = a, Decile = 7, ScoredAt = Day(10, 1) });
            db.ProfileInsights.Add(new Centric.Server.Insights.Scores.ProfileInsight { ProfileId = a, Decile = 1, ScoredAt = Day(11, 1) });
            db.ProfileInsights.Add(new Centric.Server.Insights.Scores.ProfileInsight { ProfileId = d, Decile = 2, ScoredAt = Day(11, 1) });
            return await db.SaveChangesAsync();
        });
        var range = new Centric.Server.Insights.Kpis.KpiRange(new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 8));
        await using var scope = app.Services.CreateAsyncScope();
        var breakdowns = scope.ServiceProvider.GetRequiredService<Centric.Server.Insights.Kpis.KpiBreakdowns>();

        // By day: B's cancellation on the 1st, A on the 2nd, C (app) the 3rd, D the 4th, C (web) the 5th, its
        // cancellation the 6th, D's refund the 7th: 75 in all, as the revenue KPI.
        var days = await breakdowns.SeriesAsync(range.From, range.To, null, default);
        Assert.Equal([0, 1, 1, 1, 1, 0, 0], days.Select(p => p.Orders));
        Assert.Equal([-50.0, 20, 30, 100, 40, -40, -25], days.Select(p => p.Revenue));
        Assert.Equal(range.From, days[0].Start);
        var appDays = await breakdowns.SeriesAsync(range.From, range.To, "app", default);
        Assert.Equal([0, 0, 1, 0, 0, 0, 0], appDays.Select(p => p.Orders));
        // Longer ranges in weeks, then in four weeks (424 days: 15 whole and one short).
        Assert.Equal(7, Centric.Server.Insights.Kpis.KpiBreakdowns.BucketDays(new DateOnly(2026, 1, 1), new DateOnly(2026, 7, 1)));
        var longer = await breakdowns.SeriesAsync(new DateOnly(2025, 1, 1), new DateOnly(2026, 3, 1), null, default);
        Assert.Equal(16, longer.Count);
        Assert.Equal(new DateOnly(2025, 1, 29), longer[1].Start);

        // By channel: web 3 orders (A, D, C's cancelled one) worth 160 less 115 taken back = 45, customers A, C, D, new C
        // and D; app: C's order, 30, C new.
        var channels = await breakdowns.ByChannelAsync(range.From, range.To, default);
        Assert.Equal([("web", 3, 45.0, 3, 2), ("app", 1, 30.0, 1, 1)], channels.Select(s => (s.Key, s.Orders, s.Revenue, s.Customers, s.NewCustomers)));
        Assert.Equal(75.0, channels.Sum(s => s.Revenue));

        // By decile: 1 = A (20), 2 = D (100 − 25), not scored = C (30 + 40 − 40) and B's cancellation (−50), B not a customer.
        var deciles = await breakdowns.ByDecileAsync(range.From, range.To, null, default);
        Assert.Equal([("1", 1, 20.0, 1, 0), ("2", 1, 75.0, 1, 1), ("0", 2, -20.0, 1, 1)], deciles.Select(s => (s.Key, s.Orders, s.Revenue, s.Customers, s.NewCustomers)));

        // Drill-down: exactly the three customers the active-customers KPI counts, then narrowed.
        Assert.Equal([d, c, a], (await breakdowns.CustomersAsync(range.From, range.To, new(), default)).Select(x => x.ProfileId));
        Assert.Equal([d], (await breakdowns.CustomersAsync(range.From, range.To, new(Decile: 2), default)).Select(x => x.ProfileId));
        Assert.Equal([c], (await breakdowns.CustomersAsync(range.From, range.To, new(Channel: "app"), default)).Select(x => x.ProfileId));
        var cOnWeb = Assert.Single(await breakdowns.CustomersAsync(range.From, range.To, new(Channel: "web", Decile: 0), default));
        Assert.Equal((c, 1, 0.0, true), (cOnWeb.ProfileId, cOnWeb.Orders, cOnWeb.Revenue, cOnWeb.New));
        Assert.DoesNotContain(b, (await breakdowns.CustomersAsync(range.From, range.To, new(Decile: 0), default)).Select(x => x.ProfileId));

        using var analyst = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Analyst, withMfa: true);
        // The page: the chart's figures, the breakdown tables and links to the customers behind them.
        var page = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights?from=2026-11-01&to=2026-11-08"));
        Assert.Contains("data-chart=", page, StringComparison.Ordinal);
        Assert.Contains("\"values\":[-50,20,30,100,40,-40,-25]", page, StringComparison.Ordinal);
        Assert.Contains("console/insights/customers?from=2026-11-01&to=2026-11-08&channel=app", page, StringComparison.Ordinal);
        var drill = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights/customers?from=2026-11-01&to=2026-11-08&decile=2"));
        Assert.Contains($"console/customers/{d}", drill, StringComparison.Ordinal);
        Assert.DoesNotContain($"console/customers/{a}", drill, StringComparison.Ordinal);

        // Exports: the same tables as CSV (numbers as numbers) and XLSX.
        var csv = await analyst.GetAsync("/console/insights/export/channels?format=csv&from=2026-11-01&to=2026-11-08");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        Assert.Contains("attachment", csv.Content.Headers.ContentDisposition?.ToString() ?? "", StringComparison.Ordinal);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["Channel,Orders,Revenue,Share of revenue,Customers,New customers", "Web,3,45,0.6,3,2", "App,1,30,0.4,1,1"], lines);
        var customers = (await analyst.GetStringAsync("/console/insights/export/customers?format=csv&from=2026-11-01&to=2026-11-08")).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, customers.Length);   // the header and the three active customers
        var xlsx = await analyst.GetAsync("/console/insights/export/deciles?format=xlsx&from=2026-11-01&to=2026-11-08");
        Assert.Equal(HttpStatusCode.OK, xlsx.StatusCode);
        var bytes = await xlsx.Content.ReadAsByteArrayAsync();
        using (var zip = new System.IO.Compression.ZipArchive(new MemoryStream(bytes)))
        {
            using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
            var xml = await sheet.ReadToEndAsync();
            Assert.Contains("Decile 2", xml, StringComparison.Ordinal);
            Assert.Contains("<v>75</v>", xml, StringComparison.Ordinal);
        }
        foreach (var bad in new[] { "nope?format=csv&from=2026-11-01&to=2026-11-08", "kpis?format=pdf&from=2026-11-01&to=2026-11-08", "kpis?format=csv&from=2026-11-08&to=2026-11-01", "customers?format=csv&from=2026-11-01&to=2026-11-08&decile=11" })
        {
            var refused = await analyst.GetAsync("/console/insights/export/" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        }

        // By segment: a segment of A and C holds A's order (20) and C's two (30 + 40 − 40): 3 orders, 50, two customers, C new.
        var segmentId = await app.WithDbAsync(async db =>
        {
            var segment = new Centric.Server.Engagement.Segments.Segment { Name = "A and C", NameKey = "a and c", CreatedAt = Day(10, 1), UpdatedAt = Day(10, 1) };
            db.Add(segment);
            foreach (var member in new[] { a, c })
                db.Add(new Centric.Server.Engagement.Segments.SegmentMember { SegmentId = segment.Id, ProfileId = member, EnteredAt = Day(10, 1) });
            await db.SaveChangesAsync();
            return segment.Id;
        });
        await using (var segmentScope = app.Services.CreateAsyncScope())
        {
            var fresh = segmentScope.ServiceProvider.GetRequiredService<Centric.Server.Insights.Kpis.KpiBreakdowns>();
            var slice = Assert.Single(await fresh.BySegmentAsync(range.From, range.To, null, default));
            Assert.Equal((segmentId.ToString(), "A and C", 3, 50.0, 2, 1), (slice.Key, slice.Label, slice.Orders, slice.Revenue, slice.Customers, slice.NewCustomers));
            Assert.Equal([c, a], (await fresh.CustomersAsync(range.From, range.To, new(Segment: segmentId), default)).Select(x => x.ProfileId));
        }
        using (var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read")))
        {
            var ofSegment = await KpisAsync(reader, $"from=2026-11-01&to=2026-11-08&segment={segmentId}");
            Assert.Equal((3.0, 50.0, 2.0, 1.0), (Kpi(ofSegment, "orders").Value, Kpi(ofSegment, "revenue").Value, Kpi(ofSegment, "active_customers").Value, Kpi(ofSegment, "new_customers").Value));
            Assert.Equal(segmentId, ofSegment.GetProperty("segment").GetGuid());
            // Decile 1 is A alone; decile 2 is D (100 − 25). The experience KPIs are the whole business's, so not in a part's report.
            var top = await KpisAsync(reader, "from=2026-11-01&to=2026-11-08&decile=1");
            Assert.Equal((1.0, 20.0), (Kpi(top, "orders").Value, Kpi(top, "revenue").Value));
            Assert.Equal(75.0, Kpi(await KpisAsync(reader, "from=2026-11-01&to=2026-11-08&decile=2"), "revenue").Value);
            Assert.DoesNotContain(top.GetProperty("kpis").EnumerateArray(), k => k.GetProperty("id").GetString() == "average_clv");
            foreach (var bad in new[] { "decile=0", "decile=11", "decile=x", "segment=nope", $"segment={Guid.NewGuid()}" })
            {
                var refused = await reader.GetAsync("/api/v1/insights/kpis?from=2026-11-01&to=2026-11-08&" + bad);
                Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
                Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            }
        }
        var bySegmentPage = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights?from=2026-11-01&to=2026-11-08"));
        Assert.Contains($"console/insights/customers?from=2026-11-01&to=2026-11-08&segment={segmentId}", bySegmentPage, StringComparison.Ordinal);
        var segmentDrill = WebUtility.HtmlDecode(await analyst.GetStringAsync($"/console/insights/customers?from=2026-11-01&to=2026-11-08&segment={segmentId}"));
        Assert.Contains($"console/customers/{c}", segmentDrill, StringComparison.Ordinal);
        Assert.DoesNotContain($"console/customers/{d}", segmentDrill, StringComparison.Ordinal);

        using var agent = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Agent, withMfa: true);
        Assert.True(StaffSession.Refused(await agent.GetAsync("/console/insights/export/customers?format=csv&from=2026-11-01&to=2026-11-08")));
        Assert.True(StaffSession.Refused(await agent.GetAsync("/console/insights/customers")));
    }

    [SkippableFact]
    public async Task Each_role_lands_on_its_own_part_of_the_business_on_the_console_home()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await SeedAsync(app);
        await app.DispatchAsync("insights.kpi-rollups");
        async Task<string> HomeAsync(string role)
        {
            using var staff = await StaffSession.SignInAsync(app, role, withMfa: true);
            return WebUtility.HtmlDecode(await staff.GetStringAsync("/console"));
        }
        int At(string page, string id) => page.IndexOf($"id=\"{id}\"", StringComparison.Ordinal);

        // An agent: the queue and service first; no business KPIs.
        var agent = await HomeAsync(Centric.Server.Platform.Identity.Roles.Agent);
        Assert.True(At(agent, "home-support") > 0 && At(agent, "home-kpis") < 0, "an agent's home");
        // An analyst: every KPI first, then support.
        var analyst = await HomeAsync(Centric.Server.Platform.Identity.Roles.Analyst);
        Assert.True(At(analyst, "home-kpis") > 0 && At(analyst, "home-kpis") < At(analyst, "home-support"), "an analyst's home");
        Assert.True(At(analyst, "home-kpi-orders") > 0 && At(analyst, "home-kpi-average_order_value") > 0);
        // A marketer: the customer-side KPIs they move, and no support panel.
        var marketer = await HomeAsync(Centric.Server.Platform.Identity.Roles.Marketer);
        Assert.True(At(marketer, "home-kpi-new_customers") > 0 && At(marketer, "home-kpi-retention_rate") > 0, "a marketer's KPIs");
        Assert.True(At(marketer, "home-kpi-orders") < 0 && At(marketer, "home-support") < 0, "a marketer's home has no support panel");
        Assert.Contains("€", marketer[At(marketer, "home-kpi-revenue")..], StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task The_weekly_report_goes_once_a_week_to_the_staff_an_admin_chose_with_the_weeks_figures()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await SeedAsync(app);
        await app.DispatchAsync("insights.kpi-rollups");
        var (analystEmail, agentEmail) = (Json.NewEmail(), Json.NewEmail());
        using var analyst = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Analyst, withMfa: true, email: analystEmail);
        using var agent = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Agent, withMfa: true, email: agentEmail);
        var ids = await app.WithDbAsync(db => db.Users.Where(u => u.Email == analystEmail || u.Email == agentEmail).ToDictionaryAsync(u => u.Email!, u => u.Id));

        // An admin chooses the analyst and (by a forged form) the agent, who may not see insights: only the analyst is kept.
        using var admin = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Admin, withMfa: true);
        var form = new List<KeyValuePair<string, string>>
        {
            new("__RequestVerificationToken", await StaffSession.AntiforgeryTokenAsync(admin, "/console/insights/report")),
            new("_handler", "report-recipients"), new("recipient", ids[analystEmail]), new("recipient", ids[agentEmail]),
        };
        var saved = await admin.PostAsync("/console/insights/report", new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        Assert.Contains("id=\"report-saved\"", await saved.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal([ids[analystEmail]], await app.WithDbAsync(db => db.KpiReportRecipients.Select(r => r.UserId).ToListAsync()));
        Assert.True(StaffSession.Refused(await analyst.GetAsync("/console/insights/report")), "only admins choose the recipients");

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var report = scope.ServiceProvider.GetRequiredService<Centric.Server.Insights.Kpis.WeeklyKpiReport>();
            // The week is Monday to Monday: before Monday 07:00 the last report due is the week before last.
            Assert.Equal(new DateOnly(2026, 11, 23), report.DueWeek(new DateTime(2026, 12, 7, 6, 59, 0, DateTimeKind.Utc)));
            Assert.Equal(new DateOnly(2026, 11, 30), report.DueWeek(new DateTime(2026, 12, 7, 7, 0, 0, DateTimeKind.Utc)));
            Assert.Equal(new DateOnly(2026, 11, 30), report.DueWeek(new DateTime(2026, 12, 13, 23, 0, 0, DateTimeKind.Utc)));
            // The figures of the week of 2 November: A, C (app), D, C (web) and D again on the 8th: 1,189 of lines, 40 + 25 taken back.
            var (subject, html) = await report.ComposeAsync(new DateOnly(2026, 11, 2), default);
            Assert.Contains("2 Nov – 8 Nov 2026", subject, StringComparison.Ordinal);
            Assert.Contains("€1,124.00", html, StringComparison.Ordinal);
            Assert.Contains("App: €30.00 from 1 orders", html, StringComparison.Ordinal);
            Assert.Equal(1, await report.SendIfDueAsync(default));
            Assert.Equal(0, await report.SendIfDueAsync(default));   // once a week, whoever asks again
        }
        var mails = await app.WithDbAsync(db => db.Mail.Where(m => m.Subject.StartsWith("Centric weekly KPIs")).Select(m => m.To).ToListAsync());
        Assert.Equal([analystEmail], mails);
    }

    private static async Task AssertHandComputedAsync(ManualClockApp app)
    {
        using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
        var all = await KpisAsync(reader, "from=2026-11-01&to=2026-11-08");
        Assert.Equal(("2026-11-01", "2026-11-08"), (all.GetProperty("from").GetString(), all.GetProperty("to").GetString()));
        // Orders placed 2, 3, 4, 5 Nov; lines worth 20 + 30 + 100 + 40 = 190; taken back in the range 50 + 40 + 25 = 115.
        Assert.Equal((4.0, 2.0), Kpi(all, "orders"));
        Assert.Equal((75.0, 80.0), Kpi(all, "revenue"));
        Assert.Equal((47.5, 40.0), Kpi(all, "average_order_value"));
        Assert.Equal((3.0, 2.0), Kpi(all, "active_customers"));
        Assert.Equal((2.0, 1.0), Kpi(all, "new_customers"));   // C and D; before: B
        Assert.Equal((0.5, 1.0), Kpi(all, "retention_rate"));   // of A and B, A came back; before: A of A
        var revenue = all.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "revenue");
        Assert.Equal(("grow", "EUR", "Revenue"), (revenue.GetProperty("group").GetString(), revenue.GetProperty("unit").GetString(), revenue.GetProperty("name").GetString()));

        // The web alone: C's app order is not counted, but C is still new (their first order ever is in the range).
        var web = await KpisAsync(reader, "from=2026-11-01&to=2026-11-08&channel=web");
        Assert.Equal(3.0, Kpi(web, "orders").Value);
        Assert.Equal(45.0, Kpi(web, "revenue").Value);
        Assert.Equal(53.33, Kpi(web, "average_order_value").Value);
        Assert.Equal(2.0, Kpi(web, "new_customers").Value);

        // A range with nothing in it says so: no average and no retention rather than 0.
        var empty = await KpisAsync(reader, "from=2025-01-01&to=2025-01-08");
        Assert.Equal(0.0, Kpi(empty, "orders").Value);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "average_order_value").GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == "retention_rate").GetProperty("value").ValueKind);

        foreach (var bad in new[] { "", "from=2026-11-01", "from=2026-11-08&to=2026-11-01", "from=2026-11-01&to=2026-11-01", "from=1/11/2026&to=2026-11-08", "from=2020-01-01&to=2026-01-01" })
        {
            var response = await reader.GetAsync("/api/v1/insights/kpis?" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
        // In the console, the KPIs are for admins, analysts and marketers; an agent is refused.
        using (var analyst = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Analyst, withMfa: true))
        {
            var page = WebUtility.HtmlDecode(await analyst.GetStringAsync("/console/insights?from=2026-11-01&to=2026-11-08"));
            Assert.Contains("id=\"kpi-revenue\"", page, StringComparison.Ordinal);
            Assert.Contains("€75.00", page, StringComparison.Ordinal);
            Assert.Contains("€47.50", page, StringComparison.Ordinal);
        }
        using (var agent = await StaffSession.SignInAsync(app, Centric.Server.Platform.Identity.Roles.Agent, withMfa: true))
        {
            var refused = await agent.GetAsync("/console/insights");
            Assert.True(StaffSession.Refused(refused), $"an agent's KPI page answered {(int)refused.StatusCode}");
        }
        using var other = app.ClientWithKey(await app.CreateKeyAsync("customers:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync("/api/v1/insights/kpis?from=2026-11-01&to=2026-11-08")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync("/api/v1/insights/kpis?from=2026-11-01&to=2026-11-08")).StatusCode);
    }

    private static async Task<JsonElement> KpisAsync(HttpClient client, string query)
    {
        var response = await client.GetAsync("/api/v1/insights/kpis?" + query);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadJsonAsync();
    }

    private static (double? Value, double? Previous) Kpi(JsonElement report, string id)
    {
        var kpi = report.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("id").GetString() == id);
        static double? Number(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : e.GetDouble();
        return (Number(kpi.GetProperty("value")), Number(kpi.GetProperty("previous")));
    }
}

public sealed class KpisOnSqlite() : KpiTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class KpisOnPostgres() : KpiTests("postgres");
