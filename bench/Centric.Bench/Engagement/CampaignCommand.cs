using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Centric.Bench.Platform;
using Npgsql;

namespace Centric.Bench.Engagement;

/// <summary>
/// `campaign`: a campaign to --recipients customers rendered into the mail outbox, on PostgreSQL. Starts the server on a new
/// database, fills (untimed, inside PostgreSQL) that many known customers who said yes to marketing email and a static segment
/// holding them all, creates a campaign with no throttle to speak of, schedules it, and times from the schedule until the
/// campaign reports "sent" (every message checked for consent, rendered with tracked links and an unsubscribe footer, and
/// written with its message row and timeline entry). Counts the outbox rows at the end.
/// </summary>
public static class CampaignCommand
{
    public static async Task<int> RunAsync(BenchOptions options)
    {
        var recipients = options.GetInt("recipients", 100_000);
        if (options.Get("provider", "postgres") != "postgres") throw new ArgumentException("campaign measures PostgreSQL: --provider postgres --pg \"Host=...\"");
        await using var server = await BenchServer.StartOrAttachAsync(options, "campaign",
            new Dictionary<string, string> { ["Engagement__JourneyPollInterval"] = "00:00:00.200" });
        var connection = server.PostgresDatabase ?? throw new ArgumentException("--pg is needed");
        var segment = await FillAsync(connection, recipients);

        using var client = server.CreateClient(1);
        var created = await client.PostAsJsonAsync(new Uri("/api/v1/campaigns", UriKind.Relative), new
        {
            name = "Bench campaign", segmentId = segment, channel = "email", purpose = "marketing", subject = "Hello {{ first_name }}",
            body = "New arrivals are in.", link = "/shop", ratePerMinute = 1_000_000,
        });
        created.EnsureSuccessStatusCode();
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var started = Stopwatch.GetTimestamp();
        (await client.PostAsync(new Uri($"/api/v1/campaigns/{id}/schedule", UriKind.Relative), null)).EnsureSuccessStatusCode();
        JsonElement view;
        while (true)
        {
            await Task.Delay(500);
            view = await client.GetFromJsonAsync<JsonElement>(new Uri($"/api/v1/campaigns/{id}", UriKind.Relative));
            if (view.GetProperty("status").GetString() is "sent" or "cancelled") break;
        }
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM platform_mail_outbox", conn);
        var outbox = (long)(await count.ExecuteScalarAsync())!;
        JsonLine.Write(new
        {
            bench = "campaign", provider = "postgres", recipients, sent = view.GetProperty("sent").GetInt32(), outbox,
            seconds = Math.Round(seconds, 1), messagesPerSecond = Math.Round(view.GetProperty("sent").GetInt32() / seconds),
        });
        if (server is { Owned: true, PostgresDatabase: { } db } && !options.Has("keep")) await IngestCommand.DropDatabaseAsync(server, db);
        return 0;
    }

    /// <summary>The customers, their marketing-email consent and a static segment holding them all; returns the segment's id.</summary>
    private static async Task<Guid> FillAsync(string connectionString, int recipients)
    {
        var segment = Guid.NewGuid();
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var sql = string.Create(CultureInfo.InvariantCulture, $"""
            CREATE TEMP TABLE bench_profiles AS SELECT n, gen_random_uuid() AS id FROM generate_series(1, {recipients}) AS n;
            INSERT INTO customers_profiles ("Id", "Kind", "FirstName", "LastName", "Email", "Traits", "SearchText", "CreatedAt", "UpdatedAt", "InteractionCount")
              SELECT id, 1, 'Bench', 'Customer ' || n, 'bench' || n || '@example.com', '{"{"}{"}"}', 'bench customer ' || n, now(), now(), 0 FROM bench_profiles;
            INSERT INTO customers_consents ("ProfileId", "Channel", "Purpose", "Granted", "UpdatedAt", "Source")
              SELECT id, 'email', 'marketing', true, now(), 'bench' FROM bench_profiles;
            INSERT INTO engagement_segments ("Id", "Name", "NameKey", "Kind", "TimeBased", "MemberCount", "CreatedAt", "UpdatedAt")
              VALUES ('{segment}', 'Bench audience', 'bench audience', 1, false, 0, now(), now());
            INSERT INTO engagement_segment_members ("SegmentId", "ProfileId", "EnteredAt") SELECT '{segment}', id, now() FROM bench_profiles;
            ANALYZE;
            """);
        await using var command = new NpgsqlCommand(sql, conn) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync();
        return segment;
    }
}
