using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Server.Customers.Profiles;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Support.Tickets;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Platform;

/// <summary>`centric import customers|orders|tickets` on small hand-made files: what lands, what is refused, and that a second run adds nothing.</summary>
public abstract class ImportTests(string provider)
{
    private static async Task<string> FileAsync(string text)
    {
        var path = Path.Combine(Path.GetTempPath(), $"centric-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, text.ReplaceLineEndings("\n"));
        return path;
    }

    // A shop's export with its own column names for the customer and the date. Line numbers count the header as line 1.
    private const string Orders = """
        order_id,client,email,date,sku,product_name,category,quantity,unit_price,currency
        A1,c-1,Ann@Example.com,2026-11-02T10:00:00Z,SKU-X,Blue mug,kitchen,2,10.00,EUR
        A1,c-1,ann@example.com,2026-11-02T10:00:00Z,SKU-Y,Red plate,kitchen,1,30.00,EUR
        A1,c-1,ann@example.com,2026-11-04,SKU-X,Blue mug,kitchen,-1,10.00,EUR
        B1,c-2,,2026-11-03,SKU-X,,,1,10.00,EUR
        B2,c-2,,20261105,SKU-Z,,,3,5,EUR
        C1,c-3,,2026-11-06,SKU-X,,,two,10.00,EUR
        C1,c-3,,2026-11-06,SKU-Y,,,1,30.00,EUR
        D1,c-4,,2026-11-06,SKU-X,,,-1,10,EUR
        """;

    [SkippableFact]
    public async Task Orders_land_whole_with_their_history_on_the_timeline_and_a_second_run_adds_nothing()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        // Ann is already a customer, known by her email: the import finds her rather than making a second Ann.
        Guid ann;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            ann = (await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync("ann@example.com", "Ann Lee", default)).Id;
            await db.SaveChangesAsync();
        }
        using var admin = app.AdminClient();
        await using var receiver = await WebhookReceiver.StartAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/v1/webhooks", new { url = receiver.Url, eventTypes = new[] { "order_placed" } })).StatusCode);
        var file = await FileAsync(Orders);
        try
        {
            var dry = await app.RunCliAsync("import", "orders", "--file", file, "--map", "customer_id=client,ordered_at=date", "--dry-run");
            Assert.True(dry.ExitCode == 0, dry.Error + dry.Output);
            Assert.Contains("Dry run: would import 3 orders; 0 already there; 3 bad rows skipped (of 8 rows).", dry.Output);
            Assert.Equal(0, await app.WithDbAsync(db => db.Orders.CountAsync()));

            var run = await app.RunCliAsync("import", "orders", "--file", file, "--map", "customer_id=client,ordered_at=date");
            Assert.True(run.ExitCode == 0, run.Error + run.Output);
            Assert.Contains("Imported 3 orders; 0 already there; 3 bad rows skipped (of 8 rows).", run.Output);
            Assert.Contains("line 7: quantity 'two' must be a whole number", run.Output);   // and its order's other row goes with it
            Assert.Contains("order C1 is skipped whole (2 rows)", run.Output);
            Assert.Contains("line 9: a return (negative quantity) needs the order's bought lines", run.Output);

            var orders = await app.WithDbAsync(db => db.Orders.AsNoTracking().Include(o => o.Lines).OrderBy(o => o.PlacedAt).ToListAsync());
            Assert.Equal([5000L, 1000L, 1500L], orders.Select(o => o.TotalMinor));
            var a1 = orders[0];
            Assert.Equal(ann, a1.ProfileId);
            Assert.Equal(new DateTime(2026, 11, 2, 10, 0, 0, DateTimeKind.Utc), a1.PlacedAt);
            Assert.Equal((1000L, 2), (a1.RefundedMinor, a1.Lines.Count));
            Assert.Equal(orders[1].ProfileId, orders[2].ProfileId);   // c-2's two orders, one customer
            Assert.NotEqual(ann, orders[1].ProfileId);
            // A sku the catalogue did not know is now a product, kept off the shop.
            var z = await app.WithDbAsync(db => db.Products.AsNoTracking().SingleAsync(p => db.Variants.Any(v => v.ProductId == p.Id && v.Sku == "SKU-Z")));
            Assert.Equal(("SKU-Z", false), (z.Name, z.Active));

            // The API finds an imported customer by the file's customer_id; Ann's timeline holds the order and its return at their own times.
            var found = await admin.GetFromJsonAsync<JsonElement>("/api/v1/customers?externalId=c-1");
            Assert.Equal(ann, Assert.Single(found.GetProperty("items").EnumerateArray()).GetProperty("id").GetGuid());
            var timeline = await app.WithDbAsync(db => db.Interactions.AsNoTracking().Where(i => i.ProfileId == ann).OrderBy(i => i.OccurredAt).Select(i => new { i.Type, i.OccurredAt }).ToListAsync());
            Assert.Equal([(InteractionTypes.OrderPlaced.Name, new DateTime(2026, 11, 2, 10, 0, 0)), (InteractionTypes.RefundIssued.Name, new DateTime(2026, 11, 4))],
                timeline.Select(t => (t.Type, DateTime.SpecifyKind(t.OccurredAt, DateTimeKind.Unspecified))));

            // The KPIs count the history: three orders worth 50 + 10 + 15, less the mug returned on the 4th.
            await app.DispatchAsync("insights.kpi-rollups");
            using var reader = app.ClientWithKey(await app.CreateKeyAsync("insights:read"));
            var kpis = (await reader.GetFromJsonAsync<JsonElement>("/api/v1/insights/kpis?from=2026-11-01&to=2026-11-08")).GetProperty("kpis").EnumerateArray()
                .ToDictionary(k => k.GetProperty("id").GetString()!, k => k.GetProperty("value").ValueKind == JsonValueKind.Number ? k.GetProperty("value").GetDouble() : double.NaN);
            Assert.Equal((3.0, 65.0, 2.0), (kpis["orders"], kpis["revenue"], kpis["active_customers"]));
            // History is not news: webhook subscribers are not sent it.
            await app.DispatchAsync("platform.webhooks");
            Assert.Equal(0, await app.WithDbAsync(db => db.WebhookDeliveries.CountAsync()));

            var again = await app.RunCliAsync("import", "orders", "--file", file, "--map", "customer_id=client,ordered_at=date");
            Assert.Contains("Imported 0 orders; 3 already there; 3 bad rows skipped (of 8 rows).", again.Output);
            Assert.Equal(3, await app.WithDbAsync(db => db.Orders.CountAsync()));
            Assert.Equal(4, await app.WithDbAsync(db => db.Interactions.CountAsync(i => i.Type == InteractionTypes.OrderPlaced.Name || i.Type == InteractionTypes.RefundIssued.Name)));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task A_file_without_a_required_column_or_with_a_bad_map_is_refused_before_anything_is_stored()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var file = await FileAsync("order_id,customer_id,ordered_at,quantity,unit_price\nA1,c-1,2026-11-02,1,10\n");
        try
        {
            var missing = await app.RunCliAsync("import", "orders", "--file", file);
            Assert.Equal(2, missing.ExitCode);
            Assert.Contains("The file has no column sku", missing.Error);
            var badMap = await app.RunCliAsync("import", "orders", "--file", file, "--map", "sku=article");
            Assert.Equal(2, badMap.ExitCode);
            Assert.Contains("--map names the column 'article'", badMap.Error);
            var malformed = await app.RunCliAsync("import", "orders", "--file", file, "--map", "sku");
            Assert.Equal(2, malformed.ExitCode);
            var nowhere = await app.RunCliAsync("import", "tickets", "--file", file + ".missing");
            Assert.Equal(2, nowhere.ExitCode);
            Assert.Equal(0, await app.WithDbAsync(db => db.Orders.CountAsync()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task Customers_are_matched_by_their_id_or_email_and_only_what_their_profile_lacks_is_filled_in()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        Guid ann;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CentricDbContext>();
            ann = (await scope.ServiceProvider.GetRequiredService<ProfileDirectory>().FindOrCreateByEmailAsync("ann@example.com", "Annie", default)).Id;
            await db.SaveChangesAsync();
        }
        var before = await app.WithDbAsync(db => db.Profiles.CountAsync());
        var file = await FileAsync("""
            customer_id,email,first_name,last_name,phone,country,created_at
            c-1,ann@example.com,Ann,Lee,+351 912 345 678,pt,2020-01-01
            c-9,,Zed,,not-a-phone,,
            c-10,zoe@example.com,Zoe,Ng,,,
            """);
        try
        {
            var run = await app.RunCliAsync("import", "customers", "--file", file);
            Assert.True(run.ExitCode == 0, run.Error + run.Output);
            Assert.Contains("Imported 1 customers; 1 already there; 1 bad rows skipped (of 3 rows).", run.Output);
            Assert.Contains("line 3: phone 'not-a-phone'", run.Output);
            var profile = await app.WithDbAsync(db => db.Profiles.AsNoTracking().SingleAsync(p => p.Id == ann));
            Assert.Equal(("Annie", "Lee", "+351912345678"), (profile.FirstName, profile.LastName, profile.Phone));   // her own first name is kept
            Assert.Equal(new DateTime(2020, 1, 1), DateTime.SpecifyKind(profile.CreatedAt, DateTimeKind.Unspecified));
            Assert.Equal("PT", JsonDocument.Parse(profile.Traits).RootElement.GetProperty("country").GetString());
            Assert.Equal(ann, await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "external:c-1").Select(i => i.ProfileId).SingleAsync()));
            var zoe = await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "external:c-10").Select(i => i.ProfileId).SingleAsync());
            Assert.Equal(zoe, await app.WithDbAsync(db => db.Identities.Where(i => i.Key == "email:zoe@example.com").Select(i => i.ProfileId).SingleAsync()));

            var again = await app.RunCliAsync("import", "customers", "--file", file);
            Assert.Contains("Imported 0 customers; 2 already there; 1 bad rows skipped (of 3 rows).", again.Output);
            Assert.Equal(before + 1, await app.WithDbAsync(db => db.Profiles.CountAsync()));   // Zoe is new; Ann was found, twice
        }
        finally
        {
            File.Delete(file);
        }
    }

    [SkippableFact]
    public async Task Tickets_land_solved_and_rated_as_history_without_acknowledgements_or_surveys()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var file = await FileAsync("""
            ticket_id,email,created_at,subject,message,channel,status,solved_at,csat
            T-1,bob@example.com,2026-11-02T09:00:00Z,Late parcel,"Where is my parcel, please?",email,solved,2026-11-03T09:00:00Z,2
            T-2,bob@example.com,2026-11-05T09:00:00Z,Invoice,Please send an invoice,web,open,,
            T-3,bob@example.com,2026-11-05,No message,,email,,,
            T-4,bob@example.com,2026-11-05,Rated but open,Hello,email,open,,5
            """);
        try
        {
            var run = await app.RunCliAsync("import", "tickets", "--file", file);
            Assert.True(run.ExitCode == 0, run.Error + run.Output);
            Assert.Contains("Imported 2 tickets; 0 already there; 2 bad rows skipped (of 4 rows).", run.Output);
            Assert.Contains("line 4: message is required", run.Output);
            Assert.Contains("line 5: csat is given for a ticket that is not solved", run.Output);
            var tickets = await app.WithDbAsync(db => db.Tickets.AsNoTracking().OrderBy(t => t.CreatedAt).ToListAsync());
            Assert.Equal([TicketStatus.Solved, TicketStatus.Open], tickets.Select(t => t.Status));
            Assert.Equal(new DateTime(2026, 11, 3, 9, 0, 0), DateTime.SpecifyKind(tickets[0].SolvedAt!.Value, DateTimeKind.Unspecified));
            Assert.Equal("Where is my parcel, please?", await app.WithDbAsync(db => db.TicketMessages.Where(m => m.TicketId == tickets[0].Id).Select(m => m.BodyText).SingleAsync()));
            Assert.Equal(2, await app.WithDbAsync(db => db.CsatSurveys.Where(s => s.TicketId == tickets[0].Id).Select(s => s.Rating).SingleAsync()));

            // Support's automation leaves history alone: no routing, no acknowledgement mail, no survey sent.
            await app.DispatchAsync("support.work");
            Assert.Equal(0, await app.WithDbAsync(db => db.TicketWork.CountAsync()));
            Assert.False(await app.WithDbAsync(db => db.Mail.AnyAsync(m => m.To == "bob@example.com")));

            var again = await app.RunCliAsync("import", "tickets", "--file", file);
            Assert.Contains("Imported 0 tickets; 2 already there; 2 bad rows skipped (of 4 rows).", again.Output);
            Assert.Equal(2, await app.WithDbAsync(db => db.Tickets.CountAsync()));
        }
        finally
        {
            File.Delete(file);
        }
    }
}

public sealed class ImportOnSqlite() : ImportTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class ImportOnPostgres() : ImportTests("postgres");
