using Centric.Server.Engagement.Messages;
using Centric.Server.Platform.Data;
using Centric.Server.Platform.Errors;
using Centric.Server.Platform.Http;
using Microsoft.EntityFrameworkCore;

namespace Centric.Server.Engagement.Journeys;

public sealed record JourneySummary(Guid Id, string Name, string Description, string Status, int? LiveVersion, string? ShippedKey,
    string Trigger, int Entered, int InProgress, int Converted, DateTime UpdatedAt);

public sealed record JourneyDetail(Guid Id, string Name, string Description, string Status, int? LiveVersion, string? ShippedKey,
    JourneyDefinition Draft, bool DraftDiffersFromLive, DateTime CreatedAt, DateTime UpdatedAt, string? UpdatedBy);

/// <summary>A new journey or a change to one's draft (the walkers follow it only once it is published).</summary>
public sealed record JourneyDraft(string? Name, string? Description, JourneyDefinition? Definition);

public sealed record JourneyReport(Guid Id, string Name, int? Version, int Entered, int InProgress, int Completed, int ExitedByGoal, int Exited,
    int Converted, IReadOnlyList<JourneyStepReport> Steps, IReadOnlyList<JourneyArmReport> Arms);

/// <summary>What happened at one step of the live version: walks that got there, by outcome, and for a send what became of the messages.</summary>
public sealed record JourneyStepReport(string StepId, string Kind, string Words, int Reached, IReadOnlyDictionary<string, int> Outcomes,
    int Sent, int Delivered, int Opened, int Clicked, int Bounced);

/// <summary>
/// One arm of a split: walks, conversions, and for a non-holdout arm its uplift over the holdout (difference in conversion rates)
/// with a 95 % confidence interval (normal approximation).
/// </summary>
public sealed record JourneyArmReport(string Arm, bool Holdout, int Entered, int Converted, double Rate, double? Uplift, double? UpliftLow, double? UpliftHigh);

/// <summary>Journeys: drafts, publishing (a new version), pausing, the shipped set, and each journey's report.</summary>
internal sealed class JourneyService(CentricDbContext db, JourneyWalker walker, TimeProvider clock)
{
    public async Task<IReadOnlyList<JourneySummary>> ListAsync(CancellationToken ct)
    {
        await EnsureShippedAsync(ct);
        var journeys = await db.Journeys.AsNoTracking().OrderBy(j => j.NameKey).ToListAsync(ct);
        var counts = await db.JourneyRuns.GroupBy(r => r.JourneyId).Select(g => new
        {
            g.Key, Entered = g.Count(),
            Open = g.Count(r => r.Status == JourneyRunStatus.Active || r.Status == JourneyRunStatus.Waiting),
            Converted = g.Count(r => r.ConvertedAt != null),
        }).ToDictionaryAsync(g => g.Key, ct);
        return [.. journeys.Select(j =>
        {
            var c = counts.GetValueOrDefault(j.Id);
            return new JourneySummary(j.Id, j.Name, j.Description, j.Status, j.LiveVersion, j.ShippedKey, JourneyWords.Trigger(Parse(j.Draft).Trigger),
                c?.Entered ?? 0, c?.Open ?? 0, c?.Converted ?? 0, j.UpdatedAt);
        })];
    }

    public async Task<JourneyDetail?> FindAsync(Guid id, CancellationToken ct)
    {
        if (await db.Journeys.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct) is not { } j) return null;
        var live = j.LiveVersion is { } v
            ? await db.JourneyVersions.AsNoTracking().Where(x => x.JourneyId == id && x.Version == v).Select(x => x.Definition).FirstOrDefaultAsync(ct)
            : null;
        return new JourneyDetail(j.Id, j.Name, j.Description, j.Status, j.LiveVersion, j.ShippedKey, Parse(j.Draft), live != j.Draft,
            j.CreatedAt, j.UpdatedAt, j.UpdatedBy);
    }

    public async Task<JourneyDetail> CreateAsync(JourneyDraft draft, string? by, CancellationToken ct)
    {
        var (name, description) = Header(draft);
        JourneyDefinitions.Validate(draft.Definition);
        var key = name.ToLowerInvariant();
        if (await db.Journeys.AnyAsync(j => j.NameKey == key, ct)) throw new DomainException("journey_name_taken", $"A journey called “{name}” exists already.");
        var now = clock.GetUtcNow().UtcDateTime;
        var journey = new Journey
        {
            Name = name, NameKey = key, Description = description, Draft = JourneyDefinitions.Serialize(draft.Definition!),
            CreatedAt = now, UpdatedAt = now, UpdatedBy = by,
        };
        db.Journeys.Add(journey);
        await db.SaveChangesAsync(ct);
        return (await FindAsync(journey.Id, ct))!;
    }

    public async Task<JourneyDetail?> UpdateAsync(Guid id, JourneyDraft draft, string? by, CancellationToken ct)
    {
        if (await db.Journeys.FirstOrDefaultAsync(j => j.Id == id, ct) is not { } journey) return null;
        var (name, description) = Header(draft);
        JourneyDefinitions.Validate(draft.Definition);
        var key = name.ToLowerInvariant();
        if (await db.Journeys.AnyAsync(j => j.NameKey == key && j.Id != id, ct)) throw new DomainException("journey_name_taken", $"A journey called “{name}” exists already.");
        (journey.Name, journey.NameKey, journey.Description) = (name, key, description);
        journey.Draft = JourneyDefinitions.Serialize(draft.Definition!);
        (journey.UpdatedAt, journey.UpdatedBy) = (clock.GetUtcNow().UtcDateTime, by);
        await db.SaveChangesAsync(ct);
        return await FindAsync(id, ct);
    }

    /// <summary>
    /// Makes the draft the live version (a new version number when it changed) and the journey live. Customers already walking stay
    /// on the version they entered.
    /// </summary>
    public async Task<JourneyDetail?> PublishAsync(Guid id, string? by, CancellationToken ct)
    {
        if (await db.Journeys.FirstOrDefaultAsync(j => j.Id == id, ct) is not { } journey) return null;
        var definition = Parse(journey.Draft);
        JourneyDefinitions.Validate(definition);
        if (definition.Trigger is { On: "segment_entered" or "segment_left", Segment: { } segment } && !await db.Segments.AnyAsync(s => s.Id == segment, ct))
            throw RequestValidationException.For("definition.trigger.segment", "definition.trigger.segment names no segment.");
        foreach (var s in (definition.Steps ?? []).Where(s => s.Kind == "survey" && s.Survey is not null))
            if (!await db.Surveys.AnyAsync(x => x.Id == s.Survey, ct))
                throw RequestValidationException.For("definition.steps", $"definition.steps ({s.Id}) names no survey.");
        var live = journey.LiveVersion is { } v
            ? await db.JourneyVersions.Where(x => x.JourneyId == id && x.Version == v).Select(x => x.Definition).FirstOrDefaultAsync(ct)
            : null;
        var now = clock.GetUtcNow().UtcDateTime;
        if (live != journey.Draft)
        {
            var next = (journey.LiveVersion ?? 0) + 1;
            db.JourneyVersions.Add(new JourneyVersion { JourneyId = id, Version = next, Definition = journey.Draft, PublishedAt = now, PublishedBy = by });
            journey.LiveVersion = next;
        }
        (journey.Status, journey.UpdatedAt, journey.UpdatedBy) = (JourneyStatus.Live, now, by);
        await db.SaveChangesAsync(ct);
        return await FindAsync(id, ct);
    }

    /// <summary>Stops a live journey: nobody enters and nobody moves on until it is published again.</summary>
    public async Task<JourneyDetail?> PauseAsync(Guid id, string? by, CancellationToken ct)
    {
        if (await db.Journeys.FirstOrDefaultAsync(j => j.Id == id, ct) is not { } journey) return null;
        if (journey.Status != JourneyStatus.Live) throw new DomainException("journey_not_live", "Only a live journey can be paused.");
        (journey.Status, journey.UpdatedAt, journey.UpdatedBy) = (JourneyStatus.Paused, clock.GetUtcNow().UtcDateTime, by);
        await db.SaveChangesAsync(ct);
        return await FindAsync(id, ct);
    }

    public async Task<JourneyReport?> ReportAsync(Guid id, CancellationToken ct)
    {
        if (await db.Journeys.AsNoTracking().FirstOrDefaultAsync(j => j.Id == id, ct) is not { } journey) return null;
        var d = journey.LiveVersion is { } v ? await walker.DefinitionAsync(id, v, ct) : null;
        var runs = await db.JourneyRuns.AsNoTracking().Where(r => r.JourneyId == id)
            .GroupBy(r => new { r.Status, r.Arm, Converted = r.ConvertedAt != null })
            .Select(g => new { g.Key.Status, g.Key.Arm, g.Key.Converted, Count = g.Count() }).ToListAsync(ct);
        int Count(Func<string, bool> status) => runs.Where(r => status(r.Status)).Sum(r => r.Count);

        var steps = new List<JourneyStepReport>();
        if (d is not null)
        {
            var version = journey.LiveVersion!.Value;
            var outcomes = await db.JourneyStepLogs.AsNoTracking().Where(l => l.JourneyId == id && l.Version == version)
                .GroupBy(l => new { l.StepId, l.Outcome }).Select(g => new { g.Key.StepId, g.Key.Outcome, Count = g.Count() }).ToListAsync(ct);
            var reached = await db.JourneyStepLogs.AsNoTracking().Where(l => l.JourneyId == id && l.Version == version)
                .GroupBy(l => l.StepId).Select(g => new { StepId = g.Key, Runs = g.Select(l => l.RunId).Distinct().Count() }).ToDictionaryAsync(g => g.StepId, g => g.Runs, ct);
            var prefix = $"journey:{id:N}:";
            var mail = await db.EngagementMessages.AsNoTracking().Where(m => m.Source.StartsWith(prefix))
                .GroupBy(m => m.Source).Select(g => new
                {
                    Source = g.Key, Sent = g.Count(), Delivered = g.Count(m => m.DeliveredAt != null), Opened = g.Count(m => m.OpenedAt != null),
                    Clicked = g.Count(m => m.ClickedAt != null), Bounced = g.Count(m => m.Status == MessageStatus.Bounced),
                }).ToDictionaryAsync(m => m.Source, ct);
            foreach (var s in d.Steps ?? [])
            {
                var m = mail.GetValueOrDefault(prefix + s.Id);
                steps.Add(new JourneyStepReport(s.Id!, s.Kind!, JourneyWords.Step(s), reached.GetValueOrDefault(s.Id!),
                    outcomes.Where(o => o.StepId == s.Id).ToDictionary(o => o.Outcome, o => o.Count),
                    m?.Sent ?? 0, m?.Delivered ?? 0, m?.Opened ?? 0, m?.Clicked ?? 0, m?.Bounced ?? 0));
            }
        }

        var holdoutName = d?.Steps?.Where(s => s.Kind == "split").SelectMany(s => s.Arms ?? []).FirstOrDefault(a => a.Holdout == true)?.Name;
        var arms = runs.Where(r => r.Arm is not null).GroupBy(r => r.Arm!)
            .Select(g => (Arm: g.Key, Entered: g.Sum(r => r.Count), Converted: g.Where(r => r.Converted).Sum(r => r.Count))).ToList();
        var holdout = arms.FirstOrDefault(a => a.Arm == holdoutName);
        var armReports = arms.OrderBy(a => a.Arm == holdoutName).ThenBy(a => a.Arm).Select(a =>
        {
            var rate = a.Entered == 0 ? 0 : (double)a.Converted / a.Entered;
            if (a.Arm == holdoutName || holdout.Entered == 0 || a.Entered == 0) return new JourneyArmReport(a.Arm, a.Arm == holdoutName, a.Entered, a.Converted, rate, null, null, null);
            var (uplift, low, high) = Uplift(a.Converted, a.Entered, holdout.Converted, holdout.Entered);
            return new JourneyArmReport(a.Arm, false, a.Entered, a.Converted, rate, uplift, low, high);
        }).ToList();

        return new JourneyReport(id, journey.Name, journey.LiveVersion, runs.Sum(r => r.Count),
            Count(s => JourneyRunStatus.Open.Contains(s)), Count(s => s == JourneyRunStatus.Completed), Count(s => s == JourneyRunStatus.Goal),
            Count(s => s == JourneyRunStatus.Exited), runs.Where(r => r.Converted).Sum(r => r.Count), steps, armReports);
    }

    /// <summary>The difference of two conversion rates with its 95 % interval (Wald: ±1.96 standard errors).</summary>
    internal static (double Uplift, double Low, double High) Uplift(int converted, int n, int baseConverted, int baseN)
    {
        double p1 = (double)converted / n, p0 = (double)baseConverted / baseN;
        var se = Math.Sqrt(p1 * (1 - p1) / n + p0 * (1 - p0) / baseN);
        return (p1 - p0, p1 - p0 - 1.96 * se, p1 - p0 + 1.96 * se);
    }

    /// <summary>Adds the journeys shipped with the product, as drafts, the first time the list is opened (another node may race: one wins).</summary>
    public async Task EnsureShippedAsync(CancellationToken ct)
    {
        var have = (await db.Journeys.AsNoTracking().Where(j => j.ShippedKey != null).Select(j => j.ShippedKey!).ToListAsync(ct)).ToHashSet();
        var missing = ShippedJourneys.All.Where(s => !have.Contains(s.Key)).ToList();
        if (missing.Count == 0) return;
        var now = clock.GetUtcNow().UtcDateTime;
        var names = (await db.Journeys.AsNoTracking().Select(j => j.NameKey).ToListAsync(ct)).ToHashSet();
        foreach (var s in missing.Where(s => !names.Contains(s.Name.ToLowerInvariant())))
            db.Journeys.Add(new Journey
            {
                Name = s.Name, NameKey = s.Name.ToLowerInvariant(), Description = s.Description, ShippedKey = s.Key,
                Draft = JourneyDefinitions.Serialize(s.Definition), CreatedAt = now, UpdatedAt = now, UpdatedBy = "centric",
            });
        try { await db.SaveChangesAsync(ct); }
        catch (DbUpdateException) { db.ChangeTracker.Clear(); }
    }

    private static JourneyDefinition Parse(string json)
    {
        try { return JourneyDefinitions.Parse(json); }
        catch (System.Text.Json.JsonException) { return new JourneyDefinition(); }
    }

    private static (string Name, string Description) Header(JourneyDraft draft)
    {
        var name = draft.Name?.Trim();
        if (name is not { Length: >= 1 and <= 120 } || !StorableText.IsStorable(name)) throw RequestValidationException.For("name", "name must be 1–120 characters.");
        if (draft.Description is { Length: > 1000 } || !StorableText.IsStorable(draft.Description)) throw RequestValidationException.For("description", "description must be at most 1000 characters.");
        return (name, draft.Description?.Trim() ?? "");
    }
}
