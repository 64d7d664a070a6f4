using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Centric.Server.Commerce.Orders;
using Centric.Server.Commerce.Returns;
using Centric.Server.Commerce.Reviews;
using Centric.Server.Commerce.Shipments;
using Centric.Server.Commerce.Subscriptions;
using Centric.Server.Customers.Demo;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Measures;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Customers;

/// <summary>A server that seeds the demo business on start, as `dotnet run` does on an empty database.</summary>
public class DemoApp : CentricAppFactory
{
    public DemoApp() : this("sqlite") { }

    protected DemoApp(string provider) : base(provider) => With("Database:SeedDemoData", "true");
}

public sealed class DemoPostgresApp() : DemoApp("postgres");

/// <summary>
/// The demo's two years of history are records made by the product's services, and the timelines, the portal and the
/// support team's work agree with them.
/// </summary>
public abstract partial class DemoDataTests(DemoApp app)
{
    private static readonly DateTime Now = DateTime.UtcNow;

    [GeneratedRegex(@"\b(C[OS]-[0-9A-Z]{8})\b")]
    private static partial Regex OrderNumber();

    private async Task<Guid> AnaAsync() =>
        await app.WithDbAsync(db => db.Profiles.Where(p => p.Email == "ana.silva@example.com").Select(p => p.Id).SingleAsync());

    [SkippableFact]
    public async Task Ana_sees_in_her_portal_exactly_the_orders_her_timeline_lists()
    {
        var ana = await AnaAsync();
        using var admin = app.AdminClient();
        var timeline = new HashSet<string>();
        string? before = null;
        do
        {
            var page = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{ana}/timeline?limit=200" + (before is null ? "" : "&before=" + Uri.EscapeDataString(before)));
            foreach (var item in page.GetProperty("items").EnumerateArray())
                if (item.GetProperty("sourceKind").GetString() == "order") timeline.Add(item.GetProperty("sourceId").GetString()!);
            before = page.GetProperty("next").GetString();
        }
        while (before is not null);

        using var portal = await PortalSession.SignInAsync(app, "ana.silva@example.com", DemoSeeder.Password);
        var html = await portal.Client.GetStringAsync(new Uri("/orders", UriKind.Relative));
        var listed = OrderNumber().Matches(html).Select(m => m.Groups[1].Value).ToHashSet();

        Assert.True(listed.Count >= 10, $"Ana's portal lists {listed.Count} orders");
        Assert.Equal(timeline.Order(), listed.Order());
        // Her story: orders delivered and one on its way, a return refunded, a subscription renewing, reviews, rated tickets.
        var (statuses, returns, subscriptions, reviews, rated) = await app.WithDbAsync(async db => (
            await db.Orders.Where(o => o.ProfileId == ana).Select(o => o.Status).ToListAsync(),
            await db.Set<ReturnRequest>().CountAsync(r => r.ProfileId == ana && r.Status == ReturnStatus.Refunded),
            await db.Set<Subscription>().CountAsync(s => s.ProfileId == ana && s.Status == SubscriptionStatus.Active),
            await db.Set<Review>().CountAsync(r => r.ProfileId == ana),
            await db.CsatSurveys.CountAsync(s => s.ProfileId == ana && s.Rating != null)));
        Assert.Contains(OrderStatus.Delivered, statuses);
        Assert.Contains(statuses, s => s is OrderStatus.Paid or OrderStatus.Shipped or OrderStatus.OutForDelivery or OrderStatus.Picking or OrderStatus.Packed);
        Assert.True(returns >= 1 && subscriptions == 1 && reviews >= 2 && rated >= 2, $"returns {returns}, subscriptions {subscriptions}, reviews {reviews}, rated {rated}");
    }

    [SkippableFact]
    public async Task Every_timeline_entry_of_the_history_is_a_declared_type_with_its_record_behind_it()
    {
        var problems = await app.WithDbAsync(async db =>
        {
            var interactions = await db.Interactions.AsNoTracking().Select(i => new { i.Type, i.SourceKind, i.SourceId }).ToListAsync();
            var orders = (await db.Orders.Select(o => o.Number).ToListAsync()).ToHashSet();
            var tickets = (await db.Tickets.Select(t => t.Number).ToListAsync()).ToHashSet();
            var returns = (await db.Set<ReturnRequest>().Select(r => r.Number).ToListAsync()).ToHashSet();
            var subscriptions = (await db.Set<Subscription>().Select(s => s.Id).ToListAsync()).Select(id => id.ToString()).ToHashSet();
            var products = (await db.Products.Select(p => p.Id).ToListAsync()).Select(id => id.ToString()).ToHashSet();
            Assert.True(interactions.Count > 5000, $"{interactions.Count} interactions");
            return interactions.Where(i => InteractionTypes.Find(i.Type) is null || i.SourceKind switch
            {
                "order" => !orders.Contains(i.SourceId!),
                "ticket" => !tickets.Contains(i.SourceId!),
                "return" => !returns.Contains(i.SourceId!),
                "subscription" => !subscriptions.Contains(i.SourceId!),
                "product" => !products.Contains(i.SourceId!),
                _ => false,
            }).Select(i => $"{i.Type} {i.SourceKind}:{i.SourceId}").Distinct().Take(20).ToList();
        });
        Assert.Empty(problems);

        // Each order's own footprint agrees with it: placed once, and a shipment for each order the timeline says shipped.
        var (placedTwice, shippedWithoutParcel) = await app.WithDbAsync(async db => (
            await db.Interactions.Where(i => i.Type == InteractionTypes.OrderPlaced.Name).GroupBy(i => i.SourceId).CountAsync(g => g.Count() > 1),
            await db.Orders.CountAsync(o => (o.Status == OrderStatus.Shipped || o.Status == OrderStatus.Delivered) && !db.Set<Shipment>().Any(s => s.OrderId == o.Id))));
        Assert.Equal((0, 0), (placedTwice, shippedWithoutParcel));
    }

    [SkippableFact]
    public async Task Seeded_tickets_are_routed_with_an_sla_and_an_agent_and_many_are_rated()
    {
        var tickets = await app.WithDbAsync(db => db.Tickets.AsNoTracking()
            .GroupJoin(db.TicketWork, t => t.Id, w => w.TicketId, (t, w) => new { t, w })
            .SelectMany(x => x.w.DefaultIfEmpty(), (x, w) => new
            {
                x.t.Number, x.t.Status, x.t.AssigneeUserId, x.t.CreatedAt, QueueId = w == null ? null : w.QueueId, PolicyId = w == null ? null : w.PolicyId,
                Missed = w == null ? 0 : w.TargetsMissed, Met = w == null ? 0 : w.TargetsMet,
            }).ToListAsync());
        Assert.True(tickets.Count >= 100, $"{tickets.Count} tickets");
        Assert.All(tickets, t => Assert.True(t.QueueId is not null && t.PolicyId is not null, $"{t.Number} has no queue or SLA policy"));
        Assert.All(tickets.Where(t => t.Status is TicketStatus.Solved or TicketStatus.Closed),
            t => Assert.True(t.AssigneeUserId is not null, $"{t.Number} was solved by nobody"));
        Assert.Contains(tickets, t => t.Missed > 0);
        Assert.True(tickets.Count(t => t.Met > 0) > tickets.Count / 2, "most tickets meet their targets");
        Assert.Contains(tickets, t => t.Status is not (TicketStatus.Solved or TicketStatus.Closed));

        var (surveys, answered, ratings) = await app.WithDbAsync(async db => (
            await db.CsatSurveys.CountAsync(), await db.CsatSurveys.CountAsync(s => s.AnsweredAt != null),
            await db.CsatSurveys.Where(s => s.Rating != null).Select(s => s.Rating!.Value).Distinct().CountAsync()));
        Assert.True(surveys >= tickets.Count(t => t.Status is TicketStatus.Solved or TicketStatus.Closed), $"{surveys} surveys");
        Assert.True(answered > surveys / 3 && ratings >= 3, $"{answered} of {surveys} surveys answered, {ratings} different ratings");
    }

    [SkippableFact]
    public async Task The_history_spans_two_years_of_repeat_one_off_lapsed_and_subscribed_customers()
    {
        var facts = await app.WithDbAsync(async db => new
        {
            First = await db.Orders.MinAsync(o => o.PlacedAt),
            Last = await db.Orders.MaxAsync(o => o.PlacedAt),
            PerCustomer = await db.Orders.Where(o => o.PaidAt != null).GroupBy(o => o.ProfileId).Select(g => g.Count()).ToListAsync(),
            LastOrders = await db.Orders.GroupBy(o => o.ProfileId).Select(g => g.Max(o => o.PlacedAt)).ToListAsync(),
            Customers = await db.Profiles.CountAsync(),
            Cancelled = await db.Set<Subscription>().CountAsync(s => s.Status == SubscriptionStatus.Cancelled),
            Active = await db.Set<Subscription>().CountAsync(s => s.Status == SubscriptionStatus.Active),
            Refunded = await db.Set<ReturnRequest>().CountAsync(r => r.Status == ReturnStatus.Refunded),
            Reviews = await db.Set<Review>().CountAsync(),
            ReviewCounts = await db.Products.SumAsync(p => p.ReviewCount),
            // Last year's five weeks before Christmas against five weeks of its summer.
            Christmas = await db.Orders.CountAsync(o => o.PlacedAt >= new DateTime(Now.Year - 1, 11, 15, 0, 0, 0, DateTimeKind.Utc) && o.PlacedAt < new DateTime(Now.Year - 1, 12, 20, 0, 0, 0, DateTimeKind.Utc)),
            Summer = await db.Orders.CountAsync(o => o.PlacedAt >= new DateTime(Now.Year - 1, 8, 1, 0, 0, 0, DateTimeKind.Utc) && o.PlacedAt < new DateTime(Now.Year - 1, 9, 5, 0, 0, 0, DateTimeKind.Utc)),
        });
        Assert.True(facts.First < Now.AddDays(-600) && facts.Last > Now.AddDays(-7), $"orders from {facts.First:d} to {facts.Last:d}");
        Assert.True(facts.Customers >= 200, $"{facts.Customers} customers");
        Assert.True(facts.PerCustomer.Count(n => n >= 5) >= 20 && facts.PerCustomer.Count(n => n == 1) >= 40,
            $"{facts.PerCustomer.Count(n => n >= 5)} loyal, {facts.PerCustomer.Count(n => n == 1)} one-off buyers");
        Assert.True(facts.LastOrders.Count(t => t < Now.AddDays(-240)) >= 20, "some customers stopped buying months ago");
        Assert.True(facts.Cancelled >= 2 && facts.Active >= 3 && facts.Refunded >= 10, $"{facts.Cancelled} cancelled, {facts.Active} active, {facts.Refunded} refunds");
        Assert.True(facts.Reviews >= 50 && facts.ReviewCounts == facts.Reviews, $"{facts.Reviews} reviews, products count {facts.ReviewCounts}");
        Assert.True(facts.Christmas > facts.Summer * 1.3, $"{facts.Christmas} orders before Christmas, {facts.Summer} in the summer");
    }

    [SkippableFact]
    public async Task Customers_use_the_help_centre_and_self_service_deflection_has_sessions_of_both_kinds()
    {
        var ana = await AnaAsync();
        var types = HelpSessions.HelpTypes.Append(InteractionTypes.TicketCreated.Name).ToList();
        var (events, anaDeflected) = await app.WithDbAsync(async db => (
            await db.Interactions.AsNoTracking().Where(i => types.Contains(i.Type))
                .Select(i => new HelpEvent(i.ProfileId, i.OccurredAt, i.Type == InteractionTypes.TicketCreated.Name)).ToListAsync(),
            await db.Interactions.CountAsync(i => i.ProfileId == ana && i.Type == InteractionTypes.HelpDeflected.Name)));
        var expected = SupportMeasureMath.Sessions(events, TimeSpan.FromHours(24));
        var followed = expected.Count(s => s.TicketFollowed);
        Assert.True(expected.Count >= 40 && followed >= 10 && expected.Count - followed >= 20,
            $"{expected.Count} help sessions, {followed} followed by a request");
        Assert.Equal(1, anaDeflected);

        // The stream keeps the session rows the dashboard counts; they catch up with the history.
        await Json.EventuallyAsync(async () => await app.WithDbAsync(db => db.HelpSessions.CountAsync()) == expected.Count,
            $"{expected.Count} help session rows", timeoutMs: 120_000);
        Assert.Equal(expected.Count, await app.WithDbAsync(db => db.HelpSessions.CountAsync()));
        Assert.Equal(followed, await app.WithDbAsync(db => db.HelpSessions.CountAsync(s => s.TicketFollowed)));
    }

    [SkippableFact]
    public async Task A_second_start_does_not_seed_again()
    {
        var before = await app.WithDbAsync(db => db.Orders.CountAsync());
        await using var scope = app.Services.CreateAsyncScope();
        Assert.False(await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(DemoSeeder.FullHistoryDays, CancellationToken.None));
        Assert.Equal(before, await app.WithDbAsync(db => db.Orders.CountAsync()));
    }
}

public sealed class DemoDataOnSqlite(DemoApp app) : DemoDataTests(app), IClassFixture<DemoApp>;

[Trait("Provider", "Postgres")]
public sealed class DemoDataOnPostgres(DemoPostgresApp app) : DemoDataTests(app), IClassFixture<DemoPostgresApp>;
