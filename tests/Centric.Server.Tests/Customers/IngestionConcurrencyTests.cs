using System.Net;
using System.Net.Http.Json;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Customers;

/// <summary>PostgreSQL runs batches truly concurrently (SQLite takes one writer at a time), so races show here.</summary>
[Trait("Provider", "Postgres")]
public sealed class IngestionConcurrencyOnPostgres
{
    private static object Event(object customer, string type = "page_viewed") =>
        new { id = Json.NewId(), type, occurredAt = "2026-01-05T10:00:00Z", channel = "web", customer, properties = new { } };

    private static string IdOf(object e) => (string)e.GetType().GetProperty("id")!.GetValue(e)!;

    /// <summary>
    /// Sends a batch until it is accepted: 503 (with Retry-After) means "try again", as the API documents; anything else fails the test.
    /// Returns how many events the server took as new.
    /// </summary>
    private static async Task<int> SendAsync(HttpClient client, object[] batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            var response = await client.PostEventsAsync(batch);
            if (response.StatusCode == HttpStatusCode.Accepted) return (await response.ReadJsonAsync()).GetProperty("accepted").GetInt32();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.ServiceUnavailable, $"batch answered {(int)response.StatusCode}: {body}");
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.True(attempt < 20, "the batch was never accepted");
            await Task.Delay(100);
        }
    }

    [SkippableFact]
    public async Task Merges_during_concurrent_ingestion_on_two_hosts_leave_nothing_on_merged_profiles()
    {
        var database = $"centric_t_{Guid.NewGuid():N}"[..24];
        CentricAppFactory Host() => new CentricAppFactory("postgres", database).With("Webhooks:Enabled", "false");
        await using var a = Host();
        using var clientA = a.AdminClient();
        await using var b = Host();
        using var clientB = b.AdminClient();

        // Sixty people, each known twice: by email from one source, by CRM id from another.
        const int people = 60;
        var run = Json.NewId()[..8];
        var emails = Enumerable.Range(0, people).Select(i => $"p{i}-{run}@example.com").ToArray();
        var externals = Enumerable.Range(0, people).Select(i => $"crm-{run}-{i}").ToArray();
        await SendAsync(clientA, [.. emails.Select(e => Event(new { email = e })), .. externals.Select(x => Event(new { externalId = x }))]);

        // Traffic about them from six clients on two hosts; somewhere in it each person verifies the email, which merges their two profiles.
        var random = new Random(7);
        var stream = new List<object>();
        for (var i = 0; i < 3000; i++)
        {
            var p = random.Next(people);
            stream.Add(random.Next(2) == 0 ? Event(new { email = emails[p] }) : Event(new { externalId = externals[p] }));
        }
        for (var p = 0; p < people; p++)
            stream.Insert(random.Next(200, stream.Count), Event(new { externalId = externals[p], email = emails[p], emailVerified = true }, "email_verified"));
        var batches = stream.Chunk(25).ToList();
        var clients = new[] { clientA, clientB, clientA, clientB, clientA, clientB };
        var next = -1;
        var accepted = 0;
        await Task.WhenAll(clients.Select(client => Task.Run(async () =>
        {
            for (int n; (n = Interlocked.Increment(ref next)) < batches.Count;)
                Interlocked.Add(ref accepted, await SendAsync(client, batches[n]));
        })));

        Assert.Equal(stream.Count, accepted);
        var ids = stream.Select(IdOf).ToList();
        Assert.Equal(ids.Count, await a.WithDbAsync(db => db.Interactions.CountAsync(i => ids.Contains(i.EventId))));
        Assert.Equal(people, await a.WithDbAsync(db => db.Profiles.CountAsync(p => p.MergedIntoId != null)));
        var left = new List<string>();
        foreach (var type in await a.WithDbAsync(db => Task.FromResult(ProfileRows.OwnedTypes(db))))
            if (ProfileRows.Moves(type) && await a.WithDbAsync(db => ProfileRows.OnMergedProfilesAsync(db, type)) is > 0 and var n)
                left.Add($"{type.ClrType.Name}: {n}");
        Assert.True(left.Count == 0, "rows left on merged-away profiles: " + string.Join(", ", left));
    }

    [SkippableFact]
    public async Task Concurrent_batches_about_the_same_customers_in_different_orders_are_all_accepted()
    {
        await using var app = new CentricAppFactory("postgres");
        using var client = app.AdminClient();
        var run = Json.NewId()[..8];
        // Twenty people known twice (A and B), each profile with its own email and CRM id.
        const int people = 20;
        string Email(char side, int i) => $"{side}{i}-{run}@example.com";
        string Crm(char side, int i) => $"crm-{side}{i}-{run}";
        await SendAsync(client, [.. Enumerable.Range(0, people).SelectMany(i => new[]
            { Event(new { email = Email('a', i), externalId = Crm('a', i) }), Event(new { email = Email('b', i), externalId = Crm('b', i) }) })]);

        // Every batch names all of them, in its own order, renaming them and adding an identity; and it proves each pair one person
        // from either side (A's CRM id with B's verified email, or the other way round), so concurrent batches merge the same
        // profiles in opposite directions: the same profile and identity rows written by eight batches at once.
        var random = new Random(11);
        var batches = Enumerable.Range(0, 32).Select(n => Enumerable.Range(0, people).OrderBy(_ => random.Next()).SelectMany(i =>
        {
            var (from, to) = random.Next(2) == 0 ? ('a', 'b') : ('b', 'a');
            return new[]
            {
                Event(new { email = Email(from, i), externalId = $"ext-{run}-{n}-{i}", firstName = "Name" + n }),
                Event(new { externalId = Crm(from, i), email = Email(to, i), emailVerified = true }, "email_verified"),
            };
        }).ToArray()).ToList();
        var next = -1;
        var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();
        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            using var c = app.AdminClient();
            for (int n; (n = Interlocked.Increment(ref next)) < batches.Count;)
            {
                var response = await c.PostAsJsonAsync("/api/v1/events", new { events = batches[n] });
                statuses.Add(response.StatusCode);
                if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Assert.NotNull(response.Headers.RetryAfter);
                    Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                }
            }
        })));

        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Accepted or HttpStatusCode.ServiceUnavailable, $"answered {(int)s}"));
        Assert.True(statuses.Count(s => s == HttpStatusCode.Accepted) >= batches.Count * 9 / 10, "most batches are accepted at once");
        Assert.Equal(people, await app.WithDbAsync(db => db.Profiles.CountAsync(p => p.MergedIntoId != null)));
    }
}
