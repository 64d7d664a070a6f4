using Centric.Server.Insights.Models;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Tests.Platform;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Tests.Insights;

/// <summary>The model registry: promotion only when a new version does at least as well, rollback, training runs and their claims.</summary>
public abstract class ModelRegistryTests(string provider)
{
    /// <summary>A trained model with a fixed quality, measuring any other version at the quality its payload names.</summary>
    private static TrainedModel Fixed(double auc) =>
        new([(byte)(auc * 100)], Rows: 100, HoldoutRows: 25, new ModelQuality(RocAuc: auc, LogLoss: 0.5), payload => new ModelQuality(RocAuc: payload[0] / 100.0, LogLoss: 0.5));

    [SkippableFact]
    public async Task The_business_sets_what_churn_means_and_training_labels_customers_by_it()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        // Until someone saves one, the configured horizon, with no rule for cancellations.
        var first = await app.WithDbAsync(db => new ChurnDefinitions(db, app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Centric.Server.Insights.InsightsOptions>>(), app.Clock).CurrentAsync(default));
        Assert.Equal((90, false, (string?)null), (first.HorizonDays, first.CancellationIsChurn, first.UpdatedBy));

        await using var scope = app.Services.CreateAsyncScope();
        var definitions = scope.ServiceProvider.GetRequiredService<ChurnDefinitions>();
        foreach (var bad in new[] { 0, 6, 731, -30 })
            Assert.Equal("horizonDays", Assert.Single((await Assert.ThrowsAsync<RequestValidationException>(() => definitions.SaveAsync(bad, false, "ines", default))).Errors.Keys));
        var saved = await definitions.SaveAsync(30, true, "ines", default);
        Assert.Equal((30, true, "ines"), (saved.HorizonDays, saved.CancellationIsChurn, saved.UpdatedBy));
        Assert.Equal(saved, await definitions.CurrentAsync(default));
        Assert.Equal(1, await app.WithDbAsync(db => db.ChurnDefinitions.CountAsync()));   // saved again, still one row

        // A customer who ordered 40 days after the cut-off: churned within 30 days, not within 90.
        var cutOff = new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var late = new CustomerHistory(Guid.NewGuid());
        late.Orders.Add(new OrderFact(cutOff.AddDays(-10), 20, "web", []));
        late.Orders.Add(new OrderFact(cutOff.AddDays(40), 20, "web", []));
        Assert.True(new ChurnRule(30, false).Churned(late, cutOff));
        Assert.False(new ChurnRule(90, false).Churned(late, cutOff));
        // One who keeps ordering but cancelled their subscription: churned only where the business says a cancellation is churn.
        var cancelled = new CustomerHistory(Guid.NewGuid());
        var plan = Guid.NewGuid();
        cancelled.Subscriptions.Add((cutOff.AddDays(-100), plan, true));
        cancelled.Subscriptions.Add((cutOff.AddDays(5), plan, false));
        cancelled.Orders.Add(new OrderFact(cutOff.AddDays(10), 20, "web", []));
        Assert.False(new ChurnRule(30, false).Churned(cancelled, cutOff));
        Assert.True(new ChurnRule(30, true).Churned(cancelled, cutOff));
    }

    [SkippableFact]
    public async Task A_worse_version_is_kept_but_not_promoted_and_staff_can_promote_and_roll_back()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using var scope = app.Services.CreateAsyncScope();
        var registry = scope.ServiceProvider.GetRequiredService<ModelRegistry>();
        var now = app.Clock.GetUtcNow().UtcDateTime;

        var v1 = await registry.RecordAsync(ModelKind.Churn, Fixed(0.80), now.AddDays(-365), now, default);
        Assert.True(v1.IsActive);
        Assert.Equal(1, v1.Version);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var v2 = await registry.RecordAsync(ModelKind.Churn, Fixed(0.70), now.AddDays(-364), now.AddDays(1), default);
        Assert.False(v2.IsActive);
        Assert.Equal(0.80, v2.ActiveScoreOnHoldout!.Value, 6);
        Assert.StartsWith("kept, not promoted", v2.Decision, StringComparison.Ordinal);

        app.Clock.Advance(TimeSpan.FromDays(1));
        var v3 = await registry.RecordAsync(ModelKind.Churn, Fixed(0.85), now.AddDays(-363), now.AddDays(2), default);
        Assert.True(v3.IsActive);
        Assert.StartsWith("promoted", v3.Decision, StringComparison.Ordinal);
        // Another kind has its own versions and its own active one.
        var clv = await registry.RecordAsync(ModelKind.Clv, Fixed(0.10), now.AddDays(-363), now.AddDays(2), default);
        Assert.Equal((1, true), (clv.Version, clv.IsActive));

        async Task<int?> ActiveVersion(ModelKind k) => await app.WithDbAsync(db => db.ModelVersions.Where(m => m.Kind == k && m.IsActive).Select(m => (int?)m.Version).SingleOrDefaultAsync());
        Assert.Equal(3, await ActiveVersion(ModelKind.Churn));

        // Rollback goes to the newest earlier version that was ever active: v1 (v2 never was).
        var back = await registry.RollbackAsync(ModelKind.Churn, "analyst@example.com", default);
        Assert.Equal(1, back.Version);
        Assert.Equal(1, await ActiveVersion(ModelKind.Churn));
        Assert.Equal(1, await ActiveVersion(ModelKind.Clv));

        // Staff may promote the kept version by hand; rolling back from it returns to v1 again.
        var promoted = await registry.PromoteAsync(v2.Id, "analyst@example.com", default);
        Assert.True(promoted.IsActive);
        Assert.Equal(2, await ActiveVersion(ModelKind.Churn));
        Assert.Equal(1, (await registry.RollbackAsync(ModelKind.Churn, "analyst@example.com", default)).Version);

        var nothing = await Assert.ThrowsAsync<DomainException>(() => registry.RollbackAsync(ModelKind.Churn, "x", default));
        Assert.Equal("nothing-to-roll-back", nothing.Code);
        var none = await Assert.ThrowsAsync<DomainException>(() => registry.RollbackAsync(ModelKind.Sentiment, "x", default));
        Assert.Equal("no-active-model", none.Code);
        Assert.Equal("model-not-found", (await Assert.ThrowsAsync<DomainException>(() => registry.PromoteAsync(Guid.NewGuid(), "x", default))).Code);

        var audited = await app.WithDbAsync(db => db.AuditEntries.Where(a => a.Action.StartsWith("insights.model.")).Select(a => a.Action).ToListAsync());
        Assert.Equal(2, audited.Count(a => a == "insights.model.rollback"));
        Assert.Equal(4, audited.Count(a => a == "insights.model.promote"));
        Assert.Equal(1, await app.WithDbAsync(db => db.ModelVersions.CountAsync(m => m.IsActive && m.Kind == ModelKind.Churn)));
    }

    [SkippableFact]
    public async Task Training_from_the_timeline_measures_each_version_on_the_hold_out_and_the_cli_reports_it()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using (var scope = app.Services.CreateAsyncScope())
            await InsightsData.SeedAsync(scope.ServiceProvider, now, loyal: 40, lapsed: 40, fixedIds: true);

        var churn = await app.RunCliAsync("models", "train", "--kind", "churn");
        Assert.True(churn.ExitCode == 0, churn.Error + churn.Output);
        Assert.Contains("churn version 1", churn.Output, StringComparison.Ordinal);
        Assert.Contains("promoted: the first version", churn.Output, StringComparison.Ordinal);
        Assert.Contains("reading the timeline", churn.Output, StringComparison.Ordinal);

        var clv = await app.RunCliAsync("models", "train", "--kind", "clv");
        Assert.True(clv.ExitCode == 0, clv.Error + clv.Output);
        Assert.True(clv.Output.Contains("clv version 1", StringComparison.Ordinal), clv.Output);

        var versions = await app.WithDbAsync(db => db.ModelVersions.AsNoTracking().OrderBy(m => m.Kind).ToListAsync());
        var c = versions.Single(v => v.Kind == ModelKind.Churn);
        Assert.True(c.IsActive);
        Assert.Equal(80, c.Rows + c.HoldoutRows);   // every customer had ordered before the cut-off
        Assert.InRange(c.HoldoutRows, 5, 30);
        Assert.NotNull(c.LogLoss);
        // The hold-out is the customers whose (here fixed) ids hash into the slice: the same customers every run, so the AUC
        // moves only with the training's own randomness. A model that had not learnt recency would sit near 0.5.
        Assert.True(c.RocAuc > 0.75, $"ROC AUC {c.RocAuc} on {c.HoldoutRows}: recency tells loyal and lapsed customers apart");
        Assert.NotEmpty(c.Payload);
        var l = versions.Single(v => v.Kind == ModelKind.Clv);
        Assert.True(l.LogLikelihood is < 0);
        Assert.True(l.IsActive);

        // The same data again: the new version scores the same as the active one on the same hold-out, so it is promoted.
        var again = await app.RunCliAsync("models", "train", "--kind", "churn");
        Assert.Contains("churn version 2", again.Output, StringComparison.Ordinal);
        var v2 = await app.WithDbAsync(db => db.ModelVersions.AsNoTracking().SingleAsync(m => m.Kind == ModelKind.Churn && m.Version == 2));
        Assert.Equal(v2.RocAuc ?? -v2.LogLoss, v2.ActiveScoreOnHoldout);

        // Not enough rated texts for sentiment: skipped, said so, nothing kept.
        var sentiment = await app.RunCliAsync("models", "train", "--kind", "sentiment");
        Assert.Equal(0, sentiment.ExitCode);
        Assert.Contains("sentiment: skipped", sentiment.Output, StringComparison.Ordinal);
        Assert.Equal(0, await app.WithDbAsync(db => db.ModelVersions.CountAsync(m => m.Kind == ModelKind.Sentiment)));
        Assert.Equal(TrainingStatus.Skipped, await app.WithDbAsync(db => db.TrainingRuns.Where(r => r.Kind == ModelKind.Sentiment).Select(r => r.Status).SingleAsync()));

        var bad = await app.RunCliAsync("models", "train", "--kind", "horoscope");
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("Unknown kind", bad.Error, StringComparison.Ordinal);

        var list = await app.RunCliAsync("models", "list");
        Assert.Contains("active", list.Output, StringComparison.Ordinal);
        var rollback = await app.RunCliAsync("models", "rollback", "--kind", "churn");
        Assert.True(rollback.ExitCode == 0, rollback.Error);
        Assert.Contains("churn version 1 is active again", rollback.Output, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task A_scheduled_slot_becomes_one_run_per_kind_and_each_run_is_claimed_by_one_node()
    {
        await using var app = new ManualClockApp(provider);
        app.SkipIfUnavailable();
        await using var a = app.Services.CreateAsyncScope();
        await using var b = app.Services.CreateAsyncScope();
        var nodeA = a.ServiceProvider.GetRequiredService<TrainingRuns>();
        var nodeB = b.ServiceProvider.GetRequiredService<TrainingRuns>();

        Assert.Equal(4, await nodeA.EnsureScheduledAsync(default));
        Assert.Equal(0, await nodeB.EnsureScheduledAsync(default));   // the slot is taken
        Assert.Equal(4, await app.WithDbAsync(db => db.TrainingRuns.CountAsync(r => r.Trigger == "schedule")));

        var first = await nodeA.ClaimNextAsync(default);
        Assert.NotNull(first);
        Assert.Null(await nodeB.ClaimAsync(first.Value.Run, default));   // already claimed and the claim is fresh
        var second = await nodeB.ClaimNextAsync(default);
        Assert.NotEqual(first.Value.Run, second!.Value.Run);

        // A node that stopped renewing its claim loses the run to another once the claim has passed.
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        Assert.NotNull(await nodeB.ClaimAsync(first.Value.Run, default));

        // The next night is a new slot.
        app.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(4, await nodeB.EnsureScheduledAsync(default));

        // Asking again for a kind already waiting or running hands back that run.
        var asked = await nodeA.RequestAsync(ModelKind.Sentiment, "console", "admin@example.com", default);
        Assert.Equal(asked.Id, (await nodeB.RequestAsync(ModelKind.Sentiment, "console", "admin@example.com", default)).Id);
    }

    [SkippableFact]
    public async Task The_background_worker_trains_what_staff_asked_for_and_records_its_progress()
    {
        await using var app = new ManualClockApp(provider);
        app.With("Insights:BackgroundTraining", "true").With("Insights:PollInterval", "00:00:00.100");
        app.SkipIfUnavailable();
        var now = app.Clock.GetUtcNow().UtcDateTime;
        await using var scope = app.Services.CreateAsyncScope();
        await InsightsData.SeedAsync(scope.ServiceProvider, now, loyal: 15, lapsed: 15);
        var runs = scope.ServiceProvider.GetRequiredService<TrainingRuns>();
        var asked = await runs.RequestAsync(ModelKind.Clv, "console", "analyst@example.com", default);

        TrainingRunView? run = null;
        for (var i = 0; i < 600 && run?.FinishedAt is null; i++)
        {
            await Task.Delay(100);
            app.Clock.Advance(TimeSpan.FromMilliseconds(200));   // the worker waits on the fake clock
            run = await runs.FindAsync(asked.Id, default);
        }
        Assert.NotNull(run?.FinishedAt);
        Assert.True(run.Status is "succeeded" or "skipped", run.Status + " " + run.Error);
        Assert.Equal(100, run.Progress);
        // The scheduled slot's runs were added by the worker too, one per kind.
        Assert.Equal(4, await app.WithDbAsync(db => db.TrainingRuns.CountAsync(r => r.Trigger == "schedule")));
    }
}

public sealed class ModelRegistryOnSqlite() : ModelRegistryTests("sqlite");

[Trait("Provider", "Postgres")]
public sealed class ModelRegistryOnPostgres() : ModelRegistryTests("postgres");
