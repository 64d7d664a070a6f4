using System.Text.Json;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Interactions;
using Centric.Server.Platform.Outbox;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Journeys;

/// <summary>
/// Journeys on the interaction stream, inside the dispatcher's transaction: a goal converts (and ends) the customer's walks, an
/// interaction a walk waits for moves it on, and a trigger brings the customer in. New and resumed walks take their first steps
/// here at once (the trigger → action latency), except webhook calls, left to the runner so a slow receiver never holds the stream.
/// Imported history triggers nothing.
/// </summary>
internal sealed class JourneySubscriber(JourneyWalker walker, JourneyNudge nudge) : IInteractionSubscriber
{
    public static readonly TimeSpan TriggerFreshness = TimeSpan.FromDays(1);

    public string Name => "engagement.journeys";

    public bool IsUrgent => true;

    public bool StartsAtEnd => true;

    public async Task HandleAsync(CentricDbContext db, IReadOnlyList<Interaction> batch, CancellationToken ct)
    {
        var fresh = batch.Where(i => !i.IsImported && !InteractionTypes.JourneyEntered.Is(i.Type) && !InteractionTypes.JourneyExited.Is(i.Type))
            .OrderBy(i => i.OccurredAt).ToList();
        if (fresh.Count == 0) return;
        var journeys = await db.Journeys.AsNoTracking().Where(j => j.LiveVersion != null).ToDictionaryAsync(j => j.Id, ct);
        if (journeys.Count == 0) return;

        // A batch's walks add hundreds of rows to one unit of work, and every look at the tracker (entry checks, send keys) would
        // compare them all again: changes are found once, before saving.
        var autoDetect = db.ChangeTracker.AutoDetectChangesEnabled;
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            var profiles = fresh.Select(i => i.ProfileId).Distinct().ToList();
            // Finished walks matter only to a goal: they are read for journeys with a goal in some version (a journey without one
            // would otherwise read every walk its customers ever finished, at every batch).
            var watched = new List<Guid>();
            foreach (var journey in journeys.Values)
                for (var version = 1; version <= journey.LiveVersion; version++)
                    if (await walker.DefinitionAsync(journey.Id, version, ct) is not { Goal: null }) { watched.Add(journey.Id); break; }
            var watchFrom = walker.Now.AddDays(-90);
            var runs = (await db.JourneyRuns.Where(r => profiles.Contains(r.ProfileId)
                    && (r.Status == JourneyRunStatus.Active || r.Status == JourneyRunStatus.Waiting
                        || (r.Status == JourneyRunStatus.Completed && r.ConvertedAt == null && r.EnteredAt >= watchFrom && watched.Contains(r.JourneyId))))
                .ToListAsync(ct)).GroupBy(r => r.ProfileId).ToDictionary(g => g.Key, g => g.ToList());
            // Entry checks, and the consent and addresses of first sends, for the whole batch at once: one query each, not one per event.
            // Only for what may start a walk (an interaction a live trigger's type and filters match) or move one (a customer with an
            // open walk): most of a batch is neither, and anything else the walker reads on its own.
            var live = journeys.Values.Where(j => j.Status == JourneyStatus.Live).ToList();
            // Each live journey with a trigger, with the definition of its live version: read once for the batch.
            var triggered = new List<(Journey Journey, JourneyDefinition Definition, JourneyTrigger Trigger)>();
            foreach (var journey in live)
                if (await walker.DefinitionAsync(journey.Id, journey.LiveVersion!.Value, ct) is { Trigger: { } trigger } d) triggered.Add((journey, d, trigger));
            var entrants = fresh.Where(i => i.OccurredAt >= walker.Now - TriggerFreshness && triggered.Any(t => MayTrigger(t.Trigger, i))).ToList();
            var walking = runs.Where(r => r.Value.Any(w => JourneyRunStatus.Open.Contains(w.Status))).Select(r => r.Key).ToList();
            if (live.Count > 0 && (entrants.Count > 0 || walking.Count > 0))
                await walker.PrimeAsync(live, entrants.Select(i => i.ProfileId).Concat(walking).Distinct().ToList(), entrants.Select(EntryKey).ToList(), ct);
            var moved = new List<JourneyRun>();
            foreach (var i in fresh)
            {
                foreach (var run in runs.GetValueOrDefault(i.ProfileId, []).Where(r => i.OccurredAt >= r.EnteredAt).ToList())
                {
                    if (!journeys.TryGetValue(run.JourneyId, out var journey) || await walker.DefinitionAsync(run.JourneyId, run.Version, ct) is not { } d) continue;
                    if (d.Goal is { } goal && JourneyDefinitions.Matches(goal, i)) walker.Convert(run, journey, d, i.OccurredAt);
                    else if (run.Status == JourneyRunStatus.Waiting && d.Step(run.StepId)?.Event is { } awaited && JourneyDefinitions.Matches(awaited, i))
                    {
                        walker.Resume(run, d);
                        moved.Add(run);
                    }
                }
                // Only news brings a customer in: an interaction stamped a day or more ago (history loaded late, a backlog) starts nothing.
                if (i.OccurredAt < walker.Now - TriggerFreshness) continue;
                foreach (var (journey, d, trigger) in triggered)
                {
                    if (!await TriggersAsync(db, trigger, i, ct)) continue;
                    if (await walker.EnterAsync(journey, d, i.ProfileId, EntryKey(i), ct) is { } run)
                    {
                        if (runs.TryGetValue(run.ProfileId, out var theirs)) theirs.Add(run);
                        else runs[run.ProfileId] = [run];
                        moved.Add(run);
                    }
                }
            }
            foreach (var run in moved.Distinct())
                if (journeys.TryGetValue(run.JourneyId, out var journey) && journey.Status == JourneyStatus.Live && await walker.DefinitionAsync(run.JourneyId, run.Version, ct) is { } d)
                    await walker.WalkAsync(run, journey, d, ct, callOut: false);
            db.ChangeTracker.DetectChanges();
            JourneyRuns.Touch(db);
            // A batch's walks add some ten rows each (the walk, its step log, the message, the notice, three interactions and
            // their outbox rows): written by bulk insert, in the dispatcher's transaction with the checkpoint's move.
            await db.SaveAddingInBulkAsync(ct);
            if (moved.Count > 0) nudge.Pulse();
        }
        finally
        {
            db.ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>An interaction brings a customer into a journey at most once.</summary>
    private static string EntryKey(Interaction i) => "i:" + i.Id.ToString("N");

    /// <summary>What <see cref="TriggersAsync"/> decides without the database: the type and the property filters.</summary>
    private static bool MayTrigger(JourneyTrigger t, Interaction i) => t.On switch
    {
        "interaction" => JourneyDefinitions.Matches(new JourneyEvent { Type = t.Type, Where = t.Where }, i),
        "segment_entered" => InteractionTypes.SegmentEntered.Is(i.Type),
        "segment_left" => InteractionTypes.SegmentLeft.Is(i.Type),
        _ => false,
    };

    private static async Task<bool> TriggersAsync(CentricDbContext db, JourneyTrigger t, Interaction i, CancellationToken ct)
    {
        if (!MayTrigger(t, i)) return false;
        switch (t.On)
        {
            case "interaction":
                if (t.First != true) return true;
                var e = new JourneyEvent { Type = t.Type, Where = t.Where };
                // Only the customer's first such interaction: none matching before this one.
                var earlier = await db.Interactions.AsNoTracking()
                    .Where(x => x.ProfileId == i.ProfileId && x.Type == i.Type && x.Id != i.Id && x.OccurredAt <= i.OccurredAt).Take(500).ToListAsync(ct);
                return !earlier.Any(x => JourneyDefinitions.Matches(e, x));
            case "segment_entered" or "segment_left":
                try
                {
                    using var doc = JsonDocument.Parse(i.Properties);
                    return doc.RootElement.TryGetProperty("segmentId", out var id) && id.TryGetGuid(out var g) && g == t.Segment;
                }
                catch (JsonException) { return false; }
            default:
                return false;
        }
    }
}

internal static class JourneyRuns
{
    /// <summary>Raises the revision of every walk changed in this unit of work (the concurrency check of its save).</summary>
    public static void Touch(CentricDbContext db)
    {
        // Marked through the entry: a caller that found its changes already (and looks no more) still saves the new revision.
        foreach (var e in db.ChangeTracker.Entries<JourneyRun>().Where(e => e.State == EntityState.Modified)) e.Property(r => r.Revision).CurrentValue++;
    }
}

/// <summary>Wakes the runner when the stream has handed walks a due step it left to the runner (a webhook call).</summary>
public sealed class JourneyNudge : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Pulse()
    {
        if (_signal.CurrentCount == 0) try { _signal.Release(); } catch (SemaphoreFullException) { }
    }

    public Task WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
