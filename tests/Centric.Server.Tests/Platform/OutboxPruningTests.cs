using Centric.Server.Platform.Outbox;
using Centric.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Centric.Server.Tests.Platform;

public abstract class OutboxPruningTests(string provider)
{
    [SkippableFact]
    public async Task Delivered_rows_are_pruned_after_the_retention_and_undelivered_ones_never()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Outbox:Enabled", "false");
        using var client = app.AdminClient();
        var email = Json.NewEmail();
        for (var i = 0; i < 3; i++) await client.PostEventsAsync(new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
        List<string> durable;
        await using (var scope = app.Services.CreateAsyncScope())
            durable = scope.ServiceProvider.GetServices<IInteractionSubscriber>().Where(s => !s.IsLive).Select(s => s.Name).ToList();
        foreach (var name in durable) await app.DispatchAsync(name);
        var pruner = app.Services.GetRequiredService<OutboxPruner>();
        async Task<(int Outbox, int Interactions)> CountAsync() => await app.WithDbAsync(async db =>
        {
            var profile = await db.Identities.Where(i => i.Key == "email:" + email).Select(i => i.ProfileId).SingleAsync();
            var ids = await db.Interactions.Where(i => i.ProfileId == profile).Select(i => i.Id).ToListAsync();
            return (await db.Outbox.CountAsync(m => ids.Contains(m.InteractionId)), ids.Count);
        });

        Assert.Equal(0, await pruner.PruneAsync(default));   // handled, but not old enough yet
        Assert.Equal((3, 3), await CountAsync());

        // One more arrives and no subscriber handles it; a week and a day later only the handled rows go.
        await client.PostEventsAsync(new { id = Json.NewId(), type = "page_viewed", customer = new { email } });
        app.Clock.Advance(TimeSpan.FromDays(8));
        Assert.True(await pruner.PruneAsync(default) >= 3);
        Assert.Equal((1, 4), await CountAsync());
    }

    [SkippableFact]
    public async Task Idempotency_keys_are_kept_thirty_days()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Outbox:Enabled", "false");
        var pruner = app.Services.GetRequiredService<OutboxPruner>();
        var keys = new[] { Json.NewId(), Json.NewId() };
        await app.WithDbAsync(async db =>
        {
            db.IdempotencyRecords.Add(new() { KeyHash = keys[0], Operation = "checkout", RequestHash = "r", CreatedAt = app.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
            return 0;
        });
        app.Clock.Advance(TimeSpan.FromDays(20));
        await app.WithDbAsync(async db =>
        {
            db.IdempotencyRecords.Add(new() { KeyHash = keys[1], Operation = "payment", RequestHash = "r", CreatedAt = app.Clock.GetUtcNow().UtcDateTime });
            await db.SaveChangesAsync();
            return 0;
        });
        app.Clock.Advance(TimeSpan.FromDays(11));
        await pruner.PruneAsync(default);
        var left = await app.WithDbAsync(db => db.IdempotencyRecords.Where(r => keys.Contains(r.KeyHash)).Select(r => r.KeyHash).ToListAsync());
        Assert.Equal([keys[1]], left);
    }
}

public sealed class OutboxPruningOnSqlite() : OutboxPruningTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class OutboxPruningOnPostgres() : OutboxPruningTests("postgres");
