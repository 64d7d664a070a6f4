using Centric.Server.Commerce.Contracts;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Interactions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Centric.Server.Insights.Models;

/// <summary>A run as the console shows it.</summary>
public sealed record TrainingRunView(Guid Id, string Kind, string Trigger, string RequestedBy, string Status, int Progress, string Stage,
    DateTime RequestedAt, DateTime? StartedAt, DateTime? FinishedAt, string? Error, Guid? ModelVersionId);

/// <summary>What a finished run came to, for the CLI and the console.</summary>
public sealed record TrainingOutcome(ModelKind Kind, TrainingStatus Status, string Message, ModelVersionView? Version);

/// <summary>
/// Training runs: asked for (schedule, console, CLI), claimed by one node with a conditional update, executed with their
/// progress written to the run's row as they go. The work itself is CPU-bound and runs off the request path.
/// </summary>
public sealed class TrainingRuns(CentricDbContext db, ModelRegistry registry, ReviewTexts reviews, ChurnDefinitions churn, IOptions<InsightsOptions> options, TimeProvider clock)
{
    /// <summary>Asks for a run of <paramref name="kind"/>; a run of that kind already waiting or running is returned instead of a second one.</summary>
    public async Task<TrainingRunView> RequestAsync(ModelKind kind, string trigger, string requestedBy, CancellationToken ct)
    {
        var open = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Kind == kind && (r.Status == TrainingStatus.Pending || r.Status == TrainingStatus.Running))
            .OrderBy(r => r.RequestedAt).FirstOrDefaultAsync(ct);
        if (open is not null) return View(open);
        var run = NewRun(kind, trigger, requestedBy, slotKey: null);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(ct);
        return View(run);
    }

    public async Task<IReadOnlyList<TrainingRunView>> RecentAsync(int limit, CancellationToken ct) =>
        [.. (await db.TrainingRuns.AsNoTracking().OrderByDescending(r => r.RequestedAt).Take(limit).ToListAsync(ct)).Select(View)];

    public async Task<TrainingRunView?> FindAsync(Guid id, CancellationToken ct) =>
        await db.TrainingRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == id, ct) is { } r ? View(r) : null;

    /// <summary>
    /// The scheduled slot that has begun most recently (nightly at <see cref="InsightsOptions.TrainAt"/> by default): one run
    /// per kind, inserted under a unique slot key, so when several nodes find it due only the first insert counts.
    /// Returns how many runs this call added.
    /// </summary>
    internal async Task<int> EnsureScheduledAsync(CancellationToken ct)
    {
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var anchor = DateTime.UnixEpoch + o.TrainAt;
        var slot = anchor + o.TrainEvery * Math.Floor((now - anchor) / o.TrainEvery);
        var added = 0;
        foreach (var kind in ModelKinds.All)
        {
            var key = $"schedule:{slot:yyyy-MM-ddTHH:mm}Z:{kind.Name()}";
            if (await db.TrainingRuns.AnyAsync(r => r.SlotKey == key, ct)) continue;
            var run = NewRun(kind, "schedule", "schedule", key);
            db.TrainingRuns.Add(run);
            try
            {
                await db.SaveChangesAsync(ct);
                added++;
            }
            catch (DbUpdateException)
            {
                db.Entry(run).State = EntityState.Detached;   // another node inserted this slot first
            }
        }
        return added;
    }

    /// <summary>
    /// Claims the oldest waiting run (or one whose node stopped renewing its claim) with a conditional update: of two nodes
    /// reading the same row, only one update matches. Returns the claimed run's id and the claim token.
    /// </summary>
    internal async Task<(Guid Run, Guid Token)?> ClaimNextAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await db.TrainingRuns.AsNoTracking()
            .Where(r => r.Status == TrainingStatus.Pending || (r.Status == TrainingStatus.Running && r.ClaimedUntil < now))
            .OrderBy(r => r.RequestedAt).Select(r => r.Id).Take(5).ToListAsync(ct);
        foreach (var id in candidates)
            if (await ClaimAsync(id, ct) is { } token) return (id, token);
        return null;
    }

    internal async Task<Guid?> ClaimAsync(Guid id, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var until = now + options.Value.ClaimFor;
        var claimed = await db.TrainingRuns
            .Where(r => r.Id == id && (r.Status == TrainingStatus.Pending || (r.Status == TrainingStatus.Running && r.ClaimedUntil < now)))
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, TrainingStatus.Running).SetProperty(r => r.ClaimToken, token)
                .SetProperty(r => r.ClaimedUntil, until).SetProperty(r => r.StartedAt, now).SetProperty(r => r.Progress, 0)
                .SetProperty(r => r.Stage, "claimed"), ct);
        return claimed == 1 ? token : null;
    }

    /// <summary>Asks for a run and executes it here and now (the CLI), reporting progress to <paramref name="progress"/>.</summary>
    public async Task<TrainingOutcome> TrainNowAsync(ModelKind kind, string trigger, string requestedBy, Action<int, string>? progress, CancellationToken ct)
    {
        var run = NewRun(kind, trigger, requestedBy, slotKey: null);
        db.TrainingRuns.Add(run);
        await db.SaveChangesAsync(ct);
        db.Entry(run).State = EntityState.Detached;
        var token = await ClaimAsync(run.Id, ct) ?? throw new InvalidOperationException("A new run could not be claimed.");
        return await ExecuteAsync(run.Id, token, progress, ct);
    }

    /// <summary>Trains the claimed run's model, records the version (promoted or kept) and closes the run.</summary>
    internal async Task<TrainingOutcome> ExecuteAsync(Guid runId, Guid token, Action<int, string>? progress, CancellationToken ct)
    {
        var run = await db.TrainingRuns.AsNoTracking().FirstAsync(r => r.Id == runId, ct);
        var o = options.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var from = now.AddDays(-o.TrainingWindowDays);
        async Task Report(int percent, string stage)
        {
            progress?.Invoke(percent, stage);
            var until = clock.GetUtcNow().UtcDateTime + o.ClaimFor;
            await db.TrainingRuns.Where(r => r.Id == runId && r.ClaimToken == token)
                .ExecuteUpdateAsync(u => u.SetProperty(r => r.Progress, percent).SetProperty(r => r.Stage, stage).SetProperty(r => r.ClaimedUntil, until), ct);
        }
        try
        {
            await Report(5, "reading the timeline");
            TrainedModel trained;
            if (run.Kind == ModelKind.Sentiment)
            {
                var rated = await RatedTextsAsync(from, now, ct);
                await Report(30, $"training on {rated.Count} rated texts");
                trained = await Task.Run(() => ModelTrainers.Sentiment(rated, o), ct);
            }
            else
            {
                var histories = (await CustomerHistories.ReadAsync(db, from, now, null, browsing: true, ct)).Values.ToList();
                var rule = await churn.CurrentAsync(ct);
                await Report(30, $"training on {histories.Count} customers");
                trained = await Task.Run(() => run.Kind switch
                {
                    ModelKind.Churn => ModelTrainers.Churn(histories, now, o, rule),
                    ModelKind.Clv => ModelTrainers.Clv(histories, now, o),
                    _ => ModelTrainers.Recommendations(histories, o),
                }, ct);
            }
            await Report(80, "measuring against the active version");
            var version = await registry.RecordAsync(run.Kind, trained, from, now, ct);
            var view = (await registry.ListAsync(run.Kind, ct)).First(v => v.Id == version.Id);
            await FinishAsync(runId, token, TrainingStatus.Succeeded, $"version {version.Version}: {trained.Quality.Describe()}; {version.Decision}", null, version.Id, ct);
            progress?.Invoke(100, "done");
            return new TrainingOutcome(run.Kind, TrainingStatus.Succeeded, $"{run.Kind.Name()} version {version.Version}: {trained.Quality.Describe()} on {trained.HoldoutRows} held-out rows; {version.Decision}.", view);
        }
        catch (NotEnoughDataException e)
        {
            await FinishAsync(runId, token, TrainingStatus.Skipped, "skipped", e.Message, null, ct);
            return new TrainingOutcome(run.Kind, TrainingStatus.Skipped, $"{run.Kind.Name()}: skipped. {e.Message}", null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await FinishAsync(runId, token, TrainingStatus.Failed, "failed", e.Message, null, CancellationToken.None);
            throw;
        }
    }

    private async Task FinishAsync(Guid runId, Guid token, TrainingStatus status, string stage, string? error, Guid? version, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var text = error is { Length: > 2000 } ? error[..2000] : error;
        var stageText = stage.Length > 200 ? stage[..200] : stage;
        await db.TrainingRuns.Where(r => r.Id == runId && r.ClaimToken == token)
            .ExecuteUpdateAsync(u => u.SetProperty(r => r.Status, status).SetProperty(r => r.Progress, 100).SetProperty(r => r.Stage, stageText)
                .SetProperty(r => r.FinishedAt, now).SetProperty(r => r.ClaimedUntil, (DateTime?)null).SetProperty(r => r.Error, text)
                .SetProperty(r => r.ModelVersionId, version), ct);
    }

    /// <summary>Reviews (through Commerce's public surface) and CSAT comments (from the timeline), with their stars.</summary>
    private async Task<List<(Guid ProfileId, string Text, int Rating)>> RatedTextsAsync(DateTime from, DateTime to, CancellationToken ct)
    {
        var rated = (await reviews.SinceAsync(from, 200_000, ct)).Select(r => (r.ProfileId, r.Text, r.Rating)).ToList();
        var csat = InteractionTypes.CsatSubmitted.Name;
        var comments = db.Interactions.AsNoTracking().Where(i => i.Type == csat && i.OccurredAt >= from && i.OccurredAt < to)
            .Select(i => new { i.ProfileId, i.Properties }).AsAsyncEnumerable();
        await foreach (var c in comments.WithCancellation(ct))
            if (InteractionTypes.CsatSubmitted.Read(c.Properties) is { Comment: { Length: > 0 } text } p) rated.Add((c.ProfileId, text, p.Rating));
        return rated;
    }

    private TrainingRun NewRun(ModelKind kind, string trigger, string requestedBy, string? slotKey) => new()
    {
        Kind = kind, Trigger = trigger, RequestedBy = requestedBy.Length > 256 ? requestedBy[..256] : requestedBy, SlotKey = slotKey,
        Status = TrainingStatus.Pending, Stage = "waiting", RequestedAt = clock.GetUtcNow().UtcDateTime,
    };

    private static TrainingRunView View(TrainingRun r) => new(r.Id, r.Kind.Name(), r.Trigger, r.RequestedBy, r.Status.ToString().ToLowerInvariant(),
        r.Progress, r.Stage, r.RequestedAt, r.StartedAt, r.FinishedAt, r.Error, r.ModelVersionId);

    /// <summary>Parses a kind given by a person; a clear 400 when it is not one.</summary>
    public static ModelKind ParseKind(string? kind) => ModelKinds.Parse(kind)
        ?? throw RequestValidationException.For("kind", "One of: " + string.Join(", ", ModelKinds.All.Select(k => k.Name())) + ".");
}
